/**
 * The Electron 22 adapter: one full-screen kiosk window serving our bundle over app://, every session
 * locked down (TLS 1.2, proxy, allow-list, no permissions, no downloads), IPC from our own main frame
 * only, and every way out ending in a DESIGN.md exit code. Decisions live in src/main/core; this file
 * only wires them to Electron.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { isatty } from 'node:tty';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, protocol, session, type Session, type WebContents } from 'electron';
import type { Config } from '../../shared/config';
import { ExitCode } from '../../shared/exitCodes';
import { createCore, type Core, type CoreOptions } from '../core';
import { createIpcDispatcher } from '../core/ipcBoundary';
import { loadConfig, resolveDataFolders } from '../core/config';
import { parseLaunchArgs, type LaunchArgs } from '../core/launchArgs';
import { createLogger, fdChunkReader, readSaltHandshake, type ChunkReader, type Logger } from '../core/logging';
import { createWindowsRegistrySource } from '../core/registry';
import { APP_ENTRY_URL, chromePolicy, dangerousEnvironment, dangerousSwitches, portalPolicy } from '../core/lockdown/policy';
import { idleRemainingSeconds } from '../core/portal/outcome';
import { portalUrl } from '../core/portal/url';
import { webFlowAvailable } from '../core/portal/webFlow';
import { createTlsAgent } from '../core/tls/agent';
import { configureSession } from '../core/tls/session';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler } from './appProtocol';
import { hardenWebContents } from './harden';
import { registerIpc } from './ipc';
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
  /** Makes the logger when none is given (tests observe what it is made with). */
  createLogger?: typeof createLogger;
  /** Where the shim's salt handshake arrives on an install (default: file descriptor 0, see fdChunkReader). */
  stdin?: ChunkReader;
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
  const folders = resolveDataFolders({ launch, release, env: deps.env ?? process.env });
  const { config, problems: configProblems } = await (deps.loadConfig ?? loadConfig)({
    ...(folders.dataDir !== undefined ? { dataDir: folders.dataDir } : {}),
    ...(process.platform === 'win32' ? { registry: createWindowsRegistrySource() } : {}),
    ...(Object.keys(flags).length > 0 ? { flags } : {}),
  });
  // Installed: the shim owns the log files and hands over the per-machine salt on stdin (docs/shim.md).
  // (An admin starting the exe from a console has a terminal as stdin: nothing will come, so do not wait.)
  const awaitsHandshake = release && folders.logDir === undefined && !logger && (deps.stdin !== undefined || !isatty(0));
  const salt = awaitsHandshake ? await readSaltHandshake(deps.stdin ?? fdChunkReader(0)) : undefined;
  logger ??= (deps.createLogger ?? createLogger)({
    verbose: config.EnableLogging,
    ...(folders.logDir !== undefined ? { dir: folders.logDir } : {}),
    ...(salt !== undefined ? { salt } : {}),
    // Always: the shim hands the overlay a pipe as stdout/stderr and appends each JSON line to the protected
    // log folder, which the restricted overlay cannot write itself (DESIGN.md "Logs", docs/shim.md).
    console: true,
    maxSizeMB: config.LogMaxSizeMB,
    retentionDays: config.LogRetentionDays,
  });
  const log = logger;
  if (awaitsHandshake && salt === undefined) {
    log.warn('log.salt_missing', { message: 'no salt from the credential provider; user ids are hashed with a per-run salt, so logs --user cannot find this run' });
  }
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
  let portal: PortalController | null = null;
  const defaultSession = session.defaultSession;
  const chromeSession = session.fromPartition(CHROME_PARTITION);
  const portalSession = session.fromPartition(PORTAL_PARTITION);
  touched.push(defaultSession, chromeSession, portalSession);
  // The default session renders nothing of ours: it may reach nothing at all.
  await configureSession(defaultSession, { proxy: config, policy: portalPolicy([]) }, sessionEvents('default'));
  await configureSession(chromeSession, { proxy: config, policy: chromePolicy }, sessionEvents('chrome'));
  await configureSession(portalSession, { proxy: config, policy: portalPolicy(config.AllowedHosts, config.AllowedResourceHosts) }, {
    ...sessionEvents('portal'),
    // The pilot capture wants every refused host with its type; telemetry is refused without a warning.
    onBlockedRequest: (url, resourceType) => {
      sessionEvents('portal').onBlockedRequest(url, resourceType);
      portal?.noteBlockedRequest(url, resourceType, false);
    },
    onQuietlyBlockedRequest: (url, resourceType) => portal?.noteBlockedRequest(url, resourceType, true),
  });
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

  const language = launch.lang ?? config.Locale;
  const openPortal = (): PortalController => {
    if (portal) return portal;
    const created = createPortalController({
      window,
      session: portalSession,
      config,
      language,
      logger: log,
      devTools: !release,
      onActivity,
      idleRemainingSeconds: idleRemaining,
      onCrash: (why) => exit(ExitCode.InternalError, why),
      onPortalCancel: () => exit(created.exitCode('cancelled') as ExitCode, 'portal:cancel-link'),
    });
    portal = created;
    cleanups.push(() => created.dispose());
    return created;
  };
  if (config.Engine === 'portal') openPortal();
  // Native engine: after a `redirect` answer the user may continue in the tenant's hosted web flow, in the
  // same locked view, when policy allows it and its host is allow-listed.
  const webFlow = webFlowAvailable(config);

  // ---------------------------------------------------------------- IPC
  // One contract, one dispatcher for both engines. Once a portal view runs (portal engine, or the native
  // engine's web flow) it answers the portal channels and decides the exit code; the core does the rest.
  const noView = (): Promise<never> => Promise.reject(new Error('no portal view'));
  const dispatch = createIpcDispatcher(
    {
      ...core.handlers,
      'app:info': async (request) => {
        const info = await core.handlers['app:info'](request);
        return portal ? { ...info, portalUrl: portalUrl(config, portal.state().language) } : { ...info, webFlowOnRedirect: webFlow };
      },
      'app:openWebFlow': async (request) => {
        if (!webFlow) return core.handlers['app:openWebFlow'](request);
        log.info('portal.web_flow_opened', {});
        openPortal();
        return { ok: true };
      },
      'app:exit': async (request) => {
        if (!portal) return core.handlers['app:exit'](request);
        exit(portal.exitCode(request.reason) as ExitCode, `portal:${request.reason}`);
        return { ok: true as const };
      },
      'portal:state': (r) => (portal ? portal.handlers['portal:state'](r) : noView()),
      'portal:setLanguage': (r) => (portal ? portal.handlers['portal:setLanguage'](r) : noView()),
      'portal:retry': (r) => (portal ? portal.handlers['portal:retry'](r) : noView()),
      'portal:layout': (r) => (portal ? portal.handlers['portal:layout'](r) : noView()),
    },
    log,
  );
  registerIpc({
    ipcMain,
    ours: () => (window.isDestroyed() ? null : chrome),
    dispatch,
    logger: log,
  });

  // ---------------------------------------------------------------- idle exit
  let idleLeaving = false;
  const idleTimer = clock.setInterval(() => {
    // Read each tick: the portal view may open later, for the hosted web flow after a redirect answer.
    const idleLimit = config.IdleTimeoutSeconds + (portal ? 0 : NATIVE_IDLE_GRACE_SECONDS);
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

