/**
 * `doctor` against the real emulator over HTTPS: the setups an admin gets wrong are each reported as a
 * [fail] with what to change, and the exit code is non-zero, so a deployment script notices.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/main/cli/io';
import { runCli } from '../../../src/main/cli/run';
import { startTestEmulator, type EmulatorUnderTest } from '../core/support';

interface Report {
  engine: string;
  checks: { name: string; status: string; detail: string }[];
}

let t: EmulatorUnderTest;
let dir: string;
let caFile: string;

beforeAll(async () => {
  t = await startTestEmulator();
  dir = mkdtempSync(join(tmpdir(), 'sspr-doctor-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, t.emu.caPem);
});
afterAll(async () => {
  await t.emu.close();
  rmSync(dir, { recursive: true, force: true });
});

const doctor = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, platform: 'linux', now: Date.now };
  const code = await runCli(['doctor', ...args], io);
  return { code, out, err, report: () => JSON.parse(out[0]!) as Report };
};
const native = () => ['--set', 'Engine=native', '--set', `Authority=${t.emu.authority}`, '--set', `ClientId=${t.emu.clientId}`, '--ca', caFile];
const check = (r: Report, name: string) => r.checks.find((c) => c.name === name);

describe('doctor catches what would fail every user', () => {
  it('a good native setup: ClientId accepted, exit 0 (options as --opt value)', async () => {
    const r = await doctor([...native(), '--json']);
    expect(r.code).toBe(0);
    expect(check(r.report(), 'client-id')).toMatchObject({ status: 'ok' });
    expect(r.report().checks.filter((c) => c.status === 'fail')).toEqual([]);
  });

  it('an unknown client id (unauthorized_client from the authority)', async () => {
    const r = await doctor([...native(), '--set', 'ClientId=0badc0de-0000-4000-8000-000000000000']);
    expect(r.code).toBe(1);
    expect(r.out.join('\n')).toMatch(/\[fail\] client-id: the tenant does not accept ClientId 0badc0de-0000-4000-8000-000000000000 \(unauthorized_client\)/);
  });

  it('a wrong tenant in Authority (AADSTS90002)', async () => {
    const wrong = t.emu.authority.replace(/[^/]+\/$/, 'fabrikam.onmicrosoft.com/');
    const r = await doctor([...native(), '--set', `Authority=${wrong}`, '--json']);
    expect(r.code).toBe(1);
    expect(check(r.report(), 'tenant')).toMatchObject({ status: 'fail', detail: expect.stringContaining('fabrikam.onmicrosoft.com') });
  });

  it('ProxyMode=fixed with no ProxyServer', async () => {
    const r = await doctor([...native(), '--set=ProxyMode=fixed', '--json']);
    expect(r.code).toBe(1);
    expect(check(r.report(), 'proxy')).toMatchObject({ status: 'fail', detail: expect.stringContaining('ProxyServer is empty') });
    const ok = await doctor([...native(), '--set=ProxyMode=fixed', '--set=ProxyServer=proxy.contoso.com:8080', '--json']);
    expect(check(ok.report(), 'proxy')).toMatchObject({ status: 'ok', detail: 'fixed proxy proxy.contoso.com:8080' });
  });

  it('a PortalUrl whose host is not in AllowedHosts, read from the data folder\'s config.json', async () => {
    const dataDir = mkdtempSync(join(dir, 'data-'));
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ Engine: 'native', PortalUrl: 'https://sspr.contoso.com/reset', AllowedHosts: ['passwordreset.microsoftonline.com'] }));
    const r = await doctor(['--data-dir', dataDir, '--set', `Authority=${t.emu.authority}`, '--set', `ClientId=${t.emu.clientId}`, '--ca', caFile]);
    expect(r.code).toBe(1);
    expect(r.out.join('\n')).toMatch(/\[fail\] portal-host: PortalUrl host sspr\.contoso\.com is not in AllowedHosts \(passwordreset\.microsoftonline\.com\)/);
  });

  it('unknown options are refused; --help explains the exit codes', async () => {
    const bad = await doctor(['--jsn']);
    expect([bad.code, bad.err[0]]).toEqual([2, 'doctor: unknown option "--jsn"']);
    const help = await doctor(['--help']);
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toMatch(/Exit code 0: no problem; 30: the service cannot be reached/);
  });
});
