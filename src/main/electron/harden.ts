/**
 * Wires the lockdown policy to one WebContents (the chrome window's or the portal view's). Every
 * decision is a call into src/main/core/lockdown/policy.ts; this file only listens.
 */
import type { WebContents } from 'electron';
import {
  certificateErrorPolicy,
  isBlockedShortcut,
  isNavigationAllowed,
  windowOpenPolicy,
  type LockdownPolicy,
} from '../core/lockdown/policy';

export interface HardenHooks {
  /** Any keyboard or pointer input: feeds the idle timer. */
  onActivity(): void;
  /** A navigation or redirect the allow-list refused. */
  onBlocked(kind: 'navigation' | 'redirect', url: string, isMainFrame: boolean): void;
  onBlockedShortcut?(input: { key: string }): void;
  /** A page asked for a file chooser (input type=file, showPicker, showOpenFilePicker); none was shown. */
  onFileChooserBlocked?(): void;
  /**
   * The file-chooser defence could not be set up or went away while the contents live: the adapter
   * ends the overlay rather than run without it.
   */
  onDefenceLost(why: string): void;
}

/** The DevTools protocol version Electron 22's `webContents.debugger` speaks. */
const CDP_VERSION = '1.3';

/**
 * `disableDialogs` does not cover file choosers, and a CSP sandbox does not stop them. Chromium's own
 * DevTools-protocol interception does, whatever the page does: with it on, an `<input type=file>` click,
 * `showPicker()` or `showOpenFilePicker()` only raises `Page.fileChooserOpened` for us, and we answer
 * with nothing, so no Windows common dialog (and no Explorer inside it) ever opens.
 */
export const interceptFileChoosers = async (wc: WebContents, hooks: Pick<HardenHooks, 'onFileChooserBlocked' | 'onDefenceLost'>): Promise<boolean> => {
  const dbg = wc.debugger;
  dbg.on('message', (_event, method) => {
    if (method === 'Page.fileChooserOpened') hooks.onFileChooserBlocked?.();
  });
  dbg.on('detach', (_event, reason) => {
    if (!wc.isDestroyed()) hooks.onDefenceLost(`file-chooser interception detached: ${reason}`);
  });
  try {
    dbg.attach(CDP_VERSION);
    await dbg.sendCommand('Page.enable');
    await dbg.sendCommand('Page.setInterceptFileChooserDialog', { enabled: true });
    return true;
  } catch (err) {
    hooks.onDefenceLost(`file-chooser interception failed: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
};

/** Resolves true once the file-chooser interception is on: load nothing into `wc` before that, or on false. */
export const hardenWebContents = (wc: WebContents, policy: LockdownPolicy, hooks: HardenHooks): Promise<boolean> => {
  wc.setWindowOpenHandler(() => windowOpenPolicy());
  wc.on('will-navigate', (event, url) => {
    if (isNavigationAllowed(url, policy)) return;
    event.preventDefault();
    hooks.onBlocked('navigation', url, true);
  });
  wc.on('will-redirect', (event, url, _isInPlace, isMainFrame) => {
    if (isNavigationAllowed(url, policy)) return;
    event.preventDefault();
    hooks.onBlocked('redirect', url, isMainFrame);
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
  wc.on('before-input-event', (event, input) => {
    hooks.onActivity();
    if (isBlockedShortcut(input)) {
      event.preventDefault();
      hooks.onBlockedShortcut?.(input);
    }
  });
  wc.on('input-event', () => hooks.onActivity());
  wc.on('context-menu', (event) => event.preventDefault());
  // Never trusted: the policy answers false (docs/security.md, Electronegativity).
  wc.on('certificate-error', (_event, _url, _error, _certificate, callback) => callback(certificateErrorPolicy().trust)); // eng-disable CERTIFICATE_ERROR_EVENT_JS_CHECK
  wc.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
  // beforeunload would raise a native "Leave site?" dialog: never let a page hold the overlay.
  wc.on('will-prevent-unload', (event) => event.preventDefault());
  // Ctrl+wheel and pinch: keep the layout the chrome computed for the view.
  void wc.setVisualZoomLevelLimits(1, 1);
  wc.on('zoom-changed', () => wc.setZoomFactor(1));
  return interceptFileChoosers(wc, hooks);
};
