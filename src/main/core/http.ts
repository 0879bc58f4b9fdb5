/**
 * The one HTTP client of the main process: axios over a TLS 1.2+ agent that trusts only the given CAs
 * (or Node's bundled roots), never reads proxies from the environment, never follows redirects and
 * never throws on an HTTP status (the engine classifies every status itself).
 */
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';

export interface HttpClientOptions {
  /** Extra trust anchors (PEM). When set, they replace Node's bundled roots for this client. */
  ca?: string | string[];
  /** Per-request budget: a request that has not completed after this long is abandoned. */
  timeoutMs: number;
  /** Bound on the TCP+TLS set-up; defaults to the request budget. */
  connectTimeoutMs?: number;
  /**
   * Seam for the configured proxy (src/main/core/tls/agent.ts): a ready-made agent (e.g. one that tunnels through a configured
   * proxy). It must itself enforce minVersion TLSv1.2 and certificate verification.
   */
  httpsAgent?: https.Agent;
  /** Shown to the service as x-client-VER. */
  version?: string;
}

/** Error code of a socket that did not finish TCP+TLS set-up within connectTimeoutMs. */
export const CONNECT_TIMEOUT_CODE = 'ESSPR_CONNECT_TIMEOUT';

/** An agent whose sockets give up when TCP+TLS set-up takes longer than connectTimeoutMs. */
class BoundedConnectAgent extends https.Agent {
  constructor(options: https.AgentOptions, private readonly connectTimeoutMs: number) {
    super(options);
  }

  override createConnection(
    options: Parameters<https.Agent['createConnection']>[0],
    callback?: Parameters<https.Agent['createConnection']>[1],
  ): ReturnType<https.Agent['createConnection']> {
    const socket = super.createConnection(options, callback);
    if (!socket) return socket;
    const timer = setTimeout(() => {
      socket.destroy(Object.assign(new Error(`TLS connection not established within ${this.connectTimeoutMs} ms`), { code: CONNECT_TIMEOUT_CODE }));
    }, this.connectTimeoutMs);
    timer.unref();
    const clear = (): void => clearTimeout(timer);
    socket.once('secureConnect', clear);
    socket.once('close', clear);
    return socket;
  }
}

export const createHttpsAgent = (opts: Pick<HttpClientOptions, 'ca' | 'connectTimeoutMs'>): https.Agent => {
  const options: https.AgentOptions = {
    minVersion: 'TLSv1.2',
    // A fresh connection per request: a POST written onto an idle socket that the server is closing fails
    // with ECONNRESET after it may have been sent, and no POST of this flow may be retried. A reset makes a
    // handful of requests, so the extra handshakes cost nothing a user notices.
    keepAlive: false,
    ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
  };
  return opts.connectTimeoutMs !== undefined ? new BoundedConnectAgent(options, opts.connectTimeoutMs) : new https.Agent(options);
};

export const createHttpClient = (opts: HttpClientOptions): AxiosInstance =>
  axios.create({
    httpsAgent: opts.httpsAgent ?? createHttpsAgent(opts),
    // false: axios must not pick HTTP(S)_PROXY from the environment of a logon-screen process.
    proxy: false,
    validateStatus: () => true,
    timeout: opts.timeoutMs,
    maxRedirects: 0,
    // Reset responses are tiny; a huge body is an attack or a captive portal, not Entra.
    maxContentLength: 256 * 1024,
    maxBodyLength: 64 * 1024,
    responseType: 'text',
    // Parse JSON ourselves so a non-JSON body (captive portal, proxy error page) is classified, not thrown.
    transformResponse: [(data: unknown) => data],
    adapter: 'http',
  });
