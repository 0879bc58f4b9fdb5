/**
 * The machine's static WinHTTP proxy: what `netsh winhttp set proxy` wrote (and `netsh winhttp import
 * proxy source=ie` copied), kept as the binary value `WinHttpSettings` under
 * HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\Connections. It is the default
 * `ProxyMode=winhttp`: a machine-wide setting an admin made on purpose, with no WPAD auto-detect (the
 * advice Microsoft gives for its own logon-screen reset link).
 *
 * Layout of the value, little-endian (not documented by Microsoft; it is what netsh writes and what
 * every reader of it assumes):
 *   DWORD version/size · DWORD change counter · DWORD flags (1 direct, 2 proxy, 4 auto-config URL, 8 auto-detect)
 *   DWORD length · proxy server (ANSI, e.g. "proxy:8080" or "http=a:80;https=b:443")
 *   DWORD length · bypass list (ANSI, e.g. "<local>;*.contoso.com")
 * Only flag 2 (a named proxy) is honoured; auto-config and auto-detect are never followed from here.
 */
import { join } from 'node:path';
import type { ExecFileRunner } from '../registry';
import type { ProxySettings } from './proxy';

export const WINHTTP_CONNECTIONS_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Connections';
export const WINHTTP_SETTINGS_VALUE = 'WinHttpSettings';

const FLAG_PROXY = 0x2;
/** Far above any real proxy or bypass list; a larger length means the value is damaged. */
const MAX_FIELD = 32 * 1024;

export type WinHttpProxy =
  | { kind: 'direct' }
  | { kind: 'proxy'; server: string; bypass: string }
  | { kind: 'unreadable'; reason: string };

/** Decodes a WinHttpSettings value. A damaged value is `unreadable` (the caller goes direct and says so). */
export const parseWinHttpSettings = (blob: Uint8Array): WinHttpProxy => {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 12) return { kind: 'unreadable', reason: `value is ${buf.length} bytes, shorter than its header` };
  const flags = buf.readUInt32LE(8);
  let offset = 12;
  const field = (name: string): string | { reason: string } => {
    if (offset + 4 > buf.length) return { reason: `${name} length missing` };
    const length = buf.readUInt32LE(offset);
    offset += 4;
    if (length > MAX_FIELD || offset + length > buf.length) return { reason: `${name} length ${length} runs past the value` };
    const text = buf.toString('latin1', offset, offset + length);
    offset += length;
    // eslint-disable-next-line no-control-regex -- a NUL-terminated copy is harmless; other control bytes are damage
    return text.replace(/\u0000+$/, '');
  };
  const server = field('proxy');
  if (typeof server !== 'string') return { kind: 'unreadable', reason: server.reason };
  // netsh always writes the bypass length; a value that ends right after the server still names a proxy.
  const bypass = offset === buf.length ? '' : field('bypass');
  if (typeof bypass !== 'string') return { kind: 'unreadable', reason: bypass.reason };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(server + bypass)) return { kind: 'unreadable', reason: 'control characters in the proxy or bypass list' };
  if ((flags & FLAG_PROXY) === 0 || server.trim() === '') return { kind: 'direct' };
  // The overlay never sends proxy credentials, and a secret must not reach the session config or the log.
  if (server.includes('@')) return { kind: 'unreadable', reason: 'credentials in the proxy address are not supported' };
  return { kind: 'proxy', server: server.trim(), bypass: bypass.trim() };
};

/** The REG_BINARY data of one value in `reg.exe query <key> /v <name>` output, or null when absent. */
export const binaryValueFromRegQuery = (stdout: string, name: string): Buffer | null => {
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^ {4}(.+?) {4}REG_BINARY(?: {4}([0-9A-Fa-f]*))?\s*$/.exec(line);
    if (m && m[1] === name) return Buffer.from(m[2] ?? '', 'hex');
  }
  return null;
};

/**
 * Reads the machine's WinHTTP proxy with reg.exe (by absolute path, 64-bit view), as the configuration
 * reader does. No value, or no key, is `direct`: that is what `netsh winhttp reset proxy` leaves.
 */
export const readWinHttpProxy = async (opts: { run: ExecFileRunner; env?: NodeJS.ProcessEnv }): Promise<WinHttpProxy> => {
  const env = opts.env ?? process.env;
  const regExe = join(env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows', 'System32', 'reg.exe');
  const view = env.PROCESSOR_ARCHITEW6432 ? ['/reg:64'] : [];
  const { stdout, code } = await opts.run(regExe, ['query', WINHTTP_CONNECTIONS_KEY, '/v', WINHTTP_SETTINGS_VALUE, ...view]);
  if (code !== 0) return { kind: 'direct' };
  const blob = binaryValueFromRegQuery(stdout, WINHTTP_SETTINGS_VALUE);
  return blob ? parseWinHttpSettings(blob) : { kind: 'direct' };
};

/**
 * The proxy settings every session and the main-process agent use. `winhttp` becomes `fixed` with the
 * machine's WinHTTP proxy and bypass list, or `direct` when there is none or it cannot be read; every
 * other mode is passed on as configured.
 */
export const effectiveProxySettings = (settings: ProxySettings, winhttp: WinHttpProxy): ProxySettings => {
  if (settings.ProxyMode !== 'winhttp') return settings;
  if (winhttp.kind !== 'proxy') return { ...settings, ProxyMode: 'direct', ProxyServer: '', ProxyBypass: '' };
  return { ...settings, ProxyMode: 'fixed', ProxyServer: winhttp.server, ProxyBypass: winhttp.bypass };
};
