/**
 * The portal chrome's texts, read from the overlay's one i18n system (the "portal" section of each
 * catalogue; the portal page itself is localised by Microsoft through mkt=). A language whose catalogue is
 * not loaded yet shows English until it arrives.
 */
import i18next from 'i18next';
import { useEffect, useState } from 'react';
import { PortalErrorReasons, PortalOutcomeReasons, type PortalErrorReason } from '../../shared/ipc';
import { ensureI18n, isRightToLeft, loadLanguage, pickLanguage } from '../i18n';

export interface PortalStrings {
  language: string;
  backToSignIn: string;
  finish: string;
  loading: string;
  unavailableTitle: string;
  unavailableBody: string;
  errorTitle: Record<PortalErrorReason, string>;
  errorBody: Record<PortalErrorReason, string>;
  retry: string;
  reference: (id: string) => string;
  /** A refused redirect's host, for the helpdesk. */
  blockedHost: (host: string) => string;
  idleTitle: string;
  idleBody: (seconds: number) => string;
  idleContinue: string;
  portalRegion: string;
}

const reasons: readonly PortalErrorReason[] = [...PortalErrorReasons, ...PortalOutcomeReasons];

export const portalStrings = (language: string): PortalStrings => {
  ensureI18n();
  const lng = pickLanguage(language);
  const t = i18next.getFixedT(i18next.hasResourceBundle(lng, 'translation') ? lng : 'en');
  const byReason = (section: string) => Object.fromEntries(reasons.map((r) => [r, t(`portal.${section}.${r}`)])) as Record<PortalErrorReason, string>;
  return {
    language: t('app.language'),
    backToSignIn: t('app.backToSignIn'),
    finish: t('portal.finish'),
    loading: t('portal.loading'),
    unavailableTitle: t('portal.unavailableTitle'),
    unavailableBody: t('portal.unavailableBody'),
    errorTitle: byReason('errorTitle'),
    errorBody: byReason('errorBody'),
    retry: t('common.tryAgain'),
    reference: (id) => t('portal.reference', { id }),
    blockedHost: (host) => t('portal.blockedHost', { host }),
    idleTitle: t('portal.idleTitle'),
    idleBody: (seconds) => t('portal.idleBody', { seconds }),
    idleContinue: t('idle.continue'),
    portalRegion: t('portal.region'),
  };
};

/** portalStrings for a language that may still be loading: renders again once its catalogue arrives. */
export const usePortalStrings = (language: string): PortalStrings => {
  const [, setLoaded] = useState('');
  useEffect(() => {
    let live = true;
    const lng = pickLanguage(language);
    void loadLanguage(lng).then(() => live && setLoaded(lng));
    return () => {
      live = false;
    };
  }, [language]);
  return portalStrings(language);
};

/** Languages offered for the portal (its mkt values) with their own names. */
export const PORTAL_LANGUAGES: readonly { code: string; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'ar', name: 'العربية' },
  { code: 'de', name: 'Deutsch' },
  { code: 'es', name: 'Español' },
  { code: 'fr', name: 'Français' },
  { code: 'it', name: 'Italiano' },
  { code: 'nl', name: 'Nederlands' },
  { code: 'pl', name: 'Polski' },
  { code: 'pt-br', name: 'Português (Brasil)' },
  { code: 'ja', name: '日本語' },
  { code: 'zh-cn', name: '中文(简体)' },
];

export const isRtl = (language: string): boolean => isRightToLeft(language) || /^(fa|ur)(-|$)/i.test(language);
