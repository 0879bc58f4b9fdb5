/**
 * Loads the layered configuration (DESIGN.md "Configuration"): defaults < config.json in the data folder
 * < HKLM\SOFTWARE\SsprLogon < the provider key's EnableLogging < HKLM\SOFTWARE\Policies\SsprLogon < flags.
 * A broken layer or value is reported and falls back; loading never throws.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFields, mergeLayers, shimOnlySettings, type Config, type ConfigKey, type ConfigProblem } from '../../shared/config';
import { POLICY_KEY, PROVIDER_KEY, SETTINGS_KEY, type RegistrySource, type RegistryValue } from './registry';

export const CONFIG_FILE_NAME = 'config.json';
/** The data folder's name under %ProgramData%. */
export const PRODUCT_DATA_FOLDER = 'SsprLogon';

export interface DataFolders {
  /** Holds config.json: %ProgramData%\SsprLogon on an install, --data-dir in the demo. */
  dataDir?: string;
  /**
   * Where this process writes log files itself: `<data-dir>/logs` in the demo. Absent on an install, where
   * the overlay logs to stdout and the shim owns the files (it cannot write logs\ anyway).
   */
  logDir?: string;
}

/** An environment variable by its Windows name, which is case-insensitive there. */
const envValue = (env: Record<string, string | undefined>, name: string): string | undefined => {
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : env[key];
};

/**
 * Where the data folder and the log folder are. A release build (what the MSI installs) ignores developer
 * flags and takes %ProgramData%\SsprLogon from the environment the shim gives it; a development build honours
 * --data-dir (and --log-dir), else uses %ProgramData% too when there is one.
 */
export const resolveDataFolders = (opts: {
  launch: { dataDir?: string; logDir?: string };
  release: boolean;
  env: Record<string, string | undefined>;
  join?: (...parts: string[]) => string;
}): DataFolders => {
  const joinPath = opts.join ?? join;
  if (!opts.release && opts.launch.dataDir !== undefined) {
    return { dataDir: opts.launch.dataDir, logDir: opts.launch.logDir ?? joinPath(opts.launch.dataDir, 'logs') };
  }
  const programData = envValue(opts.env, 'PROGRAMDATA')?.trim();
  const folders: DataFolders = programData ? { dataDir: joinPath(programData, PRODUCT_DATA_FOLDER) } : {};
  if (!opts.release && opts.launch.logDir !== undefined) folders.logDir = opts.launch.logDir;
  return folders;
};
const MAX_CONFIG_BYTES = 256 * 1024;

export interface LoadConfigOptions {
  dataDir?: string;
  /** Development flags, e.g. from --set=Key=Value; strings are coerced like registry values. */
  flags?: Record<string, unknown>;
  registry?: RegistrySource;
}

export interface LoadedConfig {
  config: Config;
  problems: ConfigProblem[];
}

const BOOLEAN_KEYS: ReadonlySet<ConfigKey> = new Set(['EnableLogging', 'PortalCapture', 'WebFlowOnRedirect']);
const NUMBER_KEYS: ReadonlySet<ConfigKey> = new Set(['IdleTimeoutSeconds', 'LogRetentionDays', 'LogMaxSizeMB', 'RequestTimeoutSeconds']);
const LIST_KEYS: ReadonlySet<ConfigKey> = new Set(['AllowedHosts', 'AllowedResourceHosts']);

/**
 * Registry and command-line values arrive as strings, DWORDs and multi-strings: bring them to the
 * schema's types. Anything that does not convert cleanly is passed on unchanged, so the schema reports it.
 */
export const coerceLayerValue = (key: string, value: unknown): unknown => {
  const k = key as ConfigKey;
  if (BOOLEAN_KEYS.has(k)) {
    if (value === 1 || value === '1' || value === 'true') return true;
    if (value === 0 || value === '0' || value === 'false') return false;
    return value;
  }
  if (NUMBER_KEYS.has(k) && typeof value === 'string' && /^\d{1,9}$/.test(value.trim())) return Number(value.trim());
  if (LIST_KEYS.has(k) && typeof value === 'string') return value.split(/[;,\s]+/).filter((s) => s.length > 0);
  // Marker texts contain spaces: one per line (or ';' on a command line).
  if (k === 'PortalMarkers' && typeof value === 'string') return value.split(/[\r\n;]+/).map((s) => s.trim()).filter((s) => s.length > 0);
  return value;
};

const coerceLayer = (raw: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, coerceLayerValue(key, value)]));

const readConfigFile = (dataDir: string): { raw: Record<string, unknown>; problem?: ConfigProblem } => {
  const layer = CONFIG_FILE_NAME;
  let text: string;
  try {
    text = readFileSync(join(dataDir, CONFIG_FILE_NAME), 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { raw: {} };
    return { raw: {}, problem: { layer, key: '*', message: `cannot read the file (${(err as { code?: string }).code ?? 'error'}), ignored` } };
  }
  if (text.length > MAX_CONFIG_BYTES) return { raw: {}, problem: { layer, key: '*', message: 'file too large, ignored' } };
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { raw: {}, problem: { layer, key: '*', message: 'not a JSON object, ignored' } };
    }
    return { raw: value as Record<string, unknown> };
  } catch {
    return { raw: {}, problem: { layer, key: '*', message: 'not valid JSON, ignored' } };
  }
};

/**
 * Values under the MSI's key that belong to the installer or to the credential-provider shim (src/shim reads
 * WatchdogSeconds and DebugLogFile there): not overlay settings, so not "unknown setting" problems.
 */
const MSI_BOOKKEEPING = new Set(['InstallDir', 'Version', 'ProductCode', 'WatchdogSeconds', 'DebugLogFile']);

/**
 * The MSI writes every property, given or not: an empty string there means "not set" and must not
 * override config.json. (Under the policy key an admin's empty value is deliberate and kept.)
 */
const msiLayer = (values: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(values).filter(([name, value]) => !MSI_BOOKKEEPING.has(name) && value !== ''));

const readRegistryLayer = async (
  registry: RegistrySource,
  key: string,
  only?: ConfigKey,
): Promise<{ raw: Record<string, unknown>; problem?: ConfigProblem }> => {
  let values: Record<string, RegistryValue> | null;
  try {
    values = await registry.readValues(key);
  } catch {
    return { raw: {}, problem: { layer: key, key: '*', message: 'cannot read the registry key, ignored' } };
  }
  if (!values) return { raw: {} };
  if (only) return { raw: only in values && values[only] !== '' ? { [only]: values[only] } : {} };
  const overlayValues = Object.fromEntries(Object.entries(values).filter(([name]) => !shimOnlySettings.includes(name)));
  return { raw: coerceLayer(key === SETTINGS_KEY ? msiLayer(overlayValues) : overlayValues) };
};

export const loadConfig = async (opts: LoadConfigOptions = {}): Promise<LoadedConfig> => {
  const layers: { name: string; raw: Record<string, unknown> }[] = [];
  const problems: ConfigProblem[] = [];
  if (opts.dataDir !== undefined) {
    const file = readConfigFile(opts.dataDir);
    if (file.problem) problems.push(file.problem);
    layers.push({ name: CONFIG_FILE_NAME, raw: file.raw });
  }
  if (opts.registry) {
    for (const [key, only] of [[SETTINGS_KEY], [PROVIDER_KEY, 'EnableLogging'], [POLICY_KEY]] as const) {
      const layer = await readRegistryLayer(opts.registry, key, only);
      if (layer.problem) problems.push(layer.problem);
      layers.push({ name: key, raw: only ? coerceLayer(layer.raw) : layer.raw });
    }
  }
  if (opts.flags) layers.push({ name: 'flags', raw: coerceLayer(opts.flags) });
  const merged = mergeLayers(layers);
  return { config: merged.config, problems: [...problems, ...merged.problems] };
};

export const isConfigKey = (key: string): key is ConfigKey => Object.prototype.hasOwnProperty.call(configFields, key);
