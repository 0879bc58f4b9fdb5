import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BloomFilter, expectedFalsePositiveRate } from '../../src/shared/bloomFilter';
import {
  buildCommonPasswordFilter,
  commonPasswordEntries,
  commonPasswordForms,
  COMMON_PASSWORDS_FP_RATE,
  looksCommon,
  mentionsUserId,
  normalizeForBanCheck,
  userIdParts,
} from '../../src/shared/passwordHints';
import { checkPassword } from '../../src/shared/passwordPolicy';
import { seededRandom } from './seededRandom';

/** The list the build compiles: the pinned @zxcvbn-ts/language-common's password dictionary. */
const words: string[] = (
  createRequire(join(__dirname, '../../package.json'))('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> }
).dictionary['passwords-common']!;
const filter = BloomFilter.fromData(buildCommonPasswordFilter(words));

describe('normalisation as Entra does it before comparing', () => {
  it('lower-cases and undoes 0→o, 1→l, $→s, @→a, and nothing else', () => {
    expect(normalizeForBanCheck('P@$$w0rd1')).toBe('passwordl');
    expect(normalizeForBanCheck('CONTOSO')).toBe('contoso');
    expect(normalizeForBanCheck('Tq7!vX#2')).toBe('tq7!vx#2');
  });
});

describe('user-id parts', () => {
  it('the whole id, its local part and its name-like parts of 4 or more characters', () => {
    // Normalised like a password, so the whole id's @ reads as an a on both sides.
    expect(userIdParts('Alice.Smith@contoso.com')).toEqual(['alice.smithacontoso.com', 'alice.smith', 'alice', 'smith', 'contoso']);
    // Digits and - _ split parts too; "com", "jo" and "li" are too short to count.
    expect(userIdParts('jo_li-kowalski2@fabrikam.com')).toEqual(['jo_li-kowalski2afabrikam.com', 'jo_li-kowalski2', 'kowalski', 'fabrikam']);
    expect(userIdParts('  ')).toEqual([]);
  });

  it('parts are normalised like the password, so a $ or @ that stands for a letter still matches', () => {
    expect(userIdParts('$ara.k@contoso.com')).toContain('sara');
    expect(mentionsUserId('Sara!Blue#2026', '$ara.k@contoso.com')).toBe(true);
    expect(mentionsUserId('K!$ara#Blue2026', 'sara.k@contoso.com')).toBe(true);
  });

  it('warns for the id, the local part and each name part, in any case or spelling with substitutions', () => {
    const id = 'alice.smith@contoso.com';
    for (const password of ['alice.smith@contoso.com1A', 'Xy7!Alice.Smith', 'SMITH-2026-rocks', 'C0nt0so!Rules9', 'My@lice#Pass4']) {
      expect(mentionsUserId(password, id), password).toBe(true);
    }
    for (const password of ['Tq7!vXab#Lm2p', 'Ali-ce-Sm1th'.replace(/-/g, '#'), 'com.Brisk!99']) {
      expect(mentionsUserId(password, id), password).toBe(false);
    }
  });
});

describe('common passwords', () => {
  const entries = commonPasswordEntries(words);

  it('the list is the registry package\'s, normalised, each entry once', () => {
    expect(words.length).toBeGreaterThan(40_000);
    expect(entries.length).toBe(new Set(entries).size);
    expect(entries).toEqual(expect.arrayContaining(['password', 'dragon', 'trustnol', 'qwerty']));
    expect(entries.every((e) => e === normalizeForBanCheck(e) && e.length >= 4)).toBe(true);
  });

  it('finds every list entry', () => {
    expect(filter.size).toBe(entries.length);
    expect(entries.filter((e) => !filter.has(e))).toEqual([]);
  });

  it('looks up the whole password and the password without its trailing digits and symbols', () => {
    expect(commonPasswordForms('P@ssw0rd1!')).toEqual(['passwordl!', 'passwordl', 'password']);
    expect(commonPasswordForms('Ab!')).toEqual([]);
    expect(commonPasswordForms('Ab1!')).toEqual(['abl!']);
    for (const password of ['P@ssw0rd1', 'Password1!', 'Dragon2026!!!', 'Summer2026!', 'Welcome1!', 'Qwerty123!', 'Trustno1!', 'Sh@d0w99']) {
      expect(looksCommon(password, filter), password).toBe(true);
    }
  });

  it('a warning is not a refusal: common-looking passwords can still satisfy the policy', () => {
    expect(checkPassword('Dragon2026!!!').problem).toBeNull();
    expect(looksCommon('Dragon2026!!!', filter)).toBe(true);
  });

  it('measured false positives on 100 000 strings not on the list stay at the designed rate', () => {
    expect(expectedFalsePositiveRate({ m: filter.m, k: filter.k, n: filter.size })).toBeLessThanOrEqual(COMMON_PASSWORDS_FP_RATE);
    const onList = new Set(entries);
    const random = seededRandom(42);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz23456789!#%&*';
    let tried = 0;
    let hits = 0;
    while (tried < 100_000) {
      let text = '';
      const length = 6 + Math.floor(random() * 10);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      if (onList.has(text)) continue;
      tried++;
      if (filter.has(text)) hits++;
    }
    // At p = 0.3 % a sample of 100 000 has a standard deviation of about 0.017 percentage points: 1.25·p is
    // more than four of them away, so only a filter worse than designed (bad hashing, wrong size) fails here.
    expect(hits / tried).toBeLessThan(COMMON_PASSWORDS_FP_RATE * 1.25);
    expect(hits).toBeGreaterThan(0);
  });

  it('strong random passwords rarely see the warning (at most three lookups each)', () => {
    const random = seededRandom(9);
    const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%&*';
    let warned = 0;
    for (let i = 0; i < 20_000; i++) {
      let password = '';
      for (let j = 0; j < 12; j++) password += chars[Math.floor(random() * chars.length)];
      if (looksCommon(password, filter)) warned++;
    }
    expect(warned / 20_000).toBeLessThan(COMMON_PASSWORDS_FP_RATE * 3 * 1.25);
  });
});
