/**
 * The limits the screens state are Microsoft's documented ones (src/shared/entraLimits.ts), in every
 * language: a translation that changed a number would tell people the wrong thing at the worst moment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../src/renderer/i18n/en.json';
import {
  CODE_EMAILS_WINDOW_MINUTES,
  FAILED_VERIFICATIONS_BEFORE_LOCKOUT,
  FAILED_VERIFICATIONS_WINDOW_HOURS,
  LOCKOUT_HOURS,
  MAX_CODE_EMAILS,
} from '../../src/shared/entraLimits';

const dir = join(__dirname, '../../src/renderer/i18n');
const catalogues = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8'))] as const);

const numbers = (text: string) => (text.match(/\d+/g) ?? []).map(Number).sort((a, b) => a - b);

describe("Entra's documented limits on screen", () => {
  it('English states them in plain words', () => {
    expect(en.code.attemptLimit).toBe(
      `For your security, after ${FAILED_VERIFICATIONS_BEFORE_LOCKOUT} failed attempts within ${FAILED_VERIFICATIONS_WINDOW_HOURS} hours, password reset is paused for ${LOCKOUT_HOURS} hours.`,
    );
    expect(en.code.resendLimit).toContain(`more than ${MAX_CODE_EMAILS} codes within ${CODE_EMAILS_WINDOW_MINUTES} minutes`);
    expect(en.code.resendLimit).toContain(`for ${LOCKOUT_HOURS} hours`);
    expect(en.common.tryAfterLockout).toContain(`${LOCKOUT_HOURS} hours`);
  });

  it.each(catalogues)('%s keeps every number', (_file, catalogue) => {
    expect(numbers(catalogue.code.attemptLimit)).toEqual(
      [FAILED_VERIFICATIONS_BEFORE_LOCKOUT, FAILED_VERIFICATIONS_WINDOW_HOURS, LOCKOUT_HOURS].sort((a, b) => a - b),
    );
    expect(numbers(catalogue.code.resendLimit)).toEqual([MAX_CODE_EMAILS, CODE_EMAILS_WINDOW_MINUTES, LOCKOUT_HOURS].sort((a, b) => a - b));
    expect(numbers(catalogue.common.tryAfterLockout)).toEqual([LOCKOUT_HOURS]);
  });
});
