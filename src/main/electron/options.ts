/**
 * The hardened options of the kiosk window and the portal view (security.md §3.1), as plain data so the
 * tests read exactly what Electron is given.
 */
import type { BrowserViewConstructorOptions, BrowserWindowConstructorOptions, Session, WebPreferences } from 'electron';

/** In-memory partitions (no "persist:" prefix): nothing of one attempt survives into the next user's. */
export const CHROME_PARTITION = 'sspr-chrome';
export const PORTAL_PARTITION = 'sspr-portal';

/**
 * Blink features switched off in every web contents. `Auxclick`: no auxclick event for page script
 * (Electronegativity's AUXCLICK check; whether Chromium 108 still honours that name is a Windows
 * test-plan step, and a middle-click on a link meets the window-open denial anyway).
 * `FileSystemAccessLocal`: no `showOpenFilePicker`/`showSaveFilePicker`/`showDirectoryPicker` at all, a
 * second layer under the file-chooser interception (harden.ts).
 */
export const DISABLED_BLINK_FEATURES = 'Auxclick,FileSystemAccessLocal';

const lockedPreferences = (session: Session, devTools: boolean): WebPreferences => ({
  session,
  contextIsolation: true,
  sandbox: true,
  webSecurity: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  spellcheck: false,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  devTools,
  disableDialogs: true,
  navigateOnDragDrop: false,
  enableWebSQL: false,
  autoplayPolicy: 'document-user-activation-required',
  disableBlinkFeatures: DISABLED_BLINK_FEATURES,
});

export const chromeWindowOptions = (opts: { preloadPath: string; session: Session; devTools: boolean; title: string }): BrowserWindowConstructorOptions => ({
  show: false,
  frame: false,
  kiosk: true,
  fullscreen: true,
  fullscreenable: true,
  alwaysOnTop: true,
  closable: false,
  minimizable: false,
  maximizable: false,
  resizable: false,
  movable: false,
  skipTaskbar: true,
  autoHideMenuBar: true,
  backgroundColor: '#ffffff',
  title: opts.title,
  webPreferences: { ...lockedPreferences(opts.session, opts.devTools), preload: opts.preloadPath },
});

/** The portal view gets no preload at all: Microsoft's page sees a plain sandboxed browser. */
export const portalViewOptions = (opts: { session: Session; devTools: boolean }): BrowserViewConstructorOptions => ({
  webPreferences: lockedPreferences(opts.session, opts.devTools),
});

/** Above the taskbar on Windows (engineering-anchors.md §2.3). */
export const ALWAYS_ON_TOP_LEVEL = 'screen-saver' as const;
