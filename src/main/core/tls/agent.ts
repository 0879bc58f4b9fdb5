/**
 * The one HTTPS agent of the main process: TLS 1.2 minimum whatever Node's defaults or flags say,
 * certificates always verified against exactly the CA set given (Node's bundled roots when none is
 * given), and the configured proxy reached through `https-proxy-agent`'s CONNECT tunnel, so TLS still
 * runs end to end with the service. For `pac` and `system` it follows the proxy Electron resolves.
 *
 * It is an `agent-base` router: per request it picks a plain `https.Agent` (direct) or an
 * `HttpsProxyAgent` for the proxy the route names, both built from the same TLS options. Pass it to the
 * HTTP client as `httpsAgent` (and keep the client's own env-proxy logic off, e.g. axios `proxy: false`,
 * so HTTPS_PROXY from the environment cannot route around it).
 */
import type * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import { Agent, type AgentConnectOpts } from 'agent-base';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { CONNECT_TIMEOUT_CODE, classifyNetworkError, type FailureClass } from '../networkError';
import { routeFromPacResult, staticRoute, type ProxyRoute, type ProxySettings } from './proxy';

export const MIN_TLS_VERSION = 'TLSv1.2' as const;

/** Error code of a connection that did not finish its set-up (proxy, CONNECT, TCP, TLS) within the budget. */
export { CONNECT_TIMEOUT_CODE };

export interface TlsAgentOptions {
  /** Trusted roots, exactly. Omit to use Node's bundled roots; never mixed with "accept anything". */
  ca?: string | Buffer | Array<string | Buffer>;
  /** The effective proxy settings (`winhttp` already resolved to `fixed` or `direct`). */
  proxy?: ProxySettings;
  /**
   * Per-URL proxy answer for `pac` and `system` modes, e.g. Electron's `session.resolveProxy`. Without it
   * those modes go direct from the main process (the sessions still use the PAC/system proxy).
   */
  resolveProxy?: (url: string) => Promise<string>;
  /** Budget for the whole connection set-up (proxy, CONNECT, TCP, TLS), in ms (security.md §5: about 10 s). */
  connectTimeoutMs?: number;
  /**
   * Default false: a POST written onto an idle socket the server is closing fails after it may have been
   * sent, and the flow never retries a POST (see src/main/core/http.ts).
   */
  keepAlive?: boolean;
}

/** A proxy refused the tunnel or gave no usable answer; never retried with credentials and never prompts. */
export class ProxyTunnelError extends Error {
  constructor(
    message: string,
    readonly code: 'ERR_PROXY_TUNNEL' | 'ERR_PROXY_AUTH_REQUIRED' | 'ERR_PROXY_UNSUPPORTED',
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'ProxyTunnelError';
  }
}

const connectTarget = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

class SsprHttpsAgent extends Agent {
  private readonly direct: https.Agent;
  private readonly proxies = new Map<string, HttpsProxyAgent<string>>();

  constructor(
    private readonly tlsOptions: https.AgentOptions,
    private readonly route: (host: string, port: number) => Promise<ProxyRoute>,
    private readonly connectTimeoutMs: number,
  ) {
    super(tlsOptions);
    this.direct = new https.Agent(tlsOptions);
  }

  override async connect(req: http.ClientRequest, opts: AgentConnectOpts): Promise<http.Agent | Duplex> {
    const host = String(opts.host ?? 'localhost').replace(/^\[(.*)\]$/, '$1');
    const port = Number(opts.port ?? 443);
    const deadline = this.deadline(req);
    try {
      const route = await Promise.race([this.route(host, port), deadline.expired]);
      // Node's own TLS connect; the deadline still covers its handshake through req's socket.
      if (route.kind === 'direct') return this.direct;
      const tunnel = this.tunnel(req, opts, route, host, port);
      // A tunnel that completes after the deadline is closed at once.
      tunnel.then((socket) => deadline.passed() && socket.destroy(), () => undefined);
      return await Promise.race([tunnel, deadline.expired]);
    } catch (err) {
      deadline.clear();
      throw err;
    }
  }

  /** CONNECT through the proxy with https-proxy-agent; any answer but 200 is a ProxyTunnelError, never a response. */
  private async tunnel(req: http.ClientRequest, opts: AgentConnectOpts, route: { host: string; port: number }, host: string, port: number): Promise<Duplex> {
    const proxyUrl = `http://${connectTarget(route.host, route.port)}`;
    let agent = this.proxies.get(proxyUrl);
    if (!agent) {
      agent = new HttpsProxyAgent(proxyUrl, this.tlsOptions);
      this.proxies.set(proxyUrl, agent);
    }
    let status: number | undefined;
    req.once('proxyConnect', (answer: { statusCode?: number }) => {
      status = answer.statusCode;
    });
    const socket = await agent.connect(req, opts);
    if (status === 200) return socket;
    // https-proxy-agent would replay the proxy's refusal as if the service had answered: no 407 page may
    // ever be read as Entra's answer, and no credentials are offered.
    socket.destroy();
    const code = status === 407 ? 'ERR_PROXY_AUTH_REQUIRED' : 'ERR_PROXY_TUNNEL';
    throw new ProxyTunnelError(`proxy ${route.host}:${route.port} refused the tunnel to ${connectTarget(host, port)} (HTTP ${status ?? '?'})`, code, status);
  }

  /**
   * One budget for the whole set-up (proxy answer, CONNECT, TCP, TLS), as the core's own agent has: the
   * error code tells the engine the request never left the machine.
   */
  private deadline(req: http.ClientRequest): { expired: Promise<never>; passed(): boolean; clear(): void } {
    let passed = false;
    let fail: (err: Error) => void = () => undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      fail = reject;
    });
    expired.catch(() => undefined);
    const timer = setTimeout(() => {
      passed = true;
      const err = Object.assign(new Error(`TLS connection not established within ${this.connectTimeoutMs} ms`), { code: CONNECT_TIMEOUT_CODE });
      fail(err);
      // Already handed a socket (direct route, or a tunnel still in its TLS handshake): end it too.
      if (req.socket) req.destroy(err);
    }, this.connectTimeoutMs);
    timer.unref();
    const clear = (): void => clearTimeout(timer);
    req.once('socket', (socket: Duplex) => {
      socket.once('secureConnect', clear);
      socket.once('close', clear);
    });
    req.once('close', clear);
    return { expired, passed: () => passed, clear };
  }

  override destroy(): void {
    this.direct.destroy();
    for (const agent of this.proxies.values()) agent.destroy();
    super.destroy();
  }
}

/** The one HTTPS agent every main-process request uses. */
export const createTlsAgent = (opts: TlsAgentOptions = {}): https.Agent => {
  const tlsOptions: https.AgentOptions = {
    minVersion: MIN_TLS_VERSION,
    rejectUnauthorized: true,
    keepAlive: opts.keepAlive ?? false,
  };
  if (opts.ca !== undefined) tlsOptions.ca = opts.ca;
  const proxy = opts.proxy;
  const route = async (host: string, port: number): Promise<ProxyRoute> => {
    if (!proxy || proxy.ProxyMode === 'direct' || proxy.ProxyMode === 'winhttp') return { kind: 'direct' };
    if (proxy.ProxyMode === 'fixed') return staticRoute(proxy, host);
    if (!opts.resolveProxy) return { kind: 'direct' };
    const answer = await opts.resolveProxy(`https://${connectTarget(host, port)}/`);
    const resolved = routeFromPacResult(answer);
    if (!resolved) throw new ProxyTunnelError(`no usable proxy in "${answer}" (only DIRECT and PROXY are supported)`, 'ERR_PROXY_UNSUPPORTED');
    return resolved;
  };
  // agent-base's Agent is an http.Agent that speaks https for https: requests; axios and node:https
  // accept it wherever an https.Agent goes.
  return new SsprHttpsAgent(tlsOptions, route, opts.connectTimeoutMs ?? 10_000) as unknown as https.Agent;
};

export type TlsFailureClass = FailureClass;

/** A network error's class, for logs, `doctor` and the error screen: the one classifier's administrator view. */
export const classifyTlsError = (err: unknown): TlsFailureClass => classifyNetworkError(err).failureClass;
