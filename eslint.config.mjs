import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The layers of src and what each may reach (docs/architecture.md, "Where each rule lives"). The type-check
// enforces the same split for globals: tsconfig.main.json, tsconfig.renderer.json, tsconfig.shared.json.
// Each source file gets exactly one `no-restricted-imports` entry (a later one would replace, not extend).

const NODE_BUILTINS = [...builtinModules.filter((m) => !m.startsWith('_')).flatMap((m) => [m, `${m}/*`]), 'node:*'];

const electron = { group: ['electron', 'electron/*'], message: 'only the adapter (src/main/electron) and the preload may import electron' };
const nodeBuiltins = (who) => ({ group: NODE_BUILTINS, message: `${who} must not import Node built-ins` });
/** A relative import into another part of src, whatever the depth (`../core/x`, `../../main/core/x`). */
const part = (dirs, message) => ({ regex: `^(\\.\\./)+(.*/)?(${dirs.join('|')})(/|$)`, message });
/** ipcMain/ipcRenderer outside the adapter's IPC module and the preload would skip the contract's checks. */
const rawIpc = { name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'raw ipcMain/ipcRenderer only in src/main/electron/ipc.ts and src/preload (the contract is checked there)' };

/** The `NodeJS` type namespace comes with @types/node wherever Node's globals do. */
const node = { ...globals.node, NodeJS: 'readonly' };

// The CLI is allowed: the shipped executable runs the helpdesk commands (`SsprLogon.exe --helpdesk …`).
const adapterParts = part(['host', 'renderer', 'preload', 'emulator'], 'the adapter wires the core to Electron; no dev host, UI or emulator (that is demo.ts)');

/** One PKI builder (src/emulator/certs.ts) for the emulator and the tests; nothing else lays out X.509. */
const forge = { name: 'node-forge', message: 'certificates come from the one PKI builder, src/emulator/certs.ts' };

const restrict = (patterns, paths = []) => ({ 'no-restricted-imports': ['error', { patterns, paths: [...paths, forge] }] });

const layers = [
  {
    // Runs on both sides of the IPC boundary: only its own files and the schema library.
    files: ['src/shared/**/*.{ts,tsx}'],
    globals: {},
    rules: restrict([
      { regex: '^(?!\\./|valibot$|valibot/)', message: 'src/shared imports only its own files and valibot' },
    ]),
  },
  {
    // A sandboxed Chromium page: the UI, its libraries and src/shared; nothing of the main process.
    files: ['src/renderer/**/*.{ts,tsx}'],
    ignores: ['src/renderer/api.ts'],
    globals: globals.browser,
    rules: restrict([electron, nodeBuiltins('the renderer'), part(['main', 'emulator', 'preload'], 'the renderer talks to the main process only through src/renderer/api.ts (the preload)')]),
  },
  {
    // The renderer's one door: window.sspr's type comes from the preload (a type-only import, erased).
    files: ['src/renderer/api.ts'],
    globals: globals.browser,
    rules: restrict([electron, nodeBuiltins('the renderer'), part(['main', 'emulator'], 'the renderer talks to the main process only through the preload')]),
  },
  {
    // Plain Node: the decisions, testable without Electron.
    files: ['src/main/core/**/*.ts'],
    globals: node,
    rules: restrict([electron, part(['electron', 'host', 'emulator', 'cli', 'renderer', 'preload'], 'src/main/core must not import the adapter, the dev host, the emulator, the CLI or the UI')]),
  },
  {
    files: ['src/main/cli/**/*.ts'],
    globals: node,
    rules: restrict([electron, part(['electron', 'host', 'emulator', 'renderer', 'preload'], 'the helpdesk CLI builds on src/main/core only')]),
  },
  {
    // Development only, never shipped: may use the core and the emulator.
    files: ['src/main/host/**/*.ts'],
    globals: node,
    rules: restrict([electron, part(['electron', 'renderer', 'preload'], 'the browser host replaces Electron; it must not import the adapter or the UI')]),
  },
  {
    files: ['src/emulator/**/*.ts'],
    ignores: ['src/emulator/certs.ts'],
    globals: node,
    rules: restrict([electron, part(['main', 'renderer', 'preload'], 'the emulator stands alone (it plays Microsoft): only src/shared')]),
  },
  {
    files: ['src/emulator/certs.ts'],
    globals: node,
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, part(['main', 'renderer', 'preload'], 'the emulator stands alone')] }] },
  },
  {
    // The thin adapter: Electron and the core; raw ipcMain only in its IPC module; the emulator only in
    // the development entry (demo.ts), so the release bundle cannot carry it.
    files: ['src/main/electron/**/*.ts'],
    ignores: ['src/main/electron/ipc.ts', 'src/main/electron/demo.ts'],
    globals: node,
    rules: restrict([adapterParts], [rawIpc]),
  },
  {
    files: ['src/main/electron/ipc.ts'],
    globals: node,
    rules: restrict([adapterParts]),
  },
  {
    files: ['src/main/electron/demo.ts'],
    globals: node,
    rules: restrict([part(['host', 'renderer', 'preload', 'cli'], 'the demo entry adds the emulator and nothing else')], [rawIpc]),
  },
  {
    files: ['src/preload/**/*.ts'],
    globals: { ...globals.browser, ...node },
    rules: restrict([part(['main', 'renderer', 'emulator'], 'the preload exposes the shared contract and nothing else')]),
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'release/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests, scripts and configuration see both worlds. (Globals merge across entries, so the layers of
    // src must not receive these.)
    ignores: ['src/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    rules: { 'no-restricted-imports': ['error', { paths: [forge] }] },
  },
  ...layers.map(({ files, ignores, globals: layerGlobals, rules }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    // A layer sees only what it really has at run time, and ESLint says so before the type-check does.
    languageOptions: { globals: { ...globals.es2021, ...layerGlobals } },
    rules: { ...rules, 'no-undef': 'error' },
  })),
  {
    // The adapter stays thin and readable: runOverlay reads as a list of steps, each a short function.
    files: ['src/main/electron/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 100, skipBlankLines: true, skipComments: true }] },
  },
  {
    // electron-builder's hooks (src/main/electron/packaging) are CommonJS run by Node at packaging time.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.commonjs } },
  },
  {
    // The shell is a kiosk on the logon screen: nothing may ever open an external handler.
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name='openExternal']", message: 'shell.openExternal is forbidden in the logon overlay' }],
    },
  },
);
