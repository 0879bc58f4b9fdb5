/**
 * Runs the overlay from an entry (main.ts for the release, demo.ts for development): a failure to even
 * start ends with exit code 1, which returns the user to the tile.
 */
import { app } from 'electron';
import { ExitCode } from '../../shared/exitCodes';
import { runOverlay, type OverlayDeps } from './overlay';

export const startOverlay = (deps: OverlayDeps = {}): void => {
  runOverlay(deps).catch((err: unknown) => {
    process.stderr.write(`SsprLogon: start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
    app.exit(ExitCode.InternalError);
  });
};
