/** The helpdesk and admin command line: `doctor`, `logs`, `audit`. */
import { runAudit, AUDIT_USAGE } from './audit';
import { runDoctor, DOCTOR_USAGE } from './doctor';
import type { CliIo } from './io';
import { runLogs, LOGS_USAGE } from './logs';
import { runPortalReport, PORTAL_REPORT_USAGE } from './portalReport';

export const USAGE = ['usage: sspr-logon <command>', `  ${DOCTOR_USAGE}`, `  ${LOGS_USAGE}`, `  ${AUDIT_USAGE}`, `  ${PORTAL_REPORT_USAGE}`].join('\n');

export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'doctor':
        return await runDoctor(rest, io);
      case 'logs':
        return runLogs(rest, io);
      case 'audit':
        return await runAudit(rest, io);
      case 'report':
        // The pilot's portal report is its own mode of the one report command.
        if (rest.includes('--portal')) return runPortalReport(rest, io);
        io.err(`usage: ${PORTAL_REPORT_USAGE}`);
        return 2;
      case undefined:
      case 'help':
      case '--help':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err(`unknown command ${JSON.stringify(command.slice(0, 40))}\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
};
