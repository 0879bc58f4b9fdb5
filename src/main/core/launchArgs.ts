/**
 * The overlay's command line, as the credential-provider shim writes it (DESIGN.md "Shim → overlay"):
 * `--scenario=logon|unlock [--user=<name on the tile>] [--lang=<BCP 47>] [--session-limit=<seconds>]`, plus
 * development flags.
 * A bad value is reported and falls back; it never stops the overlay. A release build ignores every
 * development flag: whoever can put arguments on its command line must not point it at another
 * configuration, log folder or the embedded emulator.
 */
export type Scenario = 'logon' | 'unlock';

export interface LaunchArgs {
  scenario: Scenario;
  /** Name shown on the tile, used only to prefill the user-id field ('' when none). */
  user: string;
  lang?: string;
  /** Hard session limit from the shim, always below its watchdog; activity does not extend it. */
  sessionLimitSeconds?: number;
  /** Development: run against the embedded emulator (the UI says so). */
  demo: boolean;
  /** Development: configuration overrides from --set=Key=Value (the "flags" layer). */
  configFlags: Record<string, string>;
  /** Development: data folder holding config.json, and logs in its logs/ when not told otherwise. */
  dataDir?: string;
  /** Development: log folder. */
  logDir?: string;
}

export interface LaunchProblem {
  arg: string;
  message: string;
}

const MAX_USER = 256;
/** The shim's largest watchdog (4 h). */
const MAX_SESSION_LIMIT_SECONDS = 4 * 60 * 60;
const MAX_ARG = 4096;
const BCP47 = /^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const CONFIG_FLAG = /^([A-Za-z]{1,40})=(.*)$/s;

/** Shows an argument in a problem report without echoing control characters or a long paste. */
const preview = (arg: string): string => JSON.stringify(arg.slice(0, 80));

/** Developers type `--data-dir <dir>` as often as `--data-dir=<dir>`: both mean the same folder flag. */
const FOLDER_FLAGS = new Set(['--data-dir', '--log-dir']);
const joinFolderValues = (argv: readonly string[]): string[] => {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (FOLDER_FLAGS.has(arg) && next !== undefined && !next.startsWith('--')) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else out.push(arg);
  }
  return out;
};

/** Flags for development builds only: a release build reports and ignores them. */
export const DEVELOPMENT_FLAGS = ['--demo', '--set', '--data-dir', '--log-dir'] as const;
const DEVELOPMENT = new Set<string>(DEVELOPMENT_FLAGS);

export interface LaunchArgsOptions {
  /** A release (packaged) build: DEVELOPMENT_FLAGS are ignored. */
  release?: boolean;
}

export const parseLaunchArgs = (argv: readonly string[], opts: LaunchArgsOptions = {}): { launch: LaunchArgs; problems: LaunchProblem[] } => {
  const launch: LaunchArgs = { scenario: 'logon', user: '', demo: false, configFlags: {} };
  const problems: LaunchProblem[] = [];
  for (const arg of joinFolderValues(argv)) {
    if (arg.length > MAX_ARG) {
      problems.push({ arg: preview(arg), message: 'argument too long, ignored' });
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (opts.release && DEVELOPMENT.has(name)) {
      // The name only: a value may be a path or a setting nobody should find in the log.
      problems.push({ arg: name, message: 'development flag, ignored in a release build' });
      continue;
    }
    switch (name) {
      case '--scenario':
        if (value === 'logon' || value === 'unlock') launch.scenario = value;
        else problems.push({ arg: preview(arg), message: 'scenario must be logon or unlock; using logon' });
        break;
      case '--user':
        if (value === undefined || value.length > MAX_USER || UNPRINTABLE.test(value)) {
          problems.push({ arg: '--user', message: 'user hint missing, too long or unprintable; ignored' });
        } else launch.user = value.trim();
        break;
      case '--lang':
        if (value !== undefined && BCP47.test(value)) launch.lang = value;
        else problems.push({ arg: preview(arg), message: 'lang is not a BCP 47 tag; using the configured locale' });
        break;
      case '--session-limit': {
        const seconds = value !== undefined && /^\d{1,5}$/.test(value) ? Number(value) : NaN;
        if (seconds >= 1 && seconds <= MAX_SESSION_LIMIT_SECONDS) launch.sessionLimitSeconds = seconds;
        else problems.push({ arg: preview(arg), message: `session limit must be 1..${MAX_SESSION_LIMIT_SECONDS} seconds; ignored` });
        break;
      }
      case '--demo':
        launch.demo = value === undefined || value === 'true' || value === '1';
        break;
      case '--set': {
        const m = value === undefined ? null : CONFIG_FLAG.exec(value);
        if (m?.[1] !== undefined && m[2] !== undefined) launch.configFlags[m[1]] = m[2];
        else problems.push({ arg: preview(arg), message: 'expected --set=Key=Value; ignored' });
        break;
      }
      case '--data-dir':
      case '--log-dir':
        if (value && !UNPRINTABLE.test(value)) launch[name === '--data-dir' ? 'dataDir' : 'logDir'] = value;
        else problems.push({ arg: preview(arg), message: 'expected a folder; ignored' });
        break;
      default:
        problems.push({ arg: preview(arg), message: 'unknown argument, ignored' });
    }
  }
  return { launch, problems };
};
