/**
 * What happened in the portal view, worked out from the navigation events the adapter records. Pure, so
 * recorded sequences are the tests.
 *
 * HEURISTICS: the workforce portal has no contract (sspr-protocol.md §2.3). "Success", "not enabled" and
 * "throttled" are recognised only by markers on page titles and URLs, which Microsoft may change at any
 * time. They are parameters (`PortalMarkers`) so a deployment can adjust them without a code change, and
 * a missed marker only costs the exit code (the user still ends on the tile, cancelled = 10).
 * Network, TLS, proxy and blocked-host failures do not depend on markers: they come from Chromium's own
 * net error codes and are reliable.
 */
import type { ErrorCode } from '../../../shared/errors';
import { ExitCode } from '../../../shared/exitCodes';
import type { ExitReason, PortalErrorReason, PortalState } from '../../../shared/ipc';
import { DEFAULT_PORTAL_MARKERS, markerHit, type PortalMarkers } from './markers';

export type NavigationEvent =
  | { type: 'did-start-navigation'; url: string; isMainFrame: boolean; isInPlace?: boolean }
  | { type: 'did-navigate'; url: string; httpResponseCode: number }
  | { type: 'did-navigate-in-page'; url: string; isMainFrame: boolean }
  | { type: 'did-fail-load'; errorCode: number; validatedURL: string; isMainFrame: boolean }
  | { type: 'page-title-updated'; title: string }
  /** The visible heading and alert texts, read from an isolated world (never the page's own). */
  | { type: 'page-texts'; texts: readonly string[] }
  /** will-navigate / will-redirect refused by the allow-list. */
  | { type: 'blocked'; url: string; kind: 'navigation' | 'redirect' }
  | { type: 'render-process-gone'; reason: string }
  /** The user pressed "Back to sign-in" (or the idle timer ran out). */
  | { type: 'user-exit'; reason: ExitReason }
  /** Load again after our error screen. */
  | { type: 'retry' };

export { DEFAULT_PORTAL_MARKERS, type OutcomeKind, type PortalMarker, type PortalMarkers } from './markers';

export type PortalOutcome =
  | { state: 'in-progress'; loaded: boolean }
  | { state: 'success' }
  | { state: 'not_enabled' }
  | { state: 'not_registered' }
  | { state: 'not_saved' }
  | { state: 'throttled' }
  /** byPortal: the portal's own Cancel / "Back to sign in" link, recognised by a cancel marker. */
  | { state: 'cancelled'; reason: ExitReason; byPortal?: true }
  | { state: 'error'; code: ErrorCode; reason: PortalErrorReason; netError?: number; httpStatus?: number; blockedHost?: string };

/** Chromium net error codes (net/base/net_error_list.h) by what the user should be told. */
const NET_ERROR_CLASSES: { reason: PortalErrorReason; codes: readonly number[] }[] = [
  { reason: 'offline', codes: [-106, -109, -100, -101, -102, -103, -104, -21, -108, -138] },
  { reason: 'dns', codes: [-105, -137] },
  { reason: 'timeout', codes: [-7, -118] },
  { reason: 'proxy', codes: [-111, -115, -120, -121, -128, -130, -131, -136, -140] },
  { reason: 'tls', codes: [-107, -110, -112, -113, -114, -117, -123, -124, -126, -127, -141, -148, -149, -150, -153, -156, -159, -172] },
  { reason: 'blocked', codes: [-20, -22, -27, -300, -301, -302] },
];

/** net::ERR_ABORTED: a navigation we (or the page) cancelled — not a failure of the portal. */
export const NET_ERR_ABORTED = -3;

/** net::ERR_SSL_OBSOLETE_VERSION sits among the certificate codes but is about the protocol version. */
const NET_ERR_SSL_OBSOLETE_VERSION = -218;

export const classifyNetError = (errorCode: number): PortalErrorReason => {
  if (errorCode === NET_ERR_SSL_OBSOLETE_VERSION) return 'tls';
  if (errorCode <= -200 && errorCode >= -299) return 'certificate';
  for (const c of NET_ERROR_CLASSES) if (c.codes.includes(errorCode)) return c.reason;
  if (errorCode <= -300 && errorCode >= -399) return 'http';
  return 'other';
};

/** The user-facing error code for a portal failure class (closed set of src/shared/errors.ts). */
export const errorCodeForReason = (reason: PortalErrorReason, httpStatus?: number): ErrorCode => {
  switch (reason) {
    case 'offline':
    case 'dns':
    case 'timeout':
    case 'tls':
    case 'certificate':
    case 'proxy':
      return 'unreachable';
    case 'blocked':
      // The portal wanted to take the user to a host we do not render (federation, help pages).
      return 'redirect_required';
    case 'http':
      return httpStatus !== undefined && httpStatus < 500 ? 'internal' : 'unreachable';
    case 'crashed':
    case 'other':
      return 'internal';
    case 'not_enabled':
    case 'not_registered':
    case 'throttled':
      return reason;
    case 'not_saved':
      return 'reset_failed';
  }
};

const fail = (reason: PortalErrorReason, extra: { netError?: number; httpStatus?: number; blockedHost?: string } = {}): PortalOutcome => ({
  state: 'error',
  code: errorCodeForReason(reason, extra.httpStatus),
  reason,
  ...extra,
});

/** What a marker hit means for the outcome. */
const hitOutcome = (kind: ReturnType<typeof markerHit>): PortalOutcome | null => {
  if (kind === null) return null;
  if (kind === 'cancel') return { state: 'cancelled', reason: 'cancelled', byPortal: true };
  return { state: kind };
};

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
};

/** Once the password is changed nothing afterwards undoes it; the other outcomes can be left by a retry. */
const isFinal = (o: PortalOutcome): boolean => o.state === 'success' || o.state === 'cancelled';

export const portalOutcome = (events: readonly NavigationEvent[], markers: PortalMarkers = DEFAULT_PORTAL_MARKERS): PortalOutcome => {
  let outcome: PortalOutcome = { state: 'in-progress', loaded: false };
  for (const e of events) {
    if (isFinal(outcome)) break;
    switch (e.type) {
      case 'did-start-navigation': {
        // Only a cancel marker acts this early: the portal's own "Back to sign in" ends the session even
        // when its destination is allow-listed.
        const hit = hitOutcome(markerHit(markers, 'url', [e.url]));
        if (hit?.state === 'cancelled') outcome = hit;
        break;
      }
      case 'retry':
        outcome = { state: 'in-progress', loaded: false };
        break;
      case 'did-navigate': {
        if (e.httpResponseCode >= 400) {
          outcome = fail('http', { httpStatus: e.httpResponseCode });
          break;
        }
        outcome = hitOutcome(markerHit(markers, 'url', [e.url])) ?? { state: 'in-progress', loaded: true };
        break;
      }
      case 'did-navigate-in-page': {
        if (!e.isMainFrame) break;
        const hit = hitOutcome(markerHit(markers, 'url', [e.url]));
        if (hit) outcome = hit;
        break;
      }
      case 'page-title-updated': {
        if (outcome.state === 'error') break;
        const hit = hitOutcome(markerHit(markers, 'title', [e.title]));
        if (hit) outcome = hit;
        break;
      }
      case 'page-texts': {
        if (outcome.state === 'error') break;
        const hit = hitOutcome(markerHit(markers, 'text', e.texts));
        if (hit) outcome = hit;
        break;
      }
      case 'did-fail-load':
        // Sub-frame failures (an ad, a blocked iframe) leave the page usable; an aborted load is ours.
        if (!e.isMainFrame || e.errorCode === NET_ERR_ABORTED) break;
        // The first failure is the cause; what fails after it (the cancelled redirect's load) is not.
        if (outcome.state === 'error') break;
        outcome = fail(classifyNetError(e.errorCode), { netError: e.errorCode });
        break;
      case 'blocked': {
        // The portal's own Cancel / "Back to sign in" leads off the list: that is the user leaving.
        const hit = e.kind === 'navigation' ? hitOutcome(markerHit(markers, 'url', [e.url])) : null;
        if (hit?.state === 'cancelled') outcome = hit;
        // Any other refused link click keeps the page where it was (help links must open nothing,
        // CVE-2019-1388); a refused server redirect (captive portal, federation hop) leaves the view with
        // nothing to show: our network error screen, naming the host for the helpdesk.
        else if (e.kind === 'redirect') outcome = fail('blocked', { blockedHost: hostOf(e.url) });
        break;
      }
      case 'render-process-gone':
        outcome = fail('crashed');
        break;
      case 'user-exit':
        outcome = { state: 'cancelled', reason: e.reason };
        break;
    }
  }
  return outcome;
};

/**
 * The overlay's exit code when the user leaves the portal (DESIGN.md "Shim → overlay"). A reached success
 * wins over whichever button was pressed: the password is changed either way.
 */
export const portalExitCode = (events: readonly NavigationEvent[], reason: ExitReason, markers: PortalMarkers = DEFAULT_PORTAL_MARKERS): number => {
  const before = portalOutcome(events, markers);
  switch (before.state) {
    case 'success':
      return ExitCode.ResetDone;
    case 'not_enabled':
    case 'not_registered':
      return ExitCode.NotEnabledOrRegistered;
    case 'throttled':
      return ExitCode.Throttled;
    case 'not_saved':
      // Writeback failed: nothing changed, the user leaves as after a cancel (the screen said why).
      return reason === 'idle' ? ExitCode.IdleTimeout : ExitCode.Cancelled;
    case 'error':
      if (reason === 'idle') return ExitCode.IdleTimeout;
      return before.code === 'unreachable' ? ExitCode.ServiceUnreachable : before.reason === 'crashed' ? ExitCode.InternalError : ExitCode.Cancelled;
    default:
      // "done" without a recognised success page must not claim a reset: the shim would say so.
      return reason === 'idle' ? ExitCode.IdleTimeout : ExitCode.Cancelled;
  }
};

/** The chrome's view of the outcome (the portal:state answer, minus language and idle). */
export const portalPhase = (o: PortalOutcome): { phase: PortalState['phase']; error?: PortalState['error'] } => {
  switch (o.state) {
    case 'in-progress':
      return { phase: o.loaded ? 'showing' : 'loading' };
    case 'error':
      return { phase: 'error', error: { code: o.code, reason: o.reason, ...(o.blockedHost ? { blockedHost: o.blockedHost } : {}) } };
    case 'success':
    case 'cancelled':
      return { phase: 'done' };
    case 'not_enabled':
      return { phase: 'error', error: { code: 'not_enabled', reason: 'not_enabled' } };
    case 'not_registered':
      return { phase: 'error', error: { code: 'not_registered', reason: 'not_registered' } };
    case 'not_saved':
      return { phase: 'error', error: { code: 'reset_failed', reason: 'not_saved' } };
    case 'throttled':
      return { phase: 'error', error: { code: 'throttled', reason: 'throttled' } };
  }
};

/** Idle countdown for the portal engine: activity is measured in main (the view's input events). */
export const idleRemainingSeconds = (nowMs: number, lastActivityMs: number, timeoutSeconds: number): number =>
  Math.max(0, Math.ceil(timeoutSeconds - (nowMs - lastActivityMs) / 1000));
