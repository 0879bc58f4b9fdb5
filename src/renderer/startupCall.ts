/**
 * The overlay's first question to the main process, asked the moment the bundle starts running. main.tsx
 * imports this module first, and it imports nothing that runs code (api.ts only defines functions), so the
 * round trips for app:info travel while React, i18next and the screens are still being set up instead of
 * after them. Nothing renders before the answer: it decides the engine, the language and the accent.
 */
import type { AppInfo } from '../shared/ipc';
import { createApi } from './api';

export const api = createApi();

/** null when the main process could not answer: the overlay then shows "can't start". */
export const appInfo: Promise<AppInfo | null> = api['app:info']({}).catch(() => null);
