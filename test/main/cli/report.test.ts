/**
 * `report` opened in real Chromium (playwright-core, /usr/bin/chromium): the page renders its charts,
 * timeline and attempt table from the records of the chosen range, makes no request beyond its own file,
 * and shows hostile values from a log file as text.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/main/cli/io';
import { runCli } from '../../../src/main/cli/run';
import { hashUserId } from '../../../src/main/core/logging';
import { launchBrowser } from '../../e2e/support';

const SALT = 'b'.repeat(64);
const work = mkdtempSync(join(tmpdir(), 'sspr-report-'));
const dataDir = join(work, 'data');
const alice = hashUserId(SALT, 'alice@contoso.com');
const carol = hashUserId(SALT, 'carol@contoso.com');
const HOSTILE = '<img src=x onerror="document.title=1"><script>document.title=2</script>';

const step = (time: string, level: string, correlationId: string, user: string, s: string, outcome: string, errorCode?: string) =>
  JSON.stringify({ time, level, event: 'flow.step', correlationId, scenario: 'logon', engine: 'native', step: s, outcome, ...(errorCode ? { errorCode } : {}), user, durationMs: 120 });

let browser: Browser;
beforeAll(async () => {
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  writeFileSync(join(dataDir, 'logs', 'sspr-logon.salt'), SALT);
  const lines = [
    step('2026-11-24T23:00:00.000Z', 'warn', 'old-1', carol, 'start', 'not_enabled', 'not_enabled'), // before the range
    step('2026-11-25T08:00:00.000Z', 'info', 'a-1', alice, 'start', 'ok'),
    step('2026-11-25T08:00:01.000Z', 'info', 'a-1', alice, 'challenge', 'ok'),
    step('2026-11-25T08:01:00.000Z', 'warn', 'a-1', alice, 'continue', 'invalid_oob_value', 'code_incorrect'),
    step('2026-11-25T08:01:30.000Z', 'info', 'a-1', alice, 'continue', 'ok'),
    step('2026-11-25T08:02:00.000Z', 'info', 'a-1', alice, 'submit', 'succeeded'),
    step('2026-11-25T09:00:00.000Z', 'warn', 'c-1', carol, 'start', 'not_enabled', 'not_enabled'),
    step('2026-11-25T10:00:00.000Z', 'info', 'u-1', alice, 'start', 'ok'),
    step('2026-11-25T11:00:00.000Z', 'warn', `x-1${HOSTILE}`, HOSTILE, 'start', HOSTILE, HOSTILE),
    'garbage line',
  ];
  writeFileSync(join(dataDir, 'logs', 'sspr-logon.jsonl'), `${lines.join('\n')}\n`);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

const run = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, platform: 'linux', now: () => Date.parse('2026-11-26T07:00:00Z') };
  const code = await runCli(['report', ...args], io);
  return { code, out, err };
};

describe('report', () => {
  it('renders a self-contained page in Chromium for the range, with no request beyond its own file', async () => {
    const file = join(work, 'report.html');
    const r = await run(['--data-dir', dataDir, '--since', '2026-11-25T00:00:00Z', '--until=2026-11-25T23:59:59Z', '--out', file]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('report: 4 attempt(s) from 8 record(s) in 1 file(s); 1 unreadable line(s) skipped');

    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(file).href);
    expect(requests).toEqual([pathToFileURL(file).href]);

    const bars = await page.$$eval('#outcomes .bar', (gs) => gs.map((g) => [g.getAttribute('data-label'), Number(g.getAttribute('data-count'))]));
    expect(bars).toEqual([
      ['Password changed', 1],
      ['Ended with an error', 2],
      ['Left unfinished', 1],
    ]);
    const codes = Object.fromEntries(await page.$$eval('#error-codes .bar', (gs) => gs.map((g) => [g.getAttribute('data-label'), Number(g.getAttribute('data-count'))])));
    expect(codes).toEqual({ code_incorrect: 1, not_enabled: 1, [HOSTILE]: 1 });
    expect(await page.locator('#timeline circle.attempt').count()).toBe(4);
    expect(await page.locator('#timeline circle.succeeded').count()).toBe(1);
    const rows = await page.$$eval('#attempts tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((cells) => cells[4])).toEqual(['Password changed', 'Ended with an error', 'Left unfinished', 'Ended with an error']);
    expect(rows[0]![6]).toBe('start: ok → challenge: ok → continue: invalid_oob_value (code_incorrect) → continue: ok → submit: succeeded');
    expect(rows[1]).toEqual([ '2026-11-25T09:00:00.000Z', carol, 'logon', 'native', 'Ended with an error', 'not_enabled', 'start: not_enabled', 'c-1']);
    // Hostile values are text: no element, no script ran, nothing older than the range.
    expect(rows[3]![1]).toBe(HOSTILE);
    expect(await page.locator('img, script, iframe, object, embed, link').count()).toBe(0);
    expect(await page.title()).toBe('SSPR Logon — password reset attempts');
    expect(rows.some((cells) => cells[7] === 'old-1')).toBe(false);
    await page.close();
  });

  it('one user\'s attempts; the HTML goes to stdout without --out and forbids loading anything', async () => {
    const r = await run(['--data-dir', dataDir, '--user', 'alice@contoso.com']);
    expect(r.code).toBe(0);
    const html = r.out.join('\n');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|https?:\/\//i);
    expect(html).toContain('2 attempt(s)');
    expect(html).not.toContain(carol);
  });

  it('refuses a bad range and unknown options', async () => {
    expect((await run(['--data-dir', dataDir, '--since', 'monday'])).code).toBe(2);
    const r = await run(['--data-dir', dataDir, '--format', 'pdf']);
    expect([r.code, r.err[0]]).toEqual([2, 'report: unknown option "--format"']);
    expect(readFileSync(join(dataDir, 'logs', 'sspr-logon.jsonl'), 'utf8')).toContain('garbage line');
  });
});
