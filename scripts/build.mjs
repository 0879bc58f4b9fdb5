// Bundles every part with esbuild: the renderer for Chrome 108 (Electron 22), the main-process entries
// for Node 16.17 (Electron 22's Node), the preload, and the development entries (browser host, Electron demo,
// emulator command line), which stay out of the package.
import { build } from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mainBundleOptions, RENDERER_STATIC_FILES, rendererBuildOptions } from './bundle-options.mjs';

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
];

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const built = [];
for (const entry of nodeEntries) {
  if (!existsSync(join(root, entry.in))) continue;
  await build(mainBundleOptions(join(root, entry.in), join(dist, entry.out)));
  built.push(entry.out);
}

if (existsSync(join(root, 'src/renderer/main.tsx'))) {
  await build(rendererBuildOptions(root, join(dist, 'renderer')));
  for (const file of RENDERER_STATIC_FILES) copyFileSync(join(root, 'src/renderer', file), join(dist, 'renderer', file));
  built.push('renderer/app.js');
}

if (!quiet) console.log(`build: ${built.join(', ')}`);
