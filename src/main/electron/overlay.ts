/**
 * The Electron 22 adapter: one full-screen kiosk window serving our bundle over app://, every session
 * locked down (TLS 1.2, proxy, allow-list, no permissions, no downloads), IPC from our own main frame
 * only, and every way out ending in a DESIGN.md exit code. Decisions live in src/main/core; this file
 * only wires them to Electron.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, protocol, session, type Session, type WebContents } from 'electron';
import * as v from 'valibot';
import { overlayLanguage, type Config } from '../../shared/config';
import { ExitCode } from '../../shared/exitCodes';
import { ipcContract, type AppInfo } from '../../shared/ipc';
import { createCore, type Core, type CoreOptions } from '../core';
import { loadConfig } from '../core/config';
import { parseLaunchArgs, type LaunchArgs } from '../core/launchArgs';
import { createLogger, type Logger } from '../core/logging';
import { createWindowsRegistrySource } from '../core/registry';
import { APP_ENTRY_URL, chromePolicy, dangerousEnvironment, dangerousSwitches, portalPolicy } from '../core/lockdown/policy';
import { idleRemainingSeconds } from '../core/portal/outcome';
import { portalUrl } from '../core/portal/url';
import { createTlsAgent } from '../core/tls/agent';
import { configureSession } from '../core/tls/session';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler } from './appProtocol';
import { hardenWebContents } from './harden';
import { createPortalDispatch, registerIpc } from './ipc';
import { ALWAYS_ON_TOP_LEVEL, CHROME_PARTITION, chromeWindowOptions, PORTAL_PARTITION } from './options';
import { createPortalController, type PortalController } from './portalView';

export interface DemoService {
  authority: string;
  clientId: string;
  caPem: string;
  close(): Promise<void>;
}

export interface Clock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface OverlayDeps {
  argv?: readonly string[];
  env?: Record<string, string | undefined>;
  /** dist/ (holds renderer/ and preload/); defaults to the folder above this bundle. */
  distDir?: string;
  /** Release build: devTools off, development flags (--set, --demo) ignored. Default app.isPackaged. */
  release?: boolean;
  createCore?: (opts: CoreOptions) => Core;
  loadConfig?: typeof loadConfig;
  logger?: Logger;
  /** Embedded emulator for --demo in development builds. */
  startDemoService?: () => Promise<DemoService>;
  clock?: Clock;
  /** Where startup refusals are reported before a logger exists. */
  stderr?: (line: string) => void;
  /** process-wide uncaughtException/unhandledRejection → exit 1 (off in unit tests that share a process). */
  processHandlers?: boolean;
  /** Parent of the per-run profile folder (default os.tmpdir()). */
  profileParent?: string;
}

export interface Overlay {
  window: BrowserWindow;
  core: Core;
  config: Config;
  portal: PortalController | null;
  exit(code: ExitCode, why: string): void;
  /** Resolves with the exit code once app.exit has been called. */
  exited: Promise<number>;
}

/** Renderer memory cap (security.md §6) — set by us, never accepted from the command line. */
const JS_FLAGS = '--max-old-space-size=256';
/** The renderer shows its own idle warning; main is the backstop for a renderer that stopped counting. */
const NATIVE_IDLE_GRACE_SECONDS = 60;
const EXIT_CLEANUP_MS = 2000;

const systemClock: Clock = {
  now: () => Date.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

const defaultDemoService = async (): Promise<DemoService> => {
  const { startEmulator } = await import('../../emulator');
  return startEmulator({});
};

/**
 * Start-up checks that must run before Electron is ready. Returns false (and exits 1) when the process
 * must not go on: a dangerous switch or environment, or a second instance.
 */
const preflight = (deps: OverlayDeps, report: (line: string) => void): boolean => {
  const argv = deps.argv ?? process.argv;
  const bad = [...dangerousSwitches(app.commandLine, argv), ...dangerousEnvironment(deps.env ?? process.env)];
  if (bad.length > 0) {
    report(`SsprLogon: refusing to start with ${bad.join(', ')}`);
    app.exit(ExitCode.InternalError);
    return false;
  }
  if (!app.requestSingleInstanceLock()) {
    report('SsprLogon: another overlay is already running');
    app.exit(ExitCode.InternalError);
    return false;
  }
  return true;
};

export const runOverlay = async (deps: OverlayDeps = {}): Promise<Overlay | null> => {
  const report = deps.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!preflight(deps, report)) return null;

  const clock = deps.clock ?? systemClock;
  const release = deps.release ?? app.isPackaged;
  const distDir = deps.distDir ?? join(__dirname, '..');
  app.enableSandbox();
  app.commandLine.appendSwitch('disable-http-cache');
  app.commandLine.appendSwitch('js-flags', JS_FLAGS);
  Menu.setApplicationMenu(null);
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  // A fresh profile folder per run (Local State, GPU cache, crash dumps) that is removed on exit, so
  // nothing of one user's attempt is left in the launching account's profile (security.md §4 remanence).
  const profile = freshProfile(deps.profileParent ?? tmpdir());
  if (profile) {
    app.setPath('userData', profile);
    app.setPath('crashDumps', join(profile, 'Crashpad'));
  }

  // ---------------------------------------------------------------- exit: once, with a DESIGN.md code
  let logger: Logger | null = deps.logger ?? null;
  let exiting = false;
  let resolveExited: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    resolveExited = resolve;
  });
  const touched: Session[] = [];
  const cleanups: (() => void)[] = [];
  const exit = (code: ExitCode, why: string): void => {
    if (exiting) return;
    exiting = true;
    logger?.info('overlay.exit', { exitCode: code, why });
    for (const c of cleanups) c();
    // Remanence (security.md §7 #15): nothing of this attempt may be left for the next user.
    const wipe = Promise.all(touched.map((s) => s.clearStorageData().catch(() => undefined)));
    const bounded = new Promise<void>((resolve) => setTimeout(resolve, EXIT_CLEANUP_MS).unref?.());
    void Promise.race([wipe, bounded])
      .then(() => logger?.close())
      .catch(() => undefined)
      .then(() => {
        // Best effort: files Chromium still holds open stay until the shim's job ends the process tree.
        if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 2 });
      })
      .catch(() => undefined)
      .then(() => {
        app.exit(code);
        resolveExited(code);
      });
  };
  const crash = (why: string) => (): void => exit(ExitCode.InternalError, why);

  // Catch-alls (security.md §6): a crash anywhere ends on the tile, never in a reload loop.
  if (deps.processHandlers ?? true) {
    process.on('uncaughtException', (err) => {
      logger?.error('overlay.uncaught', { error: err });
      exit(ExitCode.InternalError, 'uncaughtException');
    });
    process.on('unhandledRejection', (err) => {
      logger?.error('overlay.unhandled_rejection', { error: err });
      exit(ExitCode.InternalError, 'unhandledRejection');
    });
  }
  app.on('render-process-gone', (_e, _wc, details) => exit(ExitCode.InternalError, `render-process-gone:${details.reason}`));
  app.on('child-process-gone', (_e, details) => {
    // A utility process that ends cleanly is no crash; anything abnormal is.
    if (details.reason !== 'clean-exit') exit(ExitCode.InternalError, `child-process-gone:${details.type}:${details.reason}`);
  });
  app.on('window-all-closed', () => exit(ExitCode.InternalError, 'window-all-closed'));
  app.on('second-instance', () => {
    const w = BrowserWindow.getAllWindows()[0];
    w?.focus();
  });
  app.on('certificate-error', (_event, _wc, _url, _error, _certificate, callback) => callback(false));
  app.on('select-client-certificate', (event, _wc, _url, _list, callback) => {
    // Electron would otherwise pick the first certificate of the store by itself.
    event.preventDefault();
    callback();
  });
  // Anything that creates web contents behind our back gets no windows and no <webview>.
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  await app.whenReady();

  // ---------------------------------------------------------------- configuration and logging
  const argv = deps.argv ?? process.argv;
  // `electron dist/main/electron.cjs --demo` (development) puts the script path before our arguments.
  const firstArg = (process as { defaultApp?: boolean }).defaultApp ? 2 : 1;
  const { launch: parsed, problems: launchProblems } = parseLaunchArgs(argv.slice(firstArg));
  const launch: LaunchArgs = release ? { ...parsed, demo: false, configFlags: {} } : parsed;
  let demo: DemoService | null = null;
  if (launch.demo) {
    demo = await (deps.startDemoService ?? defaultDemoService)();
    const service = demo;
    cleanups.push(() => void service.close());
  }
  const flags: Record<string, unknown> = { ...launch.configFlags };
  if (demo) Object.assign(flags, { Engine: launch.configFlags.Engine ?? 'native', Authority: demo.authority, ClientId: demo.clientId });
  const { config, problems: configProblems } = await (deps.loadConfig ?? loadConfig)({
    ...(launch.dataDir !== undefined ? { dataDir: launch.dataDir } : {}),
    ...(process.platform === 'win32' ? { registry: createWindowsRegistrySource() } : {}),
    ...(Object.keys(flags).length > 0 ? { flags } : {}),
  });
  logger ??= createLogger({
    verbose: config.EnableLogging,
    ...(launch.logDir !== undefined ? { dir: launch.logDir } : {}),
    // Always: the shim hands the overlay a pipe as stdout/stderr and appends each JSON line to the protected
    // log folder, which the restricted overlay cannot write itself (DESIGN.md "Logs", docs/shim.md).
    console: true,
    maxSizeMB: config.LogMaxSizeMB,
    retentionDays: config.LogRetentionDays,
  });
  const log = logger;
  for (const p of launchProblems) log.warn('launch.problem', { arg: p.arg, message: p.message });
  for (const p of configProblems) log.warn('config.problem', { layer: p.layer, key: p.key, message: p.message });
  log.info('overlay.start', { engine: config.Engine, scenario: launch.scenario, proxyMode: config.ProxyMode, release });

  // ---------------------------------------------------------------- sessions: every one locked down
  const sessionEvents = (name: string) => ({
    onBlockedRequest: (url: string, resourceType: string | undefined) => log.warn('session.blocked_request', { session: name, origin: originOf(url), resourceType }),
    onRejectedCertificate: (hostname: string, verificationResult: string | undefined) => log.warn('session.certificate_rejected', { session: name, hostname, verificationResult }),
    onCancelledDownload: (url: string | undefined) => log.warn('session.download_cancelled', { session: name, origin: originOf(url ?? '') }),
    onProxyError: (error: unknown) => log.error('session.proxy_refused', { session: name, proxyMode: config.ProxyMode, error }),
  });
  const defaultSession = session.defaultSession;
  const chromeSession = session.fromPartition(CHROME_PARTITION);
  const portalSession = session.fromPartition(PORTAL_PARTITION);
  touched.push(defaultSession, chromeSession, portalSession);
  // The default session renders nothing of ours: it may reach nothing at all.
  await configureSession(defaultSession, { proxy: config, policy: portalPolicy([]) }, sessionEvents('default'));
  await configureSession(chromeSession, { proxy: config, policy: chromePolicy }, sessionEvents('chrome'));
  await configureSession(portalSession, { proxy: config, policy: portalPolicy(config.AllowedHosts) }, sessionEvents('portal'));
  chromeSession.protocol.registerBufferProtocol(APP_SCHEME_PRIVILEGES.scheme, appProtocolHandler(join(distDir, 'renderer')));

  // ---------------------------------------------------------------- idle
  let lastActivity = clock.now();
  const onActivity = (): void => {
    lastActivity = clock.now();
  };
  const idleRemaining = (): number => idleRemainingSeconds(clock.now(), lastActivity, config.IdleTimeoutSeconds);

  // ---------------------------------------------------------------- core
  const httpsAgent = createTlsAgent({
    proxy: config,
    resolveProxy: (url) => defaultSession.resolveProxy(url),
    connectTimeoutMs: Math.min(10_000, config.RequestTimeoutSeconds * 1000),
    ...(demo ? { ca: demo.caPem } : {}),
  });
  let portal: PortalController | null = null;
  const core = (deps.createCore ?? createCore)({
    config,
    launch,
    logger: log,
    exit: (code) => exit(code, 'core'),
    httpsAgent,
    demo: demo !== null,
    ...(demo ? { ca: demo.caPem } : {}),
  });

  // ---------------------------------------------------------------- the kiosk window
  const window = new BrowserWindow(
    chromeWindowOptions({ preloadPath: join(distDir, 'preload', 'preload.cjs'), session: chromeSession, devTools: !release, title: 'SSPR Logon' }),
  );
  const chrome: WebContents = window.webContents;
  window.setAlwaysOnTop(true, ALWAYS_ON_TOP_LEVEL);
  hardenWebContents(chrome, chromePolicy, {
    onActivity,
    onBlocked: (kind, url) => log.warn('chrome.blocked', { kind, origin: originOf(url) }),
  });
  chrome.on('render-process-gone', (_e, details) => exit(ExitCode.InternalError, `chrome:${details.reason}`));
  chrome.on('unresponsive', crash('chrome:unresponsive'));
  chrome.on('preload-error', crash('chrome:preload-error'));
  chrome.on('did-fail-load', (_e, errorCode, _d, _url, isMainFrame) => {
    if (isMainFrame && errorCode !== -3) exit(ExitCode.InternalError, `chrome:did-fail-load:${errorCode}`);
  });
  if (release) chrome.on('devtools-opened', () => chrome.closeDevTools());
  window.on('unresponsive', crash('window:unresponsive'));
  window.on('closed', crash('window:closed'));
  window.once('ready-to-show', () => {
    window.show();
    window.focus();
  });

  const language = overlayLanguage(config, launch.lang);
  if (config.Engine === 'portal') {
    portal = createPortalController({
      window,
      session: portalSession,
      config,
      language,
      logger: log,
      devTools: !release,
      onActivity,
      idleRemainingSeconds: idleRemaining,
      onCrash: (why) => exit(ExitCode.InternalError, why),
    });
  }

  // ---------------------------------------------------------------- IPC
  const exitRequest = ipcContract['app:exit'].request;
  const portalNow = portal;
  const dispatch = async (channel: unknown, payload: unknown): Promise<unknown> => {
    if (portalNow && channel === 'app:exit') {
      const parsedExit = v.safeParse(exitRequest, payload);
      if (!parsedExit.success) throw new Error('IPC invalid_request on app:exit');
      exit(portalNow.exitCode(parsedExit.output.reason) as ExitCode, `portal:${parsedExit.output.reason}`);
      return { ok: true };
    }
    const answer = await core.dispatch(channel, payload);
    if (portalNow && channel === 'app:info') return { ...(answer as AppInfo), portalUrl: portalUrl(config, portalNow.state().language) };
    return answer;
  };
  registerIpc({
    ipcMain,
    ours: () => (window.isDestroyed() ? null : chrome),
    dispatch,
    ...(portalNow ? { portalDispatch: createPortalDispatch(portalNow.handlers, log) } : {}),
    logger: log,
  });

  // ---------------------------------------------------------------- idle exit
  const idleLimit = config.IdleTimeoutSeconds + (portal ? 0 : NATIVE_IDLE_GRACE_SECONDS);
  let idleLeaving = false;
  const idleTimer = clock.setInterval(() => {
    if (idleLeaving || idleRemainingSeconds(clock.now(), lastActivity, idleLimit) > 0) return;
    idleLeaving = true;
    if (portal) exit(portal.exitCode('idle') as ExitCode, 'idle');
    // Through the core: a password submission in flight is answered first, and decides the code.
    else void core.handlers['app:exit']({ reason: 'idle' }).catch(() => exit(ExitCode.IdleTimeout, 'idle'));
  }, 1000);
  cleanups.push(() => clock.clearInterval(idleTimer));

  await chrome.loadURL(APP_ENTRY_URL).catch((err: unknown) => {
    log.error('chrome.load_failed', { error: err });
    exit(ExitCode.InternalError, 'chrome:load');
  });
  return { window, core, config, portal, exit, exited };
};

/** A per-run folder, or null (then Electron's default) when the temp folder is not writable. */
const freshProfile = (parent: string): string | null => {
  try {
    return mkdtempSync(join(parent, 'sspr-logon-'));
  } catch {
    return null;
  }
};

/** For logs: scheme and host only. */
const originOf = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '<unparsable>';
  }
};

