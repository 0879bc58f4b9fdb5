import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPki, type EmulatorPki } from '../../../src/emulator/certs';
import { classifyNetworkError } from '../../../src/main/core/engine/nativeEngine';
import { createNativeEngine } from '../../../src/main/core/engine/nativeEngine';
import { CONNECT_TIMEOUT_CODE, createHttpClient } from '../../../src/main/core/http';

let pki: EmulatorPki;
const servers: (Server | NetServer)[] = [];
const sockets = new Set<Socket>();

const listen = async <S extends Server | NetServer>(server: S): Promise<number> => {
  servers.push(server);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  pki = await createPki();
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('HTTP client', () => {
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  it('speaks TLS 1.2+ to a server that trusts the given CA only', async () => {
    let seenProtocol = '';
    const port = await listen(
      createHttpsServer({ key: pki.keyPem, cert: pki.certPem }, (req, res) => {
        seenProtocol = (req.socket as import('node:tls').TLSSocket).getProtocol() ?? '';
        res.end('{}');
      }),
    );
    const http = createHttpClient({ ca: pki.caPem, timeoutMs: 10_000 });
    const res = await http.post(`https://127.0.0.1:${port}/x`, 'a=1');
    expect(res.status).toBe(200);
    expect(['TLSv1.2', 'TLSv1.3']).toContain(seenProtocol);
  });

  it('opens a fresh connection for every request, so no POST rides a socket the server may be closing', async () => {
    let connections = 0;
    const server = createHttpsServer({ key: pki.keyPem, cert: pki.certPem }, (_req, res) => res.end('{}'));
    server.on('secureConnection', () => (connections += 1));
    const port = await listen(server);
    const http = createHttpClient({ ca: pki.caPem, timeoutMs: 10_000 });
    for (let i = 0; i < 3; i++) expect((await http.post(`https://127.0.0.1:${port}/x`, 'a=1')).status).toBe(200);
    expect(connections).toBe(3);
  });

  it('refuses a server that only offers TLS 1.0/1.1 — nothing is sent', async () => {
    let requests = 0;
    const port = await listen(
      createHttpsServer({ key: pki.keyPem, cert: pki.certPem, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }, (_req, res) => {
        requests += 1;
        res.end('{}');
      }),
    );
    const http = createHttpClient({ ca: pki.caPem, timeoutMs: 10_000 });
    const err = await http.post(`https://127.0.0.1:${port}/x`, 'a=1').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeNull();
    expect(classifyNetworkError(err)).toMatchObject({ cause: 'tls', requestSent: false });
    expect(requests).toBe(0);
  });

  it('ignores HTTPS_PROXY / HTTP_PROXY from the environment', async () => {
    let direct = 0;
    const port = await listen(
      createHttpsServer({ key: pki.keyPem, cert: pki.certPem }, (_req, res) => {
        direct += 1;
        res.end('{}');
      }),
    );
    process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
    process.env.https_proxy = 'http://127.0.0.1:9';
    process.env.HTTP_PROXY = 'http://127.0.0.1:9';
    const http = createHttpClient({ ca: pki.caPem, timeoutMs: 10_000 });
    expect((await http.post(`https://127.0.0.1:${port}/x`, 'a=1')).status).toBe(200);
    expect(direct).toBe(1);
  });

  it('does not follow redirects', async () => {
    let followed = 0;
    const port = await listen(
      createHttpsServer({ key: pki.keyPem, cert: pki.certPem }, (req, res) => {
        if (req.url === '/elsewhere') followed += 1;
        res.writeHead(302, { location: '/elsewhere' });
        res.end();
      }),
    );
    const http = createHttpClient({ ca: pki.caPem, timeoutMs: 10_000 });
    expect((await http.post(`https://127.0.0.1:${port}/x`, 'a=1')).status).toBe(302);
    expect(followed).toBe(0);
  });

  it('gives up on a TLS handshake that never completes (connect timeout), as not sent', async () => {
    // Accepts TCP but never answers the ClientHello: a black-holed or captive network.
    const port = await listen(createNetServer(() => undefined));
    const http = createHttpClient({ ca: pki.caPem, timeoutMs: 20_000, connectTimeoutMs: 300 });
    const engine = createNativeEngine({ authority: `https://127.0.0.1:${port}/t/`, clientId: 'c', http, clientVersion: 'test' });
    const r = await engine.start({ correlationId: 'x' }, 'alice@contoso.com');
    expect(r).toMatchObject({ ok: false, kind: 'network', cause: 'timeout', requestSent: false });
    // It was the connect bound that fired, not the 20 s request budget.
    expect(r.info.error).toContain(CONNECT_TIMEOUT_CODE);
  });
});
