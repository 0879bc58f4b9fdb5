/**
 * The emulator's Graph side, over real HTTPS: OpenID discovery, client credentials and device code at the
 * token endpoint, and GET /v1.0/auditLogs/directoryAudits with its filter subset, paging, token checks and
 * injected faults. (test/main/cli/audit.test.ts drives the same routes through @azure/msal-node.)
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditActivity, createManualClock, startEmulator, type RunningEmulator } from '../../src/emulator/index';
import { addUser, clientFor, expectEnvelope, type Reply } from './helpers';

let emu: RunningEmulator;
let c: ReturnType<typeof clientFor>;

beforeAll(async () => {
  emu = await startEmulator({ policy: { requestsPerSecond: 10_000, maxEmailsPerWindow: 1000 }, helpdesk: { deviceCodeIntervalSeconds: 0 } });
  c = clientFor(emu);
});
afterEach(() => emu.faults.clear());
afterAll(async () => {
  c.close();
  await emu.close();
});

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const tokenPath = () => `/${emu.tenant}/oauth2/v2.0/token`;
const postForm = (path: string, fields: Record<string, string>) => c.raw({ path, body: new URLSearchParams(fields).toString(), headers: form });
const appToken = async (): Promise<string> => {
  const r = await postForm(tokenPath(), { client_id: emu.helpdesk.clientId, client_secret: emu.helpdesk.clientSecret, grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' });
  expect(r.status).toBe(200);
  return r.body.access_token as string;
};
const audits = (query: string, token?: string, headers: Record<string, string> = {}): Promise<Reply> =>
  c.raw({ method: 'GET', path: `/v1.0/auditLogs/directoryAudits${query}`, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

/** A user with a full, successful reset (and so several audit events under one correlation id). */
const resetUser = async () => {
  const user = addUser(emu).username;
  const t3 = await c.submitted(user, 'Tidal-Meadow-2931');
  for (let i = 0; i < 5; i++) {
    const r = await c.post('poll_completion', { ...c.base, continuation_token: t3 });
    if (r.body.status === 'succeeded') break;
  }
  const reset = emu.audit.find((e) => e.activityDisplayName === AuditActivity.reset && e.targetResources[0]!.userPrincipalName === user)!;
  return { user, correlationId: reset.correlationId };
};

describe('OpenID discovery', () => {
  it('serves the tenant document with the token and device-code endpoints on this authority', async () => {
    for (const segment of [emu.tenant, emu.tenantId]) {
      const r = await c.raw({ method: 'GET', path: `/${segment}/v2.0/.well-known/openid-configuration` });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        issuer: `${emu.baseUrl}/${emu.tenantId}/v2.0`,
        token_endpoint: `${emu.baseUrl}/${emu.tenantId}/oauth2/v2.0/token`,
        device_authorization_endpoint: `${emu.baseUrl}/${emu.tenantId}/oauth2/v2.0/devicecode`,
        jwks_uri: expect.stringContaining(emu.baseUrl),
        authorization_endpoint: expect.stringContaining(emu.baseUrl),
      });
    }
    const unknown = await c.raw({ method: 'GET', path: '/fabrikam.onmicrosoft.com/v2.0/.well-known/openid-configuration' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error_codes).toEqual([90002]);
  });
});

describe('client credentials', () => {
  const cc = (fields: Record<string, string>) =>
    postForm(tokenPath(), { client_id: emu.helpdesk.clientId, grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default', ...fields });

  it('issues a Graph token for the right secret, with the app role AuditLog.Read.All', async () => {
    const r = await cc({ client_secret: emu.helpdesk.clientSecret });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const claims = JSON.parse(Buffer.from(String(r.body.access_token).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', tid: emu.tenantId, idtyp: 'app', roles: expect.arrayContaining(['AuditLog.Read.All']) });
  });

  it("accepts the emulator's own origin as Graph's resource (what audit --graph <emulator> asks for)", async () => {
    expect((await cc({ client_secret: emu.helpdesk.clientSecret, scope: `${emu.graphBaseUrl}/.default` })).status).toBe(200);
  });

  it('refuses a wrong, missing or misplaced credential with Entra errors', async () => {
    expectEnvelope(await cc({ client_secret: 'wrong' }), 'invalid_client', 7000215, undefined, 401);
    expectEnvelope(await cc({}), 'invalid_client', 7000218, undefined, 401);
    expectEnvelope(await cc({ client_id: emu.clientId, client_secret: emu.helpdesk.clientSecret }), 'unauthorized_client', 700016);
    expectEnvelope(await cc({ client_secret: emu.helpdesk.clientSecret, scope: 'https://vault.azure.net/.default' }), 'invalid_resource', 500011);
    expectEnvelope(await cc({ client_secret: emu.helpdesk.clientSecret, scope: 'https://graph.microsoft.com/AuditLog.Read.All' }), 'invalid_scope', 70011);
  });

  it('refuses a client assertion signed by a key whose certificate is not registered', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const input = `${part({ alg: 'RS256', x5t: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA' })}.${part({ aud: `${emu.baseUrl}${tokenPath()}`, iss: emu.helpdesk.clientId, sub: emu.helpdesk.clientId, nbf: now, exp: now + 600, jti: 'x' })}`;
    const assertion = `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    const r = await cc({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
    expectEnvelope(r, 'invalid_client', 700027, undefined, 401);
  });
});

describe('device code', () => {
  const start = () => postForm(`/${emu.tenant}/oauth2/v2.0/devicecode`, { client_id: emu.helpdesk.clientId, scope: 'https://graph.microsoft.com/AuditLog.Read.All openid profile offline_access' });
  const poll = (deviceCode: string) => postForm(tokenPath(), { client_id: emu.helpdesk.clientId, grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode });

  it('is pending until the technician approves at /devicelogin, then issues a delegated Graph token once', async () => {
    const dc = await start();
    expect(dc.status).toBe(200);
    expect(dc.body).toMatchObject({ user_code: expect.stringMatching(/^[A-Z]{9}$/), verification_uri: `${emu.baseUrl}/devicelogin`, expires_in: 900, interval: 0 });
    expectEnvelope(await poll(dc.body.device_code), 'authorization_pending', 70016);

    const approved = await postForm('/devicelogin', { user_code: dc.body.user_code });
    expect(approved).toMatchObject({ status: 200, body: { approved: true, username: emu.helpdesk.technician.username } });
    const token = await poll(dc.body.device_code);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', id_token: expect.any(String), refresh_token: expect.any(String), client_info: expect.any(String) });
    expect((await audits('', token.body.access_token)).status).toBe(200);
    expectEnvelope(await poll(dc.body.device_code), 'invalid_grant', 70000);
  });

  it('an unknown user code is refused at /devicelogin', async () => {
    const r = await postForm('/devicelogin', { user_code: 'NOSUCHCOD' });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_grant');
  });

  it('can approve itself after a delay (the demo convention) and expires after 15 minutes, on the emulator clock', async () => {
    const clock = createManualClock(Date.now());
    const auto = await startEmulator({ clock, helpdesk: { autoApproveDeviceCodesAfterMs: 5000 } });
    const a = clientFor(auto);
    try {
      const begin = () => a.raw({ path: `/${auto.tenant}/oauth2/v2.0/devicecode`, body: `client_id=${auto.helpdesk.clientId}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default`, headers: form });
      const pollAuto = (code: string) => a.raw({ path: `/${auto.tenant}/oauth2/v2.0/token`, body: new URLSearchParams({ client_id: auto.helpdesk.clientId, grant_type: 'device_code', device_code: code }).toString(), headers: form });
      const first = await begin();
      expect(first.body.interval).toBe(5);
      expectEnvelope(await pollAuto(first.body.device_code), 'authorization_pending', 70016);
      clock.advance(5000);
      expect((await pollAuto(first.body.device_code)).status).toBe(200);

      const late = await begin();
      clock.advance(900_000);
      expectEnvelope(await pollAuto(late.body.device_code), 'expired_token', 70019);
    } finally {
      a.close();
      await auto.close();
    }
  });
});

describe('GET /v1.0/auditLogs/directoryAudits', () => {
  let alice: { user: string; correlationId: string };
  beforeAll(async () => {
    alice = await resetUser();
    await resetUser();
  });

  it('needs a Graph bearer token with AuditLog.Read.All', async () => {
    const none = await audits('');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('InvalidAuthenticationToken');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);

    const forged = (await appToken()).replace(/\.[^.]+$/, '.AAAA');
    expect((await audits('', forged)).status).toBe(401);

    // The token a user gets at the end of a native-auth reset is for Graph, but carries no audit permission.
    const user = addUser(emu).username;
    const t3 = await c.submitted(user, 'Tidal-Meadow-2931');
    let t4 = '';
    for (let i = 0; i < 5 && !t4; i++) {
      const r = await c.post('poll_completion', { ...c.base, continuation_token: t3 });
      if (r.body.status === 'succeeded') t4 = r.body.continuation_token;
    }
    const userToken = await c.post('token', { ...c.base, continuation_token: t4, grant_type: 'continuation_token', scope: 'openid' });
    const denied = await audits('', userToken.body.access_token);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
  });

  it('filters by correlation id, by target user and by time, newest first', async () => {
    const token = await appToken();
    const byId = await audits(q({ $filter: `loggedByService eq 'Self-service Password Management' and correlationId eq '${alice.correlationId}'` }), token);
    expect(byId.status).toBe(200);
    const expected = emu.audit.filter((e) => e.correlationId === alice.correlationId);
    expect(byId.body.value.map((e: { id: string }) => e.id)).toEqual(expected.map((e) => e.id).reverse());

    const mine = emu.audit.filter((e) => e.targetResources[0]!.userPrincipalName === alice.user).map((e) => e.id).reverse();
    for (const filter of [`initiatedBy/user/userPrincipalName eq '${alice.user.toUpperCase()}'`, `targetResources/any(t: t/userPrincipalName eq '${alice.user}')`]) {
      const byUser = await audits(q({ $filter: filter }), token);
      expect(byUser.body.value.map((e: { id: string }) => e.id), filter).toEqual(mine);
    }

    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await audits(q({ $filter: `activityDateTime ge ${future}` }), token)).body.value).toEqual([]);
    expect((await audits(q({ $filter: `activityDateTime ge 2000-01-01T00:00:00Z` }), token)).body.value.length).toBe(Math.min(emu.audit.length, 100));
  });

  it('refuses what it does not support, as Graph does', async () => {
    const token = await appToken();
    const refused: Record<string, string>[] = [{ $filter: "result eq 'failure'" }, { $filter: 'activityDateTime gt 2026-01-01T00:00:00Z' }, { $filter: "correlationId eq 'x' or 1 eq 1" }, { $top: '0' }, { $top: '1000' }, { $skiptoken: 'garbage' }];
    for (const params of refused) {
      const r = await audits(q(params), token);
      expect(r.status, JSON.stringify(params)).toBe(400);
      expect(r.body.error.code).toBe('BadRequest');
    }
  });

  it('pages with $top and @odata.nextLink, keeping the filter, stable while new events arrive', async () => {
    const token = await appToken();
    const filter = `initiatedBy/user/userPrincipalName eq '${alice.user}'`;
    const all = emu.audit.filter((e) => e.targetResources[0]!.userPrincipalName === alice.user).map((e) => e.id).reverse();
    expect(all.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let next: string | undefined = `/v1.0/auditLogs/directoryAudits${q({ $filter: filter, $top: '2' })}`;
    let pages = 0;
    while (next) {
      const r = await c.raw({ method: 'GET', path: next, headers: { authorization: `Bearer ${token}` } });
      expect(r.status).toBe(200);
      expect(r.body.value.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.value.map((e: { id: string }) => e.id));
      pages += 1;
      const link = r.body['@odata.nextLink'] as string | undefined;
      if (link) {
        const url = new URL(link);
        expect(url.origin).toBe(emu.graphBaseUrl);
        expect(url.searchParams.get('$filter')).toBe(filter);
        if (pages === 1) await resetUser(); // newer events must not shift the pages already under way
      }
      next = link ? link.slice(emu.baseUrl.length) : undefined;
    }
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));
  });

  it('answers an injected 429 in Graph shape with Retry-After, then serves again', async () => {
    const token = await appToken();
    emu.faults.inject({ endpoint: 'directoryAudits', kind: '429', retryAfterSeconds: 3 });
    const throttled = await audits('', token, { 'client-request-id': '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('3');
    expect(throttled.body.error).toMatchObject({ code: 'TooManyRequests', innerError: { 'client-request-id': '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9' } });
    expect((await audits('', token)).status).toBe(200);
  });
});

describe('emulator command line', () => {
  it("prints its Graph base URL and the helpdesk app's client id and secret, which get a Graph token", async () => {
    const root = join(__dirname, '..', '..');
    const dir = mkdtempSync(join(tmpdir(), 'sspr-graph-cli-'));
    const caFile = join(dir, 'ca.pem');
    const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['src/emulator/cli.ts', '--ca-out', caFile], { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } });
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('device login:')) resolve(text);
        });
        child.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${text}`)));
      });
      const graph = /graph: +(https:\/\/127\.0\.0\.1:\d+) +\(GET \/v1\.0\/auditLogs\/directoryAudits\)/.exec(out)?.[1];
      const clientId = /helpdesk app client id: ([0-9a-f-]{36})/.exec(out)?.[1];
      const secret = /helpdesk app secret: +(emu~[A-Za-z0-9_-]{32})/.exec(out)?.[1];
      expect([graph, clientId, secret].every(Boolean), out).toBe(true);
      const status = await new Promise<number>((resolve, reject) => {
        const agent = new Agent({ ca: readFileSync(caFile, 'utf8'), minVersion: 'TLSv1.2' });
        const body = new URLSearchParams({ client_id: clientId!, client_secret: secret!, grant_type: 'client_credentials', scope: `${graph}/.default` }).toString();
        const req = request(`${graph}/contoso.onmicrosoft.com/oauth2/v2.0/token`, { method: 'POST', agent, headers: form }, (res) => {
          res.resume();
          res.on('end', () => {
            agent.destroy();
            resolve(res.statusCode ?? 0);
          });
        });
        req.on('error', reject);
        req.end(body);
      });
      expect(status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
