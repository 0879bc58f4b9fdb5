import { describe, expect, it } from 'vitest';
import en from '../../src/renderer/i18n/en.json';
import ar from '../../src/renderer/i18n/ar.json';
import { InlineErrorCodes, ScreenErrorCodes } from '../../src/shared/errors';
import type { CodeProblem, UsernameProblem } from '../../src/shared/validation';
import type { PasswordProblem, PasswordRule } from '../../src/shared/passwordPolicy';
import { pickLanguage } from '../../src/renderer/i18n';

type Catalogue = { [key: string]: string | Catalogue };

const flatten = (node: Catalogue, prefix = ''): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
};

// Records keyed by the shared union types: adding a problem code to src/shared without listing it here
// fails the typecheck, and then this test demands a message for it.
const usernameProblems: Record<UsernameProblem, true> = {
  empty: true, too_long: true, missing_at: true, multiple_at: true, local_part_empty: true, local_part_too_long: true,
  domain_empty: true, domain_too_long: true, domain_invalid: true, dot_placement: true, down_level_name: true,
  whitespace: true, invalid_characters: true,
};
const codeProblems: Record<CodeProblem, true> = { empty: true, not_digits: true, wrong_length: true };
const passwordProblems: Record<PasswordProblem, true> = { too_short: true, too_long: true, invalid_characters: true, too_weak: true };
const passwordRules: Record<PasswordRule, true> = { length: true, characters: true, classes: true };

const catalogues = { en: flatten(en as Catalogue), ar: flatten(ar as Catalogue) };

const requiredKeys = [
  ...InlineErrorCodes.map((c) => `errors.inline.${c}`),
  ...ScreenErrorCodes.flatMap((c) => [`errors.screen.${c}.title`, `errors.screen.${c}.body`]),
  ...Object.keys(usernameProblems).map((p) => `validation.username.${p}`),
  ...Object.keys(codeProblems).map((p) => `validation.code.${p}`),
  ...Object.keys(passwordProblems).map((p) => `validation.password.${p}`),
  ...Object.keys(passwordRules).map((r) => `password.rule.${r}`),
  'userId.title.logon', 'userId.title.unlock', 'done.body.logon', 'done.body.unlock', 'app.backToSignIn', 'unavailable.body',
];

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('i18n catalogues', () => {
  it('English and Arabic have exactly the same keys', () => {
    expect([...catalogues.ar.keys()].sort()).toEqual([...catalogues.en.keys()].sort());
  });

  it.each(Object.entries(catalogues))('%s has a non-empty message for every error code, validation problem and rule', (_lang, messages) => {
    const missing = requiredKeys.filter((k) => !(messages.get(k) ?? '').trim());
    expect(missing).toEqual([]);
  });

  it('every message uses the same placeholders in both languages', () => {
    for (const [key, text] of catalogues.en) expect(placeholders(catalogues.ar.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('the Arabic catalogue is really Arabic, not a copy of the English one', () => {
    const same = [...catalogues.en].filter(([k, v]) => catalogues.ar.get(k) === v).map(([k]) => k);
    expect(same).toEqual([]);
    expect(catalogues.ar.get('app.backToSignIn')).toMatch(/[\u0600-\u06FF]/);
  });

  it('picks a catalogue from a BCP 47 locale and falls back to English', () => {
    expect(pickLanguage('ar-SA')).toBe('ar');
    expect(pickLanguage('AR')).toBe('ar');
    expect(pickLanguage('en-GB')).toBe('en');
    expect(pickLanguage('de-DE')).toBe('en');
    expect(pickLanguage('')).toBe('en');
  });
});
