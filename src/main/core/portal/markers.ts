/**
 * Outcome markers: how the overlay tells from the outside how a portal session ended. Data, not code:
 * built-in defaults below, plus what an admin adds with the PortalMarkers policy (`outcome:where:text`).
 *
 * CONVENTION, not contract. Microsoft documents the portal's error codes (SSPR_0009–0014, SSPR_0029/0030)
 * and its throttling rule, but not its routes, titles or success wording. The portal is a hash-routed
 * single-page app whose title may never change, so the defaults look at three places — in-page URLs,
 * titles, and the visible heading and alert texts — in the portal's most used languages. The error-code
 * markers rest on documented strings; the success, throttling and route markers are our reading of the
 * page and are confirmed per tenant with the pilot capture. A missed marker only costs the exit code: the
 * user still returns to the sign-in screen.
 */
import { PORTAL_MARKER_ENTRY } from '../../../shared/config';

export type OutcomeKind = 'success' | 'not_enabled' | 'not_registered' | 'not_saved' | 'throttled' | 'cancel';

export interface PortalMarker {
  kind: OutcomeKind;
  /** Matched against page titles. */
  title?: RegExp;
  /** Matched against main-frame URLs, in-page (hash) ones included, and links the user follows. */
  url?: RegExp;
  /** Matched against the visible heading and alert texts, read from an isolated world. */
  text?: RegExp;
}

export type PortalMarkers = readonly PortalMarker[];

/** Documented error codes: shown on the portal's error views, in every language. */
const SSPR_0014 = /\bSSPR_0014\b/;
const SSPR_WRITEBACK = /\bSSPR_00(29|30)\b/;
const SSPR_NOT_ENABLED = /\bSSPR_00(09|1[0-3])\b/;

/** "Your password has been reset" in the portal's top languages (our reading of the final page). */
const SUCCESS_TEXT = new RegExp(
  [
    'password (has been|was) (reset|changed)', // en
    '(kennwort|passwort) wurde (zurückgesetzt|geändert)', // de
    'mot de passe a été (réinitialisé|modifié)', // fr
    'contraseña (se ha|ha sido) (restablecid|cambiad)', // es
    'senha foi (redefinida|alterada)', // pt
    'password è stata (reimpostata|modificata)', // it
    'wachtwoord is (opnieuw ingesteld|gewijzigd|gereset)', // nl
    'пароль (был )?(сброшен|изменен|изменён)', // ru
    'パスワードが(リセット|変更)されました', // ja
    '密码已(重置|更改)', // zh-hans
    '비밀번호가 (재설정|변경)되었습니다', // ko
  ].join('|'),
  'i',
);

/** The documented throttling (5 attempts an hour, then 24 hours blocked), as the page words it. */
const THROTTLED_TEXT = new RegExp(
  [
    'too many (attempts|requests)',
    'blocked from self-service password reset',
    'try again in 24 hours',
    'zu viele (versuche|anforderungen)',
    'trop de tentatives',
    'demasiados intentos',
    'muitas tentativas',
    'troppi tentativi',
    'te veel pogingen',
    'слишком много попыток',
    '試行回数が多すぎ',
    '尝试次数过多',
    '시도 횟수가 너무 많',
  ].join('|'),
  'i',
);

export const DEFAULT_PORTAL_MARKERS: PortalMarkers = [
  // Documented codes first: they decide even when a page also carries a generic text.
  { kind: 'not_registered', title: SSPR_0014, text: SSPR_0014 },
  { kind: 'not_saved', title: SSPR_WRITEBACK, text: SSPR_WRITEBACK },
  { kind: 'not_enabled', title: SSPR_NOT_ENABLED, text: SSPR_NOT_ENABLED },
  { kind: 'throttled', title: THROTTLED_TEXT, text: THROTTLED_TEXT },
  {
    kind: 'success',
    title: SUCCESS_TEXT,
    text: SUCCESS_TEXT,
    // Route names of an AngularJS-style app (`#!/…`); no source names the final route.
    url: /#!\/(success|complete|done|passwordresetsuccess)\b/i,
  },
  // The portal's own "Cancel" / "Back to sign in" leads to Microsoft's sign-in page.
  { kind: 'cancel', url: /^https:\/\/(login\.microsoftonline\.com|login\.live\.com|login\.windows\.net|myapps\.microsoft\.com|www\.office\.com)(:443)?(\/|$)/i },
];

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Admin markers from the PortalMarkers policy: `outcome:where:text`, text a plain case-insensitive
 * substring (never a regular expression: a policy value must not be able to hang the overlay). Entries
 * that do not parse are skipped; the config schema has already reported them.
 */
export const parseMarkerEntries = (entries: readonly string[]): PortalMarker[] => {
  const markers: PortalMarker[] = [];
  for (const entry of entries) {
    if (!PORTAL_MARKER_ENTRY.test(entry)) continue;
    const [kind, where] = entry.split(':', 2) as [OutcomeKind, 'url' | 'title' | 'text'];
    const text = entry.slice(kind.length + where.length + 2);
    markers.push({ kind, [where]: new RegExp(escape(text), 'i') });
  }
  return markers;
};

/** The markers a session uses: the admin's first (they describe the tenant's own portal), then the built-in ones. */
export const portalMarkers = (config: { PortalMarkers: readonly string[] }): PortalMarkers => [...parseMarkerEntries(config.PortalMarkers), ...DEFAULT_PORTAL_MARKERS];

/** The first marker that matches one of the values in the given place, in list order. */
export const markerHit = (markers: PortalMarkers, field: 'title' | 'url' | 'text', values: readonly string[]): OutcomeKind | null => {
  for (const m of markers) {
    const pattern = m[field];
    if (pattern && values.some((value) => pattern.test(value))) return m.kind;
  }
  return null;
};
