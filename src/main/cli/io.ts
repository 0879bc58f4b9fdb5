/** What a command may touch, injectable so the commands are tested without a console or Windows. */
import { parseArgs } from 'node:util';
import type { RegistrySource } from '../core/registry';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The Windows registry; absent elsewhere. */
  registry?: RegistrySource;
  now(): number;
  /** stderr is a terminal: long commands show their progress there. */
  errIsTTY?: boolean;
  /** Resolves when stdout can take more (a slow pipe); output never piles up in memory. */
  drain?(): Promise<void>;
  /** Ends a long-running command (`logs --follow`): Ctrl+C in the console. */
  signal?: AbortSignal;
}

/** Result of reading a command's options: the values, or the exit code to end with (help shown, or refused). */
export type Parsed<V> = { ok: true; values: V; positionals: string[] } | { ok: false; exitCode: number };

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
type ValueOf<O extends { type: 'string' | 'boolean'; multiple?: boolean }> = O['type'] extends 'string'
  ? O['multiple'] extends true
    ? string[]
    : string
  : O['multiple'] extends true
    ? boolean[]
    : boolean;
export type OptionValues<S extends OptionSpec> = { [K in keyof S]?: ValueOf<S[K]> };

/**
 * node:util parseArgs for every command: `--opt value` and `--opt=value`, `--help` everywhere, and an
 * unknown option or a missing value refused with one clear line instead of a stack trace.
 */
export const parseCommand = <S extends OptionSpec>(
  command: string,
  usage: string,
  spec: S,
  args: readonly string[],
  io: CliIo,
  opts: { positionals?: boolean } = {},
): Parsed<OptionValues<S>> => {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...spec, help: { type: 'boolean' as const } },
      strict: true,
      allowPositionals: opts.positionals ?? false,
    });
    if ((values as { help?: boolean }).help) {
      io.out(usage);
      return { ok: false, exitCode: 0 };
    }
    return { ok: true, values: values as OptionValues<S>, positionals };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const unknown = /Unknown option '([^']+)'/.exec(message);
    const missing = /Option '([^']+)'.*argument missing/.exec(message);
    const positional = /Unexpected argument '([^']+)'/.exec(message);
    const short = (s: string): string => JSON.stringify(s.slice(0, 60));
    if (unknown?.[1]) io.err(`${command}: unknown option ${short(unknown[1])}`);
    else if (missing?.[1]) io.err(`${command}: ${missing[1].replace(/^-\w, /, '').replace(/ <value>$/, '')} needs a value`);
    else if (positional?.[1]) io.err(`${command}: unexpected argument ${short(positional[1])}`);
    else io.err(`${command}: ${message.split('\n')[0] ?? message}`);
    io.err(`${command} --help lists the options`);
    return { ok: false, exitCode: 2 };
  }
};

/** `--name=value` and bare `--flag` options; repeated options keep every value. Kept for `audit`. */
export const parseOptions = (args: readonly string[]): { options: Map<string, string[]>; positional: string[] } => {
  const options = new Map<string, string[]>();
  const positional: string[] = [];
  for (const arg of args) {
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const value = eq >= 0 ? arg.slice(eq + 1) : 'true';
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  return { options, positional };
};

export const option = (options: Map<string, string[]>, name: string): string | undefined => {
  const values = options.get(name);
  return values?.[values.length - 1];
};

/** The installed data folder, %ProgramData%\SsprLogon (its logs are in the logs\ subfolder). */
export const defaultDataDir = (io: CliIo): string | undefined =>
  io.platform === 'win32' ? `${io.env.ProgramData ?? 'C:\\ProgramData'}\\SsprLogon` : undefined;
