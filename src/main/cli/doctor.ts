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
import { proxyModeWarning } from '../core/tls/proxy';
import { ExitCode } from '../../shared/exitCodes';
import { option, parseOptions, type CliIo } from './io';

export const DOCTOR_USAGE = 'doctor [--data-dir=<folder>] [--set=Key=Value]... [--ca=<pem file>] [--json]';

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

export const runDoctor = async (args: readonly string[], io: CliIo): Promise<number> => {
  const { options } = parseOptions(args);
  const json = option(options, 'json') !== undefined;
  const flagArgs = (options.get('set') ?? []).map((v) => `--set=${v}`);
  const { launch, problems: argProblems } = parseLaunchArgs(flagArgs);
  const dataDir = option(options, 'data-dir');
  const { config, problems } = await loadConfig({
    ...(dataDir !== undefined ? { dataDir } : {}),
    ...(io.registry ? { registry: io.registry } : {}),
    flags: launch.configFlags,
  });
  const checks: Check[] = [];
  for (const p of argProblems) checks.push({ name: 'arguments', status: 'warn', detail: `${p.arg}: ${p.message}` });
  if (problems.length === 0) checks.push({ name: 'config', status: 'ok', detail: `engine ${config.Engine}, no problems` });
  for (const p of problems) checks.push({ name: 'config', status: 'warn', detail: `${p.layer} ${p.key}: ${p.message}` });
  const proxyWarning = proxyModeWarning(config);
  if (proxyWarning) checks.push({ name: 'proxy', status: 'warn', detail: proxyWarning });
  checks.push(...(await windowsTlsChecks(io)));

  let ca: string | undefined;
  const caFile = option(options, 'ca');
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
    if (config.Engine === 'native') {
      try {
        const body = JSON.parse(String(res.data)) as { error?: unknown };
        if (typeof body.error === 'string') answer += ` ${body.error.slice(0, 40)}`;
      } catch {
        answer += ' (not JSON: a proxy or captive portal answered?)';
      }
    }
    reachable = res.status < 500;
    checks.push({ name: 'service', status: reachable ? 'ok' : 'fail', detail: `${new URL(target).host} answered ${answer}${protocol ? ` over ${protocol}` : ''}` });
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
