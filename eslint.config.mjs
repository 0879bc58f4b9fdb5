import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'release/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // src/shared runs on both sides of the IPC boundary: it must not reach for Electron, Node or the DOM.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'src/shared must not import electron' },
          { group: ['node:*', 'fs', 'path', 'os', 'http', 'https', 'tls', 'crypto', 'net', 'child_process', 'url'], message: 'src/shared must not import Node built-ins' },
          { group: ['react', 'react-dom', 'react-dom/*'], message: 'src/shared must not import the UI' },
        ],
      }],
    },
  },
  {
    // Only the thin adapter and the preload may touch Electron; everything else must run in plain Node.
    files: ['src/main/core/**/*.ts', 'src/main/host/**/*.ts', 'src/emulator/**/*.ts', 'src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['electron', 'electron/*'], message: 'only src/main/electron and src/preload may import electron' }] }],
    },
  },
  {
    // The shell is a kiosk on the logon screen: nothing may ever open an external handler.
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name='openExternal']", message: 'shell.openExternal is forbidden in the logon overlay' }],
    },
  },
);
