/**
 * The renderer's only door to the main process. In Electron the preload exposes `window.sspr`; in the
 * browser host the same channels travel as `POST /api/<channel>` with a per-run token that arrives in the
 * URL fragment (never in a request line, so it does not end up in any log), and with this tab's own session,
 * asked for once when the page makes its first call: each tab is its own flow. The session's answer carries
 * the app:info answer as well, which the first app:info call takes instead of a second round trip.
 */
import type { AppInfo, CoreChannel, CoreHandlers, PortalHandlers, RequestOf, ResponseOf } from '../shared/ipc';
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

interface SessionAnswer {
  id: string;
  /** app:info as the host answered it with the session; null when the core could not answer. */
  info: AppInfo | null;
}

export const createHttpApi = (token: string): CoreHandlers => {
  let session: Promise<SessionAnswer> | undefined;
  let infoTaken = false;
  const openSession = (): Promise<SessionAnswer> => {
    session ??= post('/session', { 'x-sspr-token': token }, {})
      .then((r) => r.json() as Promise<{ session?: unknown; info?: unknown }>)
      .then((answer) => {
        if (typeof answer.session !== 'string') throw new TransportError('host gave no session');
        return { id: answer.session, info: typeof answer.info === 'object' && answer.info !== null ? (answer.info as AppInfo) : null };
      })
      .catch((err: unknown) => {
        session = undefined; // a later call may try again
        throw err instanceof TransportError ? err : new TransportError('host gave no session');
      });
    return session;
  };
  const call = async <C extends CoreChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> => {
    const response = await post(`/api/${channel}`, { 'x-sspr-token': token, 'x-sspr-session': (await openSession()).id }, request);
    return (await response.json()) as ResponseOf<C>;
  };
  /** The first app:info is the one the session brought; later ones (there are none today) ask again. */
  const appInfo = async (request: RequestOf<'app:info'>): Promise<AppInfo> => {
    const opened = await openSession();
    if (infoTaken) return call('app:info', request);
    infoTaken = true;
    if (opened.info === null) throw new TransportError('host could not answer app:info');
    return opened.info;
  };
  // Written out per channel so the compiler proves the object matches the contract.
  return {
    'app:info': appInfo,
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
