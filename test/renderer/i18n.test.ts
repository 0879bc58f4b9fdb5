import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../src/renderer/i18n/en.json';
import { InlineErrorCodes, ScreenErrorCodes } from '../../src/shared/errors';
import type { CodeProblem, UsernameProblem } from '../../src/shared/validation';
import type { PasswordProblem, PasswordRule } from '../../src/shared/passwordPolicy';
import { checkCatalogue, describeProblems, flatten, type Catalogue } from '../../src/renderer/i18n/catalogue';
import { languages, onDemandLanguages, pickLanguage, selectableLanguages } from '../../src/renderer/i18n/languages';

const dir = join(__dirname, '../../src/renderer/i18n');
const shipped = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length));
const load = (code: string): Catalogue => JSON.parse(readFileSync(join(dir, `${code}.json`), 'utf8')) as Catalogue;
const english = flatten(en as Catalogue);

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

const requiredKeys = [
  ...InlineErrorCodes.map((c) => `errors.inline.${c}`),
  ...ScreenErrorCodes.flatMap((c) => [`errors.screen.${c}.title`, `errors.screen.${c}.body`]),
  ...Object.keys(usernameProblems).map((p) => `validation.username.${p}`),
  ...Object.keys(codeProblems).map((p) => `validation.code.${p}`),
  ...Object.keys(passwordProblems).map((p) => `validation.password.${p}`),
  ...Object.keys(passwordRules).map((r) => `password.rule.${r}`),
  'userId.title.logon', 'userId.title.unlock', 'done.body.logon', 'done.body.unlock', 'app.backToSignIn', 'unavailable.body',
];

/** Letters of each language's own script (Ukrainian: letters Russian lacks): catches a catalogue pasted from elsewhere. */
const ownScript: Partial<Record<string, RegExp>> = {
  ar: /[\u0600-\u06FF]/, he: /[\u0590-\u05FF]/, ja: /[\u3040-\u30FF]/, ko: /[\uAC00-\uD7AF]/, ru: /[\u0400-\u04FF]/, uk: /[ієїґ]/i,
  'zh-Hans': /[\u4E00-\u9FFF]/, 'zh-Hant': /[\u4E00-\u9FFF]/,
};

describe('catalogue check (run on every shipped catalogue by npm test)', () => {
  const reference: Catalogue = { a: 'Hello {{name}}', b: { c: 'Wait {{seconds}} s', d: 'Plain' } };

  it('passes a complete translation with the same placeholders', () => {
    expect(checkCatalogue(reference, { a: 'Hallo {{name}}', b: { c: '{{seconds}} s warten', d: 'Schlicht' } })).toEqual([]);
  });

  it('reports a missing key', () => {
    expect(checkCatalogue(reference, { a: 'Hallo {{name}}', b: { c: '{{seconds}} s' } })).toEqual([{ key: 'b.d', problem: 'missing' }]);
  });

  it('reports an extra key that English does not have', () => {
    const problems = checkCatalogue(reference, { a: 'Hallo {{name}}', b: { c: '{{seconds}} s', d: 'x', e: 'extra' } });
    expect(problems).toEqual([{ key: 'b.e', problem: 'extra' }]);
  });

  it('reports a dropped, renamed or added placeholder', () => {
    const problems = checkCatalogue(reference, { a: 'Hallo {{nom}}', b: { c: 'Warten', d: 'Schlicht {{x}}' } });
    expect(problems.map((p) => [p.key, p.problem])).toEqual([
      ['a', 'placeholders'],
      ['b.c', 'placeholders'],
      ['b.d', 'placeholders'],
    ]);
    expect(problems[0]?.detail).toBe('expected {{name}}, found {{nom}}');
  });

  it('reports an empty message and a value that is not text', () => {
    const problems = checkCatalogue(reference, { a: ' ', b: { c: 5, d: 'x' } });
    expect(problems.map((p) => [p.key, p.problem])).toEqual([
      ['a', 'empty'],
      ['a', 'placeholders'],
      ['b.c', 'not a string'],
    ]);
  });
});

describe('shipped catalogues', () => {
  it('there are at least 20 languages besides English, and every one offered has a catalogue file', () => {
    expect(onDemandLanguages.length).toBeGreaterThanOrEqual(20);
    expect([...shipped].sort()).toEqual(['en', ...onDemandLanguages].sort());
  });

  it.each(onDemandLanguages.map((code) => [code]))('%s has every English key, no other key and the same placeholders', (code) => {
    const problems = checkCatalogue(en as Catalogue, load(code));
    expect(describeProblems(code, problems)).toBe('');
  });

  it.each(['en', ...onDemandLanguages].map((code) => [code]))('%s has a message for every error code, validation problem and rule', (code) => {
    const messages = flatten(load(code));
    expect(requiredKeys.filter((k) => !(messages.get(k) ?? '').trim())).toEqual([]);
  });

  it.each(onDemandLanguages.map((code) => [code]))('%s is translated, not a copy of English', (code) => {
    const messages = flatten(load(code));
    // Short labels may legitimately match English in a few languages (e.g. "Demo"); whole sentences may not.
    const copied = [...english].filter(([k, v]) => v.length > 24 && messages.get(k) === v).map(([k]) => k);
    expect(copied).toEqual([]);
    const script = ownScript[code];
    if (script) expect([...messages.values()].join(' ')).toMatch(script);
  });
});

describe('choosing a language', () => {
  it.each([
    ['ar-SA', 'ar'], ['AR', 'ar'], ['en-GB', 'en'], ['de-DE', 'de'], ['de-AT', 'de'], ['de_CH', 'de'], ['fr-CA', 'fr'],
    ['zh-TW', 'zh-Hant'], ['zh-HK', 'zh-Hant'], ['zh-Hant-TW', 'zh-Hant'], ['zh-CN', 'zh-Hans'], ['zh', 'zh-Hans'], ['zh-SG', 'zh-Hans'],
    ['pt', 'pt-BR'], ['pt-BR', 'pt-BR'], ['pt-PT', 'pt-PT'], ['pt-AO', 'pt-BR'], ['no', 'nb'], ['nb-NO', 'nb'], ['nn', 'nb'],
    ['he-IL', 'he'], ['iw', 'he'], ['ja-JP', 'ja'], ['ko-KR', 'ko'], ['uk-UA', 'uk'], ['en-XA', 'en-XA'],
    ['xx-YY', 'en'], ['', 'en'], [undefined, 'en'],
  ])('%s → %s', (tag, expected) => {
    expect(pickLanguage(tag)).toBe(expected);
  });

  it('the header offers every real language, and the pseudo-locale only to whoever started in it', () => {
    expect(selectableLanguages('de').map((l) => l.code)).toEqual(['en', ...onDemandLanguages]);
    expect(selectableLanguages('en-XA').map((l) => l.code)).toContain('en-XA');
  });

  it('every language is named in its own words', () => {
    expect(new Set(languages.map((l) => l.name)).size).toBe(languages.length);
  });
});
