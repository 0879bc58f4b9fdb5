/**
 * Renders the overlay's first screen to HTML, in the main process (src/shared/firstScreen.ts says why). The
 * same App component and the same catalogues as the page, so the page's hydration finds exactly this
 * markup. Bundled for Node on its own (dist/main/first-screen.cjs): nothing here touches the DOM, and
 * effects (focus, timers, fetching the later screens) never run in a server render.
 */
import { createInstance } from 'i18next';
import { renderToString } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import type { FirstScreenRenderer } from '../shared/firstScreen';
import type { RendererApi } from './api';
import { App } from './App';
import { displayName } from './branding';
import { i18nOptions } from './i18n';
import type { Catalogue } from './i18n/catalogue';
import { isRightToLeft, pickLanguage, type Language } from './i18n/languages';
import { pseudoCatalogue } from './i18n/pseudo';
import en from './i18n/en.json';
import ar from './i18n/ar.json';
import cs from './i18n/cs.json';
import da from './i18n/da.json';
import de from './i18n/de.json';
import es from './i18n/es.json';
import fi from './i18n/fi.json';
import fr from './i18n/fr.json';
import he from './i18n/he.json';
import it from './i18n/it.json';
import ja from './i18n/ja.json';
import ko from './i18n/ko.json';
import nb from './i18n/nb.json';
import nl from './i18n/nl.json';
import pl from './i18n/pl.json';
import ptBR from './i18n/pt-BR.json';
import ptPT from './i18n/pt-PT.json';
import ru from './i18n/ru.json';
import sv from './i18n/sv.json';
import tr from './i18n/tr.json';
import uk from './i18n/uk.json';
import zhHans from './i18n/zh-Hans.json';
import zhHant from './i18n/zh-Hant.json';

// Typed by language, so a catalogue added to languages.ts and not here fails the type-check instead of
// showing English in the first screen.
const catalogues: Record<Exclude<Language, 'en' | 'en-XA'>, Catalogue> = {
  ar, cs, da, de, es, fi, fr, he, it, ja, ko, nb, nl, pl, 'pt-BR': ptBR, 'pt-PT': ptPT, ru, sv, tr, uk, 'zh-Hans': zhHans, 'zh-Hant': zhHant,
};

const catalogueFor = (lng: Language): Catalogue | undefined => (lng === 'en' ? undefined : lng === 'en-XA' ? pseudoCatalogue(en as Catalogue) : catalogues[lng]);

/** The first screen never calls the main process while it is being rendered; this only satisfies the type. */
const noCalls = new Proxy({}, { get: () => () => Promise.reject(new Error('no calls while rendering the first screen')) }) as RendererApi;

export const renderFirstScreen: FirstScreenRenderer = (info) => {
  // The portal engine's chrome is a later part of its own; it is not prerendered.
  if (info.engine === 'portal') return null;
  const language = pickLanguage(info.locale);
  const translation = catalogueFor(language);
  const shown = translation ? language : 'en';
  const i18n = createInstance();
  void i18n.use(initReactI18next).init(i18nOptions(info.upnSuffix ? { domain: info.upnSuffix } : {}));
  if (translation) i18n.addResourceBundle(language, 'translation', translation);
  void i18n.changeLanguage(shown);
  const html = renderToString(
    <I18nextProvider i18n={i18n}>
      <App api={noCalls} info={info} />
    </I18nextProvider>,
  );
  return { html, language: shown, dir: isRightToLeft(shown) ? 'rtl' : 'ltr', title: displayName(info) };
};
