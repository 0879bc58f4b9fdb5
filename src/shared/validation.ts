/**
 * Input rules applied before any request leaves the machine (security.md §8). Pure functions, used by the
 * renderer for instant messages and again by the main process, which never trusts the renderer.
 */

// ---------------------------------------------------------------- user id (UPN)
export const UPN_MAX = 113;
export const UPN_LOCAL_MAX = 64;
export const UPN_DOMAIN_MAX = 48;

export type UsernameProblem =
  | 'empty'
  | 'too_long'
  | 'missing_at'
  | 'multiple_at'
  | 'local_part_empty'
  | 'local_part_too_long'
  | 'domain_empty'
  | 'domain_too_long'
  | 'domain_invalid'
  | 'dot_placement'
  | 'down_level_name'
  | 'whitespace'
  | 'invalid_characters';

export type Checked<T, P> = { ok: true; value: T } | { ok: false; problem: P };

const UPN_LOCAL_CHAR = /^[A-Za-z0-9'.\-_!#^~]$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
/** Only plain ASCII spaces and tabs at the ends are taken as slips of the finger and trimmed. */
const OUTER_SPACE = /^[ \t]+|[ \t]+$/g;

export const checkUsername = (input: string): Checked<string, UsernameProblem> => {
  if (input.length > UPN_MAX * 4) return { ok: false, problem: 'too_long' };
  const value = input.replace(OUTER_SPACE, '');
  if (value.length === 0) return { ok: false, problem: 'empty' };
  if (/\s|[\u200B-\u200D\u2060\uFEFF]/u.test(value)) return { ok: false, problem: 'whitespace' };
  if (value.length > UPN_MAX) return { ok: false, problem: 'too_long' };
  if (!value.includes('@') && value.includes('\\')) return { ok: false, problem: 'down_level_name' };
  // Anything outside printable ASCII (homoglyphs, full-width forms, bidi controls, emoji, control
  // characters) is refused before the network: a confusable must never map silently onto a real account.
  if (/[^\x21-\x7E]/.test(value)) return { ok: false, problem: 'invalid_characters' };
  const at = value.indexOf('@');
  if (at < 0) return { ok: false, problem: 'missing_at' };
  if (value.indexOf('@', at + 1) >= 0) return { ok: false, problem: 'multiple_at' };
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length === 0) return { ok: false, problem: 'local_part_empty' };
  if (domain.length === 0) return { ok: false, problem: 'domain_empty' };
  if (local.length > UPN_LOCAL_MAX) return { ok: false, problem: 'local_part_too_long' };
  if (domain.length > UPN_DOMAIN_MAX) return { ok: false, problem: 'domain_too_long' };
  for (const ch of local) if (!UPN_LOCAL_CHAR.test(ch)) return { ok: false, problem: 'invalid_characters' };
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return { ok: false, problem: 'dot_placement' };
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((l) => !DOMAIN_LABEL.test(l))) return { ok: false, problem: 'domain_invalid' };
  return { ok: true, value };
};

// ---------------------------------------------------------------- verification code
export type CodeProblem = 'empty' | 'not_digits' | 'wrong_length';

/** Decimal digit blocks users may type on other keyboards; each maps onto 0–9. */
const DIGIT_BLOCKS = [0xff10 /* full-width */, 0x0660 /* Arabic-Indic */, 0x06f0 /* Extended Arabic-Indic */, 0x0966 /* Devanagari */];

const toAsciiDigit = (ch: string): string | null => {
  if (ch >= '0' && ch <= '9') return ch;
  const cp = ch.codePointAt(0) ?? 0;
  for (const base of DIGIT_BLOCKS) if (cp >= base && cp <= base + 9) return String(cp - base);
  return null;
};

/**
 * Normalises a typed or pasted code: drops spaces (codes are often shown grouped as "123 456"),
 * maps other-script decimal digits to ASCII, and keeps the result a string so leading zeros survive.
 * Anything else (letters, signs, superscripts, control characters) is rejected, never guessed at.
 */
export const checkCode = (input: string, codeLength: number): Checked<string, CodeProblem> => {
  const compact = input.replace(/[ \t\u00A0\u3000]/g, '');
  if (compact.length === 0) return { ok: false, problem: 'empty' };
  if (compact.length > Math.max(codeLength, 1) * 2 + 8) return { ok: false, problem: 'wrong_length' };
  let digits = '';
  for (const ch of compact) {
    const d = toAsciiDigit(ch);
    if (d === null) return { ok: false, problem: 'not_digits' };
    digits += d;
  }
  if (codeLength > 0 && digits.length !== codeLength) return { ok: false, problem: 'wrong_length' };
  return { ok: true, value: digits };
};
