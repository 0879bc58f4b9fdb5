/**
 * The portal chrome's own texts. Kept beside the component (the portal page itself is localised by
 * Microsoft through mkt=); unknown languages fall back to English.
 */
import type { PortalErrorReason } from '../../shared/ipc';

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

const en: PortalStrings = {
  language: 'Language',
  backToSignIn: 'Back to sign-in',
  finish: 'Finish and sign in',
  loading: 'Opening the password reset page…',
  unavailableTitle: 'Password reset is not available here',
  unavailableBody: 'This window cannot show the password reset page. Go back to sign-in and contact your IT helpdesk.',
  errorTitle: {
    offline: 'You are not connected to the internet',
    dns: 'The password reset service cannot be found',
    timeout: 'The password reset service did not answer in time',
    tls: 'A secure connection could not be made',
    certificate: 'The connection is not secure',
    proxy: 'The proxy server did not let the connection through',
    blocked: 'That page cannot be opened here',
    http: 'The password reset service has a problem',
    crashed: 'Something went wrong',
    other: 'The password reset page could not be opened',
    not_enabled: 'Password reset isn\u2019t turned on for your account',
    not_registered: 'Your account isn\u2019t set up for password reset',
    not_saved: 'Your new password couldn\u2019t be saved',
    throttled: 'Too many attempts',
  },
  errorBody: {
    offline: 'Check the network cable or Wi-Fi, then try again.',
    dns: 'The network may need you to sign in first, or it blocks the service. Try another network or contact your IT helpdesk.',
    timeout: 'The network may be slow or blocked. Try again in a moment.',
    tls: 'This network may need you to sign in first (as in a hotel or airport), or it blocks secure connections. Use another network or contact your IT helpdesk.',
    certificate: 'Someone may be intercepting the connection, or this computer\u2019s date and time are wrong. Check the date and time, use another network, or contact your IT helpdesk.',
    proxy: 'Contact your IT helpdesk: the proxy settings for this computer need attention.',
    blocked: 'For your security, only the password reset page can be shown on this screen. Finish on another device or contact your IT helpdesk.',
    http: 'Try again later.',
    crashed: 'Go back to sign-in and try again.',
    other: 'Try again, or go back to sign-in.',
    not_enabled: 'Your organization hasn\u2019t enabled self-service password reset for this account. Contact your IT helpdesk.',
    not_registered: 'You need to register more security info before you can reset your password. Register at work on another device, or contact your IT helpdesk.',
    not_saved: 'Your organization\u2019s directory didn\u2019t accept the change, so your old password still works. Contact your IT helpdesk.',
    throttled: 'For your security, password reset is paused for this account. Try again in 24 hours or contact your IT helpdesk.',
  },
  blockedHost: (host) => `Blocked address: ${host}`,
  retry: 'Try again',
  reference: (id) => `Reference: ${id}`,
  idleTitle: 'Are you still there?',
  idleBody: (s) => `For your security this screen closes in ${s} seconds.`,
  idleContinue: 'Continue',
  portalRegion: 'Microsoft password reset',
};

const ar: PortalStrings = {
  ...en,
  language: 'اللغة',
  backToSignIn: 'العودة إلى تسجيل الدخول',
  finish: 'إنهاء وتسجيل الدخول',
  loading: 'جارٍ فتح صفحة إعادة تعيين كلمة المرور…',
  retry: 'حاول مرة أخرى',
  idleTitle: 'هل ما زلت هنا؟',
  idleBody: (s) => `حفاظًا على أمانك ستُغلق هذه الشاشة خلال ${s} ثانية.`,
  idleContinue: 'متابعة',
  errorTitle: {
    ...en.errorTitle,
    not_enabled: 'إعادة تعيين كلمة المرور غير مفعّلة لحسابك',
    not_registered: 'حسابك غير مُعدّ لإعادة تعيين كلمة المرور',
    not_saved: 'تعذّر حفظ كلمة المرور الجديدة',
    throttled: 'محاولات كثيرة جدًا',
  },
  errorBody: {
    ...en.errorBody,
    not_enabled: 'لم تفعّل مؤسستك إعادة تعيين كلمة المرور بالخدمة الذاتية لهذا الحساب. اتصل بمكتب الدعم.',
    not_registered: 'عليك تسجيل معلومات أمان إضافية قبل أن تتمكن من إعادة تعيين كلمة المرور. اتصل بمكتب الدعم.',
    not_saved: 'لم يقبل دليل مؤسستك التغيير، لذا ما زالت كلمة المرور القديمة صالحة. اتصل بمكتب الدعم.',
    throttled: 'حفاظًا على أمانك، أُوقفت إعادة تعيين كلمة المرور لهذا الحساب مؤقتًا. حاول بعد 24 ساعة أو اتصل بمكتب الدعم.',
  },
  blockedHost: (host) => `العنوان المحظور: ${host}`,
};

const de: PortalStrings = {
  ...en,
  language: 'Sprache',
  backToSignIn: 'Zurück zur Anmeldung',
  finish: 'Fertig – anmelden',
  loading: 'Die Seite zum Zurücksetzen des Kennworts wird geöffnet…',
  retry: 'Erneut versuchen',
  idleTitle: 'Sind Sie noch da?',
  idleBody: (s) => `Zu Ihrer Sicherheit wird dieser Bildschirm in ${s} Sekunden geschlossen.`,
  idleContinue: 'Weiter',
  errorTitle: {
    ...en.errorTitle,
    not_enabled: 'Das Zurücksetzen des Kennworts ist für Ihr Konto nicht aktiviert',
    not_registered: 'Ihr Konto ist nicht für das Zurücksetzen des Kennworts eingerichtet',
    not_saved: 'Ihr neues Kennwort konnte nicht gespeichert werden',
    throttled: 'Zu viele Versuche',
  },
  errorBody: {
    ...en.errorBody,
    not_enabled: 'Ihre Organisation hat die Self-Service-Kennwortzurücksetzung für dieses Konto nicht aktiviert. Wenden Sie sich an Ihren IT-Helpdesk.',
    not_registered: 'Sie müssen zuerst weitere Sicherheitsinformationen registrieren. Wenden Sie sich an Ihren IT-Helpdesk.',
    not_saved: 'Das Verzeichnis Ihrer Organisation hat die Änderung nicht übernommen; Ihr altes Kennwort gilt weiter. Wenden Sie sich an Ihren IT-Helpdesk.',
    throttled: 'Zu Ihrer Sicherheit ist das Zurücksetzen für dieses Konto angehalten. Versuchen Sie es in 24 Stunden erneut oder wenden Sie sich an Ihren IT-Helpdesk.',
  },
  blockedHost: (host) => `Blockierte Adresse: ${host}`,
};

const catalogues: Record<string, PortalStrings> = { en, ar, de };

export const portalStrings = (language: string): PortalStrings => catalogues[language.toLowerCase().split('-')[0] ?? 'en'] ?? en;

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

export const isRtl = (language: string): boolean => /^(ar|he|fa|ur)(-|$)/i.test(language);
