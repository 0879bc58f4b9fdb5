/**
 * Warnings the password checklist shows before submit (issue #10 item 6). They mirror, roughly, what Entra's
 * banned-password check refuses after submit (concept-password-ban-bad): the password is lower-cased and
 * common substitutions are undone before any comparison. They only ever warn: the service has the last word,
 * and a warning that is wrong (a Bloom filter false positive) must never stop a valid password.
 */
import { buildBloomFilter, type BloomFilter, type BloomFilterData } from './bloomFilter';

const SUBSTITUTIONS: Record<string, string> = { '0': 'o', '1': 'l', $: 's', '@': 'a' };

/** Entra's documented normalisation: lower case, then 0→o, 1→l, $→s, @→a. */
export const normalizeForBanCheck = (text: string): string => text.toLowerCase().replace(/[01$@]/g, (ch) => SUBSTITUTIONS[ch] ?? ch);

/**
 * Parts of a user id shorter than this are ignored: Entra counts names of at least 4 characters, and it keeps
 * "com", "net" or initials from flagging half the passwords people choose.
 */
export const USER_ID_PART_MIN = 4;

/**
 * The normalised pieces of a user id a password should not contain: the whole id, its local part, and the
 * name-like parts of both (split on . _ - @ and digits, so "j.smith2@fabrikam.com" gives smith and fabrikam).
 */
export const userIdParts = (userId: string): string[] => {
  const id = userId.trim().toLowerCase();
  if (!id) return [];
  const local = id.split('@')[0] ?? '';
  // Split before normalising: digits separate the parts, and normalising would turn 0 and 1 into letters.
  const pieces = id.split(/[._\-@\d]+/);
  const parts = [id, local, ...pieces].map(normalizeForBanCheck).filter((p) => p.length >= USER_ID_PART_MIN);
  return [...new Set(parts)];
};

/** True when the password contains the user id or a name-like part of it, compared after normalisation. */
export const mentionsUserId = (password: string, userId: string): boolean => {
  const text = normalizeForBanCheck(password);
  return userIdParts(userId).some((part) => text.includes(part));
};

/** Forms of a candidate shorter than this are not looked up: too short to call a password "common". */
export const COMMON_FORM_MIN = 4;

/**
 * The forms of a password looked up in the common-password list, all normalised: the whole password, without
 * its trailing symbols, and without its trailing digits and symbols. Entra refuses "a banned word plus a few
 * characters"; people nearly always add those characters at the end (Summer2026!, P@ssw0rd1).
 */
export const commonPasswordForms = (password: string): string[] => {
  const forms = [password, password.replace(/[^A-Za-z0-9]+$/, ''), password.replace(/[^A-Za-z]+$/, '')]
    .map(normalizeForBanCheck)
    .filter((f) => f.length >= COMMON_FORM_MIN);
  return [...new Set(forms)];
};

/** True when a form of the password is (or, at the filter's false-positive rate, seems to be) on the list. */
export const looksCommon = (password: string, list: Pick<BloomFilter, 'has'>): boolean =>
  commonPasswordForms(password).some((form) => list.has(form));

/** The normalised list entries a filter is built from: long enough to be looked up, each once. */
export const commonPasswordEntries = (words: readonly string[]): string[] => [
  ...new Set(words.map((w) => normalizeForBanCheck(w.trim())).filter((w) => w.length >= COMMON_FORM_MIN)),
];

/**
 * The designed false-positive rate of one lookup. A password makes at most three lookups, so at most about
 * one valid password in a hundred sees a warning it does not deserve; a warning is all it ever is.
 */
export const COMMON_PASSWORDS_FP_RATE = 0.003;

/** Compiles a word list into the filter the renderer ships (done at build time, never in the overlay). */
export const buildCommonPasswordFilter = (words: readonly string[], p = COMMON_PASSWORDS_FP_RATE): BloomFilterData =>
  buildBloomFilter(commonPasswordEntries(words), p);

/** The script next to the renderer bundle that carries the filter, and the global hook it calls. */
export const COMMON_PASSWORDS_SCRIPT = 'common-passwords.js';
export const COMMON_PASSWORDS_CALLBACK = '__ssprCommonPasswords';
