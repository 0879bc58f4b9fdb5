/**
 * Entra's new-password rules in their documented order, and the banned-password scoring
 * (concept-password-ban-bad): normalisation, edit distance 1, name and tenant substrings, the custom list.
 */
import { describe, expect, it } from 'vitest';
import { normalizeForBanCheck, scorePassword, withinEditDistanceOne } from '../../src/emulator/bannedPasswords';
import { checkNewPassword } from '../../src/emulator/passwordRules';

const ban = { customTerms: ['fourthcoffee', 'redmond'], contextTerms: ['Alice', 'Anderson', 'Contoso', 'contoso'] };
const check = (password: string, currentPassword = 'Blue-Harbor-73', checkReuse = true) => checkNewPassword({ password, currentPassword, checkReuse, ban });

describe('password rules, in order', () => {
  it('counts length in characters: 7 is too short, 8 and 256 are fine, 257 is too long', () => {
    expect(check('Ab1!Xyz')).toBe('password_too_short');
    expect(check('Ab1!Xyzq')).toBe(null);
    const long = (n: number) => `Ab1!${'Xq7-'.repeat(64)}`.slice(0, n);
    expect(long(256)).toHaveLength(256);
    expect(check(long(256))).toBe(null);
    expect(check(`${long(256)}Z`)).toBe('password_too_long');
  });

  it('checks length before characters: a short password with an umlaut is too short, not invalid', () => {
    expect(check('Äb1!xyz')).toBe('password_too_short');
  });

  it('refuses anything outside the allowed ASCII set, including tab, non-ASCII letters and emoji', () => {
    expect(check('Sapphire\tLake-29')).toBe('password_is_invalid');
    expect(check('Sapphire-Läke-29')).toBe('password_is_invalid');
    expect(check('Sapphire-Lake-29😀')).toBe('password_is_invalid');
    expect(check('Sapphire\u00a0Lake-29')).toBe('password_is_invalid');
    // Space and every listed symbol are allowed.
    expect(check('Sapphire Lake 29')).toBe(null);
    expect(check('Qz7@#$%^&*-_!+=[]{}|\\:\',.?/`~"();<>')).toBe(null);
  });

  it('needs three of the four classes: two are too weak', () => {
    expect(check('sapphirelake')).toBe('password_too_weak');
    expect(check('sapphire-lake')).toBe('password_too_weak');
    expect(check('SAPPHIRE2931')).toBe('password_too_weak');
    expect(check('2931-4875-66')).toBe('password_too_weak');
    expect(check('Sapphire2931')).toBe(null);
    expect(check('sapphire-2931')).toBe(null);
  });

  it('checks the banned list after strength, and reuse last', () => {
    expect(check('password')).toBe('password_too_weak');
    expect(check('Password1!')).toBe('password_banned');
    expect(check('Blue-Harbor-73')).toBe('password_recently_used');
    expect(check('Blue-Harbor-73', 'Blue-Harbor-73', false)).toBe(null);
  });
});

describe('banned-password scoring', () => {
  it('normalises case and the substitutions 0→o 1→l $→s @→a', () => {
    expect(normalizeForBanCheck('P@$$w0rD1')).toBe('passwordl');
  });

  it('matches at edit distance 1 and not 2', () => {
    expect(withinEditDistanceOne('password', 'passwerd')).toBe(true);
    expect(withinEditDistanceOne('password', 'pasword')).toBe(true);
    expect(withinEditDistanceOne('password', 'passwoord')).toBe(true);
    expect(withinEditDistanceOne('password', 'pazzword')).toBe(false);
    expect(withinEditDistanceOne('abc', 'abcde')).toBe(false);
  });

  it('scores 1 per term found and 1 per remaining character, banning under 5', () => {
    expect(scorePassword('P@ssw0rd1!', ban)).toMatchObject({ score: 3, banned: true, terms: ['password'] });
    expect(scorePassword('Passwerd12', ban)).toMatchObject({ score: 3, banned: true });
    expect(scorePassword('Welcome12', ban).banned).toBe(true);
    expect(scorePassword('Summer2024!', ban)).toMatchObject({ score: 6, banned: false });
    expect(scorePassword('Summer24!', ban)).toMatchObject({ score: 4, banned: true });
    expect(scorePassword('WinterSummer!', ban)).toMatchObject({ score: 3, banned: true });
  });

  it('finds the user name and the tenant name as substrings, only for terms of 4+ characters', () => {
    expect(scorePassword('Anderson1!', ban).banned).toBe(true);
    expect(scorePassword('xAlice12', ban)).toMatchObject({ terms: ['alice'], score: 4, banned: true });
    expect(scorePassword('C0nt0so!2', ban).banned).toBe(true);
    // Names are not fuzzy-matched: one letter off is just characters.
    expect(scorePassword('Alicr12!', ban)).toMatchObject({ terms: [], banned: false });
    expect(scorePassword('Bo12!Xy', { contextTerms: ['Bo'] }).terms).toEqual([]);
  });

  it("applies the tenant's custom list with the same fuzzy matching", () => {
    expect(scorePassword('Redmond24!', ban).banned).toBe(true);
    expect(scorePassword('Fourth-C0ffee', ban).banned).toBe(true);
    expect(scorePassword('Redmond24!', { customTerms: [] }).banned).toBe(false);
  });

  it('lets a long password that contains a banned word through when the rest scores enough', () => {
    const r = scorePassword('MyGreenPassword-Canoe-1987', ban);
    expect(r.terms).toContain('password');
    expect(r.score).toBeGreaterThanOrEqual(5);
    expect(r.banned).toBe(false);
    expect(check('MyGreenPassword-Canoe-1987')).toBe(null);
  });
});
