/**
 * `SsprLogon.exe --helpdesk <command> ...`: the helpdesk commands (doctor, logs, report, audit) on the PC
 * itself. The shipped executable has the RunAsNode fuse off, so the commands cannot be run as a Node
 * script there; instead the main process runs them before anything of the overlay starts (no window,
 * no session, no single-instance lock), prints to stdout and exits with the command's exit code.
 *
 * The credential-provider shim never passes --helpdesk. A command line that carries the shim's launch
 * arguments (--scenario anywhere, or any argument before --helpdesk) is refused, so the logon
 * screen can never be turned into a console.
 */
import { app } from 'electron';
import { ExitCode } from '../../shared/exitCodes';
import type { CliIo } from '../cli/io';
import { runCli } from '../cli/run';
import { PRODUCT_VERSION } from '../core/version';

export const HELPDESK_SWITCH = '--helpdesk';
/** `SsprLogon.exe --version`: prints the product version and exits 0, before anything else starts. */
export const VERSION_SWITCH = '--version';
/** The shim always passes --scenario; no helpdesk command has such an option. */
const SHIM_ARGUMENT = /^--scenario(=|$)/;

export type HelpdeskRequest = { kind: 'none' } | { kind: 'version' } | { kind: 'run'; args: string[] } | { kind: 'refused'; why: string };

/** argv as Electron gives it: the executable, in development the script path, then our arguments. */
export const helpdeskRequest = (argv: readonly string[], firstArg = 1): HelpdeskRequest => {
  const ours = argv.slice(firstArg);
  if (ours.length === 1 && ours[0] === VERSION_SWITCH) return { kind: 'version' };
  const at = argv.indexOf(HELPDESK_SWITCH);
  if (at < 0) return { kind: 'none' };
  const before = argv.slice(firstArg, at);
  const after = argv.slice(at + 1);
  if (before.length > 0 || after.some((a) => SHIM_ARGUMENT.test(a))) {
    return { kind: 'refused', why: `${HELPDESK_SWITCH} must come first and cannot be combined with the overlay's launch arguments` };
  }
  return { kind: 'run', args: after };
};

/** Runs the request and ends the process with the command's exit code. */
export const runHelpdesk = async (request: Exclude<HelpdeskRequest, { kind: 'none' }>, io: CliIo): Promise<number> => {
  let code: number;
  if (request.kind === 'refused') {
    io.err(`SsprLogon: ${request.why}`);
    code = ExitCode.InternalError;
  } else if (request.kind === 'version') {
    io.out(`SSPR Logon ${PRODUCT_VERSION}`);
    code = 0;
  } else {
    code = await runCli(request.args, io);
  }
  app.exit(code);
  return code;
};
