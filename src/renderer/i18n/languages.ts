/**
 * The languages the overlay speaks and how a BCP 47 tag (from policy, from the shim's OS UI language, or
 * from the portal's mkt=) finds one of them. Pure data and functions: used by the renderer, the build and
 * the catalogue check alike.
 */
export const languages = [
  { code: 'en', name: 'English' },
  { code: 'ar', name: 'العربية' },
  { code: 'cs', name: 'Čeština' },
  { code: 'da', name: 'Dansk' },
  { code: 'de', name: 'Deutsch' },
  { code: 'es', name: 'Español' },
  { code: 'fi', name: 'Suomi' },
  { code: 'fr', name: 'Français' },
  { code: 'he', name: 'עברית' },
  { code: 'it', name: 'Italiano' },
  { code: 'ja', name: '日本語' },
  { code: 'ko', name: '한국어' },
  { code: 'nb', name: 'Norsk bokmål' },
  { code: 'nl', name: 'Nederlands' },
  { code: 'pl', name: 'Polski' },
  { code: 'pt-BR', name: 'Português (Brasil)' },
  { code: 'pt-PT', name: 'Português (Portugal)' },
  { code: 'ru', name: 'Русский' },
  { code: 'sv', name: 'Svenska' },
  { code: 'tr', name: 'Türkçe' },
  { code: 'uk', name: 'Українська' },
  { code: 'zh-Hans', name: '中文(简体)' },
  { code: 'zh-Hant', name: '中文(繁體)' },
  // Pseudo-locale: English accented, ~40% longer and bracketed, to show clipped or hard-coded text.
  { code: 'en-XA', name: '[Ƥşḗŭḓǿ]' },
] as const;

export type Language = (typeof languages)[number]['code'];

/** Catalogues shipped as files of their own and loaded on demand (English is in the first load). */
export const onDemandLanguages: readonly Language[] = languages.map((l) => l.code).filter((c) => c !== 'en' && c !== 'en-XA');

/** The header's list: every real language; the pseudo-locale only while it is in use (it is for testers). */
export const selectableLanguages = (current: string) => languages.filter((l) => l.code !== 'en-XA' || current === 'en-XA');

const RTL = new Set<string>(['ar', 'he']);
export const isRightToLeft = (lng: string): boolean => RTL.has(lng.split('-')[0]?.toLowerCase() ?? '');

// Traditional Chinese is written in Taiwan, Hong Kong and Macao; everywhere else a bare "zh" means Simplified.
const TRADITIONAL_REGIONS = new Set(['tw', 'hk', 'mo']);

/**
 * BCP 47 in, one of our catalogues out: an exact tag first, then the script or region rules below, then
 * the base language ("de-AT" → de); anything unknown → English.
 */
export const pickLanguage = (tag: string | undefined | null): Language => {
  const parts = (tag ?? '').trim().toLowerCase().split(/[-_]/).filter(Boolean);
  const base = parts[0] ?? '';
  const exact = languages.find((l) => l.code.toLowerCase() === parts.join('-'));
  if (exact) return exact.code;
  if (base === 'zh') {
    if (parts.includes('hant') || parts.some((p) => TRADITIONAL_REGIONS.has(p))) return 'zh-Hant';
    return 'zh-Hans';
  }
  // Portuguese: Portugal's own catalogue for pt-PT; Brazil (the larger audience) for "pt" and every other region.
  if (base === 'pt') return parts[1] === 'pt' ? 'pt-PT' : 'pt-BR';
  // Norwegian: "no" and Nynorsk readers get Bokmål, the written standard most of them use at work.
  if (base === 'no' || base === 'nn') return 'nb';
  if (base === 'iw') return 'he';
  return languages.find((l) => l.code === base)?.code ?? 'en';
};
