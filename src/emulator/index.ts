/**
 * In-process API of the Entra native-auth SSPR v1 emulator: the embedded default of the demo and the test
 * double of every other part. See docs/emulator.md.
 */
import type { AddressInfo } from 'node:net';
import { AuditLog, type AuditEvent } from './audit';
import { createPki } from './certs';
import { realClock, type Clock } from './clock';
import { DEMO_CLIENT_ID, DEMO_TENANT, DEMO_TENANT_DISPLAY_NAME, DEMO_TENANT_ID, Directory, type DemoUser } from './directory';
import { FaultQueue, type Fault } from './faults';
import { graphAuditRoute } from './graphAudit';
import { HELPDESK_TECHNICIAN, HelpdeskApp, type Technician } from './helpdeskApp';
import { createJwtKeys } from './jwt';
import { OAuthService } from './oauth';
import { oauthRoutes } from './oauthRoutes';
import { resolvePolicy, type EmulatorPolicy } from './policy';
import { ResetService, type OutboxEntry, type TenantInfo } from './resetFlow';
import { createEmulatorServer } from './server';
import { Throttle } from './throttle';
import { TokenStore } from './tokens';

export { createManualClock, realClock, type Clock, type ManualClock } from './clock';
export { DEMO_CLIENT_ID, DEMO_TENANT, DEMO_TENANT_DISPLAY_NAME, DEMO_TENANT_ID, DEMO_USERS, maskEmail } from './directory';
export type { DemoUser, DemoUserKind, DemoUserSummary, AuthMethod } from './directory';
export { DEFAULT_POLICY, type EmulatorPolicy } from './policy';
export type { Fault, FaultEndpoint, FaultKind } from './faults';
export type { AuditEvent } from './audit';
export { AuditActivity, AuditReason, SSPR_SERVICE } from './audit';
export type { OutboxEntry } from './resetFlow';
export { AADSTS } from './errors';
export { scorePassword, GLOBAL_BANNED_TERMS } from './bannedPasswords';
export { checkNewPassword, type PasswordSuberror } from './passwordRules';
export { AUDIT_PERMISSION, GRAPH_RESOURCE, HELPDESK_APP_NAME, HELPDESK_CLIENT_ID, HELPDESK_TECHNICIAN, type Technician } from './helpdeskApp';
export { DEFAULT_PAGE_SIZE, DIRECTORY_AUDITS_PATH } from './graphAudit';

export interface EmulatorOptions {
  /** Default 0 (a free port). The host is always 127.0.0.1. */
  port?: number;
  /** Default: real time. */
  clock?: Clock;
  /** Default 'contoso.onmicrosoft.com'. */
  tenant?: string;
  /** Default DEMO_CLIENT_ID. The demo client id is always accepted too. */
  clientId?: string;
  policy?: Partial<EmulatorPolicy>;
  /** Default true: the demo directory. */
  seed?: boolean;
  /** Receives one summary line per request (method, path, status, time; never a body). */
  log?: (line: string) => void;
  /** The helpdesk side (device code for a technician); see docs/emulator.md "Graph and the helpdesk app". */
  helpdesk?: {
    /** `interval` the devicecode endpoint tells clients to wait between polls. Default 5 (Entra's). */
    deviceCodeIntervalSeconds?: number;
    /** Convention for unattended demos: device codes approve themselves (as the technician) after this long. */
    autoApproveDeviceCodesAfterMs?: number;
  };
}

export interface EmulatorHelpdesk {
  /** The helpdesk app registration's client id (HELPDESK_CLIENT_ID). */
  clientId: string;
  /** Its client secret, new every run. */
  clientSecret: string;
  /** The account that approves device codes by default (holds Reports Reader). */
  technician: Technician;
  /** Uploads a certificate (PEM) to the app registration, for certificate sign-in; returns its SHA-256 thumbprint. */
  registerCertificate(certPem: string): string;
  /** What the technician does at the verification page: approves a device code, as `username` if given. */
  approveDeviceCode(userCode: string, username?: string): void;
}

export interface EmulatorDirectory {
  readonly users: DemoUser[];
  find(username: string): DemoUser | undefined;
  passwordOf(username: string): string | undefined;
  /** Adds or replaces an account (its `initialPassword` becomes the current password). */
  add(user: DemoUser): void;
  /** Sets a password directly, as an admin would. */
  setPassword(username: string, password: string): void;
}

export interface RunningEmulator {
  /** 'https://127.0.0.1:<port>' */
  baseUrl: string;
  /** baseUrl + '/' + tenant + '/': the native engine appends 'resetpassword/v1.0/start' etc. */
  authority: string;
  tenant: string;
  tenantId: string;
  clientId: string;
  port: number;
  /** PEM of the CA that issued the server certificate; clients trust exactly this. */
  caPem: string;
  /** Microsoft Graph's stand-in, same origin: `${graphBaseUrl}/v1.0/auditLogs/directoryAudits`. */
  graphBaseUrl: string;
  helpdesk: EmulatorHelpdesk;
  outbox: OutboxEntry[];
  latestCode(username: string): string | undefined;
  audit: AuditEvent[];
  faults: { inject(f: Fault): void; clear(): void };
  directory: EmulatorDirectory;
  /** The live policy; `setPolicy` changes it for the following requests. */
  readonly policy: Readonly<EmulatorPolicy>;
  setPolicy(changes: Partial<EmulatorPolicy>): void;
  /** When the user's SSPR lockout ends (ms on the emulator clock), or undefined when not locked. */
  lockedUntil(username: string): number | undefined;
  close(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = opts.clock ?? realClock;
  let policy = resolvePolicy(opts.policy);
  const getPolicy = () => policy;
  const tenantName = opts.tenant ?? DEMO_TENANT;
  if (!/^[A-Za-z0-9.-]{3,100}$/.test(tenantName)) throw new RangeError(`not a tenant name: ${tenantName}`);
  const tenant: TenantInfo = {
    name: tenantName,
    displayName: tenantName === DEMO_TENANT ? DEMO_TENANT_DISPLAY_NAME : (tenantName.split('.')[0] ?? tenantName),
    id: DEMO_TENANT_ID,
  };
  const clientId = (opts.clientId ?? DEMO_CLIENT_ID).toLowerCase();
  const pki = await createPki();
  const jwt = createJwtKeys(pki.keyPem, pki.certPem);
  const directory = new Directory(opts.seed ?? true);
  const tokens = new TokenStore(clock);
  const throttle = new Throttle(clock, getPolicy);
  const audit = new AuditLog(clock);
  const outbox: OutboxEntry[] = [];
  const faults = new FaultQueue();

  const port = opts.port ?? 0;
  // The issuer needs the port, known only after listen; the service reads it lazily.
  let baseUrl = '';
  const service = new ResetService({
    clock,
    policy: getPolicy,
    directory,
    tokens,
    throttle,
    audit,
    outbox,
    tenant,
    clientIds: new Set([clientId, DEMO_CLIENT_ID]),
    signJwt: (payload) => jwt.sign(payload),
    get issuer() {
      return `${baseUrl}/${tenant.id}/v2.0`;
    },
  });
  const app = new HelpdeskApp();
  const intervalSeconds = opts.helpdesk?.deviceCodeIntervalSeconds ?? 5;
  if (!Number.isInteger(intervalSeconds) || intervalSeconds < 0 || intervalSeconds > 60) throw new RangeError('deviceCodeIntervalSeconds must be 0–60');
  const oauth = new OAuthService({
    clock,
    tenant,
    app,
    jwt,
    baseUrl: () => baseUrl,
    account: (username) => {
      if (username.toLowerCase() === HELPDESK_TECHNICIAN.username) return HELPDESK_TECHNICIAN;
      const user = directory.find(username);
      return user ? { username: user.username, displayName: user.displayName, objectId: user.objectId, roles: [] } : undefined;
    },
    deviceCode: {
      intervalSeconds,
      ...(opts.helpdesk?.autoApproveDeviceCodesAfterMs !== undefined ? { autoApproveAfterMs: opts.helpdesk.autoApproveDeviceCodesAfterMs } : {}),
    },
    accessTokenTtlSeconds: () => policy.accessTokenTtlSeconds,
  });
  const routes = [oauthRoutes(oauth, tenant), graphAuditRoute({ clock, tenantId: tenant.id, jwt, events: audit.events, faults, baseUrl: () => baseUrl })];
  const { server, sockets } = createEmulatorServer({
    clock, service, throttle, faults, audit, outbox, tenant, tls: pki, oauth, routes, ...(opts.log ? { log: opts.log } : {}),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  baseUrl = `https://127.0.0.1:${actualPort}`;

  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    authority: `${baseUrl}/${tenant.name}/`,
    tenant: tenant.name,
    tenantId: tenant.id,
    clientId,
    port: actualPort,
    caPem: pki.caPem,
    graphBaseUrl: baseUrl,
    helpdesk: {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      technician: HELPDESK_TECHNICIAN,
      registerCertificate: (certPem) => app.registerCertificate(certPem),
      approveDeviceCode: (userCode, username) => void oauth.approve(userCode, username),
    },
    outbox,
    latestCode(username: string) {
      const name = username.trim().toLowerCase();
      for (let i = outbox.length - 1; i >= 0; i--) if (outbox[i]!.username.toLowerCase() === name) return outbox[i]!.code;
      return undefined;
    },
    audit: audit.events,
    faults: { inject: (f) => faults.inject(f), clear: () => faults.clear() },
    directory: {
      get users() {
        return directory.users;
      },
      find: (username) => {
        const u = directory.find(username);
        return u ? { ...u, methods: [...u.methods] } : undefined;
      },
      passwordOf: (username) => directory.passwordOf(username),
      add: (user) => void directory.add(user),
      setPassword: (username, password) => directory.setPassword(username, password),
    },
    get policy() {
      return policy;
    },
    setPolicy(changes) {
      policy = resolvePolicy(changes, policy);
    },
    lockedUntil(username) {
      const user = directory.find(username);
      return user ? throttle.lockedUntil(user.objectId) : undefined;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
