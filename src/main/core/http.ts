/**
 * The one HTTP client of the main process: axios over a TLS 1.2+ agent that trusts only the given CAs
 * (or Node's bundled roots), never reads proxies from the environment, never follows redirects and
 * never throws on an HTTP status (the engine classifies every status itself).
 */
import type https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { createTlsAgent } from './tls/agent';

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

export { CONNECT_TIMEOUT_CODE } from './networkError';

/** The main process's one HTTPS agent (src/main/core/tls/agent.ts), direct: for callers with no proxy of their own. */
export const createHttpsAgent = (opts: Pick<HttpClientOptions, 'ca' | 'connectTimeoutMs'> & { timeoutMs?: number }): https.Agent => {
  const connectTimeoutMs = opts.connectTimeoutMs ?? opts.timeoutMs;
  // A fresh connection per request (keepAlive false there): a POST written onto an idle socket that the
  // server is closing fails after it may have been sent, and no POST of this flow may be retried.
  return createTlsAgent({ ...(opts.ca !== undefined ? { ca: opts.ca } : {}), ...(connectTimeoutMs !== undefined ? { connectTimeoutMs } : {}) });
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
