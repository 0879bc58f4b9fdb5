/**
 * createCore: the one entry the Electron adapter and the browser host call. It builds the HTTP client,
 * the engine chosen by config (native here; the portal engine is plugged in by the Electron side) and
 * the IPC handlers, and wraps them in the validating dispatcher.
 */
import type https from 'node:https';
import { version as packageVersion } from '../../../package.json';
import type { Config } from '../../shared/config';
import type { ExitCode } from '../../shared/exitCodes';
import type { CoreHandlers, FlowResult } from '../../shared/ipc';
import { createNativeEngine, type NativeEngineOptions } from './engine/nativeEngine';
import type { NativeEngine } from './engine/types';
import { createExitTracker, type ExitTracker } from './exitTracker';
import { createFlowHandlers } from './flowService';
import { loadLogo } from './logo';
import { createHttpClient } from './http';
import { createIpcDispatcher, type IpcDispatcher } from './ipcBoundary';
import type { LaunchArgs } from './launchArgs';
import type { Logger } from './logging';

export const APP_VERSION: string = packageVersion;

type FlowChannel = 'flow:start' | 'flow:submitCode' | 'flow:resendCode' | 'flow:submitPassword' | 'flow:restart';
const FLOW_CHANNELS: readonly FlowChannel[] = ['flow:start', 'flow:submitCode', 'flow:resendCode', 'flow:submitPassword', 'flow:restart'];

export interface CoreOptions {
  config: Config;
  launch: LaunchArgs;
  /** Extra trust anchors for the service (the emulator's CA in demo and tests). */
  ca?: string | string[];
  logger: Logger;
  exit: (code: ExitCode) => void;
  /** Running against the embedded emulator: the UI says so. */
  demo?: boolean;
  /** Engine 'portal': the flow channels' handlers (the portal engine, src/main/core/portal). */
  portalHandlers?: Partial<Pick<CoreHandlers, FlowChannel>>;
  /** Replaces the native engine (e.g. one built on a proxy-aware client). */
  engineFactory?: (defaults: NativeEngineOptions) => NativeEngine;
  /** Seam for proxy support: an agent that keeps TLS ≥ 1.2 and certificate checks. */
  httpsAgent?: https.Agent;
  /** Tests: shorter waits. */
  pollTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  resendCooldownSeconds?: number;
}

export interface Core {
  handlers: CoreHandlers;
  dispatch: IpcDispatcher;
  tracker: ExitTracker;
}

const unavailable = async (): Promise<FlowResult> => ({ ok: false, error: { code: 'internal' } });

export const createCore = (opts: CoreOptions): Core => {
  const tracker = createExitTracker();
  const { config, logger } = opts;
  const http = createHttpClient({
    timeoutMs: config.RequestTimeoutSeconds * 1000,
    connectTimeoutMs: Math.min(10_000, config.RequestTimeoutSeconds * 1000),
    version: APP_VERSION,
    ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
    ...(opts.httpsAgent ? { httpsAgent: opts.httpsAgent } : {}),
  });
  const engineOptions: NativeEngineOptions = {
    authority: config.Authority,
    clientId: config.ClientId,
    http,
    clientVersion: APP_VERSION,
    ...(opts.pollTimeoutMs !== undefined ? { pollTimeoutMs: opts.pollTimeoutMs } : {}),
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    onExchange: (ctx, info) => logger.debug('http.exchange', { correlationId: ctx.correlationId, ...info }),
  };
  const engine = opts.engineFactory ? opts.engineFactory(engineOptions) : createNativeEngine(engineOptions);
  const logo = loadLogo(opts.launch.dataDir, config.LogoFile);
  if (logo && 'problem' in logo) logger.warn('branding.logo_refused', { file: config.LogoFile, problem: logo.problem });
  const native = createFlowHandlers({
    engine,
    config,
    launch: opts.launch,
    logger,
    exit: opts.exit,
    tracker,
    ...(logo && 'dataUrl' in logo ? { logoDataUrl: logo.dataUrl } : {}),
    ...(opts.demo !== undefined ? { demo: opts.demo } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.resendCooldownSeconds !== undefined ? { resendCooldownSeconds: opts.resendCooldownSeconds } : {}),
  });

  let handlers: CoreHandlers = native;
  if (config.Engine === 'portal') {
    handlers = { ...native };
    for (const channel of FLOW_CHANNELS) {
      const portal = opts.portalHandlers?.[channel] as ((req: never) => Promise<FlowResult>) | undefined;
      // The portal's answers count for the exit code just like the native ones.
      handlers[channel] = (portal
        ? async (req: never) => {
            const result = await portal(req);
            tracker.note(result);
            return result;
          }
        : unavailable) as never;
    }
  }
  logger.info('core.ready', { engine: config.Engine, scenario: opts.launch.scenario, demo: opts.demo ?? opts.launch.demo, version: APP_VERSION });
  return { handlers, dispatch: createIpcDispatcher(handlers, logger), tracker };
};

export { createFlowHandlers, errorCodeFor } from './flowService';
export { createIpcDispatcher, IpcRejection } from './ipcBoundary';
export { createLogger, nullLogger, type Logger } from './logging';
export { loadConfig } from './config';
export { parseLaunchArgs, type LaunchArgs } from './launchArgs';
export { createWindowsRegistrySource, type RegistrySource } from './registry';
export { createHttpClient, createHttpsAgent } from './http';
export { createNativeEngine, newCorrelationId } from './engine/nativeEngine';
