/**
 * Proxy settings from config, turned into (a) the route the main-process HTTPS agent takes for one host
 * and (b) the Electron session ProxyConfig. Pure functions; no Electron import.
 *
 * Modes (DESIGN.md config `ProxyMode`):
 * - winhttp (default): the machine's static WinHTTP proxy (`netsh winhttp set proxy`), or direct when
 *           none is set. The adapter reads it at start and hands on `fixed` or `direct` settings
 *           (./winhttp.ts `effectiveProxySettings`); unresolved, it means direct here.
 * - direct: no proxy anywhere.
 * - fixed:  `ProxyServer` (host:port, http://host:port, or Chromium rules such as "https=host:port;http=…"),
 *           `ProxyBypass` (Windows-style "a;*.b;<local>" or Chromium-style "a,*.b").
 * - pac:    `PacUrl`; Chromium evaluates it for the sessions. The main-process agent cannot run PAC
 *           JavaScript itself: the Electron adapter hands it `session.resolveProxy(url)`, which answers
 *           "PROXY host:port; DIRECT" per URL from Chromium's own resolver.
 * - system: Chromium's system settings for the sessions, WPAD auto-detect included: only when an admin
 *           chooses it (doctor warns). The main-process agent asks `session.resolveProxy` too when the
 *           adapter provides it, else it goes direct.
 */

export type ProxyMode = 'winhttp' | 'system' | 'direct' | 'fixed' | 'pac';

export interface ProxySettings {
  ProxyMode: ProxyMode;
  ProxyServer: string;
  ProxyBypass: string;
  PacUrl: string;
}

export type ProxyRoute = { kind: 'direct' } | { kind: 'http'; host: string; port: number };

/** The Electron 22 `ProxyConfig` shape (electron.d.ts `Config`), restated so core needs no Electron import. */
export interface SessionProxyConfig {
  mode: 'direct' | 'fixed_servers' | 'pac_script' | 'system';
  proxyRules?: string;
  proxyBypassRules?: string;
  pacScript?: string;
}

const splitList = (value: string): string[] =>
  value
    .split(/[;,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/**
 * The HTTP proxy that carries https:// traffic, from a ProxyServer value. Chromium-style per-scheme rules
 * pick `https=`; a bare entry applies to every scheme. SOCKS and proxies reached over TLS are not
 * supported by the main-process agent (the sessions still honour them) and yield null.
 */
export const httpsProxyFromServer = (server: string): { host: string; port: number } | null => {
  const entries = server
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  const scoped = entries.find((e) => /^https=/i.test(e));
  const bare = entries.find((e) => !e.includes('='));
  const chosen = scoped ? scoped.slice('https='.length) : bare;
  if (!chosen) return null;
  return parseProxyEndpoint(chosen);
};

/** "host:port", "http://host:port", "[::1]:3128"; default port 80 as Chromium uses for HTTP proxies. */
export const parseProxyEndpoint = (value: string): { host: string; port: number } | null => {
  const trimmed = value.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'http') return null;
  let url: URL;
  try {
    url = new URL(scheme ? trimmed : `http://${trimmed}`);
  } catch {
    return null;
  }
  if (url.username || url.password) return null; // credentials never go in config: no prompt, no secret on disk
  if (url.pathname !== '/' || url.search || url.hash) return null;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return null;
  const port = url.port ? Number(url.port) : 80;
  return { host, port };
};

/**
 * Whether `host` skips the proxy. Patterns: exact host, "*.suffix" or ".suffix" (sub-domains), wildcard
 * globs such as "10.*" or "*contoso.com", and "<local>" (plain names without a dot, plus loopback — the
 * Windows meaning combined with Chromium's).
 */
export const bypassesProxy = (host: string, bypass: string): boolean => {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  for (const raw of splitList(bypass)) {
    const pattern = raw.toLowerCase().replace(/^[a-z]+:\/\//, '').replace(/:\d+$/, '');
    if (pattern === '<local>') {
      if (!h.includes('.') && !h.includes(':')) return true;
      if (h === 'localhost' || h === '::1' || h.startsWith('127.')) return true;
      continue;
    }
    if (pattern === '<-loopback>') continue;
    if (pattern.startsWith('.')) {
      if (h.endsWith(pattern) || h === pattern.slice(1)) return true;
      continue;
    }
    if (pattern.includes('*')) {
      const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
      if (re.test(h)) return true;
      continue;
    }
    if (h === pattern) return true;
  }
  return false;
};

const escapeRegExp = (s: string): string => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/**
 * One entry of a PAC / resolveProxy answer ("PROXY a:8080; HTTPS b:443; DIRECT"): the first route the
 * main-process agent can take. Unsupported kinds (SOCKS, HTTPS proxies) are skipped; null if none remains.
 */
export const routeFromPacResult = (result: string): ProxyRoute | null => {
  for (const entry of result.split(';').map((s) => s.trim()).filter(Boolean)) {
    const [kind, endpoint] = entry.split(/\s+/, 2);
    const k = (kind ?? '').toUpperCase();
    if (k === 'DIRECT') return { kind: 'direct' };
    if (k === 'PROXY' && endpoint) {
      const parsed = parseProxyEndpoint(endpoint);
      if (parsed) return { kind: 'http', ...parsed };
    }
  }
  return null;
};

/** The main-process route for a host under a fixed or direct configuration (PAC/system need a resolver). */
export const staticRoute = (settings: ProxySettings, host: string): ProxyRoute => {
  if (settings.ProxyMode !== 'fixed') return { kind: 'direct' };
  const proxy = httpsProxyFromServer(settings.ProxyServer);
  if (!proxy) return { kind: 'direct' };
  if (bypassesProxy(host, settings.ProxyBypass)) return { kind: 'direct' };
  return { kind: 'http', ...proxy };
};

/** Chromium separates bypass rules with commas; Windows admins write semicolons. */
const chromiumBypassRules = (bypass: string): string => splitList(bypass).join(',');

/** The ProxyConfig applied to EVERY Electron session (chrome window, portal view, default session). */
export const sessionProxyConfig = (settings: ProxySettings): SessionProxyConfig => {
  switch (settings.ProxyMode) {
    case 'direct':
      return { mode: 'direct' };
    case 'fixed': {
      const rules = settings.ProxyServer.trim();
      // "fixed" without a server is a misconfiguration: go direct rather than guess (doctor reports it).
      if (!rules) return { mode: 'direct' };
      const bypass = chromiumBypassRules(settings.ProxyBypass);
      return bypass ? { mode: 'fixed_servers', proxyRules: rules, proxyBypassRules: bypass } : { mode: 'fixed_servers', proxyRules: rules };
    }
    case 'pac':
      // "pac" without a script is a misconfiguration: direct, never the system settings (WPAD).
      return settings.PacUrl ? { mode: 'pac_script', pacScript: settings.PacUrl } : { mode: 'direct' };
    case 'system':
      return { mode: 'system' };
    case 'winhttp':
      // Resolved to fixed/direct by the adapter before it gets here; unresolved, never guess.
      return { mode: 'direct' };
  }
};

/**
 * doctor's warning for a mode that lets Windows pick the proxy: `system` follows WPAD auto-detect, which
 * anyone on the local network can answer, and a PAC script decides per URL. Null for the static modes.
 */
export const proxyModeWarning = (settings: ProxySettings): string | null => {
  if (settings.ProxyMode === 'system') {
    return 'ProxyMode=system uses the machine\'s automatic proxy detection (WPAD): anyone on the local network can answer it. Prefer winhttp (the default), fixed or direct';
  }
  if (settings.ProxyMode === 'pac') {
    return settings.PacUrl
      ? `ProxyMode=pac: the script at ${settings.PacUrl} decides the proxy for every request; keep it under your control`
      : 'ProxyMode=pac without a PacUrl: the overlay connects directly';
  }
  return null;
};
