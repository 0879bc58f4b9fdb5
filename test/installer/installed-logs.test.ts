// Proof as installed: a test MSI around the wine-test provider DLL (the production DLL fails closed under
// wine, by design) is installed with wine's msiexec /qn; the harness clicks the link the way LogonUI does, the
// installed shim starts the overlay stand-in as in production (restricted token, job, stdout pipe, salt
// handshake on stdin), the stand-in logs one reset attempt, and the helpdesk's `logs` command — the bundled
// CLI on Node 16.17.1 — finds it in the installed ProgramData by user and by correlation id. The shim applies
// LogMaxSizeMB from config.json and LogRetentionDays from the registry layers while it writes.
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashUserId } from '../../src/main/core/logging';
import { rotatedLogName } from '../../src/shared/logFiles';
import { parseLogLine } from '../../src/shared/logRecord';
import { buildShippedLogs, jsonRecords, type ShippedLogs } from '../main/cli/shippedLogs';
import { ensureShimBuilt, SHIM_OUT } from '../shim/support';
import { CLSID, WinePrefix, buildMsiOrThrow, makeTempDir, stageApp } from './support';

const INSTALL_DIR = 'Program Files/SSPR Logon';
const DAY = 86_400_000;

let tmp = '';
let wine: WinePrefix;
let logs: ShippedLogs;
let harness = '';

beforeAll(async () => {
  tmp = makeTempDir('installed-logs');
  await ensureShimBuilt();
  const dll = join(tmp, 'SsprLogonCP-winetest.dll');
  copyFileSync(join(SHIM_OUT, 'SsprLogonCP-winetest.dll'), dll);
  const standIn = join(tmp, 'SsprLogon.exe');
  copyFileSync(join(SHIM_OUT, 'SsprLogon.exe'), standIn);
  harness = join(tmp, 'cp-harness.exe');
  copyFileSync(join(SHIM_OUT, 'cp-harness.exe'), harness);
  const app = stageApp(tmp, standIn);
  const [prefix, msi, shipped] = await Promise.all([
    WinePrefix.create(tmp),
    buildMsiOrThrow({ staged: app, dll, version: '3.0.0', out: join(tmp, 'winetest.msi') }),
    buildShippedLogs(tmp),
  ]);
  wine = prefix;
  logs = shipped;
  const r = await wine.msiexec(['/i', msi, '/qn']);
  expect(r.windowsCode).toBe(0);
}, 900_000);

afterAll(async () => {
  await wine?.dispose();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('an installed PC: the shim owns the log files and the helpdesk finds the attempt', { timeout: 300_000 }, () => {
  it('logs --user and logs --correlation-id find one attempt made through the installed provider', async () => {
    const dataDir = wine.cDrive('ProgramData/SsprLogon');
    const logDir = join(dataDir, 'logs');
    expect(existsSync(logDir)).toBe(true);
    // Settings on every layer: config.json caps the logs at 1 MB (so the oversized active file below is
    // rotated on the first new line); retention 30 days in config.json, 3 in the MSI key, 7 by policy.
    writeFileSync(join(dataDir, 'config.json'), '{ "LogMaxSizeMB": 1, "LogRetentionDays": 30 }\n');
    expect((await wine.run(['reg', 'add', 'HKLM\\SOFTWARE\\SsprLogon', '/v', 'LogRetentionDays', '/t', 'REG_DWORD', '/d', '3', '/f'])).code).toBe(0);
    expect((await wine.run(['reg', 'add', 'HKLM\\SOFTWARE\\Policies\\SsprLogon', '/v', 'LogRetentionDays', '/t', 'REG_DWORD', '/d', '7', '/f'])).code).toBe(0);
    // NetUserAdd and LogonUser are stubs under wine: the wine-test DLL records the dedicated-account calls
    // instead (as in test/shim/provider.wine.test.ts), or the launch would stop in wine's netapi32.
    const accountLog = `Z:${join(tmp, 'account.jsonl').replace(/\//g, '\\')}`;
    expect((await wine.run(['reg', 'add', 'HKLM\\SOFTWARE\\SsprLogon', '/v', 'TestAccountLog', '/t', 'REG_SZ', '/d', accountLog, '/f'])).code).toBe(0);
    const now = Date.now();
    const tenDaysOld = rotatedLogName(now - 10 * DAY);
    const fiveDaysOld = rotatedLogName(now - 5 * DAY);
    writeFileSync(join(logDir, tenDaysOld), '{"time":"old","level":"info","event":"old"}\n');
    writeFileSync(join(logDir, fiveDaysOld), '{"time":"recent","level":"info","event":"recent"}\n');
    writeFileSync(join(logDir, 'notes.txt'), 'an admin’s own file\n');
    const previous = `${JSON.stringify({ time: new Date(now - DAY).toISOString(), level: 'info', event: 'filler', pad: 'x'.repeat(1000) })}\n`;
    writeFileSync(join(logDir, 'sspr-logon.jsonl'), previous.repeat(250));

    const control = `Z:${join(wine.cDrive(INSTALL_DIR), 'SsprLogon.control').replace(/\//g, '\\')}`;
    const run = await wine.run([harness, '--winlogon-desktop', '--clsid', CLSID, '--control', control, '--wait-ms', '60000', 'open:logon', 'click:attempt Alice@Contoso.com']);
    const click = jsonRecords(run.stdout).find((l) => l.step === 'click');
    expect(click, run.stdout + run.stderr).toMatchObject({ changed: true });
    expect((click?.after as Record<string, unknown>).status).toBe('Your password was changed. Sign in with your new password.');

    // What the stand-in saw: the salt arrived on stdin (not on its command line).
    const seen = jsonRecords(readFileSync(join(wine.cDrive(INSTALL_DIR), 'SsprLogon.record.jsonl'), 'utf8'));
    const attempt = seen.find((l) => l.attempt)?.attempt as { correlationId: string; saltLength: number };
    expect(attempt.saltLength).toBe(64);
    const started = seen.find((l) => l.action === 'attempt Alice@Contoso.com') as { commandLine: string; stdoutIsPipe: boolean };
    const salt = readFileSync(join(logDir, 'sspr-logon.salt'), 'utf8').trim();
    expect(salt).toMatch(/^[0-9a-f]{64}$/);
    expect(started.commandLine).not.toContain(salt);
    expect(started.stdoutIsPipe).toBe(true);

    // The shim wrote the contract's file: sspr-logon.jsonl, one record per line, the user as the salted hash.
    const active = jsonRecords(readFileSync(join(logDir, 'sspr-logon.jsonl'), 'utf8'));
    // Every line the C++ writer stored passes the one record schema the readers use.
    const lines = readFileSync(join(logDir, 'sspr-logon.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(parseLogLine(line), line).not.toBeNull();
    const step = active.find((r) => r.event === 'flow.step');
    expect(step).toMatchObject({ level: 'info', correlationId: attempt.correlationId, scenario: 'logon', engine: 'native', step: 'start', outcome: 'ok', user: hashUserId(salt, 'alice@contoso.com') });
    expect(Date.parse(String(step?.time))).toBeGreaterThan(now - 60_000);

    // LogMaxSizeMB from config.json: the old 250 KB active file was rotated to a file named for today.
    const names = readdirSync(logDir).sort();
    const rotatedToday = names.filter((n) => n.startsWith(`sspr-logon.${rotatedLogName(Date.now()).slice(11, 19)}`));
    expect(rotatedToday).toHaveLength(1);
    expect(statSync(join(logDir, rotatedToday[0]!)).size).toBe(previous.length * 250);
    // LogRetentionDays: the policy's 7 days win over the MSI key's 3 and config.json's 30.
    expect(names).not.toContain(tenDaysOld);
    expect(names).toContain(fiveDaysOld);
    expect(names).toContain('notes.txt');

    // The helpdesk: by user (any spelling of the UPN), and by the correlation id the user reads out.
    const byUser = await logs(['--data-dir', dataDir, '--user', 'alice@contoso.com']);
    expect(byUser.code, byUser.stderr).toBe(0);
    const userRecords = jsonRecords(byUser.stdout);
    expect(userRecords.map((r) => r.event)).toEqual(['flow.step', 'app.exit']);
    expect(userRecords.every((r) => r.correlationId === attempt.correlationId)).toBe(true);

    const byId = await logs(['--data-dir', dataDir, '--correlation-id', attempt.correlationId]);
    expect(jsonRecords(byId.stdout).map((r) => r.event)).toEqual(['flow.step', 'app.exit']);

    const someoneElse = await logs(['--data-dir', dataDir, '--user', 'bob@contoso.com']);
    expect(jsonRecords(someoneElse.stdout)).toEqual([]);
  });
});
