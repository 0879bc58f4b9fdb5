/**
 * In-process API of the Entra native-auth SSPR v1 emulator: the embedded default of the demo and the test
 * double of every other part. See docs/emulator.md.
 */
import { createSign } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AuditLog, type AuditEvent } from './audit';
import { createPki } from './certs';
import { realClock, type Clock } from './clock';
import { DEMO_CLIENT_ID, DEMO_TENANT, DEMO_TENANT_DISPLAY_NAME, DEMO_TENANT_ID, Directory, type DemoUser } from './directory';
import { FaultQueue, type Fault } from './faults';
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

const jwtSigner = (keyPem: string) => (payload: Record<string, unknown>): string => {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part({ typ: 'JWT', alg: 'RS256', kid: 'sspr-logon-emulator' })}.${part(payload)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(keyPem).toString('base64url');
  return `${input}.${signature}`;
};

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
    signJwt: jwtSigner(pki.keyPem),
    get issuer() {
      return `${baseUrl}/${tenant.id}/v2.0`;
    },
  });
  const { server, sockets } = createEmulatorServer({ clock, service, throttle, faults, audit, outbox, tenant, tls: pki, ...(opts.log ? { log: opts.log } : {}) });

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
