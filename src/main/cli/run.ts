/** The helpdesk and admin command line: `doctor`, `logs`, `report`, `audit`. */
import { runAudit, AUDIT_USAGE } from './audit';
import { runDoctor, DOCTOR_USAGE } from './doctor';
import type { CliIo } from './io';
import { runLogs, LOGS_USAGE } from './logs';
import { runReport, REPORT_USAGE } from './report';

const COMMANDS: Record<string, { usage: string; run: (args: readonly string[], io: CliIo) => Promise<number> | number }> = {
  doctor: { usage: DOCTOR_USAGE, run: runDoctor },
  logs: { usage: LOGS_USAGE, run: runLogs },
  report: { usage: REPORT_USAGE, run: runReport },
  audit: { usage: AUDIT_USAGE, run: runAudit },
};

export const USAGE = [
  'usage: sspr-logon <command> [options]     (<command> --help for its options)',
  ...Object.values(COMMANDS).map((c) => `  ${c.usage.split('\n')[0] ?? ''}`),
].join('\n');

export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) {
    io.err(`unknown command ${JSON.stringify(command.slice(0, 40))}`);
    io.err(USAGE);
    return 2;
  }
  // Every command answers --help, whatever parser it uses.
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(entry.usage);
    return 0;
  }
  try {
    return await entry.run(rest, io);
  } catch (err) {
    io.err(`${command}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
};
