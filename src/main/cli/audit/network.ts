/**
 * One HTTPS client for everything `audit` talks to (the authority through msal-node, and Graph): axios over a
 * TLS 1.2+ agent that trusts Node's roots plus the `--ca` certificate. Verification is never turned off; no
 * proxy is read from the environment; redirects are not followed (a bearer token must not wander).
 */
import { rootCertificates } from 'node:tls';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { createHttpsAgent } from '../../core/http';

export const createAuditHttp = (ca: string | undefined): AxiosInstance =>
  axios.create({
    httpsAgent: createHttpsAgent({ ...(ca !== undefined ? { ca: [...rootCertificates, ca] } : {}), connectTimeoutMs: 15_000 }),
    proxy: false,
    validateStatus: () => true,
    timeout: 60_000,
    maxRedirects: 0,
    // A Graph page of 999 records is a few MB.
    maxContentLength: 32 * 1024 * 1024,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    adapter: 'http',
  });

const flatHeaders = (res: AxiosResponse): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(res.headers)) if (value !== undefined && value !== null) out[key] = String(value);
  return out;
};

/** An authority answer that is not JSON: a proxy or captive portal, not Entra. */
export class NotJsonError extends Error {}

/**
 * msal-node's network seam. msal turns a thrown error into a generic "network_error", so the last cause is
 * kept for the message the technician sees.
 */
export class MsalNetworkClient implements INetworkModule {
  lastError: unknown;

  constructor(private readonly http: AxiosInstance) {}

  private async send<T>(method: 'get' | 'post', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    try {
      const res = await this.http.request<string>({
        method,
        url,
        headers: options?.headers ?? {},
        ...(options?.body !== undefined ? { data: options.body } : {}),
        ...(timeout ? { timeout } : {}),
      });
      let body: T;
      try {
        body = JSON.parse(res.data) as T;
      } catch {
        throw new NotJsonError(`${new URL(url).host} answered HTTP ${res.status} with something other than JSON (a proxy or captive portal?)`);
      }
      return { headers: flatHeaders(res), body, status: res.status };
    } catch (err) {
      this.lastError = err;
      throw err;
    }
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('get', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('post', url, options);
  }
}
