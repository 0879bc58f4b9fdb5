/**
 * The new-password checks of submit, in Entra's order (sspr-protocol.md §6.1). The first failing rule
 * names the suberror the client sees.
 */
import { scorePassword, type BanContext } from './bannedPasswords';

export type PasswordSuberror =
  | 'password_too_short'
  | 'password_too_long'
  | 'password_is_invalid'
  | 'password_too_weak'
  | 'password_banned'
  | 'password_recently_used';

export const MIN_LENGTH = 8;
export const MAX_LENGTH = 256;
const SYMBOLS = '@#$%^&*-_!+=[]{}|\\:\',.?/`~"();<> ';

const isAllowed = (ch: string): boolean => /^[A-Za-z0-9]$/.test(ch) || SYMBOLS.includes(ch);

export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(password)).length + ([...password].some((ch) => SYMBOLS.includes(ch)) ? 1 : 0);
}

export interface PasswordRuleInput {
  password: string;
  currentPassword?: string;
  checkReuse: boolean;
  ban: BanContext;
}

export const PASSWORD_MESSAGES: Record<PasswordSuberror, string> = {
  password_too_short: 'The new password is too short. It must be at least 8 characters.',
  password_too_long: 'The new password is too long. It must be at most 256 characters.',
  password_is_invalid: 'The new password contains characters that are not allowed.',
  password_too_weak: 'New password is too weak. Use at least three of: lower-case letters, upper-case letters, digits, symbols.',
  password_banned:
    'Unfortunately, your password contains a word, phrase, or pattern that makes your password easily guessable. Please try again with a different password.',
  password_recently_used: 'The new password must not be the same as the current password.',
};

export function checkNewPassword(input: PasswordRuleInput): PasswordSuberror | null {
  const chars = [...input.password];
  if (chars.length < MIN_LENGTH) return 'password_too_short';
  if (chars.length > MAX_LENGTH) return 'password_too_long';
  if (!chars.every(isAllowed)) return 'password_is_invalid';
  if (characterClasses(input.password) < 3) return 'password_too_weak';
  if (scorePassword(input.password, input.ban).banned) return 'password_banned';
  if (input.checkReuse && input.currentPassword !== undefined && input.password === input.currentPassword) return 'password_recently_used';
  return null;
}
