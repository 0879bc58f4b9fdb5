/**
 * The portal engine's locked BrowserView inside the chrome window: records navigation events for
 * portalOutcome, hides itself on any load failure (our error screen shows instead of Chromium's error
 * page), and answers the portal:* channels.
 */
import { BrowserView, type BrowserWindow, type Session } from 'electron';
import type { Config } from '../../shared/config';
import type { ExitReason, PortalHandlers, PortalState } from '../../shared/ipc';
import { portalPolicy } from '../core/lockdown/policy';
import {
  DEFAULT_PORTAL_MARKERS,
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
  markers?: PortalMarkers;
}

export interface PortalController {
  readonly view: BrowserView;
  readonly events: readonly NavigationEvent[];
  handlers: PortalHandlers;
  state(): PortalState;
  /** The exit code for leaving now with this reason; records the exit. */
  exitCode(reason: ExitReason): number;
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
  const markers = opts.markers ?? DEFAULT_PORTAL_MARKERS;
  const events: NavigationEvent[] = [];
  const view = new BrowserView(portalViewOptions({ session: opts.session, devTools: opts.devTools }));
  const wc = view.webContents;
  let language = opts.language;
  let layout = { top: 0, visible: false };
  let lastLogged = '';

  const outcome = () => portalOutcome(events, markers);

  const applyLayout = (): void => {
    if (window.isDestroyed()) return;
    const showing = layout.visible && outcome().state !== 'error';
    if (!showing) {
      window.setBrowserView(null);
      return;
    }
    const bounds = window.getContentBounds();
    window.setBrowserView(view);
    view.setBounds({ x: 0, y: layout.top, width: bounds.width, height: Math.max(0, bounds.height - layout.top) });
    view.setAutoResize({ width: true, height: true });
  };

  const record = (event: NavigationEvent): void => {
    events.push(event);
    const o = outcome();
    const summary = o.state === 'error' ? `error:${o.reason}` : o.state;
    if (summary !== lastLogged) {
      lastLogged = summary;
      // Shaped like a step record (logRecord.ts) so `logs` and `report` count portal outcomes too; a
      // failure is at least a warning. The portal has no correlation id of ours: Microsoft's page sets its own.
      const fields = { engine: 'portal', step: 'portal', outcome: o.state, state: o.state };
      if (o.state === 'error') logger.warn('portal.outcome', { ...fields, errorCode: o.code, reason: o.reason, netError: o.netError, httpStatus: o.httpStatus });
      else if (o.state === 'not_enabled' || o.state === 'throttled') logger.warn('portal.outcome', { ...fields, errorCode: o.state });
      else logger.info('portal.outcome', fields);
    }
    // On an error the view goes away at once, so Chromium's own error page is never seen.
    if (o.state === 'error') applyLayout();
  };

  hardenWebContents(wc, portalPolicy(opts.config.AllowedHosts), {
    onActivity: opts.onActivity,
    onBlocked: (kind, url, isMainFrame) => {
      logger.warn('portal.blocked', { kind, url: forLog(url) });
      if (kind === 'navigation' || isMainFrame) record({ type: 'blocked', url, kind });
    },
  });
  wc.on('did-start-navigation', (_e, url, isInPlace, isMainFrame) => {
    if (isMainFrame) record({ type: 'did-start-navigation', url, isMainFrame, isInPlace });
  });
  wc.on('did-navigate', (_e, url, httpResponseCode) => record({ type: 'did-navigate', url, httpResponseCode }));
  wc.on('did-navigate-in-page', (_e, url, isMainFrame) => record({ type: 'did-navigate-in-page', url, isMainFrame }));
  wc.on('did-fail-load', (_e, errorCode, _description, validatedURL, isMainFrame) => {
    if (errorCode === NET_ERR_ABORTED && !isMainFrame) return;
    record({ type: 'did-fail-load', errorCode, validatedURL, isMainFrame });
  });
  wc.on('page-title-updated', (_e, title) => record({ type: 'page-title-updated', title }));
  wc.on('render-process-gone', (_e, details) => {
    record({ type: 'render-process-gone', reason: details.reason });
    opts.onCrash(`portal:${details.reason}`);
  });
  wc.on('unresponsive', () => opts.onCrash('portal:unresponsive'));

  const load = (): void => {
    const url = portalUrl(opts.config, language);
    logger.info('portal.load', { url: forLog(url), language });
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
      events.push({ type: 'user-exit', reason });
      return code;
    },
  };
};
