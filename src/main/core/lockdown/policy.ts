/**
 * The kiosk lockdown policy: every allow/deny decision the Electron adapter makes, as pure table-driven
 * functions (security.md §3, engineering-anchors.md §2). The adapter only wires these to Electron events,
 * so the whole policy is tested in plain Node.
 *
 * Rule of thumb: anything not explicitly allowed is refused. The overlay runs on an end-of-life Chromium
 * (Electron 22) on the logon screen, so the only content it may ever render is our own bundle and the
 * allow-listed Microsoft hosts.
 */

import { checkHostEntry, isSubdomainOf, isTelemetryHost } from '../../../shared/hosts';

/** Our own UI is served from this privileged scheme; never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'overlay';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export interface LockdownPolicy {
  /** Whether our own app:// origin may be shown (the chrome window) — the portal view never shows it. */
  allowApp: boolean;
  /**
   * AllowedHosts: where the main frame may go over https. Exact host names
   * (`passwordreset.microsoftonline.com`), optionally with a port (`login.contoso.com:8443`); a leading `*.`
   * only for the built-in documented suffixes (src/shared/hosts.ts). Compared after URL normalisation
   * (lower case, punycode), never by prefix.
   */
  allowedHosts: readonly string[];
  /**
   * AllowedResourceHosts: where subresources (scripts, styles, images, XHR, frames) may also come from.
   * Never a main-frame destination. Same entry rules.
   */
  resourceHosts: readonly string[];
}

/** The chrome window: our bundle only. */
export const chromePolicy: LockdownPolicy = { allowApp: true, allowedHosts: [], resourceHosts: [] };

/** The portal view: allow-listed Microsoft hosts only; the native engine's Authority is never rendered. */
export const portalPolicy = (allowedHosts: readonly string[], resourceHosts: readonly string[] = []): LockdownPolicy => ({
  allowApp: false,
  allowedHosts,
  resourceHosts,
});

const MAX_URL_LENGTH = 8192;

const parse = (raw: unknown): URL | null => {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) return null;
  // UNC paths (\\host\share, //host/share) would reach SMB and leak NTLM hashes; they never parse as
  // absolute URLs, but refuse them by shape too so no later "helpful" base URL can resurrect them.
  if (/^[\\/]{2}/.test(raw.trim())) return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
};

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

const isAppUrl = (u: URL): boolean =>
  u.protocol === `${APP_SCHEME}:` && u.host.toLowerCase() === APP_HOST && u.username === '' && u.password === '';

const hostEntryMatches = (entry: string, u: URL): boolean => {
  const checked = checkHostEntry(entry);
  // An entry that breaks the rule (a wildcard on a suffix anyone can host under) matches nothing.
  if (!checked.ok) return false;
  // URL drops the default port, so "443" in the list means the same as no port.
  if (checked.port !== u.port) return false;
  return checked.wildcard ? isSubdomainOf(u.hostname, checked.host) : u.hostname === checked.host;
};

const isHttpsUrlOnList = (u: URL, list: readonly string[]): boolean => {
  if (u.protocol !== 'https:') return false;
  if (u.username !== '' || u.password !== '') return false;
  const host = u.hostname;
  if (host === '' || host.endsWith('.')) return false;
  // IP literals and IDN look-alikes only pass when the admin listed exactly that host (they are
  // compared in normalised form, so a Cyrillic homoglyph is "xn--…" and matches nothing by accident).
  if ((IPV4.test(host) || host.startsWith('[')) && !list.some((h) => h.trim().toLowerCase() === host)) return false;
  return list.some((entry) => hostEntryMatches(entry, u));
};

const isAllowedHttpsUrl = (u: URL, policy: LockdownPolicy): boolean => isHttpsUrlOnList(u, policy.allowedHosts);

/** Top-level navigation, redirects and frame loads (will-navigate, will-redirect, loadURL). */
export const isNavigationAllowed = (url: unknown, policy: LockdownPolicy): boolean => {
  const u = parse(url);
  if (!u) return false;
  if (isAppUrl(u)) return policy.allowApp;
  return isAllowedHttpsUrl(u, policy);
};

/**
 * Every network request a session makes (webRequest.onBeforeRequest), by Electron's resourceType. The main
 * frame (and a request of unknown type) follows the navigation rule; a subresource may also come from
 * AllowedResourceHosts. Never ws:, http:, file:, chrome:/devtools:.
 */
export const isRequestAllowed = (url: unknown, policy: LockdownPolicy, resourceType?: string): boolean => {
  if (isNavigationAllowed(url, policy)) return true;
  if (resourceType === undefined || resourceType === 'mainFrame') return false;
  const u = parse(url);
  return u !== null && isHttpsUrlOnList(u, policy.resourceHosts);
};

/**
 * What onBeforeRequest does with a request: allow it, block it and log a warning, or block it quietly
 * (telemetry beacons the page sends on its own: refusing them is expected, logging them is noise).
 */
export const requestVerdict = (url: unknown, policy: LockdownPolicy, resourceType?: string): 'allow' | 'block' | 'block-quiet' => {
  if (isRequestAllowed(url, policy, resourceType)) return 'allow';
  const u = parse(url);
  return u !== null && isTelemetryHost(u.hostname) ? 'block-quiet' : 'block';
};

/** setWindowOpenHandler: a kiosk never opens a window, a tab or an external handler. */
export const windowOpenPolicy = (): { action: 'deny' } => ({ action: 'deny' });

/** will-download: always cancelled — a download shows a file dialog, which is a breakout (CVE-2018-5353). */
export const downloadPolicy = (): 'cancel' => 'cancel';

/** Every permission name Electron 22 passes to the request, check and device handlers. */
export const ELECTRON22_PERMISSIONS = [
  // setPermissionRequestHandler (electron.d.ts, v22.3.27)
  'clipboard-read',
  'clipboard-sanitized-write',
  'media',
  'display-capture',
  'mediaKeySystem',
  'geolocation',
  'notifications',
  'midi',
  'midiSysex',
  'pointerLock',
  'fullscreen',
  'openExternal',
  'window-placement',
  'unknown',
  // setPermissionCheckHandler also sees these
  'background-sync',
  'hid',
  'serial',
  'usb',
] as const;

/** Permission request, check and device handlers: nothing is ever granted, known or unknown. */
export const permissionPolicy = (_permission: string): false => false;

/** The overlay has no context menu: it would offer "Inspect", "Save image as…", "Print…". */
export const contextMenuPolicy = (): 'none' => 'none';

/** certificate-error: never continue past a bad certificate and never show certificate UI (CVE-2020-11552). */
export const certificateErrorPolicy = (): { trust: false } => ({ trust: false });

/**
 * setCertificateVerifyProc: -2 rejects, -3 keeps Chromium's own verdict. A certificate Chromium already
 * rejected stays rejected, and a host outside the allow-list is refused even with a valid certificate.
 */
export const certificateVerifyResult = (
  request: { hostname: string; errorCode: number },
  policy: LockdownPolicy,
): -2 | -3 => {
  if (request.errorCode !== 0) return -2;
  const u = safeHostUrl(request.hostname);
  return isHttpsUrlOnList(u, policy.allowedHosts) || isHttpsUrlOnList(u, policy.resourceHosts) ? -3 : -2;
};

const safeHostUrl = (hostname: string): URL => {
  try {
    return new URL(`https://${hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname}/`);
  } catch {
    return new URL('https://invalid.invalid/');
  }
};

// ---------------------------------------------------------------- keyboard

/** The subset of Electron's `Input` the shortcut policy reads. */
export interface KeyInput {
  type?: string;
  key: string;
  code?: string;
  control?: boolean;
  shift?: boolean;
  alt?: boolean;
  meta?: boolean;
}

export interface ShortcutRule {
  name: string;
  /** Lower-case key (letters) or KeyboardEvent.key / .code name. */
  keys: readonly string[];
  /** 'primary' = Ctrl or Meta (Cmd), no Shift; 'primary-any-shift' = with or without Shift; 'alt' = Alt without Ctrl; 'any' = whatever modifiers. */
  mod: 'primary' | 'primary+shift' | 'primary-any-shift' | 'alt' | 'any';
}

const F_KEYS = Array.from({ length: 24 }, (_, i) => `f${i + 1}`);

/** Named browser accelerators the kiosk swallows (security.md §3.2, engineering-anchors.md §2.3). */
export const BLOCKED_SHORTCUTS: readonly ShortcutRule[] = [
  { name: 'print', keys: ['p'], mod: 'primary' },
  { name: 'save', keys: ['s'], mod: 'primary' },
  { name: 'save-as', keys: ['s'], mod: 'primary+shift' },
  { name: 'open', keys: ['o'], mod: 'primary' },
  { name: 'find', keys: ['f', 'g'], mod: 'primary' },
  { name: 'zoom-in', keys: ['=', '+', 'numpadadd', 'equal'], mod: 'primary-any-shift' },
  { name: 'zoom-out', keys: ['-', '_', 'numpadsubtract', 'minus'], mod: 'primary-any-shift' },
  { name: 'zoom-reset', keys: ['0', 'numpad0', 'digit0', ')'], mod: 'primary-any-shift' },
  { name: 'reload', keys: ['r'], mod: 'primary' },
  { name: 'force-reload', keys: ['r'], mod: 'primary+shift' },
  { name: 'devtools', keys: ['i', 'j', 'c'], mod: 'primary+shift' },
  { name: 'view-source', keys: ['u'], mod: 'primary' },
  { name: 'close-window', keys: ['w', 'f4'], mod: 'primary' },
  { name: 'close-window-alt', keys: ['f4'], mod: 'alt' },
  { name: 'new-window', keys: ['n', 't'], mod: 'primary' },
  { name: 'new-incognito-window', keys: ['n', 't'], mod: 'primary+shift' },
  { name: 'history', keys: ['h'], mod: 'primary' },
  { name: 'downloads', keys: ['j'], mod: 'primary' },
  { name: 'bookmarks', keys: ['d', 'b'], mod: 'primary' },
  { name: 'bookmark-manager', keys: ['o', 'b'], mod: 'primary+shift' },
  { name: 'clear-browsing-data', keys: ['delete'], mod: 'primary+shift' },
  { name: 'address-bar', keys: ['l', 'e', 'k'], mod: 'primary' },
  { name: 'address-bar-alt', keys: ['d'], mod: 'alt' },
  { name: 'browser-menu', keys: ['f', 'e'], mod: 'alt' },
  { name: 'home', keys: ['home'], mod: 'alt' },
  { name: 'history-back-forward', keys: ['arrowleft', 'arrowright'], mod: 'alt' },
  { name: 'system-menu', keys: [' ', 'space'], mod: 'alt' },
  { name: 'tab-switch', keys: ['tab', 'pageup', 'pagedown'], mod: 'primary' },
  { name: 'tab-switch-back', keys: ['tab', 'pageup', 'pagedown'], mod: 'primary+shift' },
  { name: 'tab-select', keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], mod: 'primary' },
  // Every function key in every combination: F1 help, F3 find, F5 reload (also Ctrl/Shift+F5), F6
  // address bar, F7 caret browsing, F10 menu (and Shift+F10 context menu), F11 full screen, F12 devtools.
  { name: 'function-keys', keys: F_KEYS, mod: 'any' },
  { name: 'context-menu-key', keys: ['contextmenu'], mod: 'any' },
  { name: 'menu-bar', keys: ['alt'], mod: 'alt' },
  {
    name: 'browser-keys',
    keys: ['browserback', 'browserforward', 'browserrefresh', 'browserhome', 'browsersearch', 'browserfavorites', 'browserstop', 'launchmail', 'launchapp1', 'launchapp2', 'print', 'printscreen'],
    mod: 'any',
  },
];

/** Ctrl/Cmd + these letters stay allowed: editing must work (ASVS 6.2.7: paste must work). */
const EDITING_LETTERS = new Set(['a', 'c', 'v', 'x', 'z', 'y']);
/** Ctrl+Shift+Z (redo) and Ctrl+Shift+V (paste as plain text). */
const EDITING_SHIFT_LETTERS = new Set(['z', 'v']);

/**
 * The letter a shortcut means. Chromium resolves accelerators by the layout's key, so `key` wins for Latin
 * letters (AZERTY's Ctrl+Z stays undo); for a non-Latin layout (Cyrillic "к" on KeyR) the physical key
 * stands in, as Windows' virtual-key code does.
 */
const shortcutKey = (input: KeyInput): string => {
  const key = input.key.toLowerCase();
  if (/^[a-z]$/.test(key)) return key;
  if (input.key.length === 1 && /\p{L}/u.test(input.key) && input.code && /^Key[A-Z]$/.test(input.code)) {
    return input.code.slice(3).toLowerCase();
  }
  return key;
};

const modifiersMatch = (mod: ShortcutRule['mod'], input: KeyInput): boolean => {
  const primary = Boolean(input.control || input.meta);
  const shift = Boolean(input.shift);
  const alt = Boolean(input.alt);
  switch (mod) {
    case 'any':
      return true;
    case 'primary-any-shift':
      return primary && !alt;
    case 'primary':
      return primary && !shift && !alt;
    case 'primary+shift':
      return primary && shift && !alt;
    case 'alt':
      return alt && !primary;
  }
};

/** Which named rule a key event hits, or null when it must reach the page. */
export const blockedShortcutName = (input: KeyInput): string | null => {
  const primary = Boolean(input.control || input.meta);
  // AltGr arrives as Ctrl+Alt with the produced character as key ("@" on a German Q): that is typing.
  if (input.control && input.alt && input.key.length === 1) return null;
  const key = shortcutKey(input);
  const code = (input.code ?? '').toLowerCase();
  for (const rule of BLOCKED_SHORTCUTS) {
    if (!modifiersMatch(rule.mod, input)) continue;
    if (rule.keys.includes(key) || (code !== '' && rule.keys.includes(code))) return rule.name;
  }
  // Any other Ctrl/Cmd(+Shift)+letter is a browser or OS accelerator we do not need; only editing stays.
  if (primary && !input.alt && /^[a-z]$/.test(key)) {
    const allowed = input.shift ? EDITING_SHIFT_LETTERS : EDITING_LETTERS;
    if (!allowed.has(key)) return 'unlisted-accelerator';
  }
  // Alt+letter opens browser menus and access keys we never define.
  if (input.alt && !primary && /^[a-z]$/.test(key)) return 'alt-accelerator';
  return null;
};

/** before-input-event: true = preventDefault. Only keys handled by Windows itself (Ctrl+Alt+Del, Win+L) pass regardless. */
export const isBlockedShortcut = (input: KeyInput): boolean => blockedShortcutName(input) !== null;

// ---------------------------------------------------------------- start-up

/**
 * Chromium/Node switches that would open a debugger, weaken TLS or the sandbox, redirect traffic, or write
 * secrets to disk. Any of them on our command line means someone is tampering: refuse to start.
 */
export const DANGEROUS_SWITCHES = [
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-debugging-address',
  'remote-allow-origins',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'inspect-publish-uid',
  'debug',
  'debug-brk',
  'wait-for-debugger',
  'auto-open-devtools-for-tabs',
  'ignore-certificate-errors',
  'ignore-certificate-errors-spki-list',
  'ignore-urlfetcher-cert-requests',
  'allow-insecure-localhost',
  'ssl-version-min',
  'ssl-version-max',
  'cipher-suite-blacklist',
  'unsafely-treat-insecure-origin-as-secure',
  'allow-running-insecure-content',
  'allow-file-access-from-files',
  'disable-web-security',
  'no-sandbox',
  'disable-gpu-sandbox',
  'disable-setuid-sandbox',
  'single-process',
  'in-process-gpu',
  'gpu-launcher',
  'renderer-cmd-prefix',
  'utility-cmd-prefix',
  'browser-subprocess-path',
  'disable-site-isolation-trials',
  'site-per-process',
  'proxy-server',
  'proxy-pac-url',
  'proxy-bypass-list',
  'no-proxy-server',
  'proxy-auto-detect',
  'host-rules',
  'host-resolver-rules',
  'auth-server-whitelist',
  'auth-server-allowlist',
  'auth-negotiate-delegate-whitelist',
  'auth-negotiate-delegate-allowlist',
  'enable-logging',
  'log-net-log',
  'net-log-capture-mode',
  'log-file',
  'v',
  'vmodule',
  'js-flags',
  'user-data-dir',
  'disk-cache-dir',
  'load-extension',
  'enable-features',
  'disable-features',
  'enable-blink-features',
  'disable-blink-features',
  'enable-experimental-web-platform-features',
] as const;

const DANGEROUS = new Set<string>(DANGEROUS_SWITCHES);

/** The switch name of one argv entry ("--inspect=9229" → "inspect"); Windows Chromium also accepts "-x" and "/x". */
const switchName = (arg: string): string | null => {
  const m = /^(?:--|-|\/)([^=\s]+)/.exec(arg);
  return m?.[1] ? m[1].toLowerCase() : null;
};

/**
 * The dangerous switches present, from Chromium's parsed command line (`app.commandLine.hasSwitch`) and
 * from the raw argv (catches Node's own `--inspect*` and odd prefixes). Empty = safe to start.
 */
export const dangerousSwitches = (
  commandLine: { hasSwitch(name: string): boolean } | null,
  argv: readonly string[] = [],
): string[] => {
  const found = new Set<string>();
  if (commandLine) for (const name of DANGEROUS_SWITCHES) if (commandLine.hasSwitch(name)) found.add(name);
  // argv[0] is the executable; everything after "--" (none expected) is still inspected.
  for (const arg of argv.slice(1)) {
    const name = switchName(arg);
    if (name && DANGEROUS.has(name)) found.add(name);
  }
  return [...found].sort();
};

/** Environment variables that turn Electron into a debugger or a Node runtime (fuses should stop them too). */
export const DANGEROUS_ENVIRONMENT = ['ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS', 'ELECTRON_ENABLE_LOGGING', 'ELECTRON_DEBUG_NOTIFICATIONS', 'NODE_DEBUG', 'ELECTRON_ENABLE_STACK_DUMPING'] as const;

export const dangerousEnvironment = (env: Record<string, string | undefined>): string[] =>
  DANGEROUS_ENVIRONMENT.filter((name) => {
    const value = env[name];
    return value !== undefined && value !== '';
  });

// ---------------------------------------------------------------- content security policy

/** CSP header for every app:// response: our own scripts only, no network, no frames, no plugins. */
export const APP_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "frame-src 'none'",
  "child-src 'none'",
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
