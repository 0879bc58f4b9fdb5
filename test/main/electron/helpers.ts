/** Shared set-up of the adapter tests: a started overlay on the Electron mock, with a manual clock. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type Config } from '../../../src/shared/config';
import type { Logger } from '../../../src/main/core/logging';
import type { NativeEngine } from '../../../src/main/core/engine/types';
import type { Clock, Overlay, OverlayDeps } from '../../../src/main/electron/overlay';
import { app, resetElectronMock, type MockControl } from '../../mocks/electron';

export interface LogRecord {
  level: string;
  event: string;
  fields: Record<string, unknown>;
}

export const collectingLogger = (records: LogRecord[] = []): Logger & { records: LogRecord[] } => {
  const make = (bound: Record<string, unknown>): Logger & { records: LogRecord[] } => {
    const at = (level: string) => (event: string, fields: Record<string, unknown> = {}) => {
      records.push({ level, event, fields: { ...bound, ...fields } });
    };
    return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), child: (f) => make({ ...bound, ...f }), verbose: false, close: async () => undefined, records };
  };
  return make({});
};

export const manualClock = (): Clock & { advance(ms: number): void; ticks: (() => void)[] } => {
  let now = 1_700_000_000_000;
  const ticks: (() => void)[] = [];
  return {
    now: () => now,
    setInterval: (fn) => {
      ticks.push(fn);
      return ticks.length;
    },
    clearInterval: (h) => {
      ticks[(h as number) - 1] = () => undefined;
    },
    advance(ms: number) {
      for (let t = 0; t < ms; t += 1000) {
        now += 1000;
        for (const tick of ticks) tick();
      }
    },
    ticks,
  };
};

let distDir: string | null = null;
/** A dist/ with a renderer the app:// protocol can serve. */
export const fakeDist = (): string => {
  if (distDir) return distDir;
  distDir = mkdtempSync(join(tmpdir(), 'sspr-dist-'));
  mkdirSync(join(distDir, 'renderer'));
  mkdirSync(join(distDir, 'preload'));
  writeFileSync(join(distDir, 'renderer', 'index.html'), '<!doctype html><title>SSPR Logon</title><script src="app.js"></script>');
  writeFileSync(join(distDir, 'renderer', 'app.js'), 'console.log("app")');
  writeFileSync(join(distDir, 'secret.txt'), 'outside the renderer folder');
  return distDir;
};

/** An engine whose every step answers as told: for exit codes that need a particular service answer. */
export const scriptedEngine = (startFailure?: 'not_enabled' | 'blocked' | 'user_not_found'): NativeEngine => {
  const info = { endpoint: 'start' as const };
  return {
    start: async () => (startFailure ? { ok: false, kind: startFailure, info } : { ok: true, continuationToken: 't1', info }),
    challenge: async () => ({ ok: true, continuationToken: 't2', channel: 'email', targetLabel: 'a***@c***.com', codeLength: 6, bindingMethod: 'prompt', info: { endpoint: 'challenge' } }),
    submitCode: async () => ({ ok: true, continuationToken: 't3', info: { endpoint: 'continue' } }),
    resetPassword: async () => ({ ok: true, continuationToken: 't4', polls: 1, info: { endpoint: 'poll_completion' } }),
  };
};

let profiles: string | null = null;
/** One parent for the per-run profile folders of all adapter tests, so none lands loose in /tmp. */
const profileParent = (): string => (profiles ??= mkdtempSync(join(tmpdir(), 'sspr-test-profiles-')));

export interface Started {
  overlay: Overlay;
  clock: ReturnType<typeof manualClock>;
  logger: ReturnType<typeof collectingLogger>;
}

export const startOverlay = async (
  runOverlay: (deps: OverlayDeps) => Promise<Overlay | null>,
  opts: { config?: Partial<Config>; argv?: string[]; mock?: MockControl; deps?: Partial<OverlayDeps> } = {},
): Promise<Started> => {
  resetElectronMock(opts.mock);
  const clock = manualClock();
  const logger = collectingLogger();
  const pending = runOverlay({
    argv: opts.argv ?? ['SsprLogon.exe', '--scenario=logon'],
    env: {},
    distDir: fakeDist(),
    release: true,
    logger,
    clock,
    processHandlers: false,
    profileParent: profileParent(),
    loadConfig: async () => ({ config: { ...defaultConfig, ...opts.config }, problems: [] }),
    ...opts.deps,
  });
  app.fireReady();
  const overlay = await pending;
  if (!overlay) throw new Error('overlay refused to start');
  return { overlay, clock, logger };
};
