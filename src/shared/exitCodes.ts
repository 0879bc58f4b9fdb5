/** Exit codes of SsprLogon.exe, read by the credential-provider shim (DESIGN.md "Shim → overlay"). */
export const ExitCode = {
  ResetDone: 0,
  InternalError: 1,
  Cancelled: 10,
  IdleTimeout: 11,
  NotEnabledOrRegistered: 20,
  ServiceUnreachable: 30,
  Throttled: 40,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
