/**
 * Microsoft Graph `GET /v1.0/auditLogs/directoryAudits`, fed by the emulator's own SSPR audit events:
 *  - Bearer token required: one this emulator issued, for Graph, with AuditLog.Read.All (application role, or
 *    delegated scope plus a reader directory role);
 *  - `$filter`: clauses joined with `and`, from Graph's documented list for this API (`activityDateTime eq|ge|le`,
 *    `correlationId eq`, `loggedByService eq`, `activityDisplayName eq`, `initiatedBy/user/userPrincipalName eq`)
 *    plus `targetResources/any(t: t/userPrincipalName eq '…')`, which Graph does not document for this API
 *    (a convention: accepted here, not used by `audit`); anything else is a 400, as Graph refuses it;
 *  - newest first; `$top` (1–999, default 100: a convention) and `@odata.nextLink` with an opaque `$skiptoken`;
 *  - faults injected for `directoryAudits` answer in Graph's error shape (429 and 503 carry Retry-After).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditEvent } from './audit';
import type { Clock } from './clock';
import type { Fault, FaultQueue } from './faults';
import { AUDIT_READER_ROLES, GRAPH_APP_ID, GRAPH_RESOURCE } from './helpdeskApp';
import type { JwtKeys } from './jwt';
import { auditPermissionProblem } from './oauth';
import type { RouteContext, RouteHandler } from './server';

export const DIRECTORY_AUDITS_PATH = '/v1.0/auditLogs/directoryAudits';
export const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 999;

export interface GraphAuditDeps {
  clock: Clock;
  tenantId: string;
  jwt: JwtKeys;
  events: readonly AuditEvent[];
  faults: FaultQueue;
  baseUrl: () => string;
}

type Predicate = (e: AuditEvent) => boolean;

export class FilterError extends Error {}

/** OData string literal: quoted, a quote doubled. */
const STRING = `'((?:[^']|'')*)'`;
const unquote = (s: string): string => s.replace(/''/g, "'");
const same = (a: string | undefined, b: string): boolean => (a ?? '').toLowerCase() === b.toLowerCase();

const CLAUSES: { pattern: RegExp; build(m: RegExpExecArray): Predicate }[] = [
  {
    pattern: /^activityDateTime\s+(eq|ge|le)\s+(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d))$/i,
    build: (m) => {
      const at = Date.parse(m[2]!);
      if (Number.isNaN(at)) throw new FilterError(`Invalid date ${m[2]}`);
      const op = m[1]!.toLowerCase();
      return (e) => {
        const t = Date.parse(e.activityDateTime);
        return op === 'ge' ? t >= at : op === 'le' ? t <= at : t === at;
      };
    },
  },
  { pattern: new RegExp(`^correlationId\\s+eq\\s+${STRING}$`, 'i'), build: (m) => (e) => same(e.correlationId, unquote(m[1]!)) },
  { pattern: new RegExp(`^loggedByService\\s+eq\\s+${STRING}$`, 'i'), build: (m) => (e) => same(e.loggedByService, unquote(m[1]!)) },
  { pattern: new RegExp(`^activityDisplayName\\s+eq\\s+${STRING}$`, 'i'), build: (m) => (e) => same(e.activityDisplayName, unquote(m[1]!)) },
  {
    pattern: new RegExp(`^targetResources/any\\(\\s*(\\w+)\\s*:\\s*\\1/userPrincipalName\\s+eq\\s+${STRING}\\s*\\)$`, 'i'),
    build: (m) => (e) => e.targetResources.some((t) => same(t.userPrincipalName, unquote(m[2]!))),
  },
  {
    pattern: new RegExp(`^initiatedBy/user/userPrincipalName\\s+eq\\s+${STRING}$`, 'i'),
    build: (m) => (e) => same(e.initiatedBy.user.userPrincipalName, unquote(m[1]!)),
  },
];

/** Splits on ` and ` outside string literals and parentheses. */
const splitAnd = (filter: string): string[] => {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i]!;
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && /\s/.test(c)) {
      const m = /^\s+and\s+/i.exec(filter.slice(i));
      if (m) {
        parts.push(filter.slice(start, i));
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(filter.slice(start));
  return parts.map((p) => p.trim());
};

export function parseAuditFilter(filter: string | null): Predicate {
  if (filter === null || filter.trim() === '') return () => true;
  const predicates = splitAnd(filter.trim()).map((clause) => {
    for (const { pattern, build } of CLAUSES) {
      const m = pattern.exec(clause);
      if (m) return build(m);
    }
    throw new FilterError(`Invalid filter clause: ${clause.slice(0, 120)}`);
  });
  return (e) => predicates.every((p) => p(e));
}

const encodeSkip = (before: number): string => Buffer.from(`v1:${before}`).toString('base64url');
const decodeSkip = (token: string): number | undefined => {
  const m = /^v1:(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
};

export function graphAuditRoute(d: GraphAuditDeps): RouteHandler {
  const graphError = (res: ServerResponse, ctx: RouteContext, status: number, code: string, message: string, headers: Record<string, string> = {}) =>
    ctx.send(
      res,
      status,
      { error: { code, message, innerError: { date: new Date(d.clock.now()).toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': randomUUID(), 'client-request-id': ctx.correlationId } } },
      ctx.givenId,
      headers,
    );

  const faultReply = async (fault: Fault, res: ServerResponse, ctx: RouteContext): Promise<number | 'dropped' | undefined> => {
    const retry = { 'retry-after': String(fault.retryAfterSeconds ?? 1) };
    switch (fault.kind) {
      case 'latency':
        await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 1000));
        return undefined;
      case '429':
        return graphError(res, ctx, 429, 'TooManyRequests', 'Too many requests. Retry after the time in Retry-After.', retry);
      case '503':
        return graphError(res, ctx, 503, 'ServiceUnavailable', 'The service is temporarily unavailable.', fault.retryAfterSeconds !== undefined ? retry : {});
      case '500':
        return graphError(res, ctx, 500, 'InternalServerError', 'An internal server error occurred (injected fault).');
      default:
        return 'dropped';
    }
  };

  const authProblem = (req: IncomingMessage): { status: 401 | 403; code: string; message: string } | undefined => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return { status: 401, code: 'InvalidAuthenticationToken', message: 'Access token is empty.' };
    const claims = d.jwt.verify(m[1]!);
    if (!claims) return { status: 401, code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid signature.' };
    if (claims.aud !== GRAPH_RESOURCE && claims.aud !== GRAPH_APP_ID) {
      return { status: 401, code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid audience.' };
    }
    if (claims.tid !== d.tenantId) return { status: 401, code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid tenant.' };
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= d.clock.now()) {
      return { status: 401, code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' };
    }
    const denied = auditPermissionProblem(claims, Object.keys(AUDIT_READER_ROLES));
    return denied ? { status: 403, code: 'Authorization_RequestDenied', message: `Insufficient privileges to complete the operation: ${denied}.` } : undefined;
  };

  return async (req, res, url, ctx) => {
    if (url.pathname !== DIRECTORY_AUDITS_PATH) return undefined;
    if (req.method !== 'GET') return graphError(res, ctx, 405, 'Request_BadRequest', 'The directory audit log is read-only; use GET.', { allow: 'GET' });
    const fault = d.faults.take('directoryAudits');
    if (fault) {
      const outcome = await faultReply(fault, res, ctx);
      if (outcome !== undefined) return outcome;
    }
    const problem = authProblem(req);
    if (problem) {
      return graphError(res, ctx, problem.status, problem.code, problem.message, problem.status === 401 ? { 'www-authenticate': 'Bearer realm="", authorization_uri="", client_id="00000003-0000-0000-c000-000000000000"' } : {});
    }

    let matches: Predicate;
    try {
      matches = parseAuditFilter(url.searchParams.get('$filter'));
    } catch (err) {
      if (err instanceof FilterError) return graphError(res, ctx, 400, 'BadRequest', err.message);
      throw err;
    }
    const topText = url.searchParams.get('$top');
    const top = topText === null ? DEFAULT_PAGE_SIZE : Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE_SIZE) return graphError(res, ctx, 400, 'BadRequest', `Invalid $top value: it must be from 1 to ${MAX_PAGE_SIZE}.`);
    const skip = url.searchParams.get('$skiptoken');
    const before = skip === null ? d.events.length : decodeSkip(skip);
    if (before === undefined) return graphError(res, ctx, 400, 'BadRequest', 'Invalid $skiptoken.');

    // Newest first. Events are only ever appended, so "older than index n" pages stay stable while new ones arrive.
    const page: AuditEvent[] = [];
    let index = Math.min(before, d.events.length) - 1;
    for (; index >= 0 && page.length < top; index--) if (matches(d.events[index]!)) page.push(d.events[index]!);
    let more = false;
    for (let i = index; i >= 0 && !more; i--) more = matches(d.events[i]!);

    const graphBase = d.baseUrl();
    const body: Record<string, unknown> = { '@odata.context': `${graphBase}/v1.0/$metadata#auditLogs/directoryAudits`, value: page };
    if (more) {
      const next = new URL(`${graphBase}${DIRECTORY_AUDITS_PATH}`);
      for (const [key, value] of url.searchParams) if (key !== '$skiptoken') next.searchParams.set(key, value);
      next.searchParams.set('$skiptoken', encodeSkip(index + 1));
      body['@odata.nextLink'] = next.toString();
    }
    return ctx.send(res, 200, body, ctx.givenId);
  };
}
