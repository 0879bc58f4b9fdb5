/**
 * SsprLogon.exe's main-process entry (bundled to dist/main/electron.cjs). Everything happens in
 * runOverlay; a failure to even start ends with exit code 1, which returns the user to the tile.
 * `SsprLogon.exe --helpdesk <command>` runs a helpdesk command instead, before any window exists.
 */
import { app } from 'electron';
import { ExitCode } from '../../shared/exitCodes';
import { processCliIo } from '../cli/processIo';
import { helpdeskRequest, runHelpdesk } from './helpdesk';
import { runOverlay } from './overlay';

// `electron dist/main/electron.cjs ...` (development) puts the script path before our arguments.
const helpdesk = helpdeskRequest(process.argv, (process as { defaultApp?: boolean }).defaultApp ? 2 : 1);

if (helpdesk.kind !== 'none') {
  void runHelpdesk(helpdesk, processCliIo());
} else {
  runOverlay().catch((err: unknown) => {
    process.stderr.write(`SsprLogon: start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
    app.exit(ExitCode.InternalError);
  });
}
