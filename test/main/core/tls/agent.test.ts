import * as https from 'node:https';
import { createServer as createNetServer } from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONNECT_TIMEOUT_CODE } from '../../../../src/main/core/http';
import { classifyTlsError, createTlsAgent, ProxyTunnelError } from '../../../../src/main/core/tls/agent';
import type { ProxySettings } from '../../../../src/main/core/tls/proxy';
import { BODY_MARKER, get, getError, startConnectProxy, startTlsServer, type TestProxy, type TestServer } from './helpers';
import { createTestPki, type TestPki } from './pki';

let pki: TestPki;
const servers: TestServer[] = [];
const proxies: TestProxy[] = [];
const agents: https.Agent[] = [];

const agent = (opts: Parameters<typeof createTlsAgent>[0] = {}): https.Agent => {
  const a = createTlsAgent({ ca: pki.caCert, keepAlive: false, ...opts });
  agents.push(a);
  return a;
};
const server = async (...args: Parameters<typeof startTlsServer>): Promise<TestServer> => {
  const s = await startTlsServer(...args);
  servers.push(s);
  return s;
};
const proxy = async (answer?: number): Promise<TestProxy> => {
  const p = await startConnectProxy(answer);
  proxies.push(p);
  return p;
};
const fixed = (port: number, bypass = ''): ProxySettings => ({ ProxyMode: 'fixed', ProxyServer: `127.0.0.1:${port}`, ProxyBypass: bypass, PacUrl: '' });

beforeAll(async () => {
  pki = await createTestPki();
});
afterEach(async () => {
  for (const a of agents.splice(0)) a.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});
afterAll(() => {
  tls.DEFAULT_MIN_VERSION = 'TLSv1.2';
});

describe('main-process HTTPS agent: protocol versions', () => {
  it('connects to a TLS 1.2 server', async () => {
    const s = await server(pki.valid, { min: 'TLSv1.2', max: 'TLSv1.2' });
    const r = await get(s.url, agent());
    expect(r.status).toBe(200);
    expect(r.body).toBe(`TLSv1.2 ${BODY_MARKER}`);
  });

  it('opens a fresh connection per request by default (no POST may ride a closing idle socket)', async () => {
    const s = await server(pki.valid, { min: 'TLSv1.2', max: 'TLSv1.3' });
    const a = createTlsAgent({ ca: pki.caCert });
    agents.push(a);
    for (let i = 0; i < 3; i++) expect((await get(s.url, a)).status).toBe(200);
    expect(s.protocols).toHaveLength(3);
  });

  it('connects to a TLS 1.3 server', async () => {
    const s = await server(pki.valid, { min: 'TLSv1.3', max: 'TLSv1.3' });
    expect((await get(s.url, agent())).body).toBe(`TLSv1.3 ${BODY_MARKER}`);
  });

  it.each([['TLSv1' as const], ['TLSv1.1' as const]])('refuses a %s-only server with a protocol-version failure', async (version) => {
    const s = await server(pki.valid, { min: version, max: version });
    // Control: a deliberately weak client does get through, so the server really speaks this version.
    const weak = new https.Agent({ ca: pki.caCert, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0', keepAlive: false });
    agents.push(weak);
    expect((await get(s.url, weak)).body).toBe(`${version} ${BODY_MARKER}`);

    const err = await getError(s.url, agent());
    expect(classifyTlsError(err)).toBe('tls-version');
    expect(`${err.code} ${err.message}`).toMatch(/unsupported protocol|protocol version|ERR_SSL_UNSUPPORTED_PROTOCOL|TLSV1_ALERT_PROTOCOL_VERSION/i);
  });

  it('keeps the TLS 1.2 floor even when the process default was lowered (--tls-min-v1.0, NODE_OPTIONS)', async () => {
    const s = await server(pki.valid, { min: 'TLSv1', max: 'TLSv1' });
    tls.DEFAULT_MIN_VERSION = 'TLSv1';
    try {
      const err = await getError(s.url, agent());
      expect(classifyTlsError(err)).toBe('tls-version');
    } finally {
      tls.DEFAULT_MIN_VERSION = 'TLSv1.2';
    }
  });
});

describe('main-process HTTPS agent: certificates', () => {
  it('refuses an expired certificate', async () => {
    const s = await server(pki.expired, { min: 'TLSv1.2', max: 'TLSv1.3' });
    const err = await getError(s.url, agent());
    expect(err.code).toBe('CERT_HAS_EXPIRED');
    expect(classifyTlsError(err)).toBe('certificate');
  });

  it('refuses a self-signed certificate nobody vouches for', async () => {
    const s = await server(pki.selfSigned, { min: 'TLSv1.2', max: 'TLSv1.3' });
    const err = await getError(s.url, agent());
    expect(err.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(classifyTlsError(err)).toBe('certificate');
  });

  it('refuses a certificate for another host', async () => {
    const s = await server(pki.wrongHost, { min: 'TLSv1.2', max: 'TLSv1.3' });
    const err = await getError(s.url, agent());
    expect(err.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(classifyTlsError(err)).toBe('certificate');
  });

  it('trusts exactly the CA set given: without our test root the same server is refused', async () => {
    const s = await server(pki.valid, { min: 'TLSv1.2', max: 'TLSv1.3' });
    const bundled = createTlsAgent({ keepAlive: false });
    agents.push(bundled);
    const err = await getError(s.url, bundled);
    expect(err.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('sets minVersion TLSv1.2 and never rejectUnauthorized:false', () => {
    const a = agent();
    expect(a.options.minVersion).toBe('TLSv1.2');
    expect(a.options.rejectUnauthorized).toBe(true);
  });
});

/** A TCP listener that accepts and then says nothing: a black-holed service or proxy. */
const silentServer = async (): Promise<{ port: number; close(): Promise<void> }> => {
  const sockets = new Set<import('node:net').Socket>();
  const s = createNetServer((socket) => sockets.add(socket));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    port: (s.address() as import('node:net').AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const k of sockets) k.destroy();
        s.close(() => r());
      }),
  };
};

describe('main-process HTTPS agent: connect budget', () => {
  it('gives up on a server that never completes TLS, with the code that says nothing was sent', async () => {
    const silent = await silentServer();
    try {
      const err = await getError(`https://localhost:${silent.port}/`, agent({ connectTimeoutMs: 300 }));
      expect(err.code).toBe(CONNECT_TIMEOUT_CODE);
      expect(classifyTlsError(err)).toBe('timeout');
    } finally {
      await silent.close();
    }
  });

  it('gives up on a proxy that never answers CONNECT', async () => {
    const silent = await silentServer();
    try {
      const err = await getError('https://localhost:9/', agent({ connectTimeoutMs: 300, proxy: fixed(silent.port) }));
      expect(err.code).toBe(CONNECT_TIMEOUT_CODE);
    } finally {
      await silent.close();
    }
  });
});

describe('main-process HTTPS agent: proxy', () => {
  it('tunnels through a fixed CONNECT proxy with TLS 1.2 end to end', async () => {
    const s = await server(pki.valid, { min: 'TLSv1.2', max: 'TLSv1.2' });
    const p = await proxy();
    const r = await get(s.url, agent({ proxy: fixed(p.port) }));
    expect(r.body).toBe(`TLSv1.2 ${BODY_MARKER}`);
    expect(p.connects).toEqual([`localhost:${s.port}`]);
    expect(s.protocols).toEqual(['TLSv1.2']);
    // The proxy relayed ciphertext only: the response body never crossed it in clear.
    expect(Buffer.concat(p.relayed).includes(BODY_MARKER)).toBe(false);
    expect(Buffer.concat(p.relayed).length).toBeGreaterThan(0);
  });

  it('still refuses a TLS 1.1-only server behind the proxy', async () => {
    const s = await server(pki.valid, { min: 'TLSv1.1', max: 'TLSv1.1' });
    const p = await proxy();
    const err = await getError(s.url, agent({ proxy: fixed(p.port) }));
    expect(p.connects).toHaveLength(1);
    expect(classifyTlsError(err)).toBe('tls-version');
  });

  it('still refuses a wrong certificate behind the proxy (the proxy cannot vouch for it)', async () => {
    const s = await server(pki.wrongHost, { min: 'TLSv1.2', max: 'TLSv1.3' });
    const p = await proxy();
    const err = await getError(s.url, agent({ proxy: fixed(p.port) }));
    expect(p.connects).toHaveLength(1);
    expect(err.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('goes direct for a host on the bypass list', async () => {
    const s = await server(pki.valid, { min: 'TLSv1.2', max: 'TLSv1.3' });
    const p = await proxy();
    expect((await get(s.url, agent({ proxy: fixed(p.port, '*.contoso.com;localhost') }))).status).toBe(200);
    expect(p.connects).toEqual([]);
  });

  it('fails cleanly, without a prompt or retry, when the proxy wants credentials (407)', async () => {
    const s = await server(pki.valid, { min: 'TLSv1.2', max: 'TLSv1.3' });
    const p = await proxy(407);
    const err = await getError(s.url, agent({ proxy: fixed(p.port) }));
    expect(err).toBeInstanceOf(ProxyTunnelError);
    expect(err.code).toBe('ERR_PROXY_AUTH_REQUIRED');
    expect(classifyTlsError(err)).toBe('proxy');
    expect(p.connects).toHaveLength(1);
  });

  it('follows the PAC/system answer of the resolver (Electron session.resolveProxy)', async () => {
    const s = await server(pki.valid, { min: 'TLSv1.2', max: 'TLSv1.3' });
    const p = await proxy();
    const asked: string[] = [];
    const a = agent({
      proxy: { ProxyMode: 'pac', ProxyServer: '', ProxyBypass: '', PacUrl: 'https://wpad.contoso.com/proxy.pac' },
      resolveProxy: async (url) => {
        asked.push(url);
        return `PROXY 127.0.0.1:${p.port}; DIRECT`;
      },
    });
    expect((await get(s.url, a)).status).toBe(200);
    expect(asked).toEqual([`https://localhost:${s.port}/`]);
    expect(p.connects).toEqual([`localhost:${s.port}`]);
  });

  it('refuses a PAC answer it cannot honour instead of silently going direct', async () => {
    const s = await server(pki.valid, { min: 'TLSv1.2', max: 'TLSv1.3' });
    const a = agent({ proxy: { ProxyMode: 'system', ProxyServer: '', ProxyBypass: '', PacUrl: '' }, resolveProxy: async () => 'SOCKS5 127.0.0.1:1080' });
    const err = await getError(s.url, a);
    expect(err.code).toBe('ERR_PROXY_UNSUPPORTED');
  });
});
