/**
 * `logs` as the helpdesk uses it: real attempts against the emulator are logged by the real logger into a
 * data folder's logs\ subfolder, then found by user (through the folder's salt) and by correlation id.
 * Hand-written files in the contract's names cover ordering, filters, formats, bad lines and --follow.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/main/cli/io';
import { runCli } from '../../../src/main/cli/run';
import { createCore } from '../../../src/main/core/index';
import { parseLaunchArgs } from '../../../src/main/core/launchArgs';
import { createLogger, hashUserId } from '../../../src/main/core/logging';
import { defaultConfig } from '../../../src/shared/config';
import type { FlowResult } from '../../../src/shared/ipc';
import { isFailedStep, levelRank, parseLogLine } from '../../../src/shared/logRecord';
import { fastSleep, NEW_PASSWORD, startTestEmulator, type EmulatorUnderTest } from '../core/support';
import { captureIo, scratchFolders } from './support';

const tempDir = scratchFolders('sspr-logs-');

const runLogs = async (args: string[], extra: Partial<CliIo> = {}) => {
  const c = captureIo(extra);
  const code = await runCli(['logs', ...args], c.io);
  return { code, out: c.out, err: c.err };
};

let t: EmulatorUnderTest;
afterAll(async () => {
  await t?.emu.close();
});

describe('logs after real attempts (emulator, real logger, data folder)', () => {
  let dataDir: string;
  let aliceId: string;
  let carolId: string;

  beforeAll(async () => {
    t = await startTestEmulator();
    dataDir = tempDir();
    const logger = createLogger({ dir: join(dataDir, 'logs'), verbose: false });
    const core = createCore({
      config: { ...defaultConfig, Engine: 'native', Authority: t.emu.authority, ClientId: t.emu.clientId },
      launch: parseLaunchArgs(['--scenario=unlock']).launch,
      ca: t.emu.caPem,
      logger,
      exit: () => undefined,
      sleep: fastSleep,
    });
    const carol = (await core.dispatch('flow:start', { username: 'carol@contoso.com' })) as FlowResult;
    if (carol.ok || !carol.error.correlationId) throw new Error('expected not_enabled with a correlation id');
    carolId = carol.error.correlationId;
    await core.dispatch('flow:start', { username: 'nobody@contoso.com' });
    await core.dispatch('flow:start', { username: 'alice@contoso.com' });
    const right = t.emu.latestCode('alice@contoso.com')!;
    const wrong = right.replace(/.$/, (d) => String((Number(d) + 1) % 10));
    await core.dispatch('flow:submitCode', { code: wrong }); // a wrong code first
    await core.dispatch('flow:submitCode', { code: right });
    const done = (await core.dispatch('flow:submitPassword', { password: NEW_PASSWORD })) as FlowResult;
    if (!done.ok) throw new Error(`reset failed: ${done.error.code}`);
    await logger.close();
    const lines = logLines(dataDir);
    aliceId = lines.find((r) => r.step === 'submit' && r.outcome === 'succeeded')!.correlationId!;
  });

  const logLines = (dir: string) =>
    readdirSync(join(dir, 'logs'))
      .filter((n) => !n.endsWith('.salt'))
      .flatMap((n) => readFileSync(join(dir, 'logs', n), 'utf8').split('\n'))
      .filter((l) => l.trim() !== '')
      .map((l) => parseLogLine(l)!);

  it('every step record is in the schema and carries correlation id, scenario, engine, step, outcome, timings and the hashed user', () => {
    const steps = logLines(dataDir).filter((r) => r.event === 'flow.step');
    expect(steps.length).toBeGreaterThanOrEqual(7);
    for (const r of steps) {
      expect(r).toMatchObject({ scenario: 'unlock', engine: 'native', step: expect.any(String), outcome: expect.any(String), attemptMs: expect.any(Number) });
      expect(r.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.user).toMatch(/^h:[0-9a-f]{16}$/);
      if (r.endpoint !== undefined) expect(r.durationMs).toEqual(expect.any(Number));
    }
    const raw = readdirSync(join(dataDir, 'logs')).map((n) => readFileSync(join(dataDir, 'logs', n), 'utf8')).join('');
    expect(raw).not.toMatch(/alice@contoso\.com|carol@contoso\.com|nobody@contoso\.com/);
  });

  it('failures, failed starts included, are logged at warn or above with an error code', () => {
    const failed = logLines(dataDir).filter(isFailedStep);
    expect(failed.map((r) => r.errorCode).sort()).toEqual(['code_incorrect', 'not_enabled', 'user_not_found']);
    for (const r of failed) expect(levelRank(r.level)).toBeGreaterThanOrEqual(levelRank('warn'));
  });

  it('--user finds a failed start (Carol, not enabled) through the folder salt, case-insensitively', async () => {
    const { code, out, err } = await runLogs(['--data-dir', dataDir, '--user', 'Carol@Contoso.com', '--format', 'json']);
    expect(code).toBe(0);
    const records = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toEqual([expect.objectContaining({ correlationId: carolId, step: 'start', errorCode: 'not_enabled', level: 'warn' })]);
    expect(err.join('\n')).toMatch(/^1 record\(s\) from 1 file\(s\)$/m);
  });

  it('--user lists every step of Alice\'s successful reset, and nothing of anyone else', async () => {
    const { out } = await runLogs([`--dir=${dataDir}`, '--user=alice@contoso.com', '--format=json']);
    const records = out.map((l) => JSON.parse(l) as { correlationId: string; step: string; outcome: string });
    expect(new Set(records.map((r) => r.correlationId))).toEqual(new Set([aliceId]));
    expect(records.map((r) => `${r.step}:${r.outcome}`)).toEqual(['start:ok', 'challenge:ok', 'continue:invalid_oob_value', 'continue:ok', 'submit:succeeded']);
  });

  it('--correlation-id (as read off the screen, upper case) prints that attempt only; the table is the default', async () => {
    const { code, out } = await runLogs(['--data-dir', dataDir, '--correlation-id', carolId.toUpperCase()]);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^time +level +event +step +outcome +errorCode +ms +user +correlationId$/);
    expect(out.slice(1)).toHaveLength(1);
    expect(out[1]).toMatch(new RegExp(`warn +flow\\.step +start +not_enabled +not_enabled +\\d+ +h:[0-9a-f]{16} +${carolId}`));
  });

  it('--level warn lists exactly the failures', async () => {
    const { out } = await runLogs(['--data-dir', dataDir, '--level', 'warn', '--format', 'json']);
    expect(out.map((l) => (JSON.parse(l) as { errorCode: string }).errorCode).sort()).toEqual(['code_incorrect', 'not_enabled', 'user_not_found']);
  });

  it('--user without the salt file says what is missing and how to go on, instead of finding nothing', async () => {
    const copy = tempDir();
    mkdirSync(join(copy, 'logs'));
    for (const n of readdirSync(join(dataDir, 'logs')).filter((n) => !n.endsWith('.salt'))) {
      writeFileSync(join(copy, 'logs', n), readFileSync(join(dataDir, 'logs', n)));
    }
    const { code, err } = await runLogs(['--data-dir', copy, '--user', 'alice@contoso.com']);
    expect(code).toBe(2);
    expect(err[0]).toMatch(/--user needs the folder's salt.*sspr-logon\.salt is missing.*--correlation-id/);
  });
});

// ------------------------------------------------------------------------------------------ hand-written folders

const SALT = 'a'.repeat(64);
const rec = (time: string, level: string, event: string, fields: Record<string, unknown> = {}) => JSON.stringify({ time, level, event, ...fields });

const makeFolder = (files: Record<string, string[]>, mtimes: Record<string, number> = {}): string => {
  const dataDir = tempDir();
  const logs = join(dataDir, 'logs');
  mkdirSync(logs);
  writeFileSync(join(logs, 'sspr-logon.salt'), SALT);
  for (const [name, lines] of Object.entries(files)) {
    writeFileSync(join(logs, name), lines.map((l) => `${l}\n`).join(''));
    const m = mtimes[name];
    if (m !== undefined) utimesSync(join(logs, name), m, m);
  }
  return dataDir;
};

describe('logs over a folder in the contract\'s names', () => {
  const dave = hashUserId(SALT, 'dave@contoso.com');
  const folder = () =>
    makeFolder(
      {
        'sspr-logon.20261125T080000Z.jsonl': [rec('2026-11-25T07:59:00.000Z', 'info', 'overlay.start'), rec('2026-11-25T07:59:30.000Z', 'warn', 'flow.step', { correlationId: 'c1', user: dave, step: 'start', outcome: 'user_not_found', errorCode: 'user_not_found' })],
        'sspr-logon.jsonl': [rec('2026-11-25T09:00:00.000Z', 'info', 'flow.step', { correlationId: 'c2', user: dave, step: 'start', outcome: 'ok' }), 'not json {', rec('2026-11-25T09:01:00.000Z', 'error', 'flow.internal_error', { correlationId: 'c2', user: dave })],
        'sspr-logon1.log': [rec('2026-11-24T10:00:00.000Z', 'info', 'flow.step', { correlationId: 'c0', user: dave, step: 'start', outcome: 'ok' })],
        'overlay.jsonl': [rec('2026-11-24T12:00:00.000Z', 'info', 'overlay.exit', { correlationId: 'c0b' })],
        'notes.txt': [rec('2026-11-25T09:00:00.000Z', 'error', 'not.a.log')],
      },
      { 'sspr-logon1.log': Date.parse('2026-11-24T10:00:00Z') / 1000, 'overlay.jsonl': Date.parse('2026-11-24T12:00:00Z') / 1000, 'sspr-logon.20261125T080000Z.jsonl': Date.parse('2026-11-25T08:00:00Z') / 1000 },
    );

  it('reads the rotated, active and older files oldest first, skips other files, and counts bad lines', async () => {
    const { code, out, err } = await runLogs(['--data-dir', folder(), '--format', 'json']);
    expect(code).toBe(0);
    expect(out.map((l) => (JSON.parse(l) as { time: string }).time)).toEqual([
      '2026-11-24T10:00:00.000Z',
      '2026-11-24T12:00:00.000Z',
      '2026-11-25T07:59:00.000Z',
      '2026-11-25T07:59:30.000Z',
      '2026-11-25T09:00:00.000Z',
      '2026-11-25T09:01:00.000Z',
    ]);
    expect(err.join('\n')).toContain('6 record(s) from 4 file(s); 1 unreadable line(s) skipped');
  });

  it('--since/--until, --event and --level combine', async () => {
    const dir = folder();
    const times = async (args: string[]) => (await runLogs(['--data-dir', dir, '--format', 'json', ...args])).out.map((l) => (JSON.parse(l) as { time: string }).time);
    expect(await times(['--since', '2026-11-25T00:00:00Z', '--until=2026-11-25T09:00:00Z'])).toEqual(['2026-11-25T07:59:00.000Z', '2026-11-25T07:59:30.000Z', '2026-11-25T09:00:00.000Z']);
    expect(await times(['--event', 'flow.', '--level', 'warn'])).toEqual(['2026-11-25T07:59:30.000Z', '2026-11-25T09:01:00.000Z']);
    expect(await times(['--user', 'DAVE@contoso.com', '--since', '2026-11-25T09:00:00Z'])).toEqual(['2026-11-25T09:00:00.000Z', '2026-11-25T09:01:00.000Z']);
  });

  it('takes the logs folder itself when pointed at it', async () => {
    const dir = folder();
    const { out } = await runLogs(['--data-dir', join(dir, 'logs'), '--correlation-id', 'c1', '--format', 'json']);
    expect(out).toHaveLength(1);
  });

  it('refuses unknown options, bad values and a missing folder with a clear message; --help on every command', async () => {
    const dir = folder();
    let r = await runLogs(['--data-dir', dir, '--usr', 'x']);
    expect(r.code).toBe(2);
    expect(r.err[0]).toBe('logs: unknown option "--usr"');
    r = await runLogs(['--data-dir', dir, '--since', 'yesterday']);
    expect([r.code, r.err[0]]).toEqual([2, 'logs: --since takes an ISO time, e.g. 2026-11-25T09:00:00Z (got "yesterday")']);
    r = await runLogs(['--data-dir', dir, '--level', 'loud']);
    expect([r.code, r.err[0]]).toEqual([2, 'logs: --level is one of debug, info, warn, error']);
    r = await runLogs(['--data-dir', dir, '--format', 'xml']);
    expect([r.code, r.err[0]]).toEqual([2, 'logs: --format is one of table, json, csv']);
    r = await runLogs(['--data-dir']);
    expect([r.code, r.err[0]]).toEqual([2, 'logs: --data-dir needs a value']);
    r = await runLogs([]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/--data-dir <folder> is needed/);
    const empty = tempDir();
    mkdirSync(join(empty, 'logs'));
    r = await runLogs(['--data-dir', empty]);
    expect([r.code, r.err[0]]).toEqual([1, `logs: no log files (sspr-logon*.jsonl) in ${join(empty, 'logs')}`]);
    r = await runLogs(['--data-dir', join(dir, 'nope')]);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/cannot read .*nope.*ENOENT/);
    for (const command of ['logs', 'doctor', 'audit', 'report']) {
      const c = captureIo();
      expect(await runCli([command, '--help'], c.io)).toBe(0);
      expect(c.out.join('\n')).toMatch(new RegExp(`^${command} `));
    }
    const top = captureIo();
    expect(await runCli(['--help'], top.io)).toBe(0);
    expect(top.out.join('\n')).toMatch(/doctor[\s\S]*logs[\s\S]*report[\s\S]*audit/);
  });

  it('--progress reports each file on stderr; the records still go to stdout', async () => {
    const { out, err } = await runLogs(['--data-dir', folder(), '--progress', '--format', 'json']);
    expect(out).toHaveLength(6);
    expect(err.filter((l) => /^logs: reading sspr-logon.*of .* MB\)$/.test(l)).length).toBe(3);
  });
});

describe('logs over files larger than one read', () => {
  it('finds every wanted line across read boundaries and skips a line too long to be a record', async () => {
    const wanted = hashUserId(SALT, 'erin@contoso.com');
    const other = hashUserId(SALT, 'frank@contoso.com');
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      lines.push(rec(new Date(Date.parse('2026-11-25T00:00:00Z') + i * 1000).toISOString(), 'info', 'flow.step', { correlationId: `c${i}`, user: i % 997 === 0 ? wanted : other, pad: 'x'.repeat(i % 300) }));
      if (i === 30_000) lines.push(`{"junk":"${'y'.repeat(5 * 1024 * 1024)}"}`);
    }
    const dir = makeFolder({ 'sspr-logon.jsonl': lines });
    const expected = Array.from({ length: 60_000 }, (_, i) => i).filter((i) => i % 997 === 0).map((i) => `c${i}`);
    const byUser = await runLogs(['--data-dir', dir, '--user', 'erin@contoso.com', '--format', 'json']);
    expect(byUser.out.map((l) => (JSON.parse(l) as { correlationId: string }).correlationId)).toEqual(expected);
    const all = await runLogs(['--data-dir', dir, '--format', 'json', '--event', 'flow.step']);
    expect(all.out).toHaveLength(60_000);
    expect(all.err.join('\n')).toContain('60000 record(s) from 1 file(s); 1 unreadable line(s) skipped');
  });
});

describe('logs output is safe to look at', () => {
  const hostile = () =>
    makeFolder({
      'sspr-logon.jsonl': [
        rec('2026-11-25T09:00:00.000Z', 'warn', 'flow.step', { correlationId: 'x1', step: '=HYPERLINK("http://evil")', outcome: '+1', errorCode: '-2', note: '@SUM(A1)' }),
        rec('2026-11-25T09:00:01.000Z', 'warn', 'flow.step', { correlationId: 'x2', step: '\u001b[2J\u009b31mred', outcome: 'a,"b"\nc' }),
      ],
    });

  it('CSV: formula-looking cells get a leading quote, quotes and newlines are quoted', async () => {
    const { out } = await runLogs(['--data-dir', hostile(), '--format', 'csv']);
    expect(out[0]).toBe('time,level,event,correlationId,scenario,engine,step,outcome,errorCode,durationMs,user,fields');
    expect(out[1]).toBe(`2026-11-25T09:00:00.000Z,warn,flow.step,x1,,,"'=HYPERLINK(""http://evil"")",'+1,'-2,,,"{""note"":""@SUM(A1)""}"`);
    expect(out[2]).toContain(`"a,""b""\nc"`);
  });

  it('table and JSON never pass terminal control characters through', async () => {
    const dir = hostile();
    const table = (await runLogs(['--data-dir', dir])).out.join('\n');
    const json = (await runLogs(['--data-dir', dir, '--format', 'json'])).out.join('\n');
    for (const text of [table, json]) {
      // eslint-disable-next-line no-control-regex
      expect(text).not.toMatch(/[\u001b\u009b]/);
      expect(text).toContain('\\u001b[2J\\u009b31mred');
    }
    expect(JSON.parse((await runLogs(['--data-dir', dir, '--format', 'json'])).out[1]!)).toMatchObject({ step: '\u001b[2J\u009b31mred' });
  });
});

describe('logs --follow', () => {
  it('prints records appended to the active file (and after a rotation) until stopped', async () => {
    const dir = makeFolder({ 'sspr-logon.jsonl': [rec('2026-11-25T09:00:00.000Z', 'info', 'overlay.start')] });
    const active = join(dir, 'logs', 'sspr-logon.jsonl');
    const stop = new AbortController();
    const c = captureIo({ signal: stop.signal });
    const run = runCli(['logs', '--data-dir', dir, '--follow', '--format', 'json', '--level', 'warn'], c.io);
    const waitFor = async (n: number) => {
      for (let i = 0; i < 100 && c.out.length < n; i++) await new Promise((r) => setTimeout(r, 50));
    };
    await waitFor(0);
    appendFileSync(active, `${rec('2026-11-25T09:00:01.000Z', 'info', 'quiet')}\n${rec('2026-11-25T09:00:02.000Z', 'warn', 'first')}\n{"time":"2026-11-25T09:00:03.000Z","lev`);
    await waitFor(1);
    expect(c.out.map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['first']);
    // The half-written line is completed, then the file is rotated away and a new one started.
    appendFileSync(active, `el":"error","event":"second"}\n`);
    await waitFor(2);
    rmSync(active);
    writeFileSync(active, `${rec('2026-11-25T09:00:04.000Z', 'error', 'third')}\n`);
    await waitFor(3);
    stop.abort();
    expect(await run).toBe(0);
    expect(c.out.map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['first', 'second', 'third']);
  });
});
