/**
 * The renderer's only door to the main process. In Electron the preload exposes `window.sspr`; in the
 * browser host the same channels travel as `POST /api/<channel>` with a per-run token that arrives in the
 * URL fragment (never in a request line, so it does not end up in any log), and with this tab's own session,
 * asked for once when the page makes its first call: each tab is its own flow.
 */
import type { CoreChannel, CoreHandlers, PortalHandlers, RequestOf, ResponseOf } from '../shared/ipc';
// window.sspr's type comes from the preload itself.
import type {} from '../preload/api';

/** What the renderer talks to: the core's channels everywhere, the portal's only under Electron. */
export type RendererApi = CoreHandlers & Partial<PortalHandlers>;

/** Thrown when the transport itself fails (host gone, bad status): the answer of the call is unknown. */
export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Reads `#token=…` once and removes it from the address bar and the history entry. */
export const takeTokenFromLocation = (): string => {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const token = params.get('token') ?? '';
  if (window.location.hash) {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return token;
};

const post = async (path: string, headers: Record<string, string>, body: unknown): Promise<Response> => {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new TransportError('host unreachable');
  }
  if (!response.ok) throw new TransportError(`host answered ${response.status}`);
  return response;
};

export const createHttpApi = (token: string): CoreHandlers => {
  let session: Promise<string> | undefined;
  const sessionId = (): Promise<string> => {
    session ??= post('/session', { 'x-sspr-token': token }, {})
      .then((r) => r.json() as Promise<{ session?: unknown }>)
      .then((answer) => {
        if (typeof answer.session !== 'string') throw new TransportError('host gave no session');
        return answer.session;
      })
      .catch((err: unknown) => {
        session = undefined; // a later call may try again
        throw err instanceof TransportError ? err : new TransportError('host gave no session');
      });
    return session;
  };
  const call = async <C extends CoreChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> => {
    const response = await post(`/api/${channel}`, { 'x-sspr-token': token, 'x-sspr-session': await sessionId() }, request);
    return (await response.json()) as ResponseOf<C>;
  };
  // Written out per channel so the compiler proves the object matches the contract.
  return {
    'app:info': (r) => call('app:info', r),
    'flow:start': (r) => call('flow:start', r),
    'flow:submitCode': (r) => call('flow:submitCode', r),
    'flow:resendCode': (r) => call('flow:resendCode', r),
    'flow:submitPassword': (r) => call('flow:submitPassword', r),
    'flow:restart': (r) => call('flow:restart', r),
    'app:exit': (r) => call('app:exit', r),
    'app:openWebFlow': (r) => call('app:openWebFlow', r),
    'app:resetAddress': (r) => call('app:resetAddress', r),
  };
};

/** Electron's preload wins; otherwise this page was served by the browser host. */
export const createApi = (): RendererApi => window.sspr ?? createHttpApi(takeTokenFromLocation());
