import { describe, expect, it } from 'vitest';
import { OTP_LIFETIME_SECONDS } from '../../src/shared/entraLimits';
import { idleTimeoutFor, idleWarningSeconds } from '../../src/shared/idle';

describe('idle timing per step', () => {
  it('the code step lasts at least a code lifetime (5 minutes), so fetching it from a phone is not cut short', () => {
    expect(OTP_LIFETIME_SECONDS).toBe(300);
    expect(idleTimeoutFor(180, 'code')).toBe(300);
    expect(idleTimeoutFor(30, 'code')).toBe(300);
    // An admin's longer timeout is kept.
    expect(idleTimeoutFor(900, 'code')).toBe(900);
  });

  it('other steps keep the configured timeout', () => {
    for (const stage of ['userId', 'password', 'error', 'done']) expect(idleTimeoutFor(180, stage)).toBe(180);
  });

  it('"Still there?" shows 30 seconds before the end, or half of a very short timeout', () => {
    expect(idleWarningSeconds(300)).toBe(30);
    expect(idleWarningSeconds(180)).toBe(30);
    expect(idleWarningSeconds(60)).toBe(30);
    expect(idleWarningSeconds(30)).toBe(15);
  });
});
