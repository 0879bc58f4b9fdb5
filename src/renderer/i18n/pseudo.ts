/**
 * The pseudo-locale en-XA: every English message accented, padded to about 140% of its length and put in
 * brackets, placeholders untouched. Text that is clipped, overflows or stays plain English shows at a glance.
 */
import { flatten, unflatten, type Catalogue } from './catalogue';

const ACCENTED: Record<string, string> = {
  a: 'ȧ', b: 'ƀ', c: 'ƈ', d: 'ḓ', e: 'ḗ', f: 'ƒ', g: 'ɠ', h: 'ħ', i: 'ī', j: 'ĵ', k: 'ķ', l: 'ŀ', m: 'ḿ',
  n: 'ƞ', o: 'ǿ', p: 'ƥ', r: 'ř', s: 'ş', t: 'ŧ', u: 'ŭ', w: 'ẇ', y: 'ẏ', z: 'ẑ',
  A: 'Ȧ', B: 'Ɓ', C: 'Ƈ', D: 'Ḓ', E: 'Ḗ', F: 'Ƒ', G: 'Ɠ', H: 'Ħ', I: 'Ī', K: 'Ķ', L: 'Ŀ', N: 'Ƞ', O: 'Ǿ',
  P: 'Ƥ', R: 'Ř', S: 'Ş', T: 'Ŧ', U: 'Ŭ', W: 'Ẇ', Y: 'Ẏ', Z: 'Ẑ',
};

export const pseudoText = (text: string): string => {
  // Placeholders and the user's own tokens (like DOMAIN\name) keep their letters so interpolation still works.
  const parts = text.split(/(\{\{[^}]+\}\})/);
  const accented = parts.map((part, i) => (i % 2 === 1 ? part : [...part].map((ch) => ACCENTED[ch] ?? ch).join(''))).join('');
  const letters = text.replace(/\{\{[^}]+\}\}/g, '').length;
  const padding = Math.max(1, Math.round(letters * 0.4));
  const filler = ' ·'.repeat(Math.ceil(padding / 2)).slice(0, padding);
  return `[${accented}${filler}]`;
};

export const pseudoCatalogue = (english: Catalogue): Catalogue => {
  const flat = flatten(english);
  for (const [key, value] of flat) flat.set(key, pseudoText(value));
  return unflatten(flat);
};
