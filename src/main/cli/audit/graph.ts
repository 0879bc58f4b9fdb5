/**
 * Microsoft Graph `auditLogs/directoryAudits` for one user or one attempt: builds the $filter, follows
 * `@odata.nextLink`, and waits out 429/503 `Retry-After` a bounded number of times.
 */
import type { AxiosInstance } from 'axios';
import { describeNetworkError } from './problems';

export const SSPR_SERVICE = 'Self-service Password Management';
/** Retries of one page after 429/503 before giving up. */
export const MAX_RETRIES = 4;
/** A Retry-After longer than this is capped (the technician is waiting at a console). */
export const MAX_RETRY_AFTER_SECONDS = 120;
/** Bound on what one run fetches; Graph keeps 30 days, and a user has far fewer SSPR records. */
export const MAX_RECORDS = 10_000;

/** The fields of a Graph directoryAudit record that `audit` reads. */
export interface DirectoryAudit {
  id: string;
  activityDateTime: string;
  activityDisplayName: string;
  correlationId: string;
  result: string;
  resultReason?: string;
  loggedByService?: string;
  targetResources?: { userPrincipalName?: string | null }[];
}

export class GraphError extends Error {
  constructor(
    message: string,
    readonly kind: 'refused' | 'unreachable' | 'throttled',
  ) {
    super(message);
  }
}

/** OData string literal: quoted, a quote doubled. Inputs are already restricted to UPN/GUID characters. */
const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export const auditFilter = (q: { user?: string; correlationId?: string; since?: Date }): string => {
  const clauses = [`loggedByService eq ${literal(SSPR_SERVICE)}`];
  if (q.correlationId) clauses.push(`correlationId eq ${literal(q.correlationId)}`);
  // Graph documents initiatedBy/user/userPrincipalName (not a UPN inside targetResources) as filterable here;
  // in self-service reset records the initiator is the user whose password it is.
  if (q.user) clauses.push(`initiatedBy/user/userPrincipalName eq ${literal(q.user)}`);
  if (q.since) clauses.push(`activityDateTime ge ${q.since.toISOString()}`);
  return clauses.join(' and ');
};

export const firstPageUrl = (graph: string, q: Parameters<typeof auditFilter>[0], pageSize: number): string => {
  const url = new URL(`${graph}/v1.0/auditLogs/directoryAudits`);
  url.searchParams.set('$filter', auditFilter(q));
  url.searchParams.set('$top', String(pageSize));
  return url.toString();
};

/** Seconds to wait from a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable. */
export const retryAfterSeconds = (header: unknown, nowMs: number): number | undefined => {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
};

const graphMessage = (text: string): string => {
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error) return `${body.error.code ?? 'error'}: ${(body.error.message ?? '').slice(0, 300)}`;
  } catch {
    /* not Graph's JSON */
  }
  return text.slice(0, 120).replace(/\s+/g, ' ');
};

export interface FetchDeps {
  http: AxiosInstance;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Told about each wait and each page, so a long query shows progress. */
  progress: (line: string) => void;
}

export async function fetchDirectoryAudits(graph: string, token: string, firstUrl: string, d: FetchDeps): Promise<{ records: DirectoryAudit[]; truncated: boolean }> {
  const origin = new URL(graph).origin;
  const records: DirectoryAudit[] = [];
  let url: string | undefined = firstUrl;
  let page = 0;
  while (url !== undefined) {
    // The token goes only to the Graph the technician named, never to a host a response points at.
    if (new URL(url).origin !== origin) throw new GraphError(`Graph's next page points outside ${origin}; stopped`, 'refused');
    let retries = 0;
    for (;;) {
      let res;
      try {
        res = await d.http.get<string>(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
      } catch (err) {
        throw new GraphError(`cannot reach ${new URL(url).host}: ${describeNetworkError(err)}`, 'unreachable');
      }
      if (res.status === 429 || res.status === 503) {
        const wait = retryAfterSeconds(res.headers['retry-after'], d.now()) ?? 2 ** retries;
        if (retries >= MAX_RETRIES) {
          throw new GraphError(`Graph is still throttling after ${MAX_RETRIES} retries (HTTP ${res.status}, Retry-After ${wait} s); try again later`, 'throttled');
        }
        const seconds = Math.min(wait, MAX_RETRY_AFTER_SECONDS);
        d.progress(`Graph answered HTTP ${res.status}; waiting ${seconds} s as it asked (retry ${retries + 1} of ${MAX_RETRIES})`);
        await d.sleep(seconds * 1000);
        retries += 1;
        continue;
      }
      if (res.status === 401) throw new GraphError(`Graph refused the token (HTTP 401 ${graphMessage(res.data)})`, 'refused');
      if (res.status === 403) {
        throw new GraphError(
          `Graph refused access (HTTP 403 ${graphMessage(res.data)}); the app needs AuditLog.Read.All, and a technician signing in also needs Reports Reader, Security Reader or Security Administrator`,
          'refused',
        );
      }
      if (res.status !== 200) throw new GraphError(`Graph answered HTTP ${res.status} (${graphMessage(res.data)})`, res.status >= 500 ? 'unreachable' : 'refused');
      let body: { value?: unknown; '@odata.nextLink'?: unknown };
      try {
        body = JSON.parse(res.data) as typeof body;
      } catch {
        throw new GraphError(`${new URL(url).host} answered with something other than JSON (a proxy or captive portal?)`, 'unreachable');
      }
      if (!Array.isArray(body.value)) throw new GraphError('Graph answered without a value array', 'refused');
      records.push(...(body.value as DirectoryAudit[]));
      page += 1;
      if (records.length >= MAX_RECORDS) return { records: records.slice(0, MAX_RECORDS), truncated: true };
      url = typeof body['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined;
      if (url !== undefined) d.progress(`page ${page}: ${records.length} record(s) so far`);
      break;
    }
  }
  return { records, truncated: false };
}
