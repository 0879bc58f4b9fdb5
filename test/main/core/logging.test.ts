import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/shared/config';
import type { FlowResult } from '../../../src/shared/ipc';
import { createCore } from '../../../src/main/core/index';
import { parseLaunchArgs } from '../../../src/main/core/launchArgs';
import { createLogger, hashUserId, LOG_FILE_NAME, logSaltFor, pruneLogFiles, readSaltHandshake, redactObject } from '../../../src/main/core/logging';
import { ALICE, fastSleep, startTestEmulator, type EmulatorUnderTest } from './support';

const tempDirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sspr-log-'));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const readLines = (dir: string): string[] => readFileSync(join(dir, LOG_FILE_NAME), 'utf8').split('\n').filter((l) => l.length > 0);

describe('canary run through the real flow', () => {
  let t: EmulatorUnderTest;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(async () => {
    await t.emu.close();
  });

  const CANARY = 'CANARY-P@ss-9x!';

  const runCanary = async (verbose: boolean) => {
    const dir = tempDir();
    t.emu.directory.setPassword(ALICE, 'Blue-Harbor-73');
    const logger = createLogger({ dir, verbose, salt: 'test-salt' });
    const core = createCore({
      config: { ...defaultConfig, Engine: 'native', Authority: t.emu.authority, ClientId: t.emu.clientId, EnableLogging: verbose },
      launch: parseLaunchArgs(['--scenario=logon', `--user=${ALICE}`]).launch,
      ca: t.emu.caPem,
      logger,
      exit: () => undefined,
      sleep: fastSleep,
    });
    const call = (channel: string, payload: unknown = {}) => core.dispatch(channel, payload) as Promise<FlowResult>;
    expect(await call('flow:start', { username: ALICE })).toMatchObject({ ok: true });
    const code = t.emu.latestCode(ALICE)!;
    // A wrong code first: error paths log too.
    expect(await call('flow:submitCode', { code: code.split('').reverse().join('') === code ? '00000001' : code.split('').reverse().join('') })).toMatchObject({ ok: false });
    expect(await call('flow:submitCode', { code })).toMatchObject({ ok: true });
    // A refused password containing the canary, then the canary itself.
    expect(await call('flow:submitPassword', { password: 'canary-p@ss' })).toMatchObject({ ok: false });
    expect(await call('flow:submitPassword', { password: CANARY })).toEqual({ ok: true, view: { step: 'done' } });
    await call('app:exit', { reason: 'done' });
    await logger.close();
    const text = readFileSync(join(dir, LOG_FILE_NAME), 'utf8');
    return { text, code, lines: text.split('\n').filter((l) => l.length > 0) };
  };

  it('leaves no password, code, UPN or recovery e-mail in the log file', async () => {
    const { text, code, lines } = await runCanary(false);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const secret of [CANARY, 'canary-p@ss', code, ALICE, 'alice@fabrikam.com', 'fabrikam']) {
      expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    // Every record is one JSON object in the one schema, sharing the attempt's correlation id.
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const r of records) {
      expect(r.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(typeof r.level).toBe('string');
      expect(typeof r.event).toBe('string');
    }
    const steps = records.filter((r) => r.event === 'flow.step');
    expect(steps.map((r) => r.step)).toEqual(expect.arrayContaining(['start', 'challenge', 'continue', 'submit']));
    const ids = new Set(steps.map((r) => r.correlationId));
    expect(ids.size).toBe(1);
    // The user appears only as the salted hash.
    expect(steps.find((r) => r.step === 'start')?.user).toBe(hashUserId('test-salt', ALICE));
    // The same id went to the service: it is on the emulator's audit records.
    const [id] = [...ids];
    expect(t.emu.audit.some((e) => (e as unknown as { correlationId?: string }).correlationId === id)).toBe(true);
  });

  it('verbose logging shows the UPN but still no password or code, and adds the HTTP exchanges', async () => {
    const { text, code, lines } = await runCanary(true);
    expect(text).toContain(ALICE);
    for (const secret of [CANARY, 'canary-p@ss', code, 'alice@fabrikam.com']) expect(text).not.toContain(secret);
    expect(lines.some((l) => (JSON.parse(l) as { event: string }).event === 'http.exchange')).toBe(true);
  });
});

describe('log injection', () => {
  it('a user id with CR/LF and ANSI escapes gives exactly one escaped line', async () => {
    const dir = tempDir();
    const logger = createLogger({ dir, verbose: true });
    const evil = 'a\r\n2026-01-01 INFO ok user=admin\u001b[2J\u001b[31m\u2028\u0085\u202e';
    logger.info('flow.step', { step: 'start', user: evil, note: evil });
    await logger.close();
    const lines = readLines(dir);
    expect(lines).toHaveLength(1);
    const raw = lines[0]!;
    // No raw control, C1, separator or bidi character survives, not even inside the JSON string.
    // eslint-disable-next-line no-control-regex
    expect(raw).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    const record = JSON.parse(raw) as { user: string; note: string };
    expect(record.user).toBe('a\\r\\n2026-01-01 INFO ok user=admin\\u001b[2J\\u001b[31m\\u2028\\u0085\\u202e');
  });

  it('the event name and field names are escaped too', async () => {
    const dir = tempDir();
    const logger = createLogger({ dir, verbose: false });
    logger.warn('evil\nevent', { 'key\r\nfake': 1 });
    await logger.close();
    expect(readLines(dir)).toHaveLength(1);
  });
});

describe('redaction', () => {
  const opts = { verbose: false, salt: 's' };

  it('drops secret keys at any depth, whatever their spelling', () => {
    const out = redactObject(
      {
        password: 'p1', newPassword: 'p2', new_password: 'p3', confirmPassword: 'p4', code: '12345678', oob: '1', otp: '2',
        token: 't', continuation_token: 'ct', continuationToken: 'ct2', access_token: 'a', refresh_token: 'r', id_token: 'i',
        Authorization: 'Bearer x', cookie: 'c', 'Set-Cookie': 'c2', secret: 's', client_secret: 's2',
        codeLength: 8,
        nested: { deeper: [{ password: 'p5', ok: 'kept' }], headers: { authorization: 'Bearer y' } },
      },
      opts,
    );
    expect(out).toEqual({ codeLength: 8, nested: { deeper: [{ ok: 'kept' }], headers: {} } });
  });

  it('masks e-mail addresses and phone numbers inside strings, but not our ids or timestamps', () => {
    const out = redactObject(
      {
        message: 'sent to bob.smith@fabrikam.com and +1 (425) 555-0100, also 0044 20 7946 0958',
        correlationId: '123e4567-e89b-12d3-a456-426614174000',
        at: '2026-11-25T12:00:00.000Z',
        requestId: '12345678-1234-4234-8234-123456789012',
      },
      opts,
    );
    expect(out.message).toBe('sent to b***@f***.com and ***00, also ***58');
    expect(out.correlationId).toBe('123e4567-e89b-12d3-a456-426614174000');
    expect(out.at).toBe('2026-11-25T12:00:00.000Z');
    expect(out.requestId).toBe('12345678-1234-4234-8234-123456789012');
  });

  it('hashes user ids with the salt unless verbose; caps long strings', () => {
    const quiet = redactObject({ username: 'Alice@Contoso.com', long: 'x'.repeat(5000) }, opts);
    expect(quiet.username).toBe(hashUserId('s', 'alice@contoso.com'));
    expect(quiet.username).not.toBe(hashUserId('other', 'alice@contoso.com'));
    expect(String(quiet.long).length).toBeLessThan(1100);
    expect(redactObject({ username: 'alice@contoso.com' }, { verbose: true, salt: 's' }).username).toBe('alice@contoso.com');
  });

  it('logs errors as name and message, masked', () => {
    const out = redactObject({ error: Object.assign(new Error('no route to alice@contoso.com'), { code: 'EHOSTUNREACH' }) }, opts);
    expect(out.error).toEqual({ name: 'Error', message: 'no route to a***@c***.com', errorCode: 'EHOSTUNREACH' });
  });
});

describe('files', () => {
  it('rotates to time-named files within the LogMaxSizeMB cap, keeping the newest records', async () => {
    const dir = tempDir();
    const logger = createLogger({ dir, verbose: false, maxSizeMB: 1 });
    const filler = 'y'.repeat(900);
    for (let i = 0; i < 3000; i++) logger.info('filler', { i, filler });
    await logger.close();
    const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
    // sspr-logon.jsonl sorts after every sspr-logon.<time>.jsonl.
    expect(files.at(-1)).toBe('sspr-logon.jsonl');
    expect(files.length).toBeGreaterThan(2);
    for (const f of files.slice(0, -1)) expect(f).toMatch(/^sspr-logon\.\d{8}T\d{6}Z\.jsonl$/);
    const total = files.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    expect(total).toBeLessThanOrEqual(1024 * 1024);
    // The last record written is in the active file; the oldest were the ones deleted.
    expect(readLines(dir).at(-1)).toContain('"i":2999');
    const oldest = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8').split('\n')[0]!) as { i: number };
    expect(oldest.i).toBeGreaterThan(0);
  });

  it('keeps one salt per log folder, so the same user hashes the same across runs', async () => {
    const dir = tempDir();
    for (let run = 0; run < 2; run++) {
      const logger = createLogger({ dir, verbose: false });
      logger.info('flow.step', { user: 'alice@contoso.com' });
      await logger.close();
    }
    const users = readLines(dir).map((l) => (JSON.parse(l) as { user: string }).user);
    expect(users).toHaveLength(2);
    expect(users[0]).toBe(users[1]);
    expect(users[0]).toBe(hashUserId(logSaltFor(dir)!, 'alice@contoso.com'));
  });

  it('LogRetentionDays deletes only our own rotated files older than the period, at start', async () => {
    const dir = tempDir();
    const now = Date.now();
    const name = (daysAgo: number): string => {
      const d = new Date(now - daysAgo * 86_400_000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      return `sspr-logon.${d}.jsonl`;
    };
    for (const f of [name(30), name(15), name(13), 'sspr-logon.log', 'overlay.jsonl', 'other.jsonl']) writeFileSync(join(dir, f), '{}\n');
    mkdirSync(join(dir, name(40)));
    const logger = createLogger({ dir, verbose: false, retentionDays: 14 });
    logger.info('overlay.start');
    await logger.close();
    expect(readdirSync(dir).sort()).toEqual([name(40), name(13), 'other.jsonl', 'overlay.jsonl', 'sspr-logon.jsonl', 'sspr-logon.log', 'sspr-logon.salt'].sort());
    expect(pruneLogFiles(dir, { retentionDays: 1, maxSizeMB: 20 })).toEqual([name(13)]);
  });

  it('reads the handshake from file descriptor 0 (what Electron leaves intact on Windows), without waiting for the pipe to close', async () => {
    const salt = 'cd'.repeat(32);
    const tsx = join(__dirname, '../../../node_modules/.bin/tsx');
    const child = spawn(tsx, [join(__dirname, 'fixtures/saltHandshake.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // The shim's end stays open here: the child must still answer and end by itself.
    child.stdin.write(`{"salt":"${salt}"}\n`);
    await new Promise((resolve) => child.on('exit', resolve));
    child.stdin.destroy();
    expect(JSON.parse(out)).toEqual({ salt });

    const none = spawn(tsx, [join(__dirname, 'fixtures/saltHandshake.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let noneOut = '';
    none.stdout.on('data', (d: Buffer) => (noneOut += d.toString()));
    await new Promise((resolve) => none.on('exit', resolve));
    expect(JSON.parse(noneOut)).toEqual({ salt: null });
  }, 60_000);

  it('takes the salt the shim writes on stdin, and falls back when none comes', async () => {
    const salt = 'ab'.repeat(32);
    const chunks = (...parts: (string | null)[]) => () => Promise.resolve(((p) => (p === null || p === undefined ? null : Buffer.from(p)))(parts.shift()));
    await expect(readSaltHandshake(chunks(`{"salt":"${salt.slice(0, 10)}`, `${salt.slice(10)}"}\n`), 1000)).resolves.toBe(salt);
    await expect(readSaltHandshake(() => new Promise<Buffer | null>(() => undefined), 50)).resolves.toBeUndefined();
    await expect(readSaltHandshake(chunks('{"salt":"not hex"}\n'), 1000)).resolves.toBeUndefined();
    await expect(readSaltHandshake(chunks(null), 1000)).resolves.toBeUndefined();
    await expect(readSaltHandshake(chunks('{}\n'), 1000)).resolves.toBeUndefined();
  });

  it('a log folder that cannot be written is reported, never thrown', async () => {
    const dir = tempDir();
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const errors: Error[] = [];
    const logger = createLogger({ dir: join(blocker, 'logs'), verbose: false, onTransportError: (e) => errors.push(e) });
    expect(() => logger.info('still.fine')).not.toThrow();
    await logger.close();
    expect(errors.length).toBeGreaterThan(0);
  });
});
