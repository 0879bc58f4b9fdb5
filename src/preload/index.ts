/**
 * The preload of the chrome window: exactly one async function per IPC channel, nothing else. Each
 * returns plain data (a structured clone from ipcRenderer.invoke), never an Electron object
 * (security.md §3.1; context-isolation bypasses such as CVE-2023-29198 came through bridged values).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { channels, portalChannels } from '../shared/ipc';

export const buildApi = (invoke: (channel: string, payload: unknown) => Promise<unknown>): Record<string, (payload?: unknown) => Promise<unknown>> => {
  const api: Record<string, (payload?: unknown) => Promise<unknown>> = {};
  for (const channel of [...channels, ...portalChannels]) {
    // The payload defaults to {} so the channels without a request body can be called with no argument.
    api[channel] = (payload: unknown = {}) => invoke(channel, payload);
  }
  return Object.freeze(api);
};

contextBridge.exposeInMainWorld('sspr', buildApi((channel, payload) => ipcRenderer.invoke(channel, payload)));
