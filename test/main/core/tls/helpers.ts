/** Loopback TLS servers and a CONNECT proxy for the TLS tests; every one listens on a random port. */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { SecureVersion } from 'node:tls';
import type { KeyAndCert } from './pki';

export const BODY_MARKER = 'end-to-end-secret-body';

export interface TestServer {
  url: string;
  port: number;
  /** Protocol versions the server negotiated, one per connection. */
  protocols: string[];
  close(): Promise<void>;
}

export const startTlsServer = async (
  keyCert: KeyAndCert,
  versions: { min: SecureVersion; max: SecureVersion },
): Promise<TestServer> => {
  const protocols: string[] = [];
  const legacy = versions.max === 'TLSv1' || versions.max === 'TLSv1.1';
  const server = https.createServer(
    {
      key: keyCert.key,
      cert: keyCert.cert,
      minVersion: versions.min,
      maxVersion: versions.max,
      // OpenSSL 3 refuses TLS 1.0/1.1 at its default security level; drop it so the server really offers them.
      ...(legacy ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
    },
    (req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`${(req.socket as import('node:tls').TLSSocket).getProtocol() ?? '?'} ${BODY_MARKER}`);
    },
  );
  server.on('secureConnection', (socket) => protocols.push(socket.getProtocol() ?? '?'));
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://localhost:${port}/`,
    port,
    protocols,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export interface TestProxy {
  port: number;
  /** CONNECT targets in order, e.g. "localhost:4431". */
  connects: string[];
  /** Every byte relayed from the server to the client (must be ciphertext only). */
  relayed: Buffer[];
  close(): Promise<void>;
}

/** A loopback HTTP CONNECT proxy; `answer` lets a test make it refuse (e.g. 407). */
export const startConnectProxy = async (answer?: number): Promise<TestProxy> => {
  const connects: string[] = [];
  const relayed: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => {
    res.statusCode = 405;
    res.end();
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    connects.push(req.url ?? '');
    if (answer && answer !== 200) {
      client.end(`HTTP/1.1 ${answer} Refused\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const m = /^(.*):(\d+)$/.exec(req.url ?? '');
    const host = m?.[1] === 'localhost' ? '127.0.0.1' : (m?.[1] ?? '');
    const upstream = net.connect(Number(m?.[2]), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.on('data', (chunk: Buffer) => relayed.push(Buffer.from(chunk)));
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    connects,
    relayed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export interface GetResult {
  status: number;
  body: string;
}

export const get = (url: string, agent: https.Agent): Promise<GetResult> =>
  new Promise((resolve, reject) => {
    const req = https.get(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error('test request timed out')));
  });

/** The error a request fails with (the test fails if it succeeds). */
export const getError = async (url: string, agent: https.Agent): Promise<NodeJS.ErrnoException> => {
  try {
    const r = await get(url, agent);
    throw new Error(`expected a failure, got HTTP ${r.status}: ${r.body}`);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('expected a failure')) throw err;
    return err as NodeJS.ErrnoException;
  }
};
