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
}

export const hardenWebContents = (wc: WebContents, policy: LockdownPolicy, hooks: HardenHooks): void => {
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
  wc.on('certificate-error', (_event, _url, _error, _certificate, callback) => callback(certificateErrorPolicy().trust));
  wc.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
  // beforeunload would raise a native "Leave site?" dialog: never let a page hold the overlay.
  wc.on('will-prevent-unload', (event) => event.preventDefault());
  // Ctrl+wheel and pinch: keep the layout the chrome computed for the view.
  void wc.setVisualZoomLevelLimits(1, 1);
  wc.on('zoom-changed', () => wc.setZoomFactor(1));
};
