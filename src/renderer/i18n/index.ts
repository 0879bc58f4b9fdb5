/**
 * The renderer's one i18n system (i18next). English is bundled into app.js; every other catalogue is a
 * script of its own (i18n/<code>.js, written by the build) fetched only when that language is chosen, so
 * the first load carries English plus the active language and nothing else. Scripts, not fetch(): the
 * overlay's CSP allows our own scripts but no connections (connect-src 'none').
 */
import i18next, { type InitOptions } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import type { Catalogue } from './catalogue';
import { loadOwnScript } from '../ownScript';
import { isRightToLeft, languages, onDemandLanguages, pickLanguage, selectableLanguages, type Language } from './languages';

export { isRightToLeft, languages, pickLanguage, selectableLanguages, type Language };

/** Shown in user-id hints and examples when no UpnSuffix is configured. */
export const EXAMPLE_DOMAIN = 'contoso.com';

/** The global each catalogue script calls; the build writes `self.__ssprCatalogue("de", {...})`. */
export const CATALOGUE_CALLBACK = '__ssprCatalogue';
export const catalogueScriptPath = (lng: string): string => `i18n/${lng}.js`;

type CatalogueSink = (lng: string, data: Catalogue) => void;
const globalScope = globalThis as unknown as Record<string, CatalogueSink | undefined>;

const pending = new Map<Language, Promise<boolean>>();

// A missing or broken catalogue leaves English showing: never a blank screen.
const loadScript = async (lng: Language): Promise<boolean> =>
  (await loadOwnScript(catalogueScriptPath(lng))) && i18next.hasResourceBundle(lng, 'translation');

/** Makes a catalogue available; resolves false (English will show) when it could not be loaded. */
export const loadLanguage = (lng: Language): Promise<boolean> => {
  if (i18next.hasResourceBundle(lng, 'translation')) return Promise.resolve(true);
  if (lng === 'en-XA') {
    // For testers only: its code stays out of the first load.
    return import('./pseudo').then(
      ({ pseudoCatalogue }) => {
        if (!i18next.hasResourceBundle(lng, 'translation')) i18next.addResourceBundle(lng, 'translation', pseudoCatalogue(en as Catalogue));
        return true;
      },
      () => false,
    );
  }
  const inFlight = pending.get(lng);
  if (inFlight) return inFlight;
  const loading = loadScript(lng).then((ok) => {
    if (!ok) pending.delete(lng);
    return ok;
  });
  pending.set(lng, loading);
  return loading;
};

export const applyDocumentLanguage = (lng: Language): void => {
  document.documentElement.lang = lng;
  document.documentElement.dir = isRightToLeft(lng) ? 'rtl' : 'ltr';
};

export interface I18nOptions {
  /** The organisation's UPN suffix (UpnSuffix), used in the user-id hint and examples. */
  domain?: string;
}

/**
 * i18next's options, English only: the page's instance and the first screen rendered in the main process
 * (firstScreen.tsx) must translate alike, or the page could not take that markup over.
 */
export const i18nOptions = (options: I18nOptions = {}): InitOptions => ({
  resources: { en: { translation: en } },
  lng: 'en',
  fallbackLng: 'en',
  initAsync: false,
  // React escapes every string it renders; i18next's own escaping would double-escape.
  interpolation: { escapeValue: false, defaultVariables: { domain: options.domain || EXAMPLE_DOMAIN } },
  returnNull: false,
  showSupportNotice: false,
});

/**
 * Sets i18next up with English (synchronously, so a component rendered before initI18n still has texts).
 * Safe to call more than once; the first caller's options win.
 */
export const ensureI18n = (options: I18nOptions = {}): typeof i18next => {
  if (i18next.isInitialized) return i18next;
  globalScope[CATALOGUE_CALLBACK] = (code, data) => {
    // Only the catalogues we ship, and only once: a stray call cannot swap the language's texts later.
    if (!onDemandLanguages.includes(code as Language) || i18next.hasResourceBundle(code, 'translation')) return;
    i18next.addResourceBundle(code, 'translation', data);
  };
  void i18next.use(initReactI18next).init(i18nOptions(options));
  return i18next;
};

export const initI18n = async (lng: Language, options: I18nOptions = {}): Promise<typeof i18next> => {
  ensureI18n(options);
  await changeLanguage(lng);
  return i18next;
};

/** Switches the whole overlay; a catalogue that cannot load leaves the texts in English. */
export const changeLanguage = async (lng: Language): Promise<void> => {
  const loaded = await loadLanguage(lng);
  const shown: Language = loaded ? lng : 'en';
  await i18next.changeLanguage(shown);
  applyDocumentLanguage(shown);
};
