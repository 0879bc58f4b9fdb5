/** Exit codes of SsprLogon.exe, read by the credential-provider shim (DESIGN.md "Shim → overlay"). */
export const ExitCode = {
  ResetDone: 0,
  InternalError: 1,
  Cancelled: 10,
  IdleTimeout: 11,
  /**
   * The hard session limit (--session-limit from the shim, always below its watchdog) was reached. Activity
   * does not extend it. The shim never counts it toward self-disable (docs/shim.md).
   */
  SessionLimit: 12,
  NotEnabledOrRegistered: 20,
  ServiceUnreachable: 30,
  Throttled: 40,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
