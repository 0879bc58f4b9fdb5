/**
 * Transport security of the emulator: TLS 1.2 minimum, a certificate for the loopback names issued by the
 * per-run CA, and nothing trusted without that CA.
 */
import { X509Certificate } from 'node:crypto';
import { Agent } from 'node:https';
import { connect, type ConnectionOptions } from 'node:tls';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

/** Opens a TLS connection and reports the negotiated protocol, or the error that stopped it. */
function handshake(options: ConnectionOptions): Promise<{ protocol: string | null } | { error: Error & { code?: string } }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: emu.port, ...options }, () => {
      const protocol = socket.getProtocol();
      socket.end();
      resolve({ protocol });
    });
    socket.on('error', (error) => resolve({ error }));
  });
}

describe('TLS', () => {
  it('negotiates TLS 1.2 with a client that trusts the emulator CA', async () => {
    expect(await handshake({ ca: emu.caPem, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toEqual({ protocol: 'TLSv1.2' });
  });

  it('refuses a TLS 1.1 client', async () => {
    // Old ciphers are allowed on the client side, so the refusal is the server's protocol_version alert (70).
    const result = await handshake({ ca: emu.caPem, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    expect(result).toHaveProperty('error');
    const { error } = result as { error: Error & { code?: string } };
    expect(`${error.code ?? ''} ${error.message}`).toMatch(/TLSV1_ALERT_PROTOCOL_VERSION|alert protocol version/i);
  });

  it('is not trusted without its CA, nor with another run’s CA', async () => {
    const noCa = await handshake({ minVersion: 'TLSv1.2' });
    expect((noCa as { error: { code?: string } }).error?.code).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
    const other = await startEmulator();
    try {
      const wrongCa = await handshake({ ca: other.caPem, minVersion: 'TLSv1.2' });
      expect((wrongCa as { error: { code?: string } }).error?.code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|CERT_SIGNATURE_FAILURE/);
    } finally {
      await other.close();
    }
  });

  it('presents a certificate for 127.0.0.1, ::1 and localhost issued by the CA it publishes', async () => {
    expect(await handshake({ ca: emu.caPem, servername: 'localhost' })).toHaveProperty('protocol');
    const cert = await new Promise<X509Certificate>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: emu.port, ca: emu.caPem }, () => {
        const raw = socket.getPeerX509Certificate();
        socket.end();
        if (raw) resolve(raw);
        else reject(new Error('no peer certificate'));
      });
      socket.on('error', reject);
    });
    const ca = new X509Certificate(emu.caPem);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toMatch(/IP Address:(::1|0:0:0:0:0:0:0:1)/);
    expect(cert.checkHost('example.com')).toBeUndefined();
  });

  it('works with axios given only the CA (the engine’s HTTP client)', async () => {
    const agent = new Agent({ ca: emu.caPem, minVersion: 'TLSv1.2' });
    try {
      const r = await axios.post(
        `${emu.authority}resetpassword/v1.0/start`,
        new URLSearchParams({ client_id: emu.clientId, username: 'alice@contoso.com', challenge_type: 'oob redirect' }).toString(),
        { httpsAgent: agent, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      );
      expect(r.status).toBe(200);
      expect(r.data.continuation_token).toEqual(expect.any(String));
    } finally {
      agent.destroy();
    }
  });
});
