// esbuild options for what ships, shared by scripts/build.mjs and the tests that bundle into private
// folders, so a test always runs the same bundle the product does.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';

/** Main-process entries (and the preload): Electron 22's Node 16.17, CommonJS, Electron left external. */
export const mainBundleOptions = (entry, outfile) => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node16.17',
  format: 'cjs',
  sourcemap: true,
  external: ['electron'],
  logLevel: 'warning',
  legalComments: 'none',
});

/**
 * The renderer's first screen, rendered to HTML by the main process (src/shared/firstScreen.ts): the
 * renderer's own components bundled for Node 16.17, with production React, as dist/main/first-screen.cjs.
 */
export const firstScreenBuildOptions = (root, outfile) => ({
  ...mainBundleOptions(join(root, 'src/renderer/firstScreen.tsx'), outfile),
  jsx: 'automatic',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"' },
});

/**
 * Every catalogue but English (which the first load carries) as a script of its own, i18n/<code>.js, that
 * hands its messages to the renderer's i18n (src/renderer/i18n/index.ts): loaded only when that language is
 * chosen. Classic scripts because the overlay's CSP allows our own scripts but no fetch().
 */
/** A script that hands data to the renderer through a global hook, when that hook is there. */
const handOverScript = (callback, ...args) => `self.${callback}&&self.${callback}(${args.map((a) => JSON.stringify(a)).join(',')});\n`;

/** One catalogue (the JSON text of src/renderer/i18n/<code>.json) as the script the renderer loads. */
export const catalogueScript = (code, json) => handOverScript('__ssprCatalogue', code, JSON.parse(json));

const catalogueScripts = (root, outdir) => ({
  name: 'catalogue-scripts',
  setup(b) {
    b.onEnd((result) => {
      if (result.errors.length) return;
      const from = join(root, 'src/renderer/i18n');
      const to = join(outdir, 'i18n');
      mkdirSync(to, { recursive: true });
      for (const file of readdirSync(from).filter((f) => f.endsWith('.json') && f !== 'en.json')) {
        const code = file.slice(0, -'.json'.length);
        writeFileSync(join(to, `${code}.js`), catalogueScript(code, readFileSync(join(from, file), 'utf8')));
      }
    });
  },
});

/** Loads a src/shared module (TypeScript, no imports outside src/shared) into this Node process. */
const loadSharedModule = async (esbuild, root, file) => {
  const out = await esbuild.build({
    entryPoints: [join(root, file)],
    bundle: true,
    platform: 'neutral',
    format: 'cjs',
    write: false,
    logLevel: 'error',
  });
  const module = { exports: {} };
  new Function('module', 'exports', out.outputFiles[0].text)(module, module.exports);
  return module.exports;
};

/** The password dictionary of the pinned @zxcvbn-ts/language-common (a devDependency: only the build reads it). */
export const commonPasswordWords = (root) =>
  createRequire(join(root, 'package.json'))('@zxcvbn-ts/language-common').dictionary['passwords-common'];

/**
 * The common-password list (@zxcvbn-ts/language-common's password dictionary, MIT) compiled into a Bloom
 * filter over Entra-normalised forms, as a classic script of its own (common-passwords.js) that the password
 * screen loads when it mounts: never part of the first load. The filter code is src/shared/passwordHints.ts,
 * bundled here on the fly so that the build and the renderer hash exactly alike.
 */
const commonPasswordsFilter = (root, outdir) => ({
  name: 'common-passwords-filter',
  setup(b) {
    b.onEnd(async (result) => {
      if (result.errors.length) return;
      const hints = await loadSharedModule(b.esbuild, root, 'src/shared/passwordHints.ts');
      const filter = hints.buildCommonPasswordFilter(commonPasswordWords(root));
      mkdirSync(outdir, { recursive: true });
      writeFileSync(join(outdir, hints.COMMON_PASSWORDS_SCRIPT), handOverScript(hints.COMMON_PASSWORDS_CALLBACK, filter));
    });
  },
});

/**
 * start.js: the overlay's first question to the main process (src/renderer/startupCall.ts) as a tiny classic
 * async script that index.html runs as soon as it arrives, so the answer travels while the browser fetches
 * and compiles the overlay's code. A bundle of its own, so it waits for nothing else.
 */
const startScript = (root, outdir) => ({
  name: 'start-script',
  setup(b) {
    b.onEnd(async (result) => {
      if (result.errors.length) return;
      await b.esbuild.build({
        entryPoints: [join(root, 'src/renderer/startupCall.ts')],
        outfile: join(outdir, 'start.js'),
        bundle: true,
        platform: 'browser',
        target: 'chrome108',
        format: 'iife',
        minify: true,
        logLevel: 'warning',
        legalComments: 'none',
      });
    });
  },
});

/**
 * index.html from src/renderer/index.html, with a modulepreload hint for app.js and every chunk it imports at
 * once, ahead of start.js: the browser fetches them all together with start.js, instead of one after the
 * other.
 */
const pageWithPreloads = (root, outdir) => ({
  name: 'page-with-preloads',
  setup(b) {
    b.initialOptions.metafile = true;
    b.onEnd((result) => {
      if (result.errors.length || !result.metafile) return;
      const outputs = result.metafile.outputs;
      const appKey = Object.keys(outputs).find((k) => outputs[k].entryPoint?.endsWith('src/renderer/main.tsx'));
      const seen = new Set();
      // app.js's own import() (boot.tsx, the overlay itself) is part of the first load too; import() calls
      // further down (the later screens) are not.
      const visit = (key, dynamicToo = false) => {
        for (const i of outputs[key]?.imports ?? []) {
          if (!(i.kind === 'import-statement' || (dynamicToo && i.kind === 'dynamic-import')) || seen.has(i.path)) continue;
          seen.add(i.path);
          visit(i.path);
        }
      };
      if (appKey) {
        seen.add(appKey);
        visit(appKey, true);
      }
      // metafile paths are relative to the working directory esbuild ran in.
      const cwd = b.initialOptions.absWorkingDir ?? process.cwd();
      const hints = [...seen].map((k) => `<link rel="modulepreload" href="${relative(outdir, resolve(cwd, k)).split(sep).join('/')}" />`);
      const page = readFileSync(join(root, 'src/renderer/index.html'), 'utf8');
      if (!page.includes('<!-- chunk preloads -->')) throw new Error('src/renderer/index.html lost its "<!-- chunk preloads -->" marker');
      writeFileSync(join(outdir, 'index.html'), page.replace('<!-- chunk preloads -->', hints.join('\n    ')));
    });
  },
});

/**
 * The renderer for Electron 22's Chrome 108: start.js (classic), app.js (a module) with its CSS, index.html,
 * and the on-demand catalogues. app.js holds the first screen; anything the code loads with import() (the
 * later screens, the portal chrome) becomes a chunk of its own, fetched after the first paint, with no
 * change here. Modules need our scheme and host to serve .js as text/javascript, and the CSP's
 * script-src 'self' covers them (same origin).
 */
export const rendererBuildOptions = (root, outdir) => ({
  entryPoints: [{ in: join(root, 'src/renderer/main.tsx'), out: 'app' }],
  outdir,
  bundle: true,
  platform: 'browser',
  target: 'chrome108',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunk-[hash]',
  entryNames: '[name]',
  minify: true,
  sourcemap: false,
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.css': 'css' },
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [catalogueScripts(root, outdir), commonPasswordsFilter(root, outdir), startScript(root, outdir), pageWithPreloads(root, outdir)],
});
