/**
 * `audit`'s command line (node:util parseArgs, strict): which tenant, how to sign in, what to look for.
 * A secret may come from SSPR_AUDIT_CLIENT_SECRET instead of the command line, to stay out of shell history.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export const SECRET_ENV = 'SSPR_AUDIT_CLIENT_SECRET';
export const DEFAULT_GRAPH = 'https://graph.microsoft.com';
/** Without --since, a user's records of the last 7 days are fetched (Entra keeps them 30 days). */
export const DEFAULT_USER_WINDOW_MS = 7 * 24 * 3600_000;

export const AUDIT_USAGE = 'audit --authority <url> --client-id <id> (--client-secret <s> | --certificate <pem> | --device-code) [--graph <url>] [--ca <pem>] [--data-dir <dir>] (--user <upn> | --correlation-id <id>) [--since <ISO time>]';

export const AUDIT_HELP = `usage: ${AUDIT_USAGE}

Reads Entra's self-service password reset audit records (Microsoft Graph auditLogs/directoryAudits) for one
user or one attempt, and with --data-dir merges them with this PC's own records into one timeline.

Sign-in (one of):
  --client-secret <s>      app registration secret (client credentials); or set ${SECRET_ENV}
                           so the secret stays out of shell history
  --certificate <pem>      PEM file with the app's certificate and its unencrypted private key
  --device-code            a technician signs in in a browser (needs Reports Reader, Security Reader or
                           Security Administrator); the code to enter is printed here
Where:
  --authority <url>        https://login.microsoftonline.com/<tenant> (or the emulator's authority)
  --client-id <id>         the helpdesk app registration's application (client) id
  --graph <url>            Microsoft Graph base URL (default ${DEFAULT_GRAPH})
  --ca <pem>               also trust this CA (a TLS-inspecting proxy, the emulator); verification stays on
What:
  --user <upn>             the user's records (default window: the last 7 days)
  --correlation-id <id>    one attempt (the id on the user's error screen)
  --since <ISO time>       only records from this time on, e.g. 2026-11-25T09:00:00Z
  --data-dir <dir>         merge with <dir>/logs/sspr-logon*.jsonl (a copy of %ProgramData%\\SsprLogon)
  --page-size <n>          records per Graph page, 1-999 (default 100)
  --json                   one JSON object per line instead of the table
  --help                   this text

Exit status: 0 done (also when nothing was found), 1 sign-in or Graph refused, 2 bad arguments,
30 service unreachable, 40 still throttled after the retries.`;

export type SignIn = { kind: 'secret'; secret: string } | { kind: 'certificate'; privateKeyPem: string; certPem: string } | { kind: 'device-code' };

export interface AuditOptions {
  authority: string;
  clientId: string;
  signIn: SignIn;
  graph: string;
  ca?: string;
  dataDir?: string;
  user?: string;
  correlationId?: string;
  since?: Date;
  pageSize: number;
  json: boolean;
}

export type ParsedAudit = { help: true } | { help: false; options: AuditOptions } | { help: false; error: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A UPN: the characters Entra allows before the @, then a domain. Keeps quotes out of the OData filter. */
const UPN = /^[A-Za-z0-9'.\-_!#^~+]+@[A-Za-z0-9.-]+$/;

const httpsUrl = (value: string, name: string): string | { error: string } => {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:') return { error: `${name} must be an https:// URL` };
    return url.toString();
  } catch {
    return { error: `${name} is not a URL: ${value.slice(0, 100)}` };
  }
};

const readPem = (file: string, name: string): string | { error: string } => {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    return { error: `cannot read ${name} ${file}: ${(err as { code?: string }).code ?? String(err)}` };
  }
};

export function parseAuditArgs(args: readonly string[], env: NodeJS.ProcessEnv, nowMs: number): ParsedAudit {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        authority: { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        certificate: { type: 'string' },
        'device-code': { type: 'boolean' },
        graph: { type: 'string' },
        ca: { type: 'string' },
        'data-dir': { type: 'string' },
        user: { type: 'string' },
        'correlation-id': { type: 'string' },
        since: { type: 'string' },
        'page-size': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return { help: false, error: err instanceof Error ? err.message : String(err) };
  }
  if (values.help) return { help: true };
  const str = (name: string): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  const fail = (error: string): ParsedAudit => ({ help: false, error });

  const authorityText = str('authority');
  const clientId = str('client-id');
  if (!authorityText) return fail('--authority is required, e.g. https://login.microsoftonline.com/contoso.onmicrosoft.com');
  const authority = httpsUrl(authorityText, '--authority');
  if (typeof authority !== 'string') return fail(authority.error);
  if (new URL(authority).pathname.replace(/\/+$/, '') === '') return fail('--authority must name the tenant, e.g. https://login.microsoftonline.com/contoso.onmicrosoft.com');
  if (!clientId || !GUID.test(clientId)) return fail('--client-id must be the app registration\'s application (client) id, a GUID');

  const methods = [str('client-secret') !== undefined, str('certificate') !== undefined, values['device-code'] === true].filter(Boolean).length;
  if (methods > 1) return fail('choose one sign-in: --client-secret, --certificate or --device-code');
  let signIn: SignIn;
  if (values['device-code'] === true) signIn = { kind: 'device-code' };
  else if (str('certificate') !== undefined) {
    const pem = readPem(str('certificate')!, '--certificate');
    if (typeof pem !== 'string') return fail(pem.error);
    const key = /-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA )?PRIVATE KEY-----/.exec(pem);
    const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
    if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem)) return fail('--certificate: the private key is encrypted; export it without a password to a file only you can read');
    if (!key || !cert) return fail('--certificate must be one PEM file holding the certificate and its private key');
    signIn = { kind: 'certificate', privateKeyPem: key[0], certPem: cert[0] };
  } else {
    const secret = str('client-secret') ?? env[SECRET_ENV];
    if (secret === undefined || secret === '') return fail(`choose a sign-in: --client-secret (or ${SECRET_ENV}), --certificate or --device-code`);
    signIn = { kind: 'secret', secret };
  }

  const graph = httpsUrl(str('graph') ?? DEFAULT_GRAPH, '--graph');
  if (typeof graph !== 'string') return fail(graph.error);

  let ca: string | undefined;
  if (str('ca') !== undefined) {
    const pem = readPem(str('ca')!, '--ca');
    if (typeof pem !== 'string') return fail(pem.error);
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) return fail(`--ca ${str('ca')} holds no PEM certificate`);
    ca = pem;
  }

  const user = str('user')?.trim();
  const correlationId = str('correlation-id')?.trim();
  if ((user === undefined) === (correlationId === undefined)) return fail('give one of --user <upn> or --correlation-id <id>');
  if (user !== undefined && !UPN.test(user)) return fail(`--user must be a user principal name like alice@contoso.com, not '${user.slice(0, 80)}'`);
  if (correlationId !== undefined && !GUID.test(correlationId)) return fail(`--correlation-id must be a GUID like the one on the user's screen, not '${correlationId.slice(0, 80)}'`);

  let since: Date | undefined;
  const sinceText = str('since');
  if (sinceText !== undefined) {
    const ms = Date.parse(sinceText);
    if (Number.isNaN(ms)) return fail('--since takes an ISO time, e.g. 2026-11-25T09:00:00Z');
    since = new Date(ms);
  } else if (user !== undefined) since = new Date(nowMs - DEFAULT_USER_WINDOW_MS);

  const pageText = str('page-size') ?? '100';
  const pageSize = Number(pageText);
  if (!/^\d{1,3}$/.test(pageText) || pageSize < 1) return fail('--page-size takes a number from 1 to 999');

  const dataDir = str('data-dir');
  return {
    help: false,
    options: {
      authority,
      clientId: clientId.toLowerCase(),
      signIn,
      graph: graph.replace(/\/+$/, ''),
      ...(ca !== undefined ? { ca } : {}),
      ...(dataDir !== undefined ? { dataDir } : {}),
      ...(user !== undefined ? { user } : {}),
      ...(correlationId !== undefined ? { correlationId: correlationId.toLowerCase() } : {}),
      ...(since !== undefined ? { since } : {}),
      pageSize,
      json: values.json === true,
    },
  };
}
