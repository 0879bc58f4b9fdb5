/**
 * `audit`: from a user or an attempt's correlation id to Entra's SSPR audit records (Microsoft Graph
 * directoryAudits, signed in with @azure/msal-node), merged with this PC's own records when a data folder is
 * given. Options: audit/options.ts; sign-in: audit/signIn.ts; Graph: audit/graph.ts.
 */
import { ExitCode } from '../../shared/exitCodes';
import { fetchDirectoryAudits, firstPageUrl, GraphError, type DirectoryAudit } from './audit/graph';
import { readLocalRecords, type LocalRecord } from './audit/localRecords';
import { createAuditHttp } from './audit/network';
import { AUDIT_HELP, AUDIT_USAGE, parseAuditArgs, SECRET_ENV } from './audit/options';
import { acquireGraphToken, SignInError } from './audit/signIn';
import { formatTable, mergeTimeline } from './audit/timeline';
import type { CliIo } from './io';

export { AUDIT_USAGE } from './audit/options';

export interface AuditDeps {
  /** Waits for Retry-After; tests pass one that records the wait instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const runAudit = async (args: readonly string[], io: CliIo, deps: AuditDeps = {}): Promise<number> => {
  const parsed = parseAuditArgs(args, io.env, io.now());
  if (parsed.help) {
    io.out(AUDIT_HELP);
    return 0;
  }
  if ('error' in parsed) {
    io.err(`audit: ${parsed.error}\nusage: ${AUDIT_USAGE}\n(audit --help explains each option)`);
    return 2;
  }
  const o = parsed.options;
  if (args.some((a) => a === '--client-secret' || a.startsWith('--client-secret='))) {
    io.err(`note: a secret on the command line stays in shell history and process lists; prefer ${SECRET_ENV}`);
  }
  const query = { ...(o.user ? { user: o.user } : {}), ...(o.correlationId ? { correlationId: o.correlationId } : {}), ...(o.since ? { since: o.since } : {}) };

  // Local records first: a missing or unreadable folder is a typo to report before anyone signs in.
  let local: LocalRecord[] = [];
  if (o.dataDir !== undefined) {
    try {
      const result = await readLocalRecords(o.dataDir, query);
      local = result.records;
      if (result.noSalt) io.err(`note: ${o.dataDir} has no logs/sspr-logon.salt, so only clear-text (verbose) records can match --user`);
      io.err(`${local.length} local record(s) from ${result.files} file(s)${result.unreadable ? `, ${result.unreadable} unreadable line(s) skipped` : ''}`);
    } catch (err) {
      io.err(`audit: cannot read the logs in ${o.dataDir}: ${(err as { code?: string }).code ?? String(err)}`);
      return 1;
    }
  }

  const http = createAuditHttp(o.ca);
  let entra: DirectoryAudit[];
  try {
    const token = await acquireGraphToken(o, http, (message) => io.err(message));
    const { records, truncated } = await fetchDirectoryAudits(o.graph, token, firstPageUrl(o.graph, query, o.pageSize), {
      http,
      sleep: deps.sleep ?? realSleep,
      now: io.now,
      progress: (line) => io.err(line),
    });
    entra = records;
    if (truncated) io.err(`note: stopped after ${records.length} Entra records; narrow the query with --since`);
  } catch (err) {
    if (err instanceof SignInError) {
      io.err(`audit: ${err.message}`);
      return err.unreachable ? ExitCode.ServiceUnreachable : ExitCode.InternalError;
    }
    if (err instanceof GraphError) {
      io.err(`audit: ${err.message}`);
      return err.kind === 'throttled' ? ExitCode.Throttled : err.kind === 'unreachable' ? ExitCode.ServiceUnreachable : ExitCode.InternalError;
    }
    throw err;
  }

  const lines = mergeTimeline(entra, local);
  if (o.json) for (const line of lines) io.out(JSON.stringify(line));
  else if (lines.length > 0) for (const row of formatTable(lines)) io.out(row);
  io.err(
    `${entra.length} Entra record(s)${o.dataDir !== undefined ? `, ${local.length} local` : ''}${o.since ? ` since ${o.since.toISOString()}` : ''}` +
      (entra.length === 0 ? '; Entra shows records 5-10 minutes after the attempt' : ''),
  );
  if (entra.length === 0 && o.correlationId) {
    // Only the native engine's id reaches Entra; the portal's page sends Microsoft's own ids.
    const portal = local.some((r) => r.engine === 'portal');
    io.err(
      `note: ${portal ? 'this attempt used the portal engine, whose requests carry Microsoft\'s correlation ids' : 'Entra knows an attempt by our id only when the native engine made it'}; ` +
        'search by user and time instead: --user <upn> --since <time>',
    );
  }
  return 0;
};
