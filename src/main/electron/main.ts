/**
 * SsprLogon.exe's main-process entry (bundled to dist/main/electron.cjs). Everything happens in
 * runOverlay; a failure to even start ends with exit code 1, which returns the user to the tile.
 */
import { app } from 'electron';
import { ExitCode } from '../../shared/exitCodes';
import { runOverlay } from './overlay';

runOverlay().catch((err: unknown) => {
  process.stderr.write(`SsprLogon: start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  app.exit(ExitCode.InternalError);
});
