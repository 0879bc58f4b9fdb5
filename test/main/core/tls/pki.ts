/**
 * A throw-away PKI made at test time: a root CA, leaf certificates signed by it (valid, expired, for the
 * wrong host) and a self-signed leaf nobody trusts. Keys come from node:crypto (fast), certificates from
 * node-forge.
 */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface KeyAndCert {
  key: string;
  cert: string;
}

const newKey = (): { pem: string; forgeKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { pem, forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
};

let serial = 1;

const makeCert = (opts: {
  subjectCn: string;
  publicKey: forge.pki.rsa.PublicKey;
  signer: { key: forge.pki.rsa.PrivateKey; subject: forge.pki.CertificateField[] } | 'self';
  selfKey?: forge.pki.rsa.PrivateKey;
  isCa: boolean;
  altNames?: { dns?: string[]; ip?: string[] };
  notBefore: Date;
  notAfter: Date;
}): forge.pki.Certificate => {
  const cert = forge.pki.createCertificate();
  cert.publicKey = opts.publicKey;
  cert.serialNumber = (serial++).toString(16).padStart(2, '0');
  cert.validity.notBefore = opts.notBefore;
  cert.validity.notAfter = opts.notAfter;
  const subject = [{ name: 'commonName', value: opts.subjectCn }];
  cert.setSubject(subject);
  cert.setIssuer(opts.signer === 'self' ? subject : opts.signer.subject);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: opts.isCa, critical: true },
    opts.isCa ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true } : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
  ];
  if (!opts.isCa) extensions.push({ name: 'extKeyUsage', serverAuth: true });
  if (opts.altNames) {
    extensions.push({
      name: 'subjectAltName',
      altNames: [...(opts.altNames.dns ?? []).map((value) => ({ type: 2, value })), ...(opts.altNames.ip ?? []).map((ip) => ({ type: 7, ip }))],
    });
  }
  cert.setExtensions(extensions);
  const signingKey = opts.signer === 'self' ? opts.selfKey : opts.signer.key;
  if (!signingKey) throw new Error('no signing key');
  cert.sign(signingKey, forge.md.sha256.create());
  return cert;
};

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

export const createTestPki = (): TestPki => {
  const ca = newKey();
  const now = Date.now();
  const caCert = makeCert({ subjectCn: 'SSPR Logon Test Root', publicKey: ca.publicKey, signer: 'self', selfKey: ca.forgeKey, isCa: true, notBefore: new Date(now - DAY), notAfter: new Date(now + 30 * DAY) });
  const signer = { key: ca.forgeKey, subject: caCert.subject.attributes };
  const leaf = (cn: string, altNames: { dns?: string[]; ip?: string[] }, notBefore: Date, notAfter: Date): KeyAndCert => {
    const k = newKey();
    const cert = makeCert({ subjectCn: cn, publicKey: k.publicKey, signer, isCa: false, altNames, notBefore, notAfter });
    return { key: k.pem, cert: forge.pki.certificateToPem(cert) };
  };
  const self = newKey();
  const selfCert = makeCert({ subjectCn: 'localhost', publicKey: self.publicKey, signer: 'self', selfKey: self.forgeKey, isCa: false, altNames: { dns: ['localhost'], ip: ['127.0.0.1'] }, notBefore: new Date(now - DAY), notAfter: new Date(now + 30 * DAY) });
  return {
    caCert: forge.pki.certificateToPem(caCert),
    valid: leaf('localhost', { dns: ['localhost'], ip: ['127.0.0.1'] }, new Date(now - DAY), new Date(now + 30 * DAY)),
    expired: leaf('localhost', { dns: ['localhost'], ip: ['127.0.0.1'] }, new Date(now - 30 * DAY), new Date(now - DAY)),
    wrongHost: leaf('other.example', { dns: ['other.example'] }, new Date(now - DAY), new Date(now + 30 * DAY)),
    selfSigned: { key: self.pem, cert: forge.pki.certificateToPem(selfCert) },
  };
};
