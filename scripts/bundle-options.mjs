// esbuild options for what ships, shared by scripts/build.mjs and the tests that bundle into private
// folders, so a test always runs the same bundle the product does.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

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

/** Files copied as they are from src/renderer next to the renderer bundle. */
export const RENDERER_STATIC_FILES = ['index.html'];

/**
 * Every catalogue but English (which app.js carries) as a script of its own, i18n/<code>.js, that hands its
 * messages to the renderer's i18n (src/renderer/i18n/index.ts): loaded only when that language is chosen.
 * Classic scripts because the overlay's CSP allows our own scripts but no fetch().
 */
/** One catalogue (the JSON text of src/renderer/i18n/<code>.json) as the script the renderer loads. */
export const catalogueScript = (code, json) =>
  `self.__ssprCatalogue&&self.__ssprCatalogue(${JSON.stringify(code)},${JSON.stringify(JSON.parse(json))});\n`;

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

/**
 * The common-password list (@zxcvbn-ts/language-common's password dictionary, MIT) compiled into a Bloom
 * filter over Entra-normalised forms, as a classic script of its own (common-passwords.js) that the password
 * screen loads when it mounts: never part of the first load. The filter code is src/shared/passwordHints.ts,
 * bundled here on the fly so that the build and the renderer hash exactly alike.
 */
export const commonPasswordsScript = (callback, data) => `self.${callback}&&self.${callback}(${JSON.stringify(data)});\n`;

/** Loads a src/shared module (TypeScript, no imports outside src/shared) into this Node process. */
export const loadSharedModule = async (esbuild, root, file) => {
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

const commonPasswordsFilter = (root, outdir) => ({
  name: 'common-passwords-filter',
  setup(b) {
    b.onEnd(async (result) => {
      if (result.errors.length) return;
      const hints = await loadSharedModule(b.esbuild, root, 'src/shared/passwordHints.ts');
      const filter = hints.buildCommonPasswordFilter(commonPasswordWords(root));
      mkdirSync(outdir, { recursive: true });
      writeFileSync(join(outdir, hints.COMMON_PASSWORDS_SCRIPT), commonPasswordsScript(hints.COMMON_PASSWORDS_CALLBACK, filter));
    });
  },
});

/** The renderer: Electron 22's Chrome 108, one minified IIFE plus its CSS, the on-demand catalogues and the common-password filter. */
export const rendererBuildOptions = (root, outdir) => ({
  entryPoints: [join(root, 'src/renderer/main.tsx')],
  outfile: join(outdir, 'app.js'),
  bundle: true,
  platform: 'browser',
  target: 'chrome108',
  format: 'iife',
  minify: true,
  sourcemap: false,
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.css': 'css' },
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [catalogueScripts(root, outdir), commonPasswordsFilter(root, outdir)],
});
