/**
 * HTTP plumbing: TLS 1.2+ listener on 127.0.0.1, routing, form parsing, the error envelope, the per-IP rate
 * limit and fault injection. The protocol itself lives in resetFlow.ts.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { AuditLog } from './audit';
import type { Clock } from './clock';
import { AADSTS, ApiError, errorEnvelope } from './errors';
import type { Fault, FaultQueue } from './faults';
import type { FlowBody, FlowRequest, OutboxEntry, ResetService, TenantInfo } from './resetFlow';
import type { OAuthService } from './oauth';
import type { Throttle } from './throttle';

export type Endpoint = 'start' | 'challenge' | 'continue' | 'submit' | 'poll_completion' | 'token' | 'devicecode';

export interface RouteContext {
  correlationId: string;
  /** The caller's valid client-request-id, echoed back when present. */
  givenId: string | undefined;
  send(res: ServerResponse, status: number, body: unknown, correlationId?: string, headers?: Record<string, string>): number;
  /** The body as text, or null when it exceeds the limit. */
  readBody(req: IncomingMessage): Promise<string | null>;
}

/** A route owned by its own module (discovery, device login, Graph): undefined when the request is not its. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL, ctx: RouteContext) => Promise<number | 'dropped' | undefined>;

export interface ServerDeps {
  clock: Clock;
  service: ResetService;
  throttle: Throttle;
  faults: FaultQueue;
  audit: AuditLog;
  outbox: OutboxEntry[];
  tenant: TenantInfo;
  tls: { certPem: string; keyPem: string };
  /** Client credentials and device code at the token endpoint, and the devicecode endpoint (oauth.ts). */
  oauth?: OAuthService;
  /** Routes outside the native-auth form pipeline, tried in order before it. */
  routes?: RouteHandler[];
  /** Called once per request with a one-line summary (never a body), when the caller asked for it. */
  log?: (line: string) => void;
}

const MAX_BODY = 64 * 1024;
const SSPR_ROUTE = /^\/([^/]+)\/resetpassword\/v1\.0\/(start|challenge|continue|submit|poll_completion)$/;
const TOKEN_ROUTE = /^\/([^/]+)\/oauth2\/v2\.0\/(token|devicecode)$/;
const CORRELATION_ID = /^[A-Za-z0-9-]{1,64}$/;

const handlersFor = (s: ResetService, oauth: OAuthService | undefined): Record<Endpoint, (r: FlowRequest) => FlowBody> => ({
  start: (r) => s.start(r),
  challenge: (r) => s.challenge(r),
  continue: (r) => s.continue(r),
  submit: (r) => s.submit(r),
  poll_completion: (r) => s.pollCompletion(r),
  // One token endpoint, as in Entra: the grant type decides who answers.
  token: (r) => (oauth?.owns(r.form) ? oauth.token(r) : s.token(r)),
  devicecode: (r) => {
    if (!oauth) throw new ApiError('invalid_request', AADSTS.unsupportedGrantType, 'The device code flow is not enabled on this emulator.');
    return oauth.deviceCode(r);
  },
});

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The form, or the first name that appears more than once: OAuth 2.0 (RFC 6749 §3.1, §3.2) says request
 * parameters must not be included more than once, and a server that silently took the first (or last)
 * value would let a client and a proxy disagree about what was asked.
 */
const parseForm = (body: string): { form: Map<string, string> } | { repeated: string } => {
  const form = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(body)) {
    if (form.has(key)) return { repeated: key };
    form.set(key, value);
  }
  return { form };
};

const clientIp = (req: IncomingMessage): string => (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createEmulatorServer(d: ServerDeps): { server: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const handlers = handlersFor(d.service, d.oauth);

  const send = (res: ServerResponse, status: number, body: unknown, correlationId?: string, headers: Record<string, string> = {}) => {
    const json = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
      'cache-control': 'no-store, no-cache',
      'x-ms-request-id': randomUUID(),
      ...(correlationId ? { 'client-request-id': correlationId } : {}),
      ...headers,
    });
    res.end(json);
    return status;
  };

  const sendError = (res: ServerResponse, err: ApiError, correlationId: string, echo: boolean) =>
    send(res, err.options.status ?? 400, errorEnvelope(err, correlationId, d.clock.now()), echo ? correlationId : undefined, err.options.headers);

  const faultError = (fault: Fault): ApiError => {
    const retry = String(fault.retryAfterSeconds ?? 1);
    if (fault.kind === '429') {
      return new ApiError('temporarily_unavailable', AADSTS.throttled, 'There are too many incoming requests. Try again later.', { status: 429, headers: { 'retry-after': retry } });
    }
    if (fault.kind === '503') {
      return new ApiError('temporarily_unavailable', AADSTS.serverError, 'The service is temporarily unavailable.', {
        status: 503,
        ...(fault.retryAfterSeconds !== undefined ? { headers: { 'retry-after': retry } } : {}),
      });
    }
    return new ApiError('server_error', AADSTS.serverError, 'An internal server error occurred (injected fault).', { status: 500 });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number | 'dropped'> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const headerId = req.headers['client-request-id'];
    const givenId = typeof headerId === 'string' && CORRELATION_ID.test(headerId) ? headerId : undefined;
    const correlationId = givenId ?? randomUUID();

    if (req.method === 'GET' && (url.pathname === '/outbox' || url.pathname === '/audit')) {
      const user = url.searchParams.get('username')?.toLowerCase();
      const all: { username?: string; initiatedBy?: { user: { userPrincipalName: string } } }[] = url.pathname === '/outbox' ? d.outbox : d.audit.events;
      const rows = user ? all.filter((e) => (e.username ?? e.initiatedBy?.user.userPrincipalName ?? '').toLowerCase() === user) : all;
      return send(res, 200, rows);
    }

    for (const route of d.routes ?? []) {
      const outcome = await route(req, res, url, { correlationId, givenId, send, readBody });
      if (outcome !== undefined) return outcome;
    }

    const match = SSPR_ROUTE.exec(url.pathname) ?? TOKEN_ROUTE.exec(url.pathname);
    if (!match) return send(res, 404, { error: 'not_found', error_description: `No route for ${req.method} ${url.pathname.slice(0, 200)}` });
    let tenantSegment: string;
    try {
      tenantSegment = decodeURIComponent(match[1]!).toLowerCase();
    } catch {
      tenantSegment = match[1]!.toLowerCase(); // malformed %-escape: it cannot name our tenant either
    }
    const endpoint = match[2] as Endpoint;

    if (req.method !== 'POST') {
      return sendError(res, new ApiError('invalid_request', AADSTS.postOnly, 'The endpoint only accepts POST requests.', { status: 405, headers: { allow: 'POST' } }), correlationId, !!givenId);
    }
    const body = await readBody(req);

    const fault = d.faults.take(endpoint);
    if (fault?.kind === 'drop') return 'dropped';
    if (fault?.kind === 'latency') await delay(fault.latencyMs ?? 1000);
    if (fault && ['429', '500', '503'].includes(fault.kind)) return sendError(res, faultError(fault), correlationId, !!givenId);

    if (tenantSegment !== d.tenant.name.toLowerCase() && tenantSegment !== d.tenant.id) {
      return sendError(res, new ApiError('invalid_request', AADSTS.tenantNotFound, `Tenant '${tenantSegment.slice(0, 80)}' not found.`), correlationId, !!givenId);
    }
    const admitted = d.throttle.admitRequest(`${clientIp(req)}|${d.tenant.id}`);
    if (!admitted.ok) {
      const err = new ApiError('temporarily_unavailable', AADSTS.throttled, 'There are too many incoming requests. Try again later.', {
        status: 429,
        headers: { 'retry-after': String(admitted.retryAfterSeconds) },
      });
      return sendError(res, err, correlationId, !!givenId);
    }
    if (body === null) {
      return sendError(res, new ApiError('invalid_request', AADSTS.missingParameter, 'The request body is too large.', { status: 413 }), correlationId, !!givenId);
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (contentType !== 'application/x-www-form-urlencoded') {
      return sendError(res, new ApiError('invalid_request', AADSTS.missingParameter, 'The request body must be application/x-www-form-urlencoded.'), correlationId, !!givenId);
    }

    const parsed = parseForm(body);
    if ('repeated' in parsed) {
      const name = parsed.repeated.replace(/[^\w.-]/g, '').slice(0, 64);
      return sendError(res, new ApiError('invalid_request', AADSTS.missingParameter, `The request parameter '${name}' is included more than once.`), correlationId, !!givenId);
    }
    const sku = req.headers['x-client-sku'];
    const flowReq: FlowRequest = {
      form: parsed.form,
      correlationId,
      ipAddress: clientIp(req),
      clientType: typeof sku === 'string' && sku.trim() !== '' ? sku.trim().slice(0, 64) : 'Unknown',
    };
    let reply: () => number;
    try {
      const result = handlers[endpoint](flowReq);
      reply = () => send(res, 200, result, givenId);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      reply = () => sendError(res, err, correlationId, !!givenId);
    }
    // The effect above has happened (a password may have changed); the client just never hears about it.
    if (fault?.kind === 'apply_then_drop') return 'dropped';
    return reply();
  }

  const server = createServer({ key: d.tls.keyPem, cert: d.tls.certPem, minVersion: 'TLSv1.2' }, (req, res) => {
    const started = Date.now();
    handle(req, res).then(
      (outcome) => {
        if (outcome === 'dropped') req.socket.destroy();
        d.log?.(`${new Date().toISOString()} ${req.method ?? '?'} ${(req.url ?? '').split('?')[0]} -> ${outcome} (${Date.now() - started} ms)`);
      },
      (err: unknown) => {
        d.log?.(`${new Date().toISOString()} ${req.method ?? '?'} ${(req.url ?? '').split('?')[0]} -> 500 internal error: ${String(err)}`);
        if (!res.headersSent) send(res, 500, { error: 'server_error', error_description: 'emulator internal error' });
        else req.socket.destroy();
      },
    );
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that refuses our certificate or offers TLS < 1.2 must not crash the emulator.
  server.on('tlsClientError', () => undefined);
  return { server, sockets };
}
