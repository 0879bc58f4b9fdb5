/**
 * The helpdesk's app registration and the directory roles Microsoft Graph checks before it shows audit logs
 * (portal-facts §4): `AuditLog.Read.All` as an application permission (client credentials, for a scheduled
 * job) or as a delegated permission for a technician who holds Reports Reader, Security Reader or Security
 * Administrator (device code). Everything here is an emulator *convention* standing in for what an admin
 * configures in the Entra admin center; docs/emulator.md lists it.
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';

/** Convention: the helpdesk app's client id (a fixed GUID, so scripts and docs can name it). */
export const HELPDESK_CLIENT_ID = 'c3d9a7e1-5b2f-4f86-a0d4-9e1b7c3a5f27';
export const HELPDESK_APP_NAME = 'SSPR Logon Helpdesk';

/** Microsoft Graph's resource identifiers: its app id URI and its well-known app id. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const AUDIT_PERMISSION = 'AuditLog.Read.All';
/** What admin consent grants the helpdesk app, as application roles and as delegated scopes. */
export const HELPDESK_APP_ROLES: readonly string[] = [AUDIT_PERMISSION, 'Directory.Read.All'];

/** Built-in directory role template ids that may read audit logs with a delegated token. */
export const AUDIT_READER_ROLES: Readonly<Record<string, string>> = {
  '4a5d8f65-41da-4de4-8968-e035b65339cf': 'Reports Reader',
  '5d6b6bb7-de71-4623-b4af-96380a352509': 'Security Reader',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
};

export interface Technician {
  username: string;
  displayName: string;
  objectId: string;
  /** Directory role template ids (the `wids` claim). */
  roles: string[];
}

/** Convention: the account that approves device codes unless another one is named. */
export const HELPDESK_TECHNICIAN: Technician = {
  username: 'helpdesk@contoso.com',
  displayName: 'Hana Helpdesk',
  objectId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  roles: ['4a5d8f65-41da-4de4-8968-e035b65339cf'],
};

export interface RegisteredCertificate {
  /** SHA-1 and SHA-256 thumbprints as raw bytes in base64url, as `x5t` / `x5t#S256` carry them. */
  x5t: string;
  x5tS256: string;
  publicKey: X509Certificate['publicKey'];
}

export class HelpdeskApp {
  readonly clientId = HELPDESK_CLIENT_ID;
  /** A fresh secret per emulator run, shown at start like a secret created in the admin center. */
  readonly clientSecret = `emu~${randomBytes(24).toString('base64url')}`;
  readonly certificates: RegisteredCertificate[] = [];

  /** Uploads a certificate's public part (PEM) to the registration; returns its SHA-256 thumbprint (hex). */
  registerCertificate(certPem: string): string {
    const cert = new X509Certificate(certPem);
    const der = cert.raw;
    const sha1 = createHash('sha1').update(der).digest();
    const sha256 = createHash('sha256').update(der).digest();
    this.certificates.push({ x5t: sha1.toString('base64url'), x5tS256: sha256.toString('base64url'), publicKey: cert.publicKey });
    return sha256.toString('hex');
  }

  certificateFor(header: Record<string, unknown>): RegisteredCertificate | undefined {
    const s256 = header['x5t#S256'];
    const s1 = header.x5t;
    return this.certificates.find((c) => (typeof s256 === 'string' && c.x5tS256 === s256) || (typeof s1 === 'string' && c.x5t === s1));
  }
}
