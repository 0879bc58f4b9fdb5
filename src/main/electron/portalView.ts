/**
 * The portal engine's locked BrowserView inside the chrome window: records navigation events and the
 * visible heading/alert texts for portalOutcome, hides itself on any load failure or recognised outcome
 * (our screen shows instead), ends the session when the portal's own Cancel is followed, feeds the pilot
 * capture, and answers the portal:* channels.
 */
import { BrowserView, type BrowserWindow, type Session } from 'electron';
import type { Config } from '../../shared/config';
import type { ExitReason, PortalHandlers, PortalState } from '../../shared/ipc';
import { portalPolicy } from '../core/lockdown/policy';
import { createPortalCapture } from '../core/portal/capture';
import { portalMarkers } from '../core/portal/markers';
import { PAGE_TEXTS_SCRIPT, PAGE_TEXTS_WORLD_ID, pageTextsFrom, sameTexts } from '../core/portal/pageTexts';
import {
  NET_ERR_ABORTED,
  portalExitCode,
  portalOutcome,
  portalPhase,
  type NavigationEvent,
  type PortalMarkers,
} from '../core/portal/outcome';
import { portalUrl } from '../core/portal/url';
import type { Logger } from '../core/logging';
import { hardenWebContents } from './harden';
import { portalViewOptions } from './options';

export interface PortalControllerOptions {
  window: BrowserWindow;
  session: Session;
  config: Config;
  language: string;
  logger: Logger;
  devTools: boolean;
  onActivity(): void;
  idleRemainingSeconds(): number;
  /** The view's renderer died: the adapter exits 1 (never reload in a loop). */
  onCrash(reason: string): void;
  /** The portal's own Cancel / "Back to sign in" was followed (a cancel marker): the adapter exits 10. */
  onPortalCancel?(): void;
  markers?: PortalMarkers;
  /** How often the visible texts are read again while the page shows (an SPA changes them without navigating). */
  textPollMs?: number;
}

export interface PortalController {
  readonly view: BrowserView;
  readonly events: readonly NavigationEvent[];
  handlers: PortalHandlers;
  state(): PortalState;
  /** The exit code for leaving now with this reason; records the exit. */
  exitCode(reason: ExitReason): number;
  /** A request the portal session refused (from the session's onBeforeRequest), for the pilot capture. */
  noteBlockedRequest(url: string, resourceType: string | undefined, quiet: boolean): void;
  /** Reads the visible texts now (also done on every navigation and on a timer). */
  readTexts(): Promise<void>;
  dispose(): void;
}

/** Origin and path only: query strings may carry a user name (security.md §4). */
const forLog = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`.slice(0, 200);
  } catch {
    return '<unparsable>';
  }
};

export const createPortalController = (opts: PortalControllerOptions): PortalController => {
  const { window, logger } = opts;
  const markers = opts.markers ?? portalMarkers(opts.config);
  const capture = createPortalCapture(logger, opts.config.PortalCapture);
  const events: NavigationEvent[] = [];
  const view = new BrowserView(portalViewOptions({ session: opts.session, devTools: opts.devTools }));
  const wc = view.webContents;
  let language = opts.language;
  let layout = { top: 0, visible: false };
  let lastLogged = '';

  const outcome = () => portalOutcome(events, markers);

  const applyLayout = (): void => {
    if (window.isDestroyed()) return;
    const showing = layout.visible && portalPhase(outcome()).phase !== 'error';
    if (!showing) {
      window.setBrowserView(null);
      return;
    }
    const bounds = window.getContentBounds();
    window.setBrowserView(view);
    view.setBounds({ x: 0, y: layout.top, width: bounds.width, height: Math.max(0, bounds.height - layout.top) });
    view.setAutoResize({ width: true, height: true });
  };

  let portalCancelled = false;
  const record = (event: NavigationEvent): void => {
    events.push(event);
    const o = outcome();
    const summary = o.state === 'error' ? `error:${o.reason}` : o.state;
    if (summary !== lastLogged) {
      lastLogged = summary;
      // Shaped like a step record (logRecord.ts) so `logs` and `report` count portal outcomes too; a
      // failure is at least a warning. The portal has no correlation id of ours: Microsoft's page sets its own.
      const fields = { engine: 'portal', step: 'portal', outcome: o.state, state: o.state };
      if (o.state === 'error') {
        logger.warn('portal.outcome', { ...fields, errorCode: o.code, reason: o.reason, netError: o.netError, httpStatus: o.httpStatus, blockedHost: o.blockedHost });
      } else if (o.state === 'not_enabled' || o.state === 'not_registered' || o.state === 'not_saved' || o.state === 'throttled') {
        logger.warn('portal.outcome', { ...fields, errorCode: o.state });
      }
      else logger.info('portal.outcome', fields);
      capture.note({ type: 'outcome', state: summary });
    }
    // On an error or an outcome with our own screen the view goes away at once, so neither Chromium's
    // error page nor a half-finished portal page stays in front of it.
    if (portalPhase(o).phase === 'error') applyLayout();
    if (o.state === 'cancelled' && o.byPortal && !portalCancelled) {
      portalCancelled = true;
      logger.info('portal.cancel_link', {});
      opts.onPortalCancel?.();
    }
  };

  let lastTexts: readonly string[] = [];
  const readTexts = async (): Promise<void> => {
    if (wc.isDestroyed()) return;
    let result: unknown;
    try {
      // Isolated world: the page's own scripts never see this code, and it only reads the DOM.
      result = await wc.executeJavaScriptInIsolatedWorld(PAGE_TEXTS_WORLD_ID, [{ code: PAGE_TEXTS_SCRIPT }]);
    } catch {
      return; // navigating, or the page is gone: the next read will tell
    }
    const texts = pageTextsFrom(result);
    if (sameTexts(texts, lastTexts)) return;
    lastTexts = texts;
    capture.note({ type: 'texts', texts });
    record({ type: 'page-texts', texts });
  };
  const textTimer = setInterval(() => void readTexts(), opts.textPollMs ?? 1500);
  textTimer.unref?.();

  hardenWebContents(wc, portalPolicy(opts.config.AllowedHosts, opts.config.AllowedResourceHosts), {
    onActivity: opts.onActivity,
    onBlocked: (kind, url, isMainFrame) => {
      logger.warn('portal.blocked', { kind, url: forLog(url) });
      capture.note({ type: 'blocked', url, resourceType: isMainFrame ? 'mainFrame' : 'subFrame', quiet: false });
      if (kind === 'navigation' || isMainFrame) record({ type: 'blocked', url, kind });
    },
  });
  wc.on('did-start-navigation', (_e, url, isInPlace, isMainFrame) => {
    if (isMainFrame) record({ type: 'did-start-navigation', url, isMainFrame, isInPlace });
  });
  wc.on('did-navigate', (_e, url, httpResponseCode) => {
    capture.note({ type: 'page', url, inPage: false });
    record({ type: 'did-navigate', url, httpResponseCode });
  });
  wc.on('did-navigate-in-page', (_e, url, isMainFrame) => {
    if (isMainFrame) capture.note({ type: 'page', url, inPage: true });
    record({ type: 'did-navigate-in-page', url, isMainFrame });
    void readTexts();
  });
  wc.on('did-stop-loading', () => void readTexts());
  wc.on('did-fail-load', (_e, errorCode, _description, validatedURL, isMainFrame) => {
    if (errorCode === NET_ERR_ABORTED && !isMainFrame) return;
    record({ type: 'did-fail-load', errorCode, validatedURL, isMainFrame });
  });
  wc.on('page-title-updated', (_e, title) => {
    capture.note({ type: 'title', title });
    record({ type: 'page-title-updated', title });
  });
  wc.on('render-process-gone', (_e, details) => {
    record({ type: 'render-process-gone', reason: details.reason });
    opts.onCrash(`portal:${details.reason}`);
  });
  wc.on('unresponsive', () => opts.onCrash('portal:unresponsive'));

  const load = (): void => {
    const url = portalUrl(opts.config, language);
    logger.info('portal.load', { url: forLog(url), language });
    capture.nextAttempt();
    lastTexts = [];
    // A failed load also raises did-fail-load, which is what we act on.
    wc.loadURL(url).catch(() => undefined);
  };

  const state = (): PortalState => ({ ...portalPhase(outcome()), language, idleRemainingSeconds: opts.idleRemainingSeconds() });

  const handlers: PortalHandlers = {
    'portal:state': async () => state(),
    'portal:setLanguage': async ({ language: next }) => {
      if (next !== language) {
        language = next;
        events.push({ type: 'retry' });
        load();
      }
      return state();
    },
    'portal:retry': async () => {
      events.push({ type: 'retry' });
      applyLayout();
      load();
      return state();
    },
    'portal:layout': async (next) => {
      layout = next;
      applyLayout();
      return state();
    },
  };

  window.on('resize', applyLayout);
  load();

  return {
    view,
    events,
    handlers,
    state,
    exitCode: (reason) => {
      const code = portalExitCode(events, reason, markers);
      capture.note({ type: 'outcome', state: `exit:${reason}`, exitCode: code });
      events.push({ type: 'user-exit', reason });
      return code;
    },
    noteBlockedRequest: (url, resourceType, quiet) => capture.note({ type: 'blocked', url, resourceType: resourceType ?? 'unknown', quiet }),
    readTexts,
    dispose: () => clearInterval(textTimer),
  };
};
