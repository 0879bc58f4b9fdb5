/**
 * The one door into the handlers: both the Electron IPC wiring and the browser host call only the
 * dispatcher. It refuses unknown channels and malformed requests before any handler runs, checks the
 * handler's answer against the same contract, and never lets an exception escape.
 */
import * as v from 'valibot';
import { ipcContract, isChannel, type Channel, type IpcHandlers } from '../../shared/ipc';
import type { Logger } from './logging';

export type IpcRejectionReason = 'unknown_channel' | 'invalid_request' | 'invalid_response' | 'handler_failed';

/** Thrown (as a rejected promise) for non-flow channels; transports turn it into an error reply. */
export class IpcRejection extends Error {
  constructor(
    readonly reason: IpcRejectionReason,
    readonly channel: string,
  ) {
    super(`IPC ${reason} on ${channel}`);
    this.name = 'IpcRejection';
  }
}

export type IpcDispatcher = (channel: unknown, payload: unknown) => Promise<unknown>;

const isFlowChannel = (channel: Channel): boolean => channel.startsWith('flow:');

const INTERNAL = { ok: false, error: { code: 'internal' } } as const;

/**
 * A well-formed request whose one text field is over the contract's cap (a huge paste) gets the field's
 * own inline message rather than "internal": the user can fix it. The handler still never runs.
 */
const OVERSIZE_ANSWERS: Partial<Record<Channel, { field: string; code: 'invalid_username' | 'invalid_code' | 'password_too_long' }>> = {
  'flow:start': { field: 'username', code: 'invalid_username' },
  'flow:submitCode': { field: 'code', code: 'invalid_code' },
  'flow:submitPassword': { field: 'password', code: 'password_too_long' },
};

const oversizeAnswer = (channel: Channel, payload: unknown): { ok: false; error: { code: string } } | undefined => {
  const rule = OVERSIZE_ANSWERS[channel];
  if (!rule || payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const keys = Object.keys(payload);
  const value = (payload as Record<string, unknown>)[rule.field];
  if (keys.length !== 1 || keys[0] !== rule.field || typeof value !== 'string') return undefined;
  return { ok: false, error: { code: rule.code } };
};

/** A channel name fit for a log line: bounded, printable, never the raw value. */
const describeChannel = (channel: unknown): string =>
  typeof channel === 'string' ? channel.slice(0, 40).replace(/[^\x20-\x7e]/g, '?') : `<${typeof channel}>`;

/**
 * One dispatcher for every channel of the one contract. A channel without a handler here (the portal
 * channels when no portal view runs) is refused like an unknown one.
 */
export const createIpcDispatcher = (handlers: Partial<IpcHandlers>, logger: Logger): IpcDispatcher => {
  // Flow channels always get an answer the UI can show; the others reject.
  const refuse = (channel: Channel | undefined, reason: IpcRejectionReason, label: string): Promise<unknown> =>
    channel && isFlowChannel(channel) ? Promise.resolve(INTERNAL) : Promise.reject(new IpcRejection(reason, label));

  return async (channel, payload) => {
    if (!isChannel(channel) || handlers[channel] === undefined) {
      logger.warn('ipc.rejected', { channel: describeChannel(channel), reason: 'unknown_channel' });
      return refuse(undefined, 'unknown_channel', describeChannel(channel));
    }
    const contract = ipcContract[channel];
    // valibot takes an array for an object; every request of the contract is a plain object.
    const request = Array.isArray(payload) ? ({ success: false, issues: [] } as const) : v.safeParse(contract.request, payload);
    if (!request.success) {
      // Issue paths only: the payload may hold a password.
      const paths = request.issues.slice(0, 5).map((i) => (i.path ?? []).map((p) => String(p.key).slice(0, 40)).join('.') || '(root)');
      if (paths.length === 0) paths.push('(root)');
      logger.warn('ipc.rejected', { channel, reason: 'invalid_request', paths });
      return oversizeAnswer(channel, payload) ?? refuse(channel, 'invalid_request', channel);
    }
    let response: unknown;
    try {
      const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
      response = await handler(request.output);
    } catch (err) {
      logger.error('ipc.handler_failed', { channel, error: err });
      return refuse(channel, 'handler_failed', channel);
    }
    const checked = v.safeParse(contract.response, response);
    if (!checked.success) {
      logger.error('ipc.rejected', { channel, reason: 'invalid_response' });
      return refuse(channel, 'invalid_response', channel);
    }
    return checked.output;
  };
};
