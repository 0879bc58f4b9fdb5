/** What a command may touch, injectable so the commands are tested without a console or Windows. */
import type { RegistrySource } from '../core/registry';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The Windows registry; absent elsewhere. */
  registry?: RegistrySource;
  now(): number;
}

/** `--name=value` and bare `--flag` options; repeated options keep every value. */
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

/** Where the MSI puts the logs on Windows (DESIGN.md "Logs"). */
export const defaultLogDir = (io: CliIo): string | undefined =>
  io.platform === 'win32' ? `${io.env.ProgramData ?? 'C:\\ProgramData'}\\SsprLogon\\Logs` : undefined;
