/**
 * The main-process HTTPS agent: TLS 1.2 minimum whatever Node's defaults or flags say, certificates
 * always verified against exactly the CA set given (Node's bundled roots when none is given), and the
 * configured proxy reached with an HTTP CONNECT tunnel so TLS still runs end to end with the service.
 *
 * Written with node:http/tls only so it runs on Electron 22's Node 16.17 with nothing extra bundled.
 * Pass it to the HTTP client as `httpsAgent` (and keep the client's own env-proxy logic off, e.g. axios
 * `proxy: false`, so HTTPS_PROXY from the environment cannot route around it).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { CONNECT_TIMEOUT_CODE } from '../http';
import { classifyNetworkError, type FailureClass } from '../networkError';
import { routeFromPacResult, staticRoute, type ProxyRoute, type ProxySettings } from './proxy';

export const MIN_TLS_VERSION = 'TLSv1.2' as const;

export interface TlsAgentOptions {
  /** Trusted roots, exactly. Omit to use Node's bundled roots; never mixed with "accept anything". */
  ca?: string | Buffer | Array<string | Buffer>;
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

/** A proxy refused or broke the tunnel; never retried with credentials and never prompts. */
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

type ConnectCallback = (err: Error | null, stream: Duplex) => void;

const connectTarget = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

class SsprHttpsAgent extends https.Agent {
  constructor(
    agentOptions: https.AgentOptions,
    private readonly route: (host: string, port: number) => Promise<ProxyRoute>,
    private readonly connectTimeoutMs: number,
  ) {
    super(agentOptions);
  }

  override createConnection(options: https.RequestOptions, callback?: ConnectCallback): Duplex | null | undefined {
    const host = String(options.host ?? options.hostname ?? 'localhost').replace(/^\[(.*)\]$/, '$1');
    const port = Number(options.port ?? 443);
    // One budget for the whole set-up (proxy answer, CONNECT, TCP, TLS), as the core's own agent has:
    // the error code tells the engine the request never left the machine.
    let settled = false;
    let pending: { destroy(err?: Error): unknown } | null = null;
    const settle = (err: Error | null, socket?: Duplex): void => {
      if (settled) return;
      settled = true;
      (callback ?? (() => undefined))(err, socket as Duplex);
    };
    const timer = setTimeout(() => {
      const err = Object.assign(new Error(`TLS connection not established within ${this.connectTimeoutMs} ms`), { code: CONNECT_TIMEOUT_CODE });
      if (pending) pending.destroy(err);
      settle(err);
    }, this.connectTimeoutMs);
    timer.unref();
    const track = (socket: Duplex): Duplex => {
      pending = socket;
      socket.once('secureConnect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
      return socket;
    };
    this.route(host, port).then(
      (route) => {
        if (settled) return;
        if (route.kind === 'direct') {
          // Node's own TLS connect (keeps its session cache); our agent options carry minVersion and ca.
          settle(null, track((https.Agent.prototype.createConnection as (o: https.RequestOptions) => Duplex).call(this, options)));
          return;
        }
        const tunnelled = (err: Error | null, socket: Duplex): void => {
          if (err) {
            clearTimeout(timer);
            settle(err);
          } else settle(null, track(socket));
        };
        this.tunnel(route, host, port, options, tunnelled, (req) => {
          pending = req;
        });
      },
      (err: unknown) => {
        clearTimeout(timer);
        settle(err instanceof Error ? err : new Error(String(err)));
      },
    );
    return undefined;
  }

  private tunnel(
    route: { host: string; port: number },
    host: string,
    port: number,
    options: https.RequestOptions,
    done: (err: Error | null, socket: Duplex) => void,
    onRequest: (req: http.ClientRequest) => void,
  ): void {
    const target = connectTarget(host, port);
    const req = http.request({ host: route.host, port: route.port, method: 'CONNECT', path: target, headers: { host: target }, agent: false });
    onRequest(req);
    req.once('error', (err) => done(err, undefined as unknown as Duplex));
    req.once('connect', (res, socket, head) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        const code = res.statusCode === 407 ? 'ERR_PROXY_AUTH_REQUIRED' : 'ERR_PROXY_TUNNEL';
        done(new ProxyTunnelError(`proxy ${route.host}:${route.port} refused the tunnel to ${target} (HTTP ${res.statusCode ?? '?'})`, code, res.statusCode), undefined as unknown as Duplex);
        return;
      }
      if (head.length > 0) socket.unshift(head);
      const servername = (options as tls.ConnectionOptions).servername ?? (net.isIP(host) ? undefined : host);
      done(null, tls.connect({ ...(options as tls.ConnectionOptions), socket, servername }));
    });
    req.end();
  }
}

/** The one HTTPS agent every main-process request uses. */
export const createTlsAgent = (opts: TlsAgentOptions = {}): https.Agent => {
  const agentOptions: https.AgentOptions = {
    minVersion: MIN_TLS_VERSION,
    rejectUnauthorized: true,
    keepAlive: opts.keepAlive ?? false,
  };
  if (opts.ca !== undefined) agentOptions.ca = opts.ca;
  const proxy = opts.proxy;
  const route = async (host: string, port: number): Promise<ProxyRoute> => {
    if (!proxy || proxy.ProxyMode === 'direct') return { kind: 'direct' };
    if (proxy.ProxyMode === 'fixed') return staticRoute(proxy, host);
    if (!opts.resolveProxy) return { kind: 'direct' };
    const answer = await opts.resolveProxy(`https://${connectTarget(host, port)}/`);
    const resolved = routeFromPacResult(answer);
    if (!resolved) throw new ProxyTunnelError(`no usable proxy in "${answer}" (only DIRECT and PROXY are supported)`, 'ERR_PROXY_UNSUPPORTED');
    return resolved;
  };
  return new SsprHttpsAgent(agentOptions, route, opts.connectTimeoutMs ?? 10_000);
};

export type TlsFailureClass = FailureClass;

/** A network error's class, for logs, `doctor` and the error screen: the one classifier's administrator view. */
export const classifyTlsError = (err: unknown): TlsFailureClass => classifyNetworkError(err).failureClass;
