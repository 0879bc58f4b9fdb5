/**
 * Turns the renderer's exit reason into the DESIGN.md exit code the shim reads. The renderer is not
 * trusted to claim success: "done" counts only when main saw the reset complete.
 */
import { ExitCode } from '../../shared/exitCodes';
import type { ExitReason, FlowResult } from '../../shared/ipc';
import { isScreenError, type ScreenErrorCode } from '../../shared/errors';

export interface ExitTracker {
  /** Called with every flow answer the renderer receives. */
  note(result: FlowResult): void;
  codeFor(reason: ExitReason): ExitCode;
  readonly resetDone: boolean;
}

const CANCEL_CODES: Partial<Record<ScreenErrorCode, ExitCode>> = {
  user_not_found: ExitCode.NotEnabledOrRegistered,
  not_enabled: ExitCode.NotEnabledOrRegistered,
  not_registered: ExitCode.NotEnabledOrRegistered,
  unreachable: ExitCode.ServiceUnreachable,
  throttled: ExitCode.Throttled,
};

export const createExitTracker = (): ExitTracker => {
  let resetDone = false;
  let lastScreenError: ScreenErrorCode | undefined;
  return {
    note(result) {
      if (result.ok) {
        lastScreenError = undefined;
        if (result.view.step === 'done') resetDone = true;
      } else if (isScreenError(result.error.code)) {
        lastScreenError = result.error.code;
      }
    },
    codeFor(reason) {
      // The password was changed: that is what happened, whichever way out the user took afterwards (or
      // while it was being saved).
      if (resetDone) return ExitCode.ResetDone;
      if (reason === 'idle') return ExitCode.IdleTimeout;
      // "cancelled" (or an unearned "done"): say why the user left when a screen told them.
      return (lastScreenError && CANCEL_CODES[lastScreenError]) ?? ExitCode.Cancelled;
    },
    get resetDone() {
      return resetDone;
    },
  };
};
