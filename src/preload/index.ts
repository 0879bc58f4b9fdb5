/**
 * The preload of the chrome window: exactly one async function per channel of the IPC contract, nothing
 * else. Each returns plain data (a structured clone from ipcRenderer.invoke), never an Electron object
 * (security.md §3.1; context-isolation bypasses such as CVE-2023-29198 came through bridged values).
 *
 * The API and window.sspr's type live in ./api.ts.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildApi } from './api';

contextBridge.exposeInMainWorld('sspr', buildApi((channel, request) => ipcRenderer.invoke(channel, request)));
