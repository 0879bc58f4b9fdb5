/**
 * The native engine keys its behaviour on the error strings Microsoft documents (portal-facts §3);
 * undocumented AADSTS numbers (50057, 50053, 50079, 50182) only refine an unspecific answer's message.
 */
import { describe, expect, it } from 'vitest';
import { classifyServiceError } from '../../../../src/main/core/engine/nativeEngine';
import type { ServiceInfo } from '../../../../src/main/core/engine/types';
import { errorCodeFor } from '../../../../src/main/core/flowService';

const answer = (error: string, opts: { suberror?: string; codes?: readonly number[] } = {}) => {
  const info: ServiceInfo = { endpoint: 'start', error, ...(opts.suberror ? { suberror: opts.suberror } : {}), errorCodes: [...(opts.codes ?? [])] };
  const failure = classifyServiceError({ error, ...(opts.suberror ? { suberror: opts.suberror } : {}) }, info);
  return { kind: failure.kind, screen: errorCodeFor(failure).code };
};

describe('documented strings decide', () => {
  it.each([
    ['user_not_found', {}, 'user_not_found', 'user_not_found'],
    ['unsupported_challenge_type', { codes: [901007] }, 'unsupported_challenge_type', 'redirect_required'],
    ['invalid_client', { suberror: 'nativeauthapi_disabled' }, 'invalid_client', 'internal'],
    ['unauthorized_client', {}, 'unauthorized_client', 'internal'],
    ['expired_token', {}, 'expired_token', 'session_expired'],
    ['invalid_request', { codes: [55200] }, 'invalid_token', 'session_expired'],
    ['invalid_request', { codes: [552003] }, 'expired_token', 'session_expired'],
    ['invalid_grant', { suberror: 'invalid_oob_value' }, 'invalid_oob_value', 'code_incorrect'],
    ['invalid_request', { suberror: 'password_too_weak' }, 'password_policy', 'password_too_weak'],
    ['invalid_request', { suberror: 'password_banned' }, 'password_policy', 'password_banned'],
    ['invalid_request', { suberror: 'password_recently_used' }, 'password_policy', 'password_recently_used'],
  ] as const)('%s %j → %s', (error, opts, kind, screen) => {
    expect(answer(error, opts)).toEqual({ kind, screen });
  });

  it.each([
    ['user_not_found', 50057],
    ['user_not_found', 50079],
    ['expired_token', 50053],
    ['unsupported_challenge_type', 50057],
  ])('an undocumented code never overrides a documented error: %s with %i', (error, code) => {
    const plain = answer(error);
    expect(answer(error, { codes: [code] })).toEqual(plain);
  });

  it('a documented password suberror wins over an undocumented code', () => {
    expect(answer('invalid_request', { suberror: 'password_too_short', codes: [50079] })).toEqual({ kind: 'password_policy', screen: 'password_too_short' });
  });

  it('a documented wrong-code answer stays a code answer whatever number comes with it', () => {
    expect(answer('invalid_grant', { suberror: 'invalid_oob_value', codes: [50057] }).screen).toBe('code_incorrect');
  });
});

describe('undocumented codes only refine an unspecific answer', () => {
  it.each([
    [50057, 'not_enabled'],
    [50079, 'not_registered'],
    [50053, 'throttled'],
  ])('invalid_request with %i → the %s message', (code, screen) => {
    expect(answer('invalid_request', { codes: [code] }).screen).toBe(screen);
  });

  it('without the number, the same answer still ends on a helpful screen (helpdesk, start again)', () => {
    expect(answer('invalid_request').screen).toBe('internal');
    expect(answer('some_future_error').screen).toBe('internal');
  });

  it('50182 only turns "wrong code" into "expired code"', () => {
    expect(answer('invalid_grant', { suberror: 'invalid_oob_value', codes: [50182] }).screen).toBe('code_expired');
    expect(answer('invalid_request', { codes: [50182] }).screen).toBe('internal');
  });
});
