/**
 * The browser host: the overlay's renderer served on loopback, with the IPC contract carried as
 * `POST /api/<channel>` instead of Electron IPC. For development, end-to-end tests in real Chromium and
 * `npm start` where Electron is missing. Never shipped in the MSI. Runs on Node 16.17.
 *
 * Each tab is its own overlay: a page, once loaded, asks `POST /session` for a session of its own, and every
 * API call names it. The host keeps one flow (one core) per session, so two tabs never share a user, a code
 * or a submission. The overlay itself has one window and needs none of this. The session's answer carries
 * that session's `app:info` too, so the first screen waits for one round trip, not two.
 *
 * Defences: loopback only; a random per-run token on every API and session call (compared in constant
 * time); the Host header must name this server (DNS rebinding) and a cross-origin Origin is refused; bodies
 * capped; only regular files inside the renderer folder are served (and branding.css, made for the run),
 * with the overlay's CSP. The page itself needs no token, and it carries the first screen
 * (src/main/core/firstScreen.ts): what app:info says about this run (the --user id, the texts, the branding)
 * can be read by any local program that asks. That is acceptable for a development host whose users are the
 * emulator's demo accounts; the overlay's app:// page is reachable only from its own window.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { BRANDING_STYLESHEET, PAGE_AS_BUILT, type PageForRun } from '../core/firstScreen';

export type Dispatch = (channel: unknown, payload: unknown) => Promise<unknown>;

export interface BrowserHostOptions {
  /** Called once per tab (POST /session): the dispatcher of that tab's own flow. */
  newSession: () => Dispatch;
  /** Folder with the built renderer (index.html, app.js, app.css). */
  rendererDir: string;
  /** 0 or omitted: a free port. */
  port?: number;
  /** index.html and branding.css as made for this run (src/main/core/firstScreen.ts); default: as built. */
  page?: PageForRun;
}

export interface BrowserHost {
  /** http://127.0.0.1:<port>/#token=… — the token travels in the fragment, never in a request line. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

export const MAX_BODY_BYTES = 64 * 1024;
/** Tabs kept at once; opening one more forgets the one used longest ago (that tab must be reloaded). */
export const MAX_SESSIONS = 16;

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "frame-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const COMMON_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  // No Cross-Origin-Opener-Policy: it makes Chromium swap renderer processes on the first navigation (about
  // 100 ms here), which the overlay's own app:// window never pays; the page opens no windows and cannot be
  // framed (frame-ancestors, X-Frame-Options), so it protected nothing the token and CSP do not already.
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time: both sides are hashed first so the compare never leaks the token's length either. */
export const tokensMatch = (expected: string, presented: unknown): boolean =>
  typeof presented === 'string' && timingSafeEqual(digest(expected), digest(presented));

const send = (res: ServerResponse, status: number, body: string | Buffer, contentType: string, head = false) => {
  res.writeHead(status, { ...COMMON_HEADERS, 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
};

const sendJson = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');

/** Reads at most MAX_BODY_BYTES; the rest of an over-long body is drained and dropped, then 413. */
const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? '0') > MAX_BODY_BYTES;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(new HttpError(413, 'body too large')) : resolveBody(Buffer.concat(chunks))));
    req.on('error', reject);
  });

export const startBrowserHost = async ({ newSession, rendererDir, port = 0, page = PAGE_AS_BUILT }: BrowserHostOptions): Promise<BrowserHost> => {
  const root = resolve(rendererDir);
  const token = randomBytes(32).toString('base64url');
  // Insertion order is use order: a session is moved to the end each time it is used.
  const sessions = new Map<string, Dispatch>();
  let allowedHosts: string[] = [];
  let allowedOrigins: string[] = [];

  const serveFile = async (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method not allowed');
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      throw new HttpError(400, 'bad path');
    }
    const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    // Refuse anything that could step outside the folder or name something odd, before touching the disk.
    if (/\0|\\|(^|\/)\.\.?(\/|$)|^[a-z]:/i.test(relative)) throw new HttpError(404, 'not found');
    const file = resolve(root, relative);
    if (!file.startsWith(root + sep)) throw new HttpError(404, 'not found');
    const type = CONTENT_TYPES[extname(file).toLowerCase()];
    if (!type) throw new HttpError(404, 'not found');
    // Made, never read, as the overlay's app:// does.
    if (file === resolve(root, BRANDING_STYLESHEET)) return send(res, 200, await page.brandingCss(), type, req.method === 'HEAD');
    const stat = await fs.stat(file).catch(() => null);
    if (!stat || !stat.isFile()) throw new HttpError(404, 'not found');
    const data = await fs.readFile(file);
    const body = file === resolve(root, 'index.html') ? await page.indexPage(data.toString('utf8')) : data;
    send(res, 200, body, type, req.method === 'HEAD');
  };

  /** The checks every call from a page passes: POST, our origin, the run token, a JSON body. */
  const checkCaller = (req: IncomingMessage) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method not allowed');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.includes(origin)) throw new HttpError(403, 'cross-origin request refused');
    if (!tokensMatch(token, req.headers['x-sspr-token'])) throw new HttpError(401, 'token required');
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') throw new HttpError(415, 'application/json required');
  };

  const openSession = async (req: IncomingMessage, res: ServerResponse) => {
    checkCaller(req);
    await readBody(req);
    const id = randomBytes(32).toString('base64url');
    const dispatch = newSession();
    sessions.set(id, dispatch);
    while (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
    // The page's first question rides along with its session. null: the core could not answer, and the page
    // shows "can't start" exactly as it would after a failed app:info call.
    const info = await dispatch('app:info', {}).catch(() => null);
    sendJson(res, 200, { session: id, info });
  };

  const sessionOf = (req: IncomingMessage): Dispatch => {
    const presented = req.headers['x-sspr-session'];
    // The id is 256 random bits: looking it up is not a guessable comparison.
    const dispatch = typeof presented === 'string' ? sessions.get(presented) : undefined;
    if (!dispatch || typeof presented !== 'string') throw new HttpError(401, 'session required');
    sessions.delete(presented);
    sessions.set(presented, dispatch);
    return dispatch;
  };

  const serveApi = async (req: IncomingMessage, res: ServerResponse, channel: string) => {
    checkCaller(req);
    const dispatch = sessionOf(req);
    const body = await readBody(req);
    let payload: unknown;
    try {
      payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'invalid JSON');
    }
    let result: unknown;
    try {
      result = await dispatch(channel, payload);
    } catch {
      // The dispatcher refuses unknown channels and payloads that break the contract.
      throw new HttpError(400, 'request refused');
    }
    sendJson(res, 200, result);
  };

  const server = createServer((req, res) => {
    const handle = async () => {
      const host = (req.headers.host ?? '').toLowerCase();
      if (!allowedHosts.includes(host)) throw new HttpError(403, 'unexpected Host header');
      const pathname = (req.url ?? '/').split('?')[0] ?? '/';
      if (pathname === '/session') await openSession(req, res);
      else if (pathname.startsWith('/api/')) await serveApi(req, res, pathname.slice('/api/'.length));
      else await serveFile(req, res, pathname);
    };
    handle().catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : 'internal error';
      if (!res.headersSent) sendJson(res, status, { error: message });
      else res.destroy();
    });
  });
  // Node 16 has no closeAllConnections(): track sockets so close() does not wait on keep-alive ones.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
  const actualPort = (server.address() as AddressInfo).port;
  allowedHosts = [`127.0.0.1:${actualPort}`, `localhost:${actualPort}`];
  allowedOrigins = allowedHosts.map((h) => `http://${h}`);
  const origin = `http://127.0.0.1:${actualPort}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        for (const socket of sockets) socket.destroy();
      }),
  };
};
