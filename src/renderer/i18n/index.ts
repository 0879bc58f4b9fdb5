import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import ar from './ar.json';

export const languages = [
  { code: 'en', name: 'English' },
  { code: 'ar', name: 'العربية' },
] as const;
export type Language = (typeof languages)[number]['code'];

/** BCP 47 in, one of our catalogues out ("ar-SA" → "ar"; anything unknown → "en"). */
export const pickLanguage = (locale: string): Language => {
  const base = (locale.toLowerCase().split(/[-_]/)[0] ?? '').trim();
  return languages.find((l) => l.code === base)?.code ?? 'en';
};

export const applyDocumentLanguage = (lng: Language): void => {
  document.documentElement.lang = lng;
  document.documentElement.dir = i18next.dir(lng);
};

export const initI18n = (lng: Language): typeof i18next => {
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, ar: { translation: ar } },
    lng,
    fallbackLng: 'en',
    initAsync: false,
    // React escapes every string it renders; i18next's own escaping would double-escape.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  applyDocumentLanguage(lng);
  return i18next;
};

export const changeLanguage = async (lng: Language): Promise<void> => {
  await i18next.changeLanguage(lng);
  applyDocumentLanguage(lng);
};
