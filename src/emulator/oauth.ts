/**
 * What msal-node needs from the emulator's authority besides native auth: OpenID discovery, client
 * credentials (secret or certificate assertion) and the device-code grant, issuing Graph access tokens for the
 * helpdesk app. Handlers take the parsed form and return the JSON body, or throw ApiError (Entra's envelope).
 */
import { constants, randomBytes, randomInt, verify } from 'node:crypto';
import type { Clock } from './clock';
import { AADSTS, ApiError } from './errors';
import {
  AUDIT_PERMISSION,
  GRAPH_APP_ID,
  GRAPH_RESOURCE,
  HELPDESK_APP_ROLES,
  HELPDESK_TECHNICIAN,
  type HelpdeskApp,
  type Technician,
} from './helpdeskApp';
import { decodeJwt, type JwtKeys } from './jwt';
import type { FlowBody, FlowRequest, TenantInfo } from './resetFlow';

export const CLIENT_CREDENTIALS = 'client_credentials';
/** RFC 8628's grant type; Entra also takes the short form `device_code`, which msal-node sends. */
export const DEVICE_CODE_GRANTS: readonly string[] = ['urn:ietf:params:oauth:grant-type:device_code', 'device_code'];
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const DEVICE_CODE_TTL_SECONDS = 900;
/** Clock skew allowed on a client assertion's nbf/exp, as Entra allows a few minutes. */
const ASSERTION_SKEW_SECONDS = 300;

/** AADSTS numbers of this module; "doc" = in Microsoft's AADSTS error reference, else a convention. */
export const OAUTH_AADSTS = {
  invalidClientSecret: 7000215, // doc
  missingClientCredential: 7000218, // doc
  assertionSignature: 700027, // doc: assertion signature / certificate not registered
  assertionExpired: 700024, // doc: assertion outside its time range
  assertionMalformed: 50027, // doc: invalid or malformed JWT
  assertionAudience: 700005, // convention
  resourceNotFound: 500011, // doc: resource principal not found in the tenant
  authorizationPending: 70016, // doc
  deviceCodeExpired: 70019, // doc
  deviceCodeUsed: 70000, // convention (Entra's generic invalid grant)
  publicClientOnly: 700025, // convention
} as const;

interface DeviceCodeRecord {
  userCode: string;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  approvedBy?: Technician;
  used: boolean;
}

export interface DeviceCodeOptions {
  /** `interval` told to the client, seconds between polls (Entra: 5). */
  intervalSeconds: number;
  /** Convention for unattended demos: a code approves itself as the helpdesk technician after this long. */
  autoApproveAfterMs?: number;
}

export interface OAuthDeps {
  clock: Clock;
  tenant: TenantInfo;
  app: HelpdeskApp;
  jwt: JwtKeys;
  /** 'https://127.0.0.1:<port>', known after listen. */
  baseUrl: () => string;
  /** Resolves who approves a device code: the helpdesk technician or a directory user (who has no role). */
  account: (username: string) => Technician | undefined;
  deviceCode: DeviceCodeOptions;
  accessTokenTtlSeconds: () => number;
}

const missing = (name: string) =>
  new ApiError('invalid_request', AADSTS.missingParameter, `The request body must contain the following parameter: '${name}'.`);
const invalidClient = (code: number, text: string) => new ApiError('invalid_client', code, text, { status: 401 });

export class OAuthService {
  private readonly deviceCodes = new Map<string, DeviceCodeRecord>();

  constructor(private readonly d: OAuthDeps) {}

  /** Whether a token request is one of the grants this module serves (native auth serves the rest). */
  owns(form: Map<string, string>): boolean {
    const grant = form.get('grant_type');
    return grant === CLIENT_CREDENTIALS || DEVICE_CODE_GRANTS.includes(grant ?? '');
  }

  get issuer(): string {
    return `${this.d.baseUrl()}/${this.d.tenant.id}/v2.0`;
  }

  /** `GET /{tenant}/v2.0/.well-known/openid-configuration`, shaped like Entra's v2 document. */
  openIdConfiguration(): Record<string, unknown> {
    const root = `${this.d.baseUrl()}/${this.d.tenant.id}`;
    return {
      issuer: this.issuer,
      authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
      token_endpoint: `${root}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${root}/oauth2/v2.0/logout`,
      jwks_uri: `${root}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'emulator.invalid',
    };
  }

  token(req: FlowRequest): FlowBody {
    return req.form.get('grant_type') === CLIENT_CREDENTIALS ? this.clientCredentials(req) : this.deviceCodeToken(req);
  }

  /** `POST /{tenant}/oauth2/v2.0/devicecode`: the helpdesk app allows public-client flows (convention). */
  deviceCode(req: FlowRequest): FlowBody {
    this.knownClient(req.form);
    const scope = req.form.get('scope')?.trim();
    if (!scope) throw missing('scope');
    const scopes = scope.split(/\s+/);
    this.graphResourceOf(scopes.filter((s) => !OIDC_SCOPES.has(s)));
    const now = this.d.clock.now();
    const deviceCode = randomBytes(48).toString('base64url');
    // Nine letters from an alphabet without look-alikes, like the codes Entra shows.
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
    const userCode = Array.from({ length: 9 }, () => alphabet[randomInt(alphabet.length)]).join('');
    this.deviceCodes.set(deviceCode, { userCode, clientId: this.d.app.clientId, scopes, issuedAt: now, expiresAt: now + DEVICE_CODE_TTL_SECONDS * 1000, used: false });
    const verificationUri = `${this.d.baseUrl()}/devicelogin`;
    return {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: verificationUri,
      expires_in: DEVICE_CODE_TTL_SECONDS,
      interval: this.d.deviceCode.intervalSeconds,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate. (Emulator: POST user_code=${userCode} to that page to approve.)`,
    };
  }

  /** The emulator's stand-in for the technician signing in at the verification page (convention). */
  approve(userCode: string, username?: string): Technician {
    const account = this.d.account(username?.trim() || HELPDESK_TECHNICIAN.username);
    if (!account) throw new ApiError('invalid_request', AADSTS.userNotFound, 'The account does not exist in the directory.', { status: 400 });
    const wanted = userCode.trim().toUpperCase().replace(/-/g, '');
    for (const record of this.deviceCodes.values()) {
      if (record.userCode === wanted && !record.used && this.d.clock.now() < record.expiresAt) {
        record.approvedBy = account;
        return account;
      }
    }
    throw new ApiError('invalid_grant', OAUTH_AADSTS.deviceCodeExpired, 'The code you entered is unknown or has expired.', { status: 400 });
  }

  private knownClient(form: Map<string, string>): string {
    const clientId = form.get('client_id')?.trim().toLowerCase();
    if (!clientId) throw missing('client_id');
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(clientId)) {
      throw new ApiError('invalid_request', AADSTS.malformedClientId, `Application identifier '${clientId.slice(0, 60)}' is not valid.`);
    }
    if (clientId !== this.d.app.clientId) {
      throw new ApiError('unauthorized_client', AADSTS.unknownClient, `Application with identifier '${clientId}' was not found in the directory '${this.d.tenant.name}'.`);
    }
    return clientId;
  }

  /** The one resource named by the scopes; Graph is known by its URI, its app id, or this emulator's origins. */
  private graphResourceOf(scopes: string[]): { resource: string; permissions: string[] } {
    // The emulator answers on 127.0.0.1 and, through its certificate, as localhost too.
    const known = [GRAPH_RESOURCE, GRAPH_APP_ID, this.d.baseUrl(), this.d.baseUrl().replace('//127.0.0.1:', '//localhost:')].map((r) => r.toLowerCase());
    const permissions: string[] = [];
    for (const scope of scopes) {
      const slash = scope.lastIndexOf('/');
      const resource = slash > 0 ? scope.slice(0, slash).toLowerCase() : GRAPH_RESOURCE;
      if (!known.includes(resource)) {
        throw new ApiError('invalid_resource', OAUTH_AADSTS.resourceNotFound, `The resource principal named ${resource.slice(0, 100)} was not found in the tenant named ${this.d.tenant.name}.`);
      }
      permissions.push(slash > 0 ? scope.slice(slash + 1) : scope);
    }
    if (permissions.length === 0) throw new ApiError('invalid_scope', AADSTS.invalidScope, 'The scope must name a resource, e.g. https://graph.microsoft.com/.default.');
    return { resource: GRAPH_RESOURCE, permissions };
  }

  private clientCredentials(req: FlowRequest): FlowBody {
    const clientId = this.knownClient(req.form);
    const scope = req.form.get('scope')?.trim();
    if (!scope) throw missing('scope');
    const scopes = scope.split(/\s+/);
    const { permissions } = this.graphResourceOf(scopes);
    if (permissions.length !== 1 || permissions[0] !== '.default') {
      throw new ApiError('invalid_scope', AADSTS.invalidScope, `The provided value for the input parameter 'scope' is not valid. The scope ${scope.slice(0, 100)} is not valid; client credentials need '<resource>/.default'.`);
    }
    this.authenticateClient(req.form);
    const now = Math.floor(this.d.clock.now() / 1000);
    const ttl = this.d.accessTokenTtlSeconds();
    return {
      token_type: 'Bearer',
      expires_in: ttl,
      ext_expires_in: ttl,
      access_token: this.d.jwt.sign({
        aud: GRAPH_RESOURCE, iss: this.issuer, tid: this.d.tenant.id, iat: now, nbf: now, exp: now + ttl,
        appid: clientId, azp: clientId, oid: clientId, sub: clientId, idtyp: 'app', roles: [...HELPDESK_APP_ROLES], ver: '1.0',
      }),
    };
  }

  /** client_secret, or a client assertion signed by a registered certificate (RS256/x5t or PS256/x5t#S256). */
  private authenticateClient(form: Map<string, string>): void {
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret === undefined && assertion === undefined) {
      throw invalidClient(OAUTH_AADSTS.missingClientCredential, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    if (secret !== undefined) {
      if (secret !== this.d.app.clientSecret) {
        throw invalidClient(OAUTH_AADSTS.invalidClientSecret, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.d.app.clientId}'.`);
      }
      return;
    }
    if (form.get('client_assertion_type') !== JWT_BEARER) throw missing('client_assertion_type');
    const jwt = decodeJwt(assertion!);
    if (!jwt) throw invalidClient(OAUTH_AADSTS.assertionMalformed, 'JWT token is invalid or malformed.');
    const cert = this.d.app.certificateFor(jwt.header);
    if (!cert) {
      throw invalidClient(OAUTH_AADSTS.assertionSignature, `The certificate with identifier used to sign the client assertion is not registered on application ${this.d.app.clientId}.`);
    }
    const data = Buffer.from(jwt.signingInput);
    const alg = jwt.header.alg;
    const ok =
      alg === 'RS256'
        ? verify('sha256', data, cert.publicKey, jwt.signature)
        : alg === 'PS256'
          ? verify('sha256', data, { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, jwt.signature)
          : false;
    if (!ok) throw invalidClient(OAUTH_AADSTS.assertionSignature, 'Client assertion failed signature validation.');
    const p = jwt.payload;
    if (p.iss !== this.d.app.clientId || p.sub !== this.d.app.clientId) {
      throw invalidClient(OAUTH_AADSTS.assertionMalformed, "The client assertion's iss and sub must both be the client id.");
    }
    const audiences = [this.d.tenant.id, this.d.tenant.name].map((t) => `${this.d.baseUrl()}/${t}/oauth2/v2.0/token`.toLowerCase());
    if (typeof p.aud !== 'string' || !audiences.includes(p.aud.toLowerCase())) {
      throw invalidClient(OAUTH_AADSTS.assertionAudience, 'The audience of the client assertion must be the token endpoint.');
    }
    const now = this.d.clock.now() / 1000;
    if (typeof p.exp !== 'number' || typeof p.nbf !== 'number' || p.exp < now - ASSERTION_SKEW_SECONDS || p.nbf > now + ASSERTION_SKEW_SECONDS) {
      throw invalidClient(OAUTH_AADSTS.assertionExpired, 'The client assertion is outside its validity period (nbf/exp).');
    }
  }

  private deviceCodeToken(req: FlowRequest): FlowBody {
    const clientId = this.knownClient(req.form);
    const code = req.form.get('device_code');
    if (!code) throw missing('device_code');
    const record = this.deviceCodes.get(code);
    if (!record || record.clientId !== clientId) throw new ApiError('invalid_grant', OAUTH_AADSTS.deviceCodeUsed, 'The device code is not valid.');
    const nowMs = this.d.clock.now();
    if (record.used) throw new ApiError('invalid_grant', OAUTH_AADSTS.deviceCodeUsed, 'The device code has already been redeemed.');
    if (nowMs >= record.expiresAt) {
      this.deviceCodes.delete(code);
      throw new ApiError('expired_token', OAUTH_AADSTS.deviceCodeExpired, 'The provided authorization code has expired.');
    }
    const auto = this.d.deviceCode.autoApproveAfterMs;
    if (!record.approvedBy && auto !== undefined && nowMs - record.issuedAt >= auto) record.approvedBy = HELPDESK_TECHNICIAN;
    if (!record.approvedBy) {
      throw new ApiError('authorization_pending', OAUTH_AADSTS.authorizationPending, 'The user has not yet completed authorization: the code has not been entered at the verification page.');
    }
    record.used = true;
    const user = record.approvedBy;
    const { permissions } = this.graphResourceOf(record.scopes.filter((s) => !OIDC_SCOPES.has(s)));
    const granted = permissions.includes('.default') ? [...HELPDESK_APP_ROLES] : permissions.filter((p) => HELPDESK_APP_ROLES.includes(p));
    const now = Math.floor(nowMs / 1000);
    const ttl = this.d.accessTokenTtlSeconds();
    const common = { iss: this.issuer, tid: this.d.tenant.id, oid: user.objectId, sub: user.objectId, iat: now, nbf: now, exp: now + ttl };
    const body: FlowBody = {
      token_type: 'Bearer',
      scope: record.scopes.filter((s) => !OIDC_SCOPES.has(s)).join(' '),
      expires_in: ttl,
      ext_expires_in: ttl,
      access_token: this.d.jwt.sign({
        ...common, aud: GRAPH_RESOURCE, appid: clientId, azp: clientId, idtyp: 'user', upn: user.username, name: user.displayName,
        scp: granted.join(' '), wids: user.roles, ver: '1.0',
      }),
      id_token: this.d.jwt.sign({ ...common, aud: clientId, ver: '2.0', name: user.displayName, preferred_username: user.username }),
      client_info: Buffer.from(JSON.stringify({ uid: user.objectId, utid: this.d.tenant.id })).toString('base64url'),
    };
    if (record.scopes.includes('offline_access')) body.refresh_token = randomBytes(48).toString('base64url');
    return body;
  }
}

/** Whether a Graph token lets its bearer read audit logs; the reason when it does not. */
export const auditPermissionProblem = (claims: Record<string, unknown>, readerRoles: readonly string[]): string | undefined => {
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  if (claims.idtyp === 'app') return roles.includes(AUDIT_PERMISSION) ? undefined : `the application lacks the ${AUDIT_PERMISSION} application permission`;
  const scp = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
  if (!scp.includes(AUDIT_PERMISSION)) return `the token lacks the ${AUDIT_PERMISSION} delegated permission`;
  const wids = Array.isArray(claims.wids) ? claims.wids : [];
  return wids.some((w) => readerRoles.includes(String(w))) ? undefined : 'the signed-in user holds no role that may read audit logs (Reports Reader, Security Reader, Security Administrator)';
};
