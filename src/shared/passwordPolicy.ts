/**
 * Entra ID's password rules for cloud users (sspr-protocol.md §3, concept-sspr-policy):
 * 8–256 characters, only the listed ASCII characters and space, at least 3 of 4 character classes.
 * The client mirrors them for the live checklist; the service (or the emulator) has the last word.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

const SYMBOLS = '@#$%^&*-_!+=[]{}|\\:\',.?/`~"();<> ';

export const isAllowedPasswordChar = (ch: string): boolean =>
  (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || SYMBOLS.includes(ch);

export interface PasswordClasses {
  lower: boolean;
  upper: boolean;
  digit: boolean;
  symbol: boolean;
}

export const passwordClasses = (password: string): PasswordClasses => ({
  lower: /[a-z]/.test(password),
  upper: /[A-Z]/.test(password),
  digit: /[0-9]/.test(password),
  symbol: [...password].some((ch) => SYMBOLS.includes(ch)),
});

export const classCount = (c: PasswordClasses): number =>
  Number(c.lower) + Number(c.upper) + Number(c.digit) + Number(c.symbol);

export type PasswordRule = 'length' | 'characters' | 'classes';
export type PasswordProblem = 'too_short' | 'too_long' | 'invalid_characters' | 'too_weak';

export interface PasswordCheck {
  /** Length in code points, so an emoji counts once (and is rejected as a character anyway). */
  length: number;
  classes: PasswordClasses;
  /** Each rule and whether it holds: drives the live checklist. */
  rules: Record<PasswordRule, boolean>;
  /** The first broken rule in Entra's documented order, or null when the password may be submitted. */
  problem: PasswordProblem | null;
  /** Distinct characters the service will reject, for a precise message (at most 5). */
  invalidCharacters: string[];
}

export const checkPassword = (password: string): PasswordCheck => {
  const chars = [...password];
  const length = chars.length;
  const invalid: string[] = [];
  for (const ch of chars) {
    if (!isAllowedPasswordChar(ch) && !invalid.includes(ch)) {
      invalid.push(ch);
      if (invalid.length >= 5) break;
    }
  }
  const classes = passwordClasses(password);
  const rules = {
    length: length >= PASSWORD_MIN && length <= PASSWORD_MAX,
    characters: invalid.length === 0,
    classes: classCount(classes) >= 3,
  };
  let problem: PasswordProblem | null = null;
  if (length < PASSWORD_MIN) problem = 'too_short';
  else if (length > PASSWORD_MAX) problem = 'too_long';
  else if (!rules.characters) problem = 'invalid_characters';
  else if (!rules.classes) problem = 'too_weak';
  return { length, classes, rules, problem, invalidCharacters: invalid };
};
