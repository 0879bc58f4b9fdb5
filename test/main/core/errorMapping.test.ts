/** Every engine outcome maps onto the closed ErrorCode set, and the user-facing choice is deliberate. */
import { describe, expect, it } from 'vitest';
import { InlineErrorCodes, ScreenErrorCodes } from '../../../src/shared/errors';
import { errorCodeFor } from '../../../src/main/core/flowService';
import type { EngineFailure } from '../../../src/main/core/engine/types';

const info = { endpoint: 'start' } as const;

const table: [EngineFailure, string, number?][] = [
  [{ kind: 'user_not_found', info }, 'user_not_found'],
  [{ kind: 'invalid_username', info }, 'invalid_username'],
  [{ kind: 'not_enabled', info }, 'not_enabled'],
  [{ kind: 'registration_required', info }, 'not_registered'],
  [{ kind: 'blocked', info, retryAfterSeconds: 3600 }, 'throttled', 3600],
  [{ kind: 'blocked', info }, 'throttled'],
  [{ kind: 'redirect', info }, 'redirect_required'],
  [{ kind: 'unsupported_challenge_type', info }, 'redirect_required'],
  [{ kind: 'verification_required', info }, 'redirect_required'],
  [{ kind: 'expired_token', info }, 'session_expired'],
  [{ kind: 'invalid_token', info }, 'session_expired'],
  [{ kind: 'invalid_oob_value', info }, 'code_incorrect'],
  [{ kind: 'invalid_oob_value', expired: true, info }, 'code_expired'],
  [{ kind: 'password_policy', rule: 'password_too_weak', info }, 'password_too_weak'],
  [{ kind: 'password_policy', rule: 'password_too_short', info }, 'password_too_short'],
  [{ kind: 'password_policy', rule: 'password_too_long', info }, 'password_too_long'],
  [{ kind: 'password_policy', rule: 'password_recently_used', info }, 'password_recently_used'],
  [{ kind: 'password_policy', rule: 'password_banned', info }, 'password_banned'],
  [{ kind: 'password_policy', rule: 'password_is_invalid', info }, 'password_invalid_characters'],
  [{ kind: 'rate_limited', retryAfterSeconds: 30, info }, 'service_busy', 30],
  [{ kind: 'server_error', status: 503, retryAfterSeconds: 5, info }, 'service_busy', 5],
  [{ kind: 'server_error', status: 500, info }, 'unreachable'],
  [{ kind: 'server_error', status: 502, info }, 'unreachable'],
  [{ kind: 'network', cause: 'timeout', requestSent: false, info }, 'unreachable'],
  [{ kind: 'network', cause: 'tls', requestSent: false, info }, 'unreachable'],
  [{ kind: 'bad_response', detail: 'html', info }, 'unreachable'],
  [{ kind: 'password_may_have_changed', cause: 'x', info }, 'password_may_have_changed'],
  [{ kind: 'poll_timeout', polls: 0, info }, 'password_may_have_changed'],
  [{ kind: 'invalid_poll_status', status: 'x', info }, 'password_may_have_changed'],
  [{ kind: 'reset_failed', continuationToken: 't', info }, 'reset_failed'],
  [{ kind: 'submit_in_flight', info }, 'service_busy'],
  [{ kind: 'invalid_client', suberror: 'nativeauthapi_disabled', info }, 'internal'],
  [{ kind: 'unauthorized_client', info }, 'internal'],
  [{ kind: 'invalid_request', info }, 'internal'],
  [{ kind: 'invalid_grant', info }, 'internal'],
  [{ kind: 'unknown_error', info }, 'internal'],
];

describe('errorCodeFor', () => {
  it.each(table.map(([f, code, retry]) => [`${f.kind}${'rule' in f ? `/${f.rule}` : ''}${'status' in f ? `/${String(f.status)}` : ''}`, f, code, retry]))(
    '%s → %s',
    (_label, failure, code, retry) => {
      const mapped = errorCodeFor(failure as EngineFailure);
      expect(mapped.code).toBe(code);
      expect(mapped.retryAfterSeconds).toBe(retry);
      expect([...InlineErrorCodes, ...ScreenErrorCodes]).toContain(mapped.code);
    },
  );
});
