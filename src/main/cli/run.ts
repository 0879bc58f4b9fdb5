/** The helpdesk and admin command line: `doctor`, `logs`, `report`, `audit`. */
import type { CliIo } from './io';

interface Command {
  usage: string;
  run: (args: readonly string[], io: CliIo) => Promise<number> | number;
}

// Each command is loaded when it is used: `logs` on a gigabyte of records should not pay at start-up
// for the HTTP stack that only `doctor` and `audit` need.
const COMMANDS: Record<string, () => Promise<Command>> = {
  doctor: async () => {
    const m = await import('./doctor');
    return { usage: m.DOCTOR_USAGE, run: m.runDoctor };
  },
  logs: async () => {
    const m = await import('./logs');
    return { usage: m.LOGS_USAGE, run: m.runLogs };
  },
  report: async () => {
    const [m, portal] = await Promise.all([import('./report'), import('./portalReport')]);
    return {
      usage: `${m.REPORT_USAGE}\n${portal.PORTAL_REPORT_USAGE}`,
      // The pilot's portal report is a mode of the one report command.
      run: (args, io) => (args.includes('--portal') ? portal.runPortalReport(args, io) : m.runReport(args, io)),
    };
  },
  audit: async () => {
    const m = await import('./audit');
    return { usage: m.AUDIT_USAGE, run: m.runAudit };
  },
};

export const usage = async (): Promise<string> => {
  const lines = ['usage: sspr-logon <command> [options]     (<command> --help for its options)'];
  for (const load of Object.values(COMMANDS)) lines.push(`  ${(await load()).usage.split('\n')[0] ?? ''}`);
  return lines.join('\n');
};

export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(await usage());
    return command === undefined ? 2 : 0;
  }
  const load = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) {
    io.err(`unknown command ${JSON.stringify(command.slice(0, 40))}`);
    io.err(await usage());
    return 2;
  }
  try {
    const entry = await load();
    // Every command answers --help, whatever parser it uses.
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(entry.usage);
      return 0;
    }
    return await entry.run(rest, io);
  } catch (err) {
    io.err(`${command}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
};
