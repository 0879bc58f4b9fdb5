/**
 * The TLS tests' certificates, made at test time by the project's one PKI builder (src/emulator/certs.ts):
 * a root CA, leaf certificates signed by it (valid, expired, for the wrong host) and a self-signed leaf
 * nobody trusts.
 */
import { createCertificateAuthority, createSelfSigned, newLeafKeys, type KeyAndCert } from '../../../../src/emulator/certs';

export type { KeyAndCert };

const DAY = 86_400_000;

export interface TestPki {
  caCert: string;
  /** localhost / 127.0.0.1, valid now. */
  valid: KeyAndCert;
  /** localhost, expired yesterday. */
  expired: KeyAndCert;
  /** valid, but for another host name only. */
  wrongHost: KeyAndCert;
  /** self-signed localhost certificate that no trusted CA vouches for. */
  selfSigned: KeyAndCert;
}

export const createTestPki = async (): Promise<TestPki> => {
  const now = Date.now();
  const current = { notBefore: new Date(now - DAY), notAfter: new Date(now + 30 * DAY) };
  const loopback = { commonName: 'localhost', dnsNames: ['localhost'], ips: ['127.0.0.1'] };
  // Every key is generated side by side, the CA's included.
  const selfSigned = createSelfSigned({ ...loopback, ...current });
  const keys = [newLeafKeys(), newLeafKeys(), newLeafKeys()] as const;
  const ca = await createCertificateAuthority({ commonName: 'SSPR Logon Test Root', ...current });
  const [valid, expired, wrongHost] = await Promise.all([
    ca.issue({ ...loopback, ...current, keys: keys[0] }),
    ca.issue({ ...loopback, notBefore: new Date(now - 30 * DAY), notAfter: new Date(now - DAY), keys: keys[1] }),
    ca.issue({ commonName: 'other.example', dnsNames: ['other.example'], ...current, keys: keys[2] }),
  ]);
  return { caCert: ca.certPem, valid, expired, wrongHost, selfSigned: await selfSigned };
};
