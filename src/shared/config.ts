/**
 * The one configuration schema (DESIGN.md "Configuration"). Layers, later wins: built-in defaults <
 * config.json in the data folder < HKLM\SOFTWARE\SsprLogon < HKLM\SOFTWARE\Policies\SsprLogon < flags.
 * Each key is validated on its own, so one bad value falls back to the lower layer instead of
 * discarding the rest (see src/main/core/config.ts).
 */
import * as v from 'valibot';
import { accentProblem, HEX_COLOUR } from './branding';
import { checkHostEntry } from './hosts';

/** One admin marker: outcome, where to look, and a plain text (matched as a case-insensitive substring). */
export const PORTAL_MARKER_ENTRY = /^(success|not_enabled|not_registered|not_saved|throttled|cancel):(url|title|text):.{2,200}$/;


const httpsUrl = v.pipe(v.string(), v.url(), v.startsWith('https://'));
/** Exact host names, or a wildcard on a built-in documented suffix only (src/shared/hosts.ts). */
const hostList = v.array(
  v.pipe(
    v.string(),
    v.check((entry) => checkHostEntry(entry).ok, (issue) => {
      const checked = checkHostEntry(String(issue.input));
      return `${String(issue.input)}: ${checked.ok ? 'invalid' : checked.reason}`;
    }),
  ),
);

export const configFields = {
  Engine: v.picklist(['portal', 'native']),
  PortalUrl: httpsUrl,
  AllowedHosts: hostList,
  AllowedResourceHosts: hostList,
  /** Extra outcome markers, `outcome:where:text` (src/main/core/portal/markers.ts), added to the built-in ones. */
  PortalMarkers: v.pipe(
    v.array(v.pipe(v.string(), v.regex(PORTAL_MARKER_ENTRY, 'expected outcome:where:text, e.g. success:text:Your password has been reset'))),
    v.maxLength(64),
  ),
  /** Pilot mode: log what the portal shows and loads, per attempt (never a typed value). */
  PortalCapture: v.boolean(),
  /** Native engine: on a `redirect` answer, offer PortalUrl (the tenant's hosted web flow) in the locked view. */
  WebFlowOnRedirect: v.boolean(),
  Authority: httpsUrl,
  ClientId: v.pipe(v.string(), v.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)),
  LinkText: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  HelpdeskText: v.pipe(v.string(), v.maxLength(500)),
  /** Empty: not set, so the language the shim passes (the Windows display language) decides. */
  Locale: v.union([v.literal(''), v.pipe(v.string(), v.maxLength(35), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/i))]),
  IdleTimeoutSeconds: v.pipe(v.number(), v.integer(), v.minValue(30), v.maxValue(3600)),
  /** winhttp (default): the machine's static WinHTTP proxy or direct; system (WPAD) only when chosen. */
  ProxyMode: v.picklist(['winhttp', 'system', 'direct', 'fixed', 'pac']),
  ProxyServer: v.pipe(v.string(), v.maxLength(500)),
  ProxyBypass: v.pipe(v.string(), v.maxLength(2000)),
  PacUrl: v.union([v.literal(''), httpsUrl]),
  EnableLogging: v.boolean(),
  LogRetentionDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(365)),
  LogMaxSizeMB: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1024)),
  BrandName: v.pipe(v.string(), v.maxLength(64)),
  /** #RRGGBB for buttons and links; refused unless it keeps button text and controls readable. */
  AccentColor: v.union([
    v.literal(''),
    v.pipe(
      v.string(),
      v.regex(HEX_COLOUR, 'accent colour must be #RRGGBB'),
      v.check((c) => accentProblem(c) === null, (issue) => accentProblem(String(issue.input)) ?? 'accent colour refused'),
    ),
  ]),
  /** A PNG or SVG file in the data folder shown beside the name in the header (see src/main/core/logo.ts). */
  LogoFile: v.union([v.literal(''), v.pipe(v.string(), v.maxLength(64), v.regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*\.(png|svg)$/i, 'expected the name of a .png or .svg file in the data folder, not a path'))]),
  /** The organisation's UPN suffix (e.g. fabrikam.com): the user-id hint and examples use it. */
  UpnSuffix: v.union([v.literal(''), v.pipe(v.string(), v.maxLength(48), v.regex(/^(?=.{1,48}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'expected a domain such as fabrikam.com'))]),
  /** Seconds the overlay waits for the service on one request before calling it unreachable. */
  RequestTimeoutSeconds: v.pipe(v.number(), v.integer(), v.minValue(5), v.maxValue(120)),
} as const;

export type ConfigKey = keyof typeof configFields;
export type Config = { [K in ConfigKey]: v.InferOutput<(typeof configFields)[K]> };

export const DEFAULT_PORTAL_URL = 'https://passwordreset.microsoftonline.com/';

/**
 * Where the reset page's subresources may come from by default: the hosts Microsoft documents for the reset
 * link and for sign-in pages (API, script CDN, image and CAPTCHA hosts). Which of them the page really
 * loads is not documented; the pilot capture (PortalCapture) shows it on a tenant's own network.
 */
export const DEFAULT_RESOURCE_HOSTS = [
  'api.passwordreset.microsoftonline.com',
  'ajax.aspnetcdn.com',
  '*.msftauth.net',
  '*.msauth.net',
  '*.msauthimages.net',
  '*.msftauthimages.net',
  '*.hip.live.com',
] as const;

export const defaultConfig: Config = {
  Engine: 'portal',
  PortalUrl: DEFAULT_PORTAL_URL,
  AllowedHosts: ['passwordreset.microsoftonline.com'],
  AllowedResourceHosts: [...DEFAULT_RESOURCE_HOSTS],
  PortalMarkers: [],
  PortalCapture: false,
  WebFlowOnRedirect: true,
  Authority: 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com/',
  ClientId: '00000000-0000-0000-0000-000000000000',
  LinkText: 'Forgot password?',
  /** Empty: the overlay shows its own localised "contact your IT helpdesk" sentence. */
  HelpdeskText: '',
  Locale: '',
  IdleTimeoutSeconds: 180,
  ProxyMode: 'winhttp',
  ProxyServer: '',
  ProxyBypass: '',
  PacUrl: '',
  EnableLogging: false,
  LogRetentionDays: 14,
  LogMaxSizeMB: 20,
  BrandName: '',
  AccentColor: '',
  LogoFile: '',
  UpnSuffix: '',
  RequestTimeoutSeconds: 30,
};

/**
 * Keys whose invalid value means a fixed safe answer instead of the lower layer: an admin who mistyped a
 * proxy mode meant some proxy policy, and the lower layer could be one that reaches WPAD.
 */
const INVALID_MEANS: Partial<Config> = { ProxyMode: 'direct' };

/**
 * The overlay's language: Locale (policy or MSI) when an admin set it; else --lang, the Windows display
 * language the shim passes; else English. The in-overlay switch then overrides it for the session.
 */
export const overlayLanguage = (config: Pick<Config, 'Locale'>, lang: string | undefined): string => config.Locale || lang || 'en';

/** The branding settings the overlay's screens need, only those an admin set. */
export const brandingInfo = (config: Pick<Config, 'BrandName' | 'AccentColor' | 'UpnSuffix'>): { brandName?: string; accentColor?: string; upnSuffix?: string } => ({
  ...(config.BrandName.trim() ? { brandName: config.BrandName.trim() } : {}),
  ...(config.AccentColor ? { accentColor: config.AccentColor } : {}),
  ...(config.UpnSuffix ? { upnSuffix: config.UpnSuffix.toLowerCase() } : {}),
});

export interface ConfigProblem {
  layer: string;
  key: string;
  message: string;
}

/**
 * Values under the same registry keys (the MSI's and the Group Policy one) that only the credential-provider
 * shim reads (src/shim): not overlay settings, so never reported as unknown, and the ADMX may write them.
 */
export const shimOnlySettings: readonly string[] = ['UseOverlayAccount'];

/** Validates one layer key by key: good keys are kept, bad or unknown ones reported. */
export const validateLayer = (layer: string, raw: Record<string, unknown>): { values: Partial<Config>; problems: ConfigProblem[] } => {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.prototype.hasOwnProperty.call(configFields, key)) {
      problems.push({ layer, key, message: 'unknown setting, ignored' });
      continue;
    }
    const result = v.safeParse(configFields[key as ConfigKey], value);
    if (result.success) values[key] = result.output;
    else if (key in INVALID_MEANS) {
      values[key] = INVALID_MEANS[key as keyof typeof INVALID_MEANS];
      problems.push({ layer, key, message: `invalid value, using ${String(INVALID_MEANS[key as keyof typeof INVALID_MEANS])} (${result.issues[0]?.message ?? 'invalid'})` });
    } else problems.push({ layer, key, message: `invalid value, using the lower layer (${result.issues[0]?.message ?? 'invalid'})` });
  }
  return { values: values as Partial<Config>, problems };
};

export const mergeLayers = (layers: { name: string; raw: Record<string, unknown> }[]): { config: Config; problems: ConfigProblem[] } => {
  let config: Config = { ...defaultConfig };
  const problems: ConfigProblem[] = [];
  for (const layer of layers) {
    const r = validateLayer(layer.name, layer.raw);
    config = { ...config, ...r.values };
    problems.push(...r.problems);
  }
  return { config, problems };
};
