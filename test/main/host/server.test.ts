import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, MAX_BODY_BYTES, MAX_SESSIONS, startBrowserHost, type BrowserHost } from '../../../src/main/host/server';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http, not fetch: fetch will not send a forged Host header or an un-normalised path. */
const raw = (host: BrowserHost, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }) =>
  new Promise<RawResponse>((resolve, reject) => {
    const url = new URL(host.origin);
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

/** The session of "this tab" in these tests (POST /session, as the renderer does on its first call). */
let session = '';

const openSession = async (host: BrowserHost, headers: Record<string, string> = {}) =>
  raw(host, { method: 'POST', path: '/session', headers: { 'content-type': 'application/json', 'x-sspr-token': host.token, ...headers }, body: '{}' });

const newSessionId = async (host: BrowserHost): Promise<string> => (JSON.parse((await openSession(host)).body) as { session: string }).session;

const api = (host: BrowserHost, channel: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(host, {
    method: 'POST',
    path: `/api/${channel}`,
    headers: { 'content-type': 'application/json', 'x-sspr-token': host.token, 'x-sspr-session': session, ...headers },
    body: JSON.stringify(body),
  });

describe('browser host', () => {
  let dir: string;
  let rendererDir: string;
  let host: BrowserHost;
  const calls: { channel: unknown; payload: unknown }[] = [];
  /** Which session's dispatcher answered each call (1 = the first session opened). */
  const answeredBy: number[] = [];
  let sessionsMade = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sspr-host-'));
    rendererDir = join(dir, 'renderer');
    mkdirSync(join(rendererDir, 'sub'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>overlay</title>');
    writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
    writeFileSync(join(rendererDir, 'sub', 'note.css'), 'body{}');
    writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET');
    writeFileSync(join(dir, 'secret.js'), 'TOP-SECRET-JS');
    host = await startBrowserHost({
      rendererDir,
      newSession: () => {
        const n = ++sessionsMade;
        return async (channel, payload) => {
          answeredBy.push(n);
          calls.push({ channel, payload });
          if (channel === 'boom') throw new Error('invalid request');
          return { ok: true, echo: payload };
        };
      },
    });
    session = await newSessionId(host);
  });
  afterAll(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    calls.length = 0;
    answeredBy.length = 0;
  });

  it('listens on loopback and puts a 32-byte token in the URL fragment only', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`);
    expect(Buffer.from(host.token, 'base64url')).toHaveLength(32);
  });

  it('serves the renderer with the overlay CSP and the right content types', async () => {
    const index = await raw(host, { path: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.body).toContain('<title>overlay</title>');
    const js = await raw(host, { path: '/app.js?v=1' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await raw(host, { path: '/sub/note.css' })).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('refuses directory listings, unknown files and path traversal', async () => {
    for (const path of ['/sub/', '/sub', '/nope.js', '/../secret.txt', '/../secret.js', '/%2e%2e/secret.js', '/..%2fsecret.js', '/%2e%2e%5csecret.js', '/sub/..%2f..%2fsecret.js', '/%00index.html', '/%E0%A4%A']) {
      const res = await raw(host, { path });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.body, path).not.toContain('TOP-SECRET');
    }
  });

  it('answers 401 to an API call without the token or with a wrong one, and never dispatches it', async () => {
    const none = await raw(host, { method: 'POST', path: '/api/app:info', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    const wrong = await api(host, 'app:info', {}, { 'x-sspr-token': host.token.slice(0, -1) + (host.token.endsWith('A') ? 'B' : 'A') });
    expect(wrong.status).toBe(401);
    const empty = await api(host, 'app:info', {}, { 'x-sspr-token': '' });
    expect(empty.status).toBe(401);
    expect(calls).toHaveLength(0);
  });

  it('dispatches a token-bearing call and returns the result as JSON', async () => {
    const res = await api(host, 'flow:start', { username: 'alice@contoso.com' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body)).toEqual({ ok: true, echo: { username: 'alice@contoso.com' } });
    expect(calls).toEqual([{ channel: 'flow:start', payload: { username: 'alice@contoso.com' } }]);
  });

  it('refuses a foreign Host header (DNS rebinding) for pages and API calls', async () => {
    const port = new URL(host.origin).port;
    for (const forged of [`evil.example:${port}`, 'attacker.test', `127.0.0.1:${Number(port) + 1}`]) {
      expect((await raw(host, { path: '/', headers: { host: forged } })).status).toBe(403);
      expect((await api(host, 'app:info', {}, { host: forged })).status).toBe(403);
    }
    expect((await api(host, 'app:info', {}, { host: `localhost:${port}` })).status).toBe(200);
    expect(calls).toHaveLength(1);
  });

  it('refuses a cross-origin Origin but accepts its own', async () => {
    expect((await api(host, 'app:info', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api(host, 'app:info', {}, { origin: 'null' })).status).toBe(403);
    expect((await api(host, 'app:info', {}, { origin: host.origin })).status).toBe(200);
    expect(calls).toHaveLength(1);
  });

  it('answers 413 to an oversize body without dispatching it', async () => {
    const big = JSON.stringify({ username: 'a'.repeat(MAX_BODY_BYTES + 10) });
    const res = await raw(host, {
      method: 'POST',
      path: '/api/flow:start',
      headers: { 'content-type': 'application/json', 'x-sspr-token': host.token, 'x-sspr-session': session },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(calls).toHaveLength(0);
  });

  it('refuses non-JSON bodies, other content types, other methods and dispatcher refusals', async () => {
    const headers = { 'content-type': 'application/json', 'x-sspr-token': host.token, 'x-sspr-session': session };
    expect((await raw(host, { method: 'POST', path: '/api/app:info', headers, body: '{not json' })).status).toBe(400);
    expect((await raw(host, { method: 'POST', path: '/api/app:info', headers: { ...headers, 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await raw(host, { method: 'GET', path: '/api/app:info', headers })).status).toBe(405);
    expect((await raw(host, { method: 'POST', path: '/index.html', headers, body: '{}' })).status).toBe(405);
    expect((await api(host, 'boom', {})).status).toBe(400);
  });

  it('gives each tab a session of its own, only to a caller with the run token', async () => {
    expect((await openSession(host, { 'x-sspr-token': '' })).status).toBe(401);
    expect((await openSession(host, { origin: 'http://evil.example' })).status).toBe(403);
    const [a, b] = [await newSessionId(host), await newSessionId(host)];
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(a).not.toBe(session);
    // Opening a session asked that session's own dispatcher for app:info (the page's first question).
    expect(calls.map((c) => c.channel)).toEqual(['app:info', 'app:info']);
    expect(answeredBy[0]).not.toBe(answeredBy[1]);
    answeredBy.length = 0;
    // Each session's calls reach its own dispatcher (its own flow), and only that one.
    await api(host, 'flow:start', { username: 'a@contoso.com' }, { 'x-sspr-session': a });
    await api(host, 'flow:start', { username: 'b@contoso.com' }, { 'x-sspr-session': b });
    await api(host, 'app:info', {}, { 'x-sspr-session': a });
    const [first, second, third] = answeredBy;
    expect(first).not.toBe(second);
    expect(third).toBe(first);
  });

  it("answers a new session with that session's app:info, so the page's first screen costs one round trip", async () => {
    const answer = JSON.parse((await openSession(host)).body) as { session: string; info: unknown };
    expect(answer.info).toEqual({ ok: true, echo: {} });
    expect(calls).toEqual([{ channel: 'app:info', payload: {} }]);
  });

  it('still gives a session when the core cannot answer app:info, with info null (the page shows "can\'t start")', async () => {
    const failing = await startBrowserHost({
      rendererDir,
      newSession: () => async () => {
        throw new Error('core not ready');
      },
    });
    try {
      const res = await raw(failing, { method: 'POST', path: '/session', headers: { 'content-type': 'application/json', 'x-sspr-token': failing.token }, body: '{}' });
      expect(res.status).toBe(200);
      const answer = JSON.parse(res.body) as { session: string; info: unknown };
      expect(typeof answer.session).toBe('string');
      expect(answer.info).toBeNull();
    } finally {
      await failing.close();
    }
  });

  it('answers 401 to an API call without a session or with one it never gave, and never dispatches it', async () => {
    expect((await api(host, 'app:info', {}, { 'x-sspr-session': '' })).status).toBe(401);
    expect((await api(host, 'app:info', {}, { 'x-sspr-session': 'made-up' })).status).toBe(401);
    const noSession = await raw(host, { method: 'POST', path: '/api/app:info', headers: { 'content-type': 'application/json', 'x-sspr-token': host.token }, body: '{}' });
    expect(noSession.status).toBe(401);
    expect(calls).toHaveLength(0);
  });

  it(`keeps at most ${MAX_SESSIONS} tabs: opening one more forgets the one used longest ago`, async () => {
    const extra = await startBrowserHost({ rendererDir, newSession: () => async () => ({ ok: true }) });
    try {
      const ids: string[] = [];
      for (let i = 0; i < MAX_SESSIONS; i++) ids.push(await newSessionId(extra));
      // Using the first one makes the second the longest unused.
      expect((await api(extra, 'app:info', {}, { 'x-sspr-session': ids[0]! })).status).toBe(200);
      await newSessionId(extra);
      expect((await api(extra, 'app:info', {}, { 'x-sspr-session': ids[1]! })).status).toBe(401);
      expect((await api(extra, 'app:info', {}, { 'x-sspr-session': ids[0]! })).status).toBe(200);
      expect((await api(extra, 'app:info', {}, { 'x-sspr-session': ids[2]! })).status).toBe(200);
    } finally {
      await extra.close();
    }
  });

  it('closes even with a keep-alive connection open', async () => {
    const extra = await startBrowserHost({ rendererDir, newSession: () => async () => ({}) });
    const url = new URL(extra.origin);
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: Number(url.port), path: '/', headers: { host: url.host, connection: 'keep-alive' } }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
    await extra.close();
  });
});
