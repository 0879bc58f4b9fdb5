/**
 * The one PKI builder of the project, for the emulator and for the tests: certificate authorities and the
 * leaf certificates they issue (or self-signed ones), with the names and validity a caller asks for.
 * Clients trust exactly the CA they are given (never "rejectUnauthorized: false"). Keys are generated and
 * certificates signed by node:crypto (native, off the event loop); node-forge only lays out the X.509
 * structures, because its pure-JS RSA takes seconds on a busy machine. Development and tests only: the
 * release bundle holds none of this (test/main/electron/releaseBundle.test.ts).
 */
import { generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

/** A private key (PKCS#1 PEM) and its certificate (PEM). */
export interface KeyAndCert {
  key: string;
  cert: string;
}

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

export interface LeafOptions extends Validity {
  commonName: string;
  dnsNames?: string[];
  ips?: string[];
  /** Keys already being generated (newLeafKeys), so they can be made while the CA is. */
  keys?: Promise<LeafKeys>;
}

/** A leaf's key pair, opaque outside this module. */
export type LeafKeys = KeyPair;

export interface CertificateAuthority {
  certPem: string;
  /** A server certificate (serverAuth) signed by this CA. */
  issue(leaf: LeafOptions): Promise<KeyAndCert>;
}

interface KeyPair {
  privateKey: KeyObject;
  publicKey: forge.pki.rsa.PublicKey;
  pem: string;
}

const generateRsa = promisify(generateKeyPair);

async function rsaKeyPair(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgePublic = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) as forge.pki.rsa.PublicKey;
  return { privateKey, publicKey: forgePublic, pem };
}

/** Starts generating a leaf's keys now, for LeafOptions.keys. */
export const newLeafKeys = (): Promise<LeafKeys> => rsaKeyPair();

/** Signs the certificate's TBS part with SHA-256/RSA using node:crypto, exactly where forge's sign() would. */
function signCertificate(cert: forge.pki.Certificate, key: KeyObject): void {
  const oid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.signatureOid = oid;
  cert.siginfo.algorithmOid = oid;
  // getTBSCertificate is public in forge but missing from its type definitions.
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  (cert as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs;
  const der = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  cert.signature = sign('sha256', der, key).toString('binary');
}

// A positive serial: a leading 0x00-0x7f byte keeps the DER INTEGER from reading as negative.
const serial = (): string => (randomBytes(1)[0]! & 0x7f).toString(16).padStart(2, '0') + randomBytes(15).toString('hex');

type Name = forge.pki.CertificateField[];

const blankCertificate = (publicKey: forge.pki.rsa.PublicKey, subject: Name, issuer: Name, validity: Validity): forge.pki.Certificate => {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = validity.notBefore;
  cert.validity.notAfter = validity.notAfter;
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  return cert;
};

const leafExtensions = (leaf: LeafOptions): object[] => [
  { name: 'basicConstraints', cA: false, critical: true },
  { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
  { name: 'extKeyUsage', serverAuth: true },
  ...(leaf.dnsNames?.length || leaf.ips?.length
    ? [{ name: 'subjectAltName', altNames: [...(leaf.ips ?? []).map((ip) => ({ type: 7, ip })), ...(leaf.dnsNames ?? []).map((value) => ({ type: 2, value }))] }]
    : []),
  { name: 'subjectKeyIdentifier' },
];

export async function createCertificateAuthority(opts: Validity & { commonName: string; organization?: string }): Promise<CertificateAuthority> {
  const ca = await rsaKeyPair();
  const name: Name = [{ name: 'commonName', value: opts.commonName }, ...(opts.organization ? [{ name: 'organizationName', value: opts.organization }] : [])];
  const caCert = blankCertificate(ca.publicKey, name, name, opts);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signCertificate(caCert, ca.privateKey);
  const caKeyId = caCert.generateSubjectKeyIdentifier().getBytes();
  return {
    certPem: forge.pki.certificateToPem(caCert),
    issue: async (leaf) => {
      const keys = await (leaf.keys ?? rsaKeyPair());
      const cert = blankCertificate(keys.publicKey, [{ name: 'commonName', value: leaf.commonName }], name, leaf);
      cert.setExtensions([...leafExtensions(leaf), { name: 'authorityKeyIdentifier', keyIdentifier: caKeyId }]);
      signCertificate(cert, ca.privateKey);
      return { key: keys.pem, cert: forge.pki.certificateToPem(cert) };
    },
  };
}

/** A server certificate that vouches for itself, which no client given a CA will trust. */
export async function createSelfSigned(leaf: LeafOptions): Promise<KeyAndCert> {
  const keys = await rsaKeyPair();
  const name: Name = [{ name: 'commonName', value: leaf.commonName }];
  const cert = blankCertificate(keys.publicKey, name, name, leaf);
  cert.setExtensions(leafExtensions(leaf));
  signCertificate(cert, keys.privateKey);
  return { key: keys.pem, cert: forge.pki.certificateToPem(cert) };
}

export interface EmulatorPki {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** The emulator's throw-away PKI per run: a CA, and a certificate for the loopback names signed by it. */
export async function createPki(now: Date = new Date()): Promise<EmulatorPki> {
  // TLS validity is checked against the real wall clock, not the emulator's injectable one.
  const validity = { notBefore: new Date(now.getTime() - 24 * 3600_000), notAfter: new Date(now.getTime() + 365 * 24 * 3600_000) };
  // node:crypto generates keys off the event loop: make the server's while the CA's is made.
  const serverKeys = newLeafKeys();
  const ca = await createCertificateAuthority({ commonName: 'SSPR Logon Emulator Test CA', organization: 'SSPR Logon (test only)', ...validity });
  const server = await ca.issue({ commonName: 'localhost', dnsNames: ['localhost'], ips: ['127.0.0.1', '::1'], ...validity, keys: serverKeys });
  return { caPem: ca.certPem, certPem: server.cert, keyPem: server.key };
}
