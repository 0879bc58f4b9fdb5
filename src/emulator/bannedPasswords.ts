import { normalizeForBanCheck } from '../shared/passwordHints';

/**
 * Entra's banned-password evaluation (concept-password-ban-bad, sspr-protocol.md §3):
 *  1. lower-case the password and undo common substitutions (0→o, 1→l, $→s, @→a);
 *  2. find terms of the global and the tenant's custom list, allowing edit distance 1;
 *  3. find the user's first and last name and the tenant name as plain substrings (terms of ≥ 4 chars);
 *  4. score: every term found is 1 point, every character left over is 1 point; under 5 points is banned.
 * Microsoft does not publish its global list; this one is a small, realistic stand-in.
 */
export const GLOBAL_BANNED_TERMS: readonly string[] = [
  'password', 'passw0rd', 'welcome', 'qwerty', 'azerty', 'letmein', 'admin', 'administrator', 'summer', 'winter',
  'spring', 'autumn', 'monday', 'friday', 'football', 'baseball', 'iloveyou', 'dragon', 'sunshine', 'princess',
  'master', 'shadow', 'monkey', 'secret', 'changeme', 'trustno1', 'starwars', 'superman', 'abc123', '123456',
  'january', 'december', 'hello', 'login', 'access', 'freedom', 'whatever', 'microsoft', 'office',
];

// One normalisation for the service's check here and the overlay's warnings (src/shared/passwordHints.ts).
export { normalizeForBanCheck };

/** True when a and b differ by at most one insertion, deletion or substitution. */
export function withinEditDistanceOne(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < short.length && j < long.length) {
    if (short[i] === long[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (short.length === long.length) i++;
    j++;
  }
  return edits + (long.length - j) + (short.length - i) <= 1;
}

interface Match {
  start: number;
  end: number;
  distance: number;
  term: string;
}

function fuzzyMatches(text: string, term: string): Match[] {
  const found: Match[] = [];
  for (const len of [term.length, term.length - 1, term.length + 1]) {
    if (len < 1) continue;
    for (let start = 0; start + len <= text.length; start++) {
      const slice = text.slice(start, start + len);
      if (slice === term) found.push({ start, end: start + len, distance: 0, term });
      else if (withinEditDistanceOne(slice, term)) found.push({ start, end: start + len, distance: 1, term });
    }
  }
  return found;
}

function exactMatches(text: string, term: string): Match[] {
  const found: Match[] = [];
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) found.push({ start: at, end: at + term.length, distance: 0, term });
  return found;
}

export interface BanContext {
  customTerms?: readonly string[];
  /** The user's first and last name and the tenant's name(s); only terms of at least 4 characters count. */
  contextTerms?: readonly string[];
  globalTerms?: readonly string[];
}

export interface BanScore {
  score: number;
  banned: boolean;
  /** The normalised terms that were found, for tests and the audit reason (never the password itself). */
  terms: string[];
}

export const BAN_THRESHOLD = 5;

export function scorePassword(password: string, ctx: BanContext = {}): BanScore {
  const text = normalizeForBanCheck(password);
  const listTerms = [...(ctx.globalTerms ?? GLOBAL_BANNED_TERMS), ...(ctx.customTerms ?? [])]
    .map((t) => normalizeForBanCheck(t.trim()))
    .filter((t) => t.length >= 3);
  const contextTerms = (ctx.contextTerms ?? []).map((t) => normalizeForBanCheck(t.trim())).filter((t) => t.length >= 4);

  const candidates: Match[] = [];
  for (const term of new Set(listTerms)) candidates.push(...fuzzyMatches(text, term));
  for (const term of new Set(contextTerms)) candidates.push(...exactMatches(text, term));

  // Exact hits first, then the longest span, then the leftmost: a greedy cover without overlaps.
  candidates.sort((a, b) => a.distance - b.distance || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const covered = new Array<boolean>(text.length).fill(false);
  const terms: string[] = [];
  for (const m of candidates) {
    let free = true;
    for (let k = m.start; k < m.end; k++) if (covered[k]) free = false;
    if (!free) continue;
    for (let k = m.start; k < m.end; k++) covered[k] = true;
    terms.push(m.term);
  }
  const leftover = covered.filter((c) => !c).length;
  const score = terms.length + leftover;
  return { score, banned: score < BAN_THRESHOLD, terms };
}
