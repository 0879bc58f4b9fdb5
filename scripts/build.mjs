// Bundles every part with esbuild: the renderer for Chrome 108 (Electron 22), the main-process entries
// for Node 16.17 (Electron 22's Node), the preload, and the development entries (browser host, Electron demo,
// emulator command line), which stay out of the package.
import { build } from 'esbuild';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstScreenBuildOptions, mainBundleOptions, rendererBuildOptions } from './bundle-options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const quiet = process.argv.includes('--quiet');

const nodeEntries = [
  { in: 'src/main/host/cli.ts', out: 'main/host.cjs' },
  { in: 'src/main/electron/main.ts', out: 'main/electron.cjs' },
  // Development only (npm start): the overlay with the emulator embedded. electron-builder.yml leaves it out.
  { in: 'src/main/electron/demo.ts', out: 'main/demo.cjs' },
  { in: 'src/preload/index.ts', out: 'preload/preload.cjs' },
  { in: 'src/emulator/cli.ts', out: 'emulator/cli.cjs' },
  { in: 'src/main/cli/index.ts', out: 'main/cli.cjs' },
  // The renderer's first screen, rendered to HTML by the main process (src/shared/firstScreen.ts).
  { in: 'src/renderer/firstScreen.tsx', out: 'main/first-screen.cjs', options: (outfile) => firstScreenBuildOptions(root, outfile) },
];

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// esbuild's metafile of each bundle (which package files went in) feeds the SBOM and the licence notices
// (scripts/sbom.mjs): dist/meta/<bundle>.json, left out of the package by electron-builder.yml.
const writeMeta = (out, result) => {
  mkdirSync(join(dist, 'meta'), { recursive: true });
  writeFileSync(join(dist, 'meta', `${out.replace(/[/\\]/g, '_')}.json`), JSON.stringify(result.metafile));
};

const built = [];
for (const entry of nodeEntries) {
  if (!existsSync(join(root, entry.in))) continue;
  writeMeta(entry.out, await build({ ...(entry.options ?? ((outfile) => mainBundleOptions(join(root, entry.in), outfile)))(join(dist, entry.out)), metafile: true }));
  built.push(entry.out);
}

if (existsSync(join(root, 'src/renderer/main.tsx'))) {
  writeMeta('renderer/app.js', await build({ ...rendererBuildOptions(root, join(dist, 'renderer')), metafile: true }));
  // common-passwords.js is made from @zxcvbn-ts/language-common's list, not bundled by esbuild: a metafile of
  // the same shape names that package, so the SBOM and the licence notices list it like any bundled one.
  const listSource = relative(root, createRequire(join(root, 'package.json')).resolve('@zxcvbn-ts/language-common')).replace(/\\/g, '/');
  writeMeta('renderer/common-passwords.js', { metafile: { inputs: { [listSource]: { bytes: 0, imports: [] } }, outputs: {} } });
  built.push('renderer/app.js');
}

if (!quiet) console.log(`build: ${built.join(', ')}`);
