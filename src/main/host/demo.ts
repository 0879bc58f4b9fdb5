/**
 * Wires the real parts together for the browser host: a running emulator (the embedded service), one core
 * per tab (real handlers, real TLS 1.2 client trusting exactly the emulator's CA) and the loopback host
 * serving the renderer. The command line, the end-to-end tests and the benchmarks all use this one wiring.
 */
import { dirname, resolve } from 'node:path';
import type { ExitCode } from '../../shared/exitCodes';
import type { ConfigProblem } from '../../shared/config';
import type { RunningEmulator } from '../../emulator';
import { createCore, createLogger, loadConfig, nullLogger, parseLaunchArgs, type CoreOptions, type Logger } from '../core';
import { resolveDataFolders } from '../core/config';
import type { LaunchProblem } from '../core/launchArgs';
import { firstScreenBundle, loadFirstScreenRenderer, pageForRun } from '../core/firstScreen';
import type { AppInfo } from '../../shared/ipc';
import { startBrowserHost, type BrowserHost } from './server';

export interface DemoOptions {
  /** The service to talk to; the caller starts it and closes it. */
  emulator: RunningEmulator;
  rendererDir: string;
  /** Overlay arguments as the shim would pass them (--scenario, --user, --lang, --set=Key=Value…). */
  argv?: string[];
  port?: number;
  /** Test seams of the core (shorter resend cooldown, poll timing). */
  core?: Pick<CoreOptions, 'resendCooldownSeconds' | 'pollTimeoutMs' | 'sleep' | 'now'>;
  /**
   * Default: with --data-dir, the log files in `<data-dir>/logs` (the same names and rules as the shim's on an
   * install, so `logs --data-dir` reads both alike); without it, no logging.
   */
  logger?: Logger;
  /** Accepted for callers that want no console output; this function prints nothing either way. */
  quiet?: boolean;
  /** Called with the overlay's exit code when the renderer leaves (app:exit). */
  onExit?: (code: ExitCode) => void;
}

export interface Demo {
  /** http://127.0.0.1:<port>/#token=… */
  url: string;
  host: BrowserHost;
  /** A session of its own (made on first use), for a page bridged like the Electron preload. */
  dispatch: (channel: unknown, payload: unknown) => Promise<unknown>;
  /** Every exit code any tab's core reported, in order. */
  exits: ExitCode[];
  problems: { launch: LaunchProblem[]; config: ConfigProblem[] };
  /** Where the log files go (with --data-dir). */
  logDir?: string;
  /** Stops the host (not the emulator, which belongs to the caller). */
  close(): Promise<void>;
}

export const startDemo = async (opts: DemoOptions): Promise<Demo> => {
  const { emulator } = opts;
  const { launch, problems: launchProblems } = parseLaunchArgs(['--demo', ...(opts.argv ?? [])]);
  // The demo never reads the machine's %ProgramData%: only the folder it is given.
  const folders = resolveDataFolders({ launch, release: false, env: {} });
  const { config, problems: configProblems } = await loadConfig({
    ...(folders.dataDir !== undefined ? { dataDir: folders.dataDir } : {}),
    // The emulator decides where the service is; --set flags may still change everything else.
    flags: { Engine: 'native', ...launch.configFlags, Authority: emulator.authority, ClientId: emulator.clientId },
  });
  const ownLogger =
    opts.logger === undefined && folders.logDir !== undefined
      ? createLogger({ dir: folders.logDir, verbose: config.EnableLogging, maxSizeMB: config.LogMaxSizeMB, retentionDays: config.LogRetentionDays })
      : undefined;
  const exits: ExitCode[] = [];
  // Each tab gets its own core: its own flow state, correlation id, submission and exit tracking.
  const newSession = () =>
    createCore({
      config,
      launch,
      ca: emulator.caPem,
      logger: opts.logger ?? ownLogger ?? nullLogger(),
      demo: true,
      exit: (code) => {
        exits.push(code);
        opts.onExit?.(code);
      },
      ...(opts.core ?? {}),
    }).dispatch;
  // The first screen comes inside index.html and the accent in branding.css, as the overlay's app:// serves
  // them; their app:info is every tab's.
  const { render } = loadFirstScreenRenderer(firstScreenBundle(dirname(resolve(opts.rendererDir))));
  // The bridged session (below) answers app:info for the page too: app:info changes nothing in a flow.
  let bridged: ReturnType<typeof newSession> | undefined;
  const bridge = () => (bridged ??= newSession());
  const page = pageForRun(render, async () => (await bridge()('app:info', {})) as AppInfo);
  const host = await startBrowserHost({ newSession, rendererDir: opts.rendererDir, page, ...(opts.port !== undefined ? { port: opts.port } : {}) });
  return {
    url: host.url,
    host,
    dispatch: (channel, payload) => bridge()(channel, payload),
    exits,
    problems: { launch: launchProblems, config: configProblems },
    ...(ownLogger && folders.logDir !== undefined ? { logDir: folders.logDir } : {}),
    close: async () => {
      await host.close();
      await ownLogger?.close();
    },
  };
};
