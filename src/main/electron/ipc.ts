/**
 * One ipcMain.handle per channel of the shared contract, all through the one validating dispatcher (the
 * portal channels too; without a portal view the dispatcher refuses them). A request counts only from our own window's main frame showing our app:// origin; everything
 * else is refused before any handler sees it (security.md §3.1, Electron checklist item 17).
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channels } from '../../shared/ipc';
import { chromePolicy, isNavigationAllowed } from '../core/lockdown/policy';
import type { Logger } from '../core/logging';

export type Dispatch = (channel: unknown, payload: unknown) => Promise<unknown>;

export const isTrustedSender = (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, ours: WebContents): boolean => {
  const frame = event.senderFrame;
  return event.sender === ours && frame !== null && frame !== undefined && frame.parent === null && isNavigationAllowed(frame.url, chromePolicy);
};

export interface IpcWiring {
  ipcMain: Pick<IpcMain, 'handle'>;
  /** The chrome window's contents: the only trusted sender. */
  ours: () => WebContents | null;
  dispatch: Dispatch;
  logger: Logger;
}

export const registerIpc = (w: IpcWiring): string[] => {
  const registered: string[] = [];
  const guard =
    (run: (payload: unknown) => Promise<unknown>, channel: string) =>
    async (event: IpcMainInvokeEvent, payload: unknown): Promise<unknown> => {
      const ours = w.ours();
      if (!ours || !isTrustedSender(event, ours)) {
        w.logger.warn('ipc.foreign_sender', { channel });
        throw new Error('refused');
      }
      return run(payload);
    };
  for (const channel of channels) {
    w.ipcMain.handle(channel, guard((payload) => w.dispatch(channel, payload), channel));
    registered.push(channel);
  }
  return registered;
};
