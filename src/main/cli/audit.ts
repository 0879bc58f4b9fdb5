/**
 * `audit`: from an overlay correlation id (or a user) to Entra's audit records. Prints the Microsoft
 * Graph directoryAudits request to run (needs AuditLog.Read.All), or, with --emulator, reads the local
 * emulator's audit log directly.
 */
import { readFileSync } from 'node:fs';
import { createHttpClient } from '../core/http';
import { option, parseOptions, type CliIo } from './io';

export const AUDIT_USAGE = 'audit (--correlation-id=<id> | --user=<upn>) [--since=<ISO time>] [--emulator=<https base url> --ca=<pem file>]';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPN = /^[A-Za-z0-9'.\-_!#^~]+@[A-Za-z0-9.-]+$/;

/** OData string literal: a quote is doubled. The inputs are already restricted to safe characters. */
const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export const graphAuditUrl = (filter: { correlationId?: string; user?: string; since?: string }): string => {
  const clauses = ["loggedByService eq 'Self-service Password Management'"];
  if (filter.correlationId) clauses.push(`correlationId eq ${literal(filter.correlationId)}`);
  if (filter.user) clauses.push(`initiatedBy/user/userPrincipalName eq ${literal(filter.user)}`);
  if (filter.since) clauses.push(`activityDateTime ge ${filter.since}`);
  return `https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent(clauses.join(' and '))}`;
};

export const runAudit = async (args: readonly string[], io: CliIo): Promise<number> => {
  const { options } = parseOptions(args);
  const correlationId = option(options, 'correlation-id');
  const user = option(options, 'user');
  const since = option(options, 'since');
  if ((!correlationId && !user) || (correlationId && !GUID.test(correlationId)) || (user && !UPN.test(user))) {
    io.err(`usage: ${AUDIT_USAGE}`);
    return 2;
  }
  if (since !== undefined && Number.isNaN(Date.parse(since))) {
    io.err('--since takes an ISO time, e.g. 2026-11-25T09:00:00Z');
    return 2;
  }
  const sinceIso = since ? new Date(Date.parse(since)).toISOString() : undefined;
  const emulator = option(options, 'emulator');
  if (!emulator) {
    io.out(`GET ${graphAuditUrl({ ...(correlationId ? { correlationId } : {}), ...(user ? { user } : {}), ...(sinceIso ? { since: sinceIso } : {}) })}`);
    io.err('run it with a token that has AuditLog.Read.All (e.g. in Graph Explorer); records appear after 5–10 minutes');
    return 0;
  }
  const caFile = option(options, 'ca');
  const ca = caFile ? readFileSync(caFile, 'utf8') : undefined;
  const http = createHttpClient({ timeoutMs: 15_000, ...(ca ? { ca } : {}) });
  const url = new URL('/audit', emulator);
  if (user) url.searchParams.set('username', user);
  const res = await http.get(url.toString());
  if (res.status !== 200) {
    io.err(`the emulator answered HTTP ${res.status}`);
    return 1;
  }
  const events = JSON.parse(String(res.data)) as Record<string, unknown>[];
  const matching = events.filter(
    (e) =>
      (!correlationId || String(e.correlationId).toLowerCase() === correlationId.toLowerCase()) &&
      (!sinceIso || String(e.activityDateTime) >= sinceIso),
  );
  for (const e of matching) io.out(JSON.stringify(e));
  io.err(`${matching.length} audit record(s)`);
  return 0;
};
