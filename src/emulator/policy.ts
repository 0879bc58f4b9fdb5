/**
 * The tenant policy the emulator enforces. Defaults follow Entra's documented values
 * (sspr-protocol.md §1.4, §3): 8-digit codes valid 5 minutes, continuation tokens up to 600 s inside a
 * 15-minute reset session, 5 bad codes per 24 h and 10 e-mails per 10 min before a 24 h lockout,
 * 20 requests per second per IP per tenant.
 */
export interface EmulatorPolicy {
  /** Digits in an e-mailed code (Entra's examples: 8). */
  codeLength: number;
  /** A code stops working this long after it was sent (Entra: 5 min). */
  codeTtlSeconds: number;
  /** Lifetime of each continuation token, reported as `expires_in` by continue; Entra's maximum is 600. */
  continueTokenTtlSeconds: number;
  /** The whole reset session, from start, after which every token of the flow is expired (Entra: 15 min). */
  sessionTtlSeconds: number;
  /** How many polls answer pending (first `not_started`, then `in_progress`) before the outcome. */
  pollPendingCount: number;
  /** `poll_interval` returned by submit, in seconds. */
  pollInterval: number;
  /** Refuse a new password equal to the current one (`password_recently_used`). */
  checkPasswordReuse: boolean;
  /** Requests per second per client IP per tenant before HTTP 429. */
  requestsPerSecond: number;
  /** The tenant's custom banned-password list (Entra allows up to 1000 terms). */
  customBannedPasswords: string[];
  /** Failed code verifications within `failedCodeWindowSeconds` that lock the user. */
  maxFailedCodeAttempts: number;
  failedCodeWindowSeconds: number;
  /** More than this many code e-mails within `emailWindowSeconds` locks the user. */
  maxEmailsPerWindow: number;
  emailWindowSeconds: number;
  /** How long a lockout lasts. */
  lockoutSeconds: number;
  /** false: every call answers invalid_client + nativeauthapi_disabled. */
  nativeAuthEnabled: boolean;
  /** true: every password writeback fails (poll_completion ends in `failed`). */
  failPasswordWriteback: boolean;
  /** Lifetime of the access and id tokens from /token. */
  accessTokenTtlSeconds: number;
}

export const DEFAULT_POLICY: Readonly<EmulatorPolicy> = Object.freeze({
  codeLength: 8,
  codeTtlSeconds: 300,
  continueTokenTtlSeconds: 600,
  sessionTtlSeconds: 900,
  pollPendingCount: 2,
  pollInterval: 2,
  checkPasswordReuse: true,
  requestsPerSecond: 20,
  customBannedPasswords: ['fourthcoffee', 'redmond', 'contosocloud'],
  maxFailedCodeAttempts: 5,
  failedCodeWindowSeconds: 24 * 3600,
  maxEmailsPerWindow: 10,
  emailWindowSeconds: 600,
  lockoutSeconds: 24 * 3600,
  nativeAuthEnabled: true,
  failPasswordWriteback: false,
  accessTokenTtlSeconds: 3600,
});

const NUMERIC_LIMITS: { [K in keyof EmulatorPolicy]?: [min: number, max: number] } = {
  codeLength: [4, 12],
  codeTtlSeconds: [1, 86_400],
  continueTokenTtlSeconds: [1, 600],
  sessionTtlSeconds: [1, 86_400],
  pollPendingCount: [0, 100],
  pollInterval: [0, 60],
  requestsPerSecond: [1, 100_000],
  maxFailedCodeAttempts: [1, 1000],
  failedCodeWindowSeconds: [1, 30 * 86_400],
  maxEmailsPerWindow: [1, 1000],
  emailWindowSeconds: [1, 86_400],
  lockoutSeconds: [1, 30 * 86_400],
  accessTokenTtlSeconds: [60, 86_400],
};

/** Merges overrides onto the defaults and refuses values Entra could never have (a misconfigured test should fail loudly). */
export function resolvePolicy(overrides: Partial<EmulatorPolicy> = {}, base: EmulatorPolicy = { ...DEFAULT_POLICY }): EmulatorPolicy {
  const merged: EmulatorPolicy = { ...base, ...overrides };
  for (const [key, [min, max]] of Object.entries(NUMERIC_LIMITS) as [keyof EmulatorPolicy, [number, number]][]) {
    const value = merged[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`emulator policy ${key} must be an integer from ${min} to ${max} (got ${String(value)})`);
    }
  }
  if (!Array.isArray(merged.customBannedPasswords) || merged.customBannedPasswords.length > 1000) {
    throw new RangeError('emulator policy customBannedPasswords must be a list of at most 1000 terms');
  }
  merged.customBannedPasswords = [...merged.customBannedPasswords];
  return merged;
}
