/**
 * The Electron 22 adapter: one full-screen kiosk window serving our bundle over app://, every session
 * locked down (TLS 1.2, proxy, allow-list, no permissions, no downloads), IPC from our own main frame
 * only, and every way out ending in a DESIGN.md exit code. Decisions live in src/main/core; this file
 * only wires them to Electron.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { isatty } from 'node:tty';
import { release as osRelease, tmpdir } from 'node:os';
import { join } from 'node:path';
import { app, BrowserWindow, Menu, protocol, session, type Session, type WebContents } from 'electron';
import { overlayLanguage, type Config } from '../../shared/config';
import { ExitCode } from '../../shared/exitCodes';
import { createCore, type Core, type CoreOptions } from '../core';
import { createIpcDispatcher } from '../core/ipcBoundary';
import { loadConfig, resolveDataFolders } from '../core/config';
import { parseLaunchArgs, type LaunchArgs } from '../core/launchArgs';
import { createLogger, fdChunkReader, readSaltHandshake, type ChunkReader, type Logger } from '../core/logging';
import { createWindowsRegistrySource, runExecFile } from '../core/registry';
import { PRODUCT_VERSION } from '../core/version';
import { firstScreenBundle, loadFirstScreenRenderer, pageForRun } from '../core/firstScreen';
import { APP_ENTRY_URL, chromePolicy, dangerousEnvironment, dangerousSwitches, portalPolicy } from '../core/lockdown/policy';
import { idleRemainingSeconds } from '../core/portal/outcome';
import { portalUrl } from '../core/portal/url';
import { webFlowAvailable } from '../core/portal/webFlow';
import { createTlsAgent } from '../core/tls/agent';
import { configureSession } from '../core/tls/session';
import type { ProxySettings } from '../core/tls/proxy';
import { effectiveProxySettings, readWinHttpProxy, type WinHttpProxy } from '../core/tls/winhttp';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler } from './appProtocol';
import { hardenWebContents } from './harden';
import { registerIpc } from './ipc';
import { ALWAYS_ON_TOP_LEVEL, CHROME_PARTITION, chromeWindowOptions, PORTAL_PARTITION } from './options';
import { createPortalController, type PortalController } from './portalView';
import { idleTimeoutFor } from '../../shared/idle';

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
  /** dist/ (holds renderer/, preload/ and main/first-screen.cjs); defaults to the folder above this bundle. */
  distDir?: string;
  /** Release build: devTools off, development flags (--demo, --set, --data-dir, --log-dir) ignored. Default app.isPackaged. */
  release?: boolean;
  createCore?: (opts: CoreOptions) => Core;
  loadConfig?: typeof loadConfig;
  logger?: Logger;
  /**
   * Embedded emulator for --demo. Only the development entry (demo.ts → dist/main/demo.cjs) passes one,
   * so the release bundle holds no emulator, no node-forge and no demo user.
   */
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
  /** The operating system, for the Windows 7 sandbox switch (default: this process's). */
  os?: { platform: string; release: string };
  /** The machine's WinHTTP proxy for ProxyMode=winhttp (default: reg.exe on Windows, none elsewhere). */
  readWinHttpProxy?: () => Promise<WinHttpProxy>;
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
/**
 * Chromium answers an NTLM or Negotiate challenge with the process's default credentials when the
 * server is on its allow-list, or (with no list) in the Intranet zone; on the logon screen those are the
 * machine account's. Electron 22 offers no switch to drop those schemes, but it does read these
 * allow-lists: one that names only a host under the reserved .invalid domain matches no proxy and no
 * server, so default credentials are never sent and a challenge ends in the `login` event, which we
 * refuse. Set by us; the same switches on the command line are refused at start (DANGEROUS_SWITCHES).
 */
export const NO_DEFAULT_CREDENTIALS_SWITCHES: readonly [string, string][] = [
  ['auth-server-whitelist', 'sspr-logon.invalid'],
  ['auth-negotiate-delegate-whitelist', 'sspr-logon.invalid'],
];
/** The renderer shows its own idle warning; main is the backstop for a renderer that stopped counting. */
const NATIVE_IDLE_GRACE_SECONDS = 60;
const EXIT_CLEANUP_MS = 2000;

const systemClock: Clock = {
  now: () => Date.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

/** Windows 7 / Server 2008 R2 (NT 6.1): the last Windows without nested jobs. */
export const needsNoSandboxJob = (os: { platform: string; release: string }): boolean => os.platform === 'win32' && /^6\.1(\.|$)/.test(os.release);

/** Only Windows has a WinHTTP proxy; elsewhere (development hosts) winhttp means direct. */
const defaultWinHttpProxy = (): Promise<WinHttpProxy> =>
  process.platform === 'win32' ? readWinHttpProxy({ run: runExecFile }) : Promise.resolve({ kind: 'direct' });

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

/**
 * The overlay's story: refuse to start where it must not, prepare the process, make sure every way out
 * ends with one exit code, read the launch and the configuration, settle the proxy, lock down every
 * session, create the core, open the kiosk window (and the portal view), wire the IPC, watch for idleness
 * and load our page once its defences are on.
 */
export const runOverlay = async (deps: OverlayDeps = {}): Promise<Overlay | null> => {
  const report = deps.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!preflight(deps, report)) return null;

  const clock = deps.clock ?? systemClock;
  const release = deps.release ?? app.isPackaged;
  const distDir = deps.distDir ?? join(__dirname, '..');
  const profile = prepareProcess(deps.profileParent ?? tmpdir(), deps.os ?? { platform: process.platform, release: osRelease() });
  const exits = createExitControl(profile, deps.logger ?? null);
  watchForCrashes(exits, deps.processHandlers ?? true);

  await app.whenReady();

  const { launch, config, demo, log } = await readStartup(deps, release, exits);
  const proxy = await resolveProxy(deps, config, log);
  let portal: PortalController | null = null;
  const sessions = await lockDownSessions({ config, proxy, log, exits, portal: () => portal });
  const activity = trackActivity(clock, config);
  const core = createOverlayCore(deps, { config, proxy, launch, log, demo, exits, defaultSession: sessions.defaultSession });
  const { window, hardened } = openKioskWindow({ distDir, release, session: sessions.chromeSession, log, exits, onActivity: activity.onActivity });
  serveOurPage({ session: sessions.chromeSession, distDir, core, config, log });
  const openPortal = (): PortalController => {
    portal ??= openPortalView({ window, session: sessions.portalSession, config, language: overlayLanguage(config, launch.lang), log, release, activity, exits });
    return portal;
  };
  if (config.Engine === 'portal') openPortal();
  wireIpc({ window, core, config, portal: () => portal, openPortal, log, exits });
  startIdleExit({ clock, activity, config, launch, portal: () => portal, core, exits });
  // Without the file-chooser interception the overlay is already exiting: show nothing.
  if (await hardened) await loadOurPage(window.webContents, log, exits);
  return { window, core, config, portal, exit: exits.exit, exited: exits.exited };
};

// ---------------------------------------------------------------- before Electron is ready

/** Process-wide switches that must be set before Electron is ready; returns the per-run profile folder. */
const prepareProcess = (profileParent: string, os: { platform: string; release: string }): string | null => {
  app.enableSandbox();
  app.commandLine.appendSwitch('disable-http-cache');
  // Our own switches only, each explained in docs/security.md (Electronegativity); argv is refused above.
  app.commandLine.appendSwitch('js-flags', JS_FLAGS); // eng-disable CUSTOM_ARGUMENTS_JS_CHECK
  for (const [name, value] of NO_DEFAULT_CREDENTIALS_SWITCHES) app.commandLine.appendSwitch(name, value);
  // Windows 7 cannot nest jobs, and the shim's job forbids breakaway: Chromium must start its sandboxed
  // children without a job of their own (they keep token, integrity and desktop; our job bounds the tree).
  // We set it, on 6.1 only; from the command line it is refused like every sandbox-weakening switch.
  if (needsNoSandboxJob(os)) app.commandLine.appendSwitch('allow-no-sandbox-job'); // eng-disable CUSTOM_ARGUMENTS_JS_CHECK
  Menu.setApplicationMenu(null);
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  // A fresh profile folder per run (Local State, GPU cache, crash dumps) that is removed on exit, so
  // nothing of one user's attempt is left in the launching account's profile (security.md §4 remanence).
  const profile = freshProfile(profileParent);
  if (profile) {
    app.setPath('userData', profile);
    app.setPath('crashDumps', join(profile, 'Crashpad'));
  }
  return profile;
};

/** Every way out of the overlay: once, with a DESIGN.md code, after the remanence clean-up. */
interface ExitControl {
  exit(code: ExitCode, why: string): void;
  crash(why: string): () => void;
  exited: Promise<number>;
  /** Sessions wiped on exit. */
  touched: Session[];
  /** Run first on exit (timers, the demo service). */
  cleanups: (() => void)[];
  logger: Logger | null;
}

const createExitControl = (profile: string | null, logger: Logger | null): ExitControl => {
  let exiting = false;
  let resolveExited: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    resolveExited = resolve;
  });
  const control: ExitControl = {
    exited,
    touched: [],
    cleanups: [],
    logger,
    crash: (why) => () => control.exit(ExitCode.InternalError, why),
    exit: (code, why) => {
      if (exiting) return;
      exiting = true;
      control.logger?.info('overlay.exit', { exitCode: code, why });
      for (const c of control.cleanups) c();
      // Remanence (security.md §7 #15): nothing of this attempt may be left for the next user.
      const wipe = Promise.all(control.touched.map((s) => s.clearStorageData().catch(() => undefined)));
      const bounded = new Promise<void>((resolve) => setTimeout(resolve, EXIT_CLEANUP_MS).unref?.());
      void Promise.race([wipe, bounded])
        .then(() => control.logger?.close())
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
    },
  };
  return control;
};

/** Catch-alls (security.md §6): a crash anywhere ends on the tile, never in a reload loop. */
const watchForCrashes = (exits: ExitControl, processHandlers: boolean): void => {
  const { exit } = exits;
  if (processHandlers) {
    process.on('uncaughtException', (err) => {
      exits.logger?.error('overlay.uncaught', { error: err });
      exit(ExitCode.InternalError, 'uncaughtException');
    });
    process.on('unhandledRejection', (err) => {
      exits.logger?.error('overlay.unhandled_rejection', { error: err });
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
  app.on('certificate-error', (_event, _wc, _url, _error, _certificate, callback) => callback(false)); // eng-disable CERTIFICATE_ERROR_EVENT_JS_CHECK
  // Every HTTP and proxy authentication challenge is refused without a prompt and without credentials:
  // the overlay has none to give, and a proxy that asks gets our "proxy" error screen.
  app.on('login', (event, _wc, details, authInfo, callback) => {
    event.preventDefault();
    exits.logger?.warn('network.auth_refused', { isProxy: authInfo.isProxy, scheme: authInfo.scheme, origin: originOf(details.url), host: authInfo.host });
    callback();
  });
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
};

// ---------------------------------------------------------------- configuration and logging

interface Startup {
  launch: LaunchArgs;
  config: Config;
  demo: DemoService | null;
  log: Logger;
}

/** The launch arguments, the embedded demo service (development entry only), the configuration, the logger. */
const readStartup = async (deps: OverlayDeps, release: boolean, exits: ExitControl): Promise<Startup> => {
  const argv = deps.argv ?? process.argv;
  // `electron dist/main/demo.cjs --demo` (development) puts the script path before our arguments.
  const firstArg = (process as { defaultApp?: boolean }).defaultApp ? 2 : 1;
  const { launch, problems: launchProblems } = parseLaunchArgs(argv.slice(firstArg), { release });
  if (launch.demo && !deps.startDemoService) {
    launchProblems.push({ arg: '--demo', message: 'this entry has no emulator (start dist/main/demo.cjs); ignored' });
    launch.demo = false;
  }
  let demo: DemoService | null = null;
  if (launch.demo && deps.startDemoService) {
    demo = await deps.startDemoService();
    const service = demo;
    exits.cleanups.push(() => void service.close());
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
  const awaitsHandshake = release && folders.logDir === undefined && !exits.logger && (deps.stdin !== undefined || !isatty(0));
  const salt = awaitsHandshake ? await readSaltHandshake(deps.stdin ?? fdChunkReader(0)) : undefined;
  exits.logger ??= (deps.createLogger ?? createLogger)({
    verbose: config.EnableLogging,
    ...(folders.logDir !== undefined ? { dir: folders.logDir } : {}),
    ...(salt !== undefined ? { salt } : {}),
    // Always: the shim hands the overlay a pipe as stdout/stderr and appends each JSON line to the protected
    // log folder, which the restricted overlay cannot write itself (DESIGN.md "Logs", docs/shim.md).
    console: true,
    maxSizeMB: config.LogMaxSizeMB,
    retentionDays: config.LogRetentionDays,
  });
  const log = exits.logger;
  if (awaitsHandshake && salt === undefined) {
    log.warn('log.salt_missing', { message: 'no salt from the credential provider; user ids are hashed with a per-run salt, so logs --user cannot find this run' });
  }
  for (const p of launchProblems) log.warn('launch.problem', { arg: p.arg, message: p.message });
  for (const p of configProblems) log.warn('config.problem', { layer: p.layer, key: p.key, message: p.message });
  log.info('overlay.start', { version: PRODUCT_VERSION, engine: config.Engine, scenario: launch.scenario, proxyMode: config.ProxyMode, release });
  return { launch, config, demo, log };
};

// ---------------------------------------------------------------- sessions: every one locked down

interface Sessions {
  defaultSession: Session;
  chromeSession: Session;
  portalSession: Session;
}

// ---------------------------------------------------------------- proxy: winhttp resolved once, here

const resolveProxy = async (deps: OverlayDeps, config: Config, log: Logger): Promise<ProxySettings> => {
  const winhttp: WinHttpProxy =
    config.ProxyMode !== 'winhttp'
      ? { kind: 'direct' }
      : await (deps.readWinHttpProxy ?? defaultWinHttpProxy)().catch((err: unknown) => ({ kind: 'unreadable' as const, reason: err instanceof Error ? err.message : String(err) }));
  if (winhttp.kind === 'unreadable') log.warn('proxy.winhttp_unreadable', { reason: winhttp.reason });
  const proxy = effectiveProxySettings(config, winhttp);
  log.info('proxy.effective', { configured: config.ProxyMode, mode: proxy.ProxyMode, server: proxy.ProxyMode === 'fixed' ? proxy.ProxyServer : '' });
  return proxy;
};

const lockDownSessions = async (s: {
  config: Config;
  proxy: ProxySettings;
  log: Logger;
  exits: ExitControl;
  /** The portal view, once one runs: it records what its session refused (pilot capture). */
  portal: () => PortalController | null;
}): Promise<Sessions> => {
  const { config, proxy, log, exits } = s;
  const sessionEvents = (name: string) => ({
    onBlockedRequest: (url: string, resourceType: string | undefined) => log.warn('session.blocked_request', { session: name, origin: originOf(url), resourceType }),
    onRejectedCertificate: (hostname: string, verificationResult: string | undefined) => log.warn('session.certificate_rejected', { session: name, hostname, verificationResult }),
    onCancelledDownload: (url: string | undefined) => log.warn('session.download_cancelled', { session: name, origin: originOf(url ?? '') }),
    onProxyError: (error: unknown) => log.error('session.proxy_refused', { session: name, proxyMode: proxy.ProxyMode, error }),
  });
  const defaultSession = session.defaultSession;
  const chromeSession = session.fromPartition(CHROME_PARTITION);
  const portalSession = session.fromPartition(PORTAL_PARTITION);
  exits.touched.push(defaultSession, chromeSession, portalSession);
  // The default session renders nothing of ours: it may reach nothing at all.
  await configureSession(defaultSession, { proxy, policy: portalPolicy([]) }, sessionEvents('default'));
  await configureSession(chromeSession, { proxy, policy: chromePolicy }, sessionEvents('chrome'));
  await configureSession(portalSession, { proxy, policy: portalPolicy(config.AllowedHosts, config.AllowedResourceHosts), sandboxResponses: true }, {
    ...sessionEvents('portal'),
    // The pilot capture wants every refused host with its type; telemetry is refused without a warning.
    onBlockedRequest: (url, resourceType) => {
      sessionEvents('portal').onBlockedRequest(url, resourceType);
      s.portal()?.noteBlockedRequest(url, resourceType, false);
    },
    onQuietlyBlockedRequest: (url, resourceType) => s.portal()?.noteBlockedRequest(url, resourceType, true),
  });
  return { defaultSession, chromeSession, portalSession };
};

// ---------------------------------------------------------------- idle

interface Activity {
  onActivity(): void;
  lastActivity(): number;
  idleRemaining(): number;
}

const trackActivity = (clock: Clock, config: Config): Activity => {
  let lastActivity = clock.now();
  return {
    onActivity: () => {
      lastActivity = clock.now();
    },
    lastActivity: () => lastActivity,
    idleRemaining: () => idleRemainingSeconds(clock.now(), lastActivity, config.IdleTimeoutSeconds),
  };
};

/** The renderer counts down itself; this is the backstop that ends the run when it stopped counting. */
const startIdleExit = (i: {
  clock: Clock;
  activity: Activity;
  config: Config;
  launch: LaunchArgs;
  portal: () => PortalController | null;
  core: Core;
  exits: ExitControl;
}): void => {
  const { clock, exits } = i;
  const limitSeconds = i.launch.sessionLimitSeconds;
  const startedAt = clock.now();
  let leaving = false;
  const idleTimer = clock.setInterval(() => {
    // The hard session limit: input keeps the idle timer alive, never this one (a held key must not keep
    // the overlay up until the shim's watchdog kills it and counts a failure).
    if (limitSeconds !== undefined && clock.now() - startedAt >= limitSeconds * 1000) {
      exits.exit(ExitCode.SessionLimit, 'session-limit');
      return;
    }
    // Read each tick: the portal view may open later, for the hosted web flow after a redirect answer.
    const portal = i.portal();
    // Native: main cannot see the step, so it allows the longest one the renderer may count (the code step).
    const idleLimit = portal ? i.config.IdleTimeoutSeconds : idleTimeoutFor(i.config.IdleTimeoutSeconds, 'code') + NATIVE_IDLE_GRACE_SECONDS;
    if (leaving || idleRemainingSeconds(clock.now(), i.activity.lastActivity(), idleLimit) > 0) return;
    leaving = true;
    if (portal) exits.exit(portal.exitCode('idle') as ExitCode, 'idle');
    // Through the core: a password submission in flight is answered first, and decides the code.
    else void i.core.handlers['app:exit']({ reason: 'idle' }).catch(() => exits.exit(ExitCode.IdleTimeout, 'idle'));
  }, 1000);
  exits.cleanups.push(() => clock.clearInterval(idleTimer));
};

// ---------------------------------------------------------------- core

const createOverlayCore = (
  deps: OverlayDeps,
  c: { config: Config; proxy: ProxySettings; launch: LaunchArgs; log: Logger; demo: DemoService | null; exits: ExitControl; defaultSession: Session },
): Core => {
  const { config, demo } = c;
  const httpsAgent = createTlsAgent({
    proxy: c.proxy,
    resolveProxy: (url) => c.defaultSession.resolveProxy(url),
    connectTimeoutMs: Math.min(10_000, config.RequestTimeoutSeconds * 1000),
    ...(demo ? { ca: demo.caPem } : {}),
  });
  return (deps.createCore ?? createCore)({
    config,
    launch: c.launch,
    logger: c.log,
    exit: (code) => c.exits.exit(code, 'core'),
    httpsAgent,
    demo: demo !== null,
    ...(demo ? { ca: demo.caPem } : {}),
  });
};

// ---------------------------------------------------------------- the kiosk window

/** The window, and whether its defences (file-chooser interception) are on: nothing loads before that. */
const openKioskWindow = (w: {
  distDir: string;
  release: boolean;
  session: Session;
  log: Logger;
  exits: ExitControl;
  onActivity: () => void;
}): { window: BrowserWindow; hardened: Promise<boolean> } => {
  const { exits, log, release } = w;
  // The options come from options.ts, which the scanner cannot read through (docs/security.md, Electronegativity).
  const window = new BrowserWindow( // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
    chromeWindowOptions({ preloadPath: join(w.distDir, 'preload', 'preload.cjs'), session: w.session, devTools: !release, title: 'SSPR Logon' }),
  );
  const chrome: WebContents = window.webContents;
  window.setAlwaysOnTop(true, ALWAYS_ON_TOP_LEVEL);
  const hardened = hardenWebContents(chrome, chromePolicy, {
    onActivity: w.onActivity,
    onBlocked: (kind, url) => log.warn('chrome.blocked', { kind, origin: originOf(url) }),
    onFileChooserBlocked: () => log.warn('chrome.file_chooser_blocked', {}),
    onDefenceLost: (why) => exits.exit(ExitCode.InternalError, `chrome:${why}`),
  });
  chrome.on('render-process-gone', (_e, details) => exits.exit(ExitCode.InternalError, `chrome:${details.reason}`));
  chrome.on('unresponsive', exits.crash('chrome:unresponsive'));
  chrome.on('preload-error', exits.crash('chrome:preload-error'));
  chrome.on('did-fail-load', (_e, errorCode, _d, _url, isMainFrame) => {
    if (isMainFrame && errorCode !== -3) exits.exit(ExitCode.InternalError, `chrome:did-fail-load:${errorCode}`);
  });
  if (release) chrome.on('devtools-opened', () => chrome.closeDevTools());
  window.on('unresponsive', exits.crash('window:unresponsive'));
  window.on('closed', exits.crash('window:closed'));
  window.once('ready-to-show', () => {
    window.show();
    window.focus();
    // The shim's "UI ready" signal on our stdout/stderr pipe (docs/shim.md): from here on no crash or hang
    // counts toward turning the link off for the whole machine.
    log.info('ui.ready');
  });
  return { window, hardened };
};

/** The locked portal view: the portal engine's page, or the native engine's hosted web flow. */
const openPortalView = (p: {
  window: BrowserWindow;
  session: Session;
  config: Config;
  language: string;
  log: Logger;
  release: boolean;
  activity: Activity;
  exits: ExitControl;
}): PortalController => {
  const { exits } = p;
  const created = createPortalController({
    window: p.window,
    session: p.session,
    config: p.config,
    language: p.language,
    logger: p.log,
    devTools: !p.release,
    onActivity: p.activity.onActivity,
    idleRemainingSeconds: p.activity.idleRemaining,
    onCrash: (why) => exits.exit(ExitCode.InternalError, why),
    onPortalCancel: () => exits.exit(created.exitCode('cancelled') as ExitCode, 'portal:cancel-link'),
  });
  exits.cleanups.push(() => created.dispose());
  return created;
};

/**
 * app:// serves plain file names from dist/renderer only (appProtocol.ts; docs/security.md, Electronegativity),
 * index.html with this overlay's first screen already in it, and branding.css with its accent
 * (src/main/core/firstScreen.ts).
 */
const serveOurPage = (p: { session: Session; distDir: string; core: Core; config: Config; log: Logger }): void => {
  // Loaded here, after the window was created (its process starts meanwhile) and before it is asked to load
  // the page, rather than on the first request, which would then wait for it. The portal engine's window is
  // not prerendered and does without it.
  const { render, problem } = p.config.Engine === 'portal' ? { render: null } : loadFirstScreenRenderer(firstScreenBundle(p.distDir));
  if (problem) p.log.warn('renderer.first_screen_unavailable', { problem });
  const page = pageForRun(render, () => p.core.handlers['app:info']({}), (failure) => p.log.warn('renderer.first_screen_failed', { problem: failure }));
  p.session.protocol.registerBufferProtocol(APP_SCHEME_PRIVILEGES.scheme, appProtocolHandler(join(p.distDir, 'renderer'), page)); // eng-disable PROTOCOL_HANDLER_JS_CHECK
};

const loadOurPage = async (chrome: WebContents, log: Logger, exits: ExitControl): Promise<void> => {
  await chrome.loadURL(APP_ENTRY_URL).catch((err: unknown) => {
    log.error('chrome.load_failed', { error: err });
    exits.exit(ExitCode.InternalError, 'chrome:load');
  });
};

// ---------------------------------------------------------------- IPC

/**
 * One contract, one dispatcher for both engines. Once a portal view runs (portal engine, or the native
 * engine's web flow) it answers the portal channels and decides the exit code; the core does the rest.
 */
const wireIpc = (w: {
  window: BrowserWindow;
  core: Core;
  config: Config;
  portal: () => PortalController | null;
  openPortal: () => PortalController;
  log: Logger;
  exits: ExitControl;
}): void => {
  const { window, core, config, log } = w;
  // Native engine: after a `redirect` answer the user may continue in the tenant's hosted web flow, in the
  // same locked view, when policy allows it and its host is allow-listed.
  const webFlow = webFlowAvailable(config);
  const noView = (): Promise<never> => Promise.reject(new Error('no portal view'));
  const dispatch = createIpcDispatcher(
    {
      ...core.handlers,
      'app:info': async (request) => {
        const info = await core.handlers['app:info'](request);
        const portal = w.portal();
        return portal ? { ...info, portalUrl: portalUrl(config, portal.state().language) } : { ...info, webFlowOnRedirect: webFlow };
      },
      'app:openWebFlow': async (request) => {
        if (!webFlow) return core.handlers['app:openWebFlow'](request);
        log.info('portal.web_flow_opened', {});
        w.openPortal();
        return { ok: true };
      },
      'app:exit': async (request) => {
        const portal = w.portal();
        if (!portal) return core.handlers['app:exit'](request);
        w.exits.exit(portal.exitCode(request.reason) as ExitCode, `portal:${request.reason}`);
        return { ok: true as const };
      },
      'portal:state': (r) => w.portal()?.handlers['portal:state'](r) ?? noView(),
      'portal:setLanguage': (r) => w.portal()?.handlers['portal:setLanguage'](r) ?? noView(),
      'portal:retry': (r) => w.portal()?.handlers['portal:retry'](r) ?? noView(),
      'portal:layout': (r) => w.portal()?.handlers['portal:layout'](r) ?? noView(),
    },
    log,
  );
  registerIpc({
    ours: () => (window.isDestroyed() ? null : window.webContents),
    dispatch,
    logger: log,
  });
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

