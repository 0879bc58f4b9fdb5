/**
 * The layer boundaries are enforced by the tools, not by care: in a temporary copy of src and the project's
 * lint and TypeScript configuration, plant one file per rule that breaks it, and expect `eslint` or the
 * per-layer type-check to refuse exactly that file for exactly that reason. A legal file in each layer must
 * still pass, so the rules are not blanket refusals.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const run = promisify(execFile);
const copies: string[] = [];

const plant = (copy: string, path: string, text: string): void => {
  mkdirSync(dirname(join(copy, path)), { recursive: true });
  writeFileSync(join(copy, path), text);
};

/** A fresh copy per rule family, so one planted file cannot hide or cause another's failure. */
const freshCopy = (): string => {
  const copy = mkdtempSync(join(tmpdir(), 'sspr-boundaries-'));
  copies.push(copy);
  cpSync(join(root, 'src'), join(copy, 'src'), { recursive: true, filter: (p) => !p.includes(`${join('src', 'shim')}`) });
  for (const file of ['eslint.config.mjs', 'package.json', 'tsconfig.base.json', 'tsconfig.main.json', 'tsconfig.renderer.json', 'tsconfig.shared.json']) {
    cpSync(join(root, file), join(copy, file));
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
};

afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

describe('lint refuses a file that crosses a layer boundary', () => {
  const violations: { path: string; text: string; rule: string; why: string }[] = [
    { path: 'src/renderer/plantedFs.tsx', text: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", rule: 'no-restricted-imports', why: 'the renderer imports a Node built-in' },
    { path: 'src/renderer/plantedPath.ts', text: "import { join } from 'path';\nexport const x = join;\n", rule: 'no-restricted-imports', why: 'the renderer imports a bare Node built-in' },
    { path: 'src/renderer/screens/plantedLogging.ts', text: "import { createLogger } from '../../main/core/logging';\nexport const x = createLogger;\n", rule: 'no-restricted-imports', why: 'the renderer imports the main process' },
    { path: 'src/renderer/plantedElectron.ts', text: "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", rule: 'no-restricted-imports', why: 'the renderer imports electron' },
    { path: 'src/renderer/plantedEmulator.ts', text: "import { DEMO_USERS } from '../emulator';\nexport const x = DEMO_USERS;\n", rule: 'no-restricted-imports', why: 'the renderer imports the emulator' },
    { path: 'src/shared/plantedWindow.ts', text: 'export const width = (): number => window.innerWidth;\n', rule: 'no-undef', why: 'shared code uses window' },
    { path: 'src/shared/plantedProcess.ts', text: 'export const env = (): string | undefined => process.env.HOME;\n', rule: 'no-undef', why: 'shared code uses process' },
    { path: 'src/shared/plantedReact.ts', text: "import { useState } from 'react';\nexport const x = useState;\n", rule: 'no-restricted-imports', why: 'shared code imports a library other than its own' },
    { path: 'src/shared/plantedCore.ts', text: "import { loadConfig } from '../main/core/config';\nexport const x = loadConfig;\n", rule: 'no-restricted-imports', why: 'shared code imports the main process' },
    { path: 'src/main/core/plantedElectron.ts', text: "import { app } from 'electron';\nexport const x = app;\n", rule: 'no-restricted-imports', why: 'the core imports electron' },
    { path: 'src/main/core/tls/plantedHost.ts', text: "import { startDemo } from '../../host/demo';\nexport const x = startDemo;\n", rule: 'no-restricted-imports', why: 'the core imports the dev host' },
    { path: 'src/main/core/plantedEmulator.ts', text: "import { startEmulator } from '../../emulator';\nexport const x = startEmulator;\n", rule: 'no-restricted-imports', why: 'the core imports the emulator' },
    { path: 'src/main/core/plantedAdapter.ts', text: "import { registerIpc } from '../electron/ipc';\nexport const x = registerIpc;\n", rule: 'no-restricted-imports', why: 'the core imports the Electron adapter' },
    { path: 'src/main/core/plantedDocument.ts', text: 'export const title = (): string => document.title;\n', rule: 'no-undef', why: 'the core uses the DOM' },
    { path: 'src/main/electron/plantedIpc.ts', text: "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n", rule: 'no-restricted-imports', why: 'an adapter file other than ipc.ts uses raw ipcMain' },
    { path: 'src/main/electron/plantedEmulator.ts', text: "import { startEmulator } from '../../emulator';\nexport const x = startEmulator;\n", rule: 'no-restricted-imports', why: 'a release adapter file imports the emulator' },
    { path: 'src/emulator/plantedForge.ts', text: "import forge from 'node-forge';\nexport const x = forge;\n", rule: 'no-restricted-imports', why: 'a second PKI builder next to src/emulator/certs.ts' },
    { path: 'src/main/host/plantedForge.ts', text: "import forge from 'node-forge';\nexport const x = forge;\n", rule: 'no-restricted-imports', why: 'the dev host lays out certificates itself' },
    { path: 'src/main/electron/plantedLong.ts', text: `export const everything = (): number => {\n  let n = 0;\n${'  n += 1;\n'.repeat(105)}  return n;\n};\n`, rule: 'max-lines-per-function', why: 'an adapter function grows past 100 lines instead of being split into steps' },
    { path: 'src/main/cli/plantedIpc.ts', text: "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n", rule: 'no-restricted-imports', why: 'the CLI uses raw ipcMain' },
  ];
  const legal = [
    { path: 'src/renderer/plantedLegal.tsx', text: "import { channels } from '../shared/ipc';\nimport { useState } from 'react';\nexport const x = [channels, useState, window.innerWidth];\n" },
    { path: 'src/shared/plantedLegal.ts', text: "import * as v from 'valibot';\nimport { ExitCode } from './exitCodes';\nexport const x = [v, ExitCode];\n" },
    { path: 'src/main/core/plantedLegal.ts', text: "import { readFileSync } from 'node:fs';\nimport { ExitCode } from '../../shared/exitCodes';\nexport const x = [readFileSync, ExitCode, process.env];\n" },
    { path: 'src/main/electron/plantedLegal.ts', text: "import { app } from 'electron';\nimport { registerIpc } from './ipc';\nexport const x = [app, registerIpc];\n" },
  ];
  let results: Map<string, ESLint.LintResult>;

  beforeAll(async () => {
    const copy = freshCopy();
    for (const f of [...violations, ...legal]) plant(copy, f.path, f.text);
    const eslint = new ESLint({ cwd: copy });
    const linted = await eslint.lintFiles([...violations, ...legal].map((f) => f.path));
    results = new Map(linted.map((r) => [r.filePath.slice(copy.length + 1), r]));
  });

  it.each(violations)('$why ($path)', ({ path, rule }) => {
    const messages = results.get(path)?.messages ?? [];
    expect(messages.map((m) => m.ruleId)).toContain(rule);
  });

  it.each(legal)('a file that keeps to its layer passes ($path)', ({ path }) => {
    expect(results.get(path)?.messages ?? ['not linted']).toEqual([]);
  });
});

describe('the per-layer type-check refuses globals a layer does not have', () => {
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const typeCheck = async (copy: string, project: string): Promise<string> => {
    try {
      await run(process.execPath, [tsc, '-p', project], { cwd: copy, maxBuffer: 16 * 1024 * 1024 });
      return '';
    } catch (err) {
      return String((err as { stdout?: string }).stdout ?? err);
    }
  };

  // Each run type-checks a whole layer: allow for a loaded two-core machine.
  const TSC_MS = 240_000;

  it('no DOM in the main process, the CLI, the dev host or the emulator', async () => {
    const copy = freshCopy();
    plant(copy, 'src/main/core/plantedTypesDom.ts', 'export const title = (): string => document.title;\n');
    plant(copy, 'src/emulator/plantedTypesWindow.ts', 'export const w = (): number => window.innerWidth;\n');
    const out = await typeCheck(copy, 'tsconfig.main.json');
    expect(out).toMatch(/src\/main\/core\/plantedTypesDom\.ts.*Cannot find name 'document'/);
    expect(out).toMatch(/src\/emulator\/plantedTypesWindow\.ts.*Cannot find name 'window'/);
  }, TSC_MS);

  it('no Node in the renderer', async () => {
    const copy = freshCopy();
    plant(copy, 'src/renderer/plantedTypesNode.ts', 'export const env = (): string | undefined => process.env.HOME;\nexport const b = (): unknown => Buffer.from("x");\n');
    const out = await typeCheck(copy, 'tsconfig.renderer.json');
    expect(out).toMatch(/src\/renderer\/plantedTypesNode\.ts.*Cannot find name 'process'/);
    expect(out).toMatch(/src\/renderer\/plantedTypesNode\.ts.*Cannot find name 'Buffer'/);
  }, TSC_MS);

  it('neither the DOM nor Node in src/shared', async () => {
    const copy = freshCopy();
    plant(copy, 'src/shared/plantedTypesBoth.ts', 'export const a = (): number => window.innerWidth;\nexport const b = (): string | undefined => process.env.HOME;\n');
    const out = await typeCheck(copy, 'tsconfig.shared.json');
    expect(out).toMatch(/src\/shared\/plantedTypesBoth\.ts.*Cannot find name 'window'/);
    expect(out).toMatch(/src\/shared\/plantedTypesBoth\.ts.*Cannot find name 'process'/);
  }, TSC_MS);
});
