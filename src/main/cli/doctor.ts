/**
 * `doctor`: the admin's pre-flight check on one PC. Shows the effective configuration's problems, the
 * Windows TLS 1.2 prerequisites Microsoft lists for its own add-in (sspr-protocol.md §5, advisory for us:
 * our HTTPS stack is BoringSSL/OpenSSL), then reaches the configured service over TLS 1.2 with no side
 * effect: a start request without a user (native) or a GET of the portal page (portal).
 */
import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { loadConfig } from '../core/config';
import { classifyNetworkError, CHALLENGE_TYPES } from '../core/engine/nativeEngine';
import { createHttpClient } from '../core/http';
import { parseLaunchArgs } from '../core/launchArgs';
import { isNavigationAllowed, portalPolicy } from '../core/lockdown/policy';
import { httpsProxyFromServer } from '../core/tls/proxy';
import type { Config } from '../../shared/config';
import { ExitCode } from '../../shared/exitCodes';
import { defaultDataDir, parseCommand, type CliIo } from './io';

export const DOCTOR_USAGE = `doctor [--data-dir <folder>] [--set Key=Value]... [--ca <pem file>] [--json]
    Checks this PC's effective settings and reaches the reset service once, with no side effect.
    Exit code 0: no problem; 30: the service cannot be reached; 1: any other problem ([fail] lines).
    --data-dir <folder>   folder holding config.json (default on Windows: %ProgramData%\\SsprLogon)
    --set Key=Value       try a setting without changing the PC (repeatable)
    --ca <pem file>       extra trusted root (a TLS-inspecting proxy's, or the emulator's)
    --json                one JSON object instead of lines`;

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
}

const TLS12_CLIENT_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client';
const WINHTTP_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp';
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const windowsTlsChecks = async (io: CliIo): Promise<Check[]> => {
  if (!io.registry) return [];
  const checks: Check[] = [];
  try {
    const client = (await io.registry.readValues(TLS12_CLIENT_KEY)) ?? {};
    const enabled = client.Enabled;
    const disabledByDefault = client.DisabledByDefault;
    const explicit = typeof enabled === 'number' && enabled !== 0 && disabledByDefault === 0;
    checks.push({
      name: 'schannel-tls12',
      status: explicit ? 'ok' : 'warn',
      detail: explicit
        ? 'TLS 1.2 client explicitly enabled (Enabled=1, DisabledByDefault=0)'
        : `TLS 1.2 client not explicitly enabled (Enabled=${String(enabled ?? 'unset')}, DisabledByDefault=${String(disabledByDefault ?? 'unset')}); set both under ${TLS12_CLIENT_KEY}`,
    });
    const winhttp = (await io.registry.readValues(WINHTTP_KEY)) ?? {};
    const protocols = winhttp.DefaultSecureProtocols;
    const has12 = typeof protocols === 'number' && (protocols & 0x800) !== 0;
    checks.push({
      name: 'winhttp-tls12',
      status: has12 ? 'ok' : 'warn',
      detail: has12
        ? `WinHTTP DefaultSecureProtocols=0x${(protocols as number).toString(16)} includes TLS 1.2`
        : `WinHTTP DefaultSecureProtocols=${typeof protocols === 'number' ? `0x${protocols.toString(16)}` : 'unset'} lacks TLS 1.2 (0x800); KB3140245 and 0xA00 or 0xAA0`,
    });
  } catch {
    checks.push({ name: 'schannel-tls12', status: 'warn', detail: 'cannot read the SChannel/WinHTTP registry keys' });
  }
  return checks;
};

/** Settings that are each valid but do not work together: the overlay would fail for every user. */
export const settingChecks = (config: Config): Check[] => {
  const checks: Check[] = [];
  if (config.ProxyMode === 'fixed') {
    const proxy = httpsProxyFromServer(config.ProxyServer);
    checks.push(
      proxy
        ? { name: 'proxy', status: 'ok', detail: `fixed proxy ${proxy.host}:${proxy.port}` }
        : {
            name: 'proxy',
            status: 'fail',
            detail:
              config.ProxyServer.trim() === ''
                ? 'ProxyMode is fixed but ProxyServer is empty: set ProxyServer (host:port) or use ProxyMode system'
                : `ProxyMode is fixed but ProxyServer ${JSON.stringify(config.ProxyServer.slice(0, 80))} names no HTTP proxy for https (host:port)`,
          },
    );
  }
  // The portal page, and the native engine's "continue on the web" link, open only on allow-listed hosts.
  const portalHost = new URL(config.PortalUrl).host;
  const allowed = isNavigationAllowed(config.PortalUrl, portalPolicy(config.AllowedHosts));
  checks.push({
    name: 'portal-host',
    status: allowed ? 'ok' : 'fail',
    detail: allowed
      ? `PortalUrl host ${portalHost} is in AllowedHosts`
      : `PortalUrl host ${portalHost} is not in AllowedHosts (${config.AllowedHosts.join(', ') || 'empty'}): the overlay would block its own reset page; add it to AllowedHosts`,
  });
  return checks;
};

/** Entra's start answer to a request without a user: what it says about ClientId and the tenant. */
const nativeAnswerCheck = (config: Config, status: number, body: Record<string, unknown>): Check | null => {
  const error = typeof body.error === 'string' ? body.error : '';
  const codes = Array.isArray(body.error_codes) ? body.error_codes : [];
  const description = typeof body.error_description === 'string' ? body.error_description : '';
  if (error === 'unauthorized_client' || error === 'invalid_client') {
    return {
      name: 'client-id',
      status: 'fail',
      detail: `the tenant does not accept ClientId ${config.ClientId} (${error}): check ClientId, that the app registration allows public client flows for native authentication, and the tenant in Authority`,
    };
  }
  // AADSTS90002 is Entra's documented "tenant not found".
  if (codes.includes(90002) || /AADSTS90002\b/.test(description) || error === 'invalid_tenant') {
    return { name: 'tenant', status: 'fail', detail: `the tenant in Authority ${config.Authority} does not exist (AADSTS90002): check the tenant name or id` };
  }
  if (status >= 400 && error === 'invalid_request') return { name: 'client-id', status: 'ok', detail: `ClientId ${config.ClientId} accepted by the tenant` };
  return null;
};

export const runDoctor = async (args: readonly string[], io: CliIo): Promise<number> => {
  const parsed = parseCommand(
    'doctor',
    DOCTOR_USAGE,
    { 'data-dir': { type: 'string' }, dir: { type: 'string' }, set: { type: 'string', multiple: true }, ca: { type: 'string' }, json: { type: 'boolean' } },
    args,
    io,
  );
  if (!parsed.ok) return parsed.exitCode;
  const o = parsed.values;
  const json = o.json ?? false;
  const flagArgs = (o.set ?? []).map((v) => `--set=${v}`);
  const { launch, problems: argProblems } = parseLaunchArgs(flagArgs);
  const dataDir = o['data-dir'] ?? o.dir ?? defaultDataDir(io);
  const { config, problems } = await loadConfig({
    ...(dataDir !== undefined ? { dataDir } : {}),
    ...(io.registry ? { registry: io.registry } : {}),
    flags: launch.configFlags,
  });
  const checks: Check[] = [];
  for (const p of argProblems) checks.push({ name: 'arguments', status: 'warn', detail: `${p.arg}: ${p.message}` });
  if (problems.length === 0) checks.push({ name: 'config', status: 'ok', detail: `engine ${config.Engine}, no problems` });
  for (const p of problems) checks.push({ name: 'config', status: 'warn', detail: `${p.layer} ${p.key}: ${p.message}` });
  checks.push(...settingChecks(config));
  checks.push(...(await windowsTlsChecks(io)));

  let ca: string | undefined;
  const caFile = o.ca;
  if (caFile) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch {
      checks.push({ name: 'ca', status: 'fail', detail: `cannot read ${caFile}` });
    }
  }
  const http = createHttpClient({ timeoutMs: config.RequestTimeoutSeconds * 1000, connectTimeoutMs: 10_000, ...(ca ? { ca } : {}) });
  const target = config.Engine === 'native' ? `${config.Authority.replace(/\/?$/, '/')}resetpassword/v1.0/start` : config.PortalUrl;
  let reachable = false;
  try {
    const res =
      config.Engine === 'native'
        ? await http.post(target, new URLSearchParams({ client_id: config.ClientId, challenge_type: CHALLENGE_TYPES }).toString(), {
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          })
        : await http.get(target);
    const socket = (res.request as { socket?: TLSSocket } | undefined)?.socket;
    const protocol = socket && typeof socket.getProtocol === 'function' ? socket.getProtocol() : null;
    let answer = `HTTP ${res.status}`;
    let answerCheck: Check | null = null;
    if (config.Engine === 'native') {
      try {
        const body = JSON.parse(String(res.data)) as Record<string, unknown>;
        if (typeof body.error === 'string') answer += ` ${body.error.slice(0, 40)}`;
        answerCheck = nativeAnswerCheck(config, res.status, body);
      } catch {
        answer += ' (not JSON: a proxy or captive portal answered?)';
      }
    }
    reachable = res.status < 500;
    checks.push({ name: 'service', status: reachable ? 'ok' : 'fail', detail: `${new URL(target).host} answered ${answer}${protocol ? ` over ${protocol}` : ''}` });
    if (answerCheck) checks.push(answerCheck);
    const date = typeof res.headers.date === 'string' ? Date.parse(res.headers.date) : NaN;
    if (!Number.isNaN(date)) {
      const skew = io.now() - date;
      checks.push({
        name: 'clock',
        status: Math.abs(skew) > MAX_CLOCK_SKEW_MS ? 'warn' : 'ok',
        detail: `local clock ${skew >= 0 ? 'ahead of' : 'behind'} the service by ${Math.round(Math.abs(skew) / 1000)} s`,
      });
    }
  } catch (err) {
    const net = classifyNetworkError(err);
    const hint: Record<string, string> = {
      tls: 'certificate or TLS version refused (a TLS-inspecting proxy or captive portal?)',
      dns: 'name not resolved',
      refused: 'connection refused or no route',
      timeout: 'no answer in time (firewall or proxy?)',
      reset: 'connection dropped',
      other: 'network error',
    };
    checks.push({ name: 'service', status: 'fail', detail: `${new URL(target).host}: ${hint[net.cause] ?? net.cause}${net.code ? ` (${net.code})` : ''}` });
  }

  if (json) io.out(JSON.stringify({ engine: config.Engine, target, checks }));
  else for (const c of checks) io.out(`[${c.status}]${' '.repeat(5 - c.status.length)}${c.name}: ${c.detail}`);
  if (!reachable) return ExitCode.ServiceUnreachable;
  return checks.some((c) => c.status === 'fail') ? ExitCode.InternalError : 0;
};
