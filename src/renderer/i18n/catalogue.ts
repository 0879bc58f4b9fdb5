/** Catalogue shapes and the check every shipped catalogue must pass against English (pure, no DOM). */
export type Catalogue = { [key: string]: string | Catalogue };

export const flatten = (node: Catalogue, prefix = ''): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
};

/** Rebuilds the nested shape from flat dotted keys (the inverse of flatten). */
export const unflatten = (flat: Map<string, string>): Catalogue => {
  const root: Catalogue = {};
  for (const [key, value] of flat) {
    const path = key.split('.');
    let node = root;
    for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Catalogue;
    node[path[path.length - 1] as string] = value;
  }
  return root;
};

export const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] as string).sort();

export interface CatalogueProblem {
  key: string;
  problem: 'missing' | 'extra' | 'empty' | 'placeholders' | 'not a string';
  detail?: string;
}

/**
 * Compares one translation with the English reference: every key present, no key English lacks, no empty
 * message, and the same {{placeholders}} (a dropped or renamed one would show raw braces or lose the value).
 */
export const checkCatalogue = (reference: Catalogue, translation: unknown): CatalogueProblem[] => {
  const problems: CatalogueProblem[] = [];
  const ref = flatten(reference);
  const rawTranslation = (translation ?? {}) as Catalogue;
  const other = new Map<string, unknown>();
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) walk(value as Record<string, unknown>, `${prefix}${key}.`);
      else other.set(prefix + key, value);
    }
  };
  walk(rawTranslation, '');
  for (const [key, text] of ref) {
    if (!other.has(key)) {
      problems.push({ key, problem: 'missing' });
      continue;
    }
    const value = other.get(key);
    if (typeof value !== 'string') {
      problems.push({ key, problem: 'not a string' });
      continue;
    }
    if (!value.trim()) problems.push({ key, problem: 'empty' });
    const want = placeholders(text).join(',');
    const got = placeholders(value).join(',');
    if (want !== got) problems.push({ key, problem: 'placeholders', detail: `expected {{${want}}}, found {{${got}}}` });
  }
  for (const key of other.keys()) if (!ref.has(key)) problems.push({ key, problem: 'extra' });
  return problems;
};

export const describeProblems = (language: string, problems: CatalogueProblem[]): string =>
  problems.map((p) => `${language}: ${p.key}: ${p.problem}${p.detail ? ` (${p.detail})` : ''}`).join('\n');
