/**
 * Typed outcomes of the native-auth SSPR v1 client (sspr-protocol.md §1.3). Every documented response,
 * error and suberror is a `kind`, so callers switch on data, never on strings from the wire.
 */

/** Facts about the service's answer, kept for the log (never a token, code or password). */
export interface ServiceInfo {
  endpoint: Endpoint;
  status?: number;
  error?: string;
  suberror?: string;
  errorCodes?: number[];
  /** x-ms-request-id of the response, to match Entra's own logs. */
  requestId?: string;
  durationMs?: number;
}

export type Endpoint = 'start' | 'challenge' | 'continue' | 'submit' | 'poll_completion';

export type NetworkCause = 'timeout' | 'refused' | 'dns' | 'tls' | 'reset' | 'other';

export type PasswordRule =
  | 'password_too_weak'
  | 'password_too_short'
  | 'password_too_long'
  | 'password_recently_used'
  | 'password_banned'
  | 'password_is_invalid';

export const PASSWORD_RULES: readonly PasswordRule[] = [
  'password_too_weak',
  'password_too_short',
  'password_too_long',
  'password_recently_used',
  'password_banned',
  'password_is_invalid',
];

export type PollStatus = 'succeeded' | 'failed' | 'not_started' | 'in_progress';
export const POLL_STATUSES: readonly PollStatus[] = ['succeeded', 'failed', 'not_started', 'in_progress'];

/** Why a step did not succeed. Shared by all endpoints; each endpoint can only produce some of them. */
export type EngineFailure = { info: ServiceInfo } & (
  // --- documented service errors
  | { kind: 'user_not_found' }
  | { kind: 'unsupported_challenge_type' }
  | { kind: 'invalid_client'; suberror?: string }
  | { kind: 'unauthorized_client' }
  | { kind: 'expired_token' }
  /** invalid_request with AADSTS55200: the continuation token is not valid (for this step). */
  | { kind: 'invalid_token' }
  /** invalid_request with AADSTS90100: the service refused the username's shape. */
  | { kind: 'invalid_username' }
  | { kind: 'invalid_request' }
  | { kind: 'invalid_grant' }
  /** expired: the emulator's convention (AADSTS50182) that the code itself timed out. */
  | { kind: 'invalid_oob_value'; expired?: boolean }
  | { kind: 'verification_required' }
  | { kind: 'password_policy'; rule: PasswordRule; continuationToken?: string }
  /** 200 {"challenge_type":"redirect"}: the tenant needs a method this client does not offer. */
  | { kind: 'redirect'; reason?: string }
  // --- conventions for cases the docs leave open (see the emulator's README)
  /** AADSTS50057: SSPR is not enabled for this user. */
  | { kind: 'not_enabled' }
  /** suberror registration_required / AADSTS50079: the user has no usable method registered. */
  | { kind: 'registration_required' }
  /** AADSTS50053: the account is locked or blocked from SSPR for now. */
  | { kind: 'blocked'; retryAfterSeconds?: number }
  /** Any other error value: kept, with its raw fields in info. */
  | { kind: 'unknown_error' }
  // --- transport
  | { kind: 'rate_limited'; retryAfterSeconds?: number }
  | { kind: 'server_error'; status: number; retryAfterSeconds?: number }
  /** requestSent false: proven not to have left the machine (no TLS session); otherwise it may have. */
  | { kind: 'network'; cause: NetworkCause; requestSent: boolean }
  /** A status or body the protocol does not allow (a captive portal, a proxy page, a missing field). */
  | { kind: 'bad_response'; detail: string }
  // --- password submission
  | { kind: 'invalid_poll_status'; status: string }
  /** The poll token's lifetime (or the polling cap) ran out before a final status: polls says how many were asked. */
  | { kind: 'poll_timeout'; polls: number }
  /** The submit may have been applied but the answer was lost: never resent. */
  | { kind: 'password_may_have_changed'; cause: string }
  /** poll_completion said failed: the password may be submitted again with this token. */
  | { kind: 'reset_failed'; continuationToken: string }
  /** A second submit while one is in flight is refused, never sent. */
  | { kind: 'submit_in_flight' }
);

export type EngineFailureKind = EngineFailure['kind'];

export type StepResult<T> = ({ ok: true; info: ServiceInfo } & T) | ({ ok: false } & EngineFailure);

export type StartResult = StepResult<{ continuationToken: string }>;

export type ChallengeResult = StepResult<{
  continuationToken: string;
  channel: string;
  /** Masked target as the service sent it. */
  targetLabel: string;
  /** Digits of the code; 0 when the service did not say. */
  codeLength: number;
  bindingMethod: string;
}>;

export type ContinueResult = StepResult<{ continuationToken: string; expiresInSeconds?: number }>;

/** submit + poll_completion to a final status. */
export type ResetResult = StepResult<{ continuationToken: string; polls: number }>;

export interface AttemptContext {
  /** Sent as client-request-id; the same id is on every log record of the attempt. */
  correlationId: string;
}

export interface NativeEngine {
  start(ctx: AttemptContext, username: string): Promise<StartResult>;
  /** Sends a code; calling it again with the latest token is the documented resend. Never retried. */
  challenge(ctx: AttemptContext, continuationToken: string): Promise<ChallengeResult>;
  submitCode(ctx: AttemptContext, continuationToken: string, code: string): Promise<ContinueResult>;
  /** Single-flight: a call while another is in flight is refused with submit_in_flight. */
  resetPassword(ctx: AttemptContext, continuationToken: string, newPassword: string): Promise<ResetResult>;
}
