/**
 * The host-name rules both allow-lists share (AllowedHosts: where the portal's main frame may go;
 * AllowedResourceHosts: where its scripts, images, styles and XHRs may come from).
 *
 * An entry is an exact host name, optionally with a port (`login.contoso.com:8443`). A wildcard
 * (`*.msftauth.net`) is accepted only for a suffix Microsoft documents for its sign-in and reset pages and
 * that only Microsoft can publish under. A suffix where anyone can host content (`*.windows.net`,
 * `*.azurewebsites.net`, `*.cloudapp.net`, ...) would let any tenant's web app into the logon screen, so it
 * is refused however it is written. Lives in shared so the config schema and the lockdown policy apply the
 * same rule.
 */

/**
 * Suffixes a wildcard may name: Microsoft 365's "required" identity endpoints (the CDN, image and CAPTCHA
 * hosts of the sign-in and reset pages, and the MFA service).
 */
export const BUILT_IN_WILDCARD_SUFFIXES = [
  'msftauth.net',
  'msauth.net',
  'msauthimages.net',
  'msftauthimages.net',
  'hip.live.com',
  'phonefactor.net',
] as const;

/**
 * Telemetry hosts from the same documented list: the page may try them, the overlay refuses them without
 * a warning in the log, since they carry nothing the user needs.
 */
export const TELEMETRY_SUFFIXES = ['events.data.microsoft.com', 'aria.microsoft.com'] as const;

const LABEL = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
const HOST = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export type HostEntryCheck = { ok: true; host: string; port: string; wildcard: boolean } | { ok: false; reason: string };

/** Whether one list entry follows the rule, and what it means once normalised (lower case, default port dropped). */
export const checkHostEntry = (raw: string): HostEntryCheck => {
  const entry = raw.trim().toLowerCase();
  const m = /^(.*?)(?::(\d{1,5}))?$/.exec(entry);
  const pattern = m?.[1] ?? '';
  const port = m?.[2] === undefined || m[2] === '443' ? '' : m[2];
  if (port !== '' && (Number(port) < 1 || Number(port) > 65535)) return { ok: false, reason: 'port out of range' };
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(2);
    if (!(BUILT_IN_WILDCARD_SUFFIXES as readonly string[]).includes(suffix)) {
      return { ok: false, reason: `a wildcard is allowed only for ${BUILT_IN_WILDCARD_SUFFIXES.map((s) => `*.${s}`).join(', ')}; list exact host names otherwise` };
    }
    return { ok: true, host: suffix, port, wildcard: true };
  }
  if (pattern.includes('*')) return { ok: false, reason: 'a wildcard may only be a whole leading label (*.msftauth.net)' };
  if (IPV4.test(pattern)) return { ok: true, host: pattern, port, wildcard: false };
  if (!HOST.test(pattern) || pattern.length > 253) return { ok: false, reason: 'not a host name' };
  return { ok: true, host: pattern, port, wildcard: false };
};

/** Whether `hostname` (already URL-normalised) is a sub-domain of `suffix` (never the apex itself). */
export const isSubdomainOf = (hostname: string, suffix: string): boolean =>
  hostname.length > suffix.length + 1 && hostname.endsWith(`.${suffix}`) && !hostname.slice(0, -(suffix.length + 1)).endsWith('.');

export const isTelemetryHost = (hostname: string): boolean => TELEMETRY_SUFFIXES.some((s) => hostname === s || isSubdomainOf(hostname, s));
