import { useTranslation } from 'react-i18next';
import { selectableLanguages, type Language } from '../i18n';

interface Props {
  productName: string;
  /** The organisation's logo as a data: URL from main; decorative, the name beside it says who it is. */
  logo?: string | undefined;
  demo: boolean;
  language: Language;
  onLanguage: (lng: Language) => void;
}

export const Header = ({ productName, logo, demo, language, onLanguage }: Props) => {
  const { t } = useTranslation();
  return (
    <header className="topbar">
      <div className="topbar__brand">
        {logo?.startsWith('data:image/') && <img className="topbar__logo" src={logo} alt="" />}
        <span className="topbar__product">{productName}</span>
        {demo && (
          <span className="badge" title={t('app.demoNote')}>
            {t('app.demoBadge')}
          </span>
        )}
      </div>
      <div className="topbar__language">
        <label htmlFor="language">{t('app.language')}</label>
        <select id="language" value={language} onChange={(e) => onLanguage(e.target.value as Language)}>
          {selectableLanguages(language).map((l) => (
            <option key={l.code} value={l.code} lang={l.code}>
              {l.name}
            </option>
          ))}
        </select>
      </div>
    </header>
  );
};
