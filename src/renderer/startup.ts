/**
 * The overlay's first question to the main process, app:info, and the api it was asked through. start.js
 * (startupCall.ts, an async script of index.html) asks it as soon as it arrives and leaves both here for
 * app.js, so the round trip travels while the overlay's code is fetched and compiled. That code takes the
 * prerendered first screen over only with the answer, which decides the engine, the language and the accent.
 */
import type { AppInfo } from '../shared/ipc';
import { createApi, type RendererApi } from './api';

export interface Startup {
  api: RendererApi;
  /** null when the main process could not answer: the overlay then shows "can't start". */
  appInfo: Promise<AppInfo | null>;
}

const STARTUP_GLOBAL = '__ssprStartup';
const scope = globalThis as unknown as Record<typeof STARTUP_GLOBAL, Startup | undefined>;

const beginStartup = (): Startup => {
  const api = createApi();
  return { api, appInfo: api['app:info']({}).catch(() => null) };
};

/**
 * The one startup of this page, begun by whichever script runs first: start.js normally, app.js itself if
 * start.js came late or not at all. Never twice: the first one took the token from the address bar.
 */
export const theStartup = (): Startup => (scope[STARTUP_GLOBAL] ??= beginStartup());
