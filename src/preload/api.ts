/**
 * The preload's API, apart from Electron: exactly one async function per channel of the IPC contract.
 * Its type is derived from the contract (`satisfies SsprApi`: a channel added to the contract and missing
 * here does not compile), and `window.sspr`'s type is derived from this object. Kept free of Electron's
 * types so the renderer's type-check can see window.sspr without Node's globals coming along.
 */
import type { Channel, RequestOf, ResponseOf, SsprApi } from '../shared/ipc';

export type Invoke = <C extends Channel>(channel: C, request: RequestOf<C>) => Promise<ResponseOf<C>>;

export const buildApi = (invoke: Invoke) => {
  const call =
    <C extends Channel>(channel: C) =>
    (request: RequestOf<C>): Promise<ResponseOf<C>> =>
      invoke(channel, request);
  return Object.freeze({
    'app:info': call('app:info'),
    'flow:start': call('flow:start'),
    'flow:submitCode': call('flow:submitCode'),
    'flow:resendCode': call('flow:resendCode'),
    'flow:submitPassword': call('flow:submitPassword'),
    'flow:restart': call('flow:restart'),
    'app:openWebFlow': call('app:openWebFlow'),
    'app:resetAddress': call('app:resetAddress'),
    'app:exit': call('app:exit'),
    'portal:state': call('portal:state'),
    'portal:setLanguage': call('portal:setLanguage'),
    'portal:retry': call('portal:retry'),
    'portal:layout': call('portal:layout'),
  } satisfies SsprApi);
};

/** What the renderer finds as window.sspr under Electron. */
export type PreloadApi = ReturnType<typeof buildApi>;

declare global {
  interface Window {
    /** Set by this preload in Electron; absent in the browser host. */
    sspr?: PreloadApi;
  }
}
