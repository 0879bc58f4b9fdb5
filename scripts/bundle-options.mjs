// esbuild options for what ships, shared by scripts/build.mjs and the tests that bundle into private
// folders, so a test always runs the same bundle the product does.
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

/** The renderer: Electron 22's Chrome 108, one minified IIFE plus its CSS. */
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
});
