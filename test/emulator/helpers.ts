/**
 * A real HTTPS client for the emulator conformance tests: node:https trusting exactly the emulator's CA
 * (certificate verification stays on), TLS 1.2 minimum, form-encoded bodies, JSON replies.
 */
import { Agent, request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { DemoUser, RunningEmulator } from '../../src/emulator/index';

export type Endpoint = 'start' | 'challenge' | 'continue' | 'submit' | 'poll_completion' | 'token';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON replies are asserted field by field
  body: any;
}

export interface RawRequest {
  method?: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export function clientFor(emu: RunningEmulator) {
  const agent = new Agent({ ca: emu.caPem, minVersion: 'TLSv1.2', keepAlive: false });

  const raw = ({ method = 'POST', path, body, headers = {} }: RawRequest): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const req = request(
        `${emu.baseUrl}${path}`,
        { method, agent, headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers }, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              /* leave the raw text for the assertion message */
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('client timeout')));
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });

  const pathOf = (endpoint: Endpoint) =>
    endpoint === 'token' ? `/${emu.tenant}/oauth2/v2.0/token` : `/${emu.tenant}/resetpassword/v1.0/${endpoint}`;

  /** POSTs a form to an endpoint. Fields are sent as given: pass client_id yourself (tests omit it on purpose). */
  const post = (endpoint: Endpoint, form: Record<string, string>, headers: Record<string, string> = {}) =>
    raw({
      path: pathOf(endpoint),
      body: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });

  const base = { client_id: emu.clientId };

  /** start → T0 for a user. */
  const started = async (username: string): Promise<string> => {
    const r = await post('start', { ...base, username, challenge_type: 'oob redirect' });
    if (r.status !== 200 || !r.body.continuation_token) throw new Error(`start failed: ${JSON.stringify(r.body)}`);
    return r.body.continuation_token as string;
  };

  /** start + challenge → T1 and the code from the outbox. */
  const challenged = async (username: string): Promise<{ token: string; code: string }> => {
    const r = await post('challenge', { ...base, continuation_token: await started(username), challenge_type: 'oob redirect' });
    if (r.status !== 200) throw new Error(`challenge failed: ${JSON.stringify(r.body)}`);
    return { token: r.body.continuation_token as string, code: emu.latestCode(username)! };
  };

  /** start + challenge + continue → T2 (ready for submit). */
  const verified = async (username: string): Promise<string> => {
    const { token, code } = await challenged(username);
    const r = await post('continue', { ...base, continuation_token: token, grant_type: 'oob', oob: code });
    if (r.status !== 200) throw new Error(`continue failed: ${JSON.stringify(r.body)}`);
    return r.body.continuation_token as string;
  };

  /** The whole flow up to a successful submit → T3 (ready for poll_completion). */
  const submitted = async (username: string, password: string): Promise<string> => {
    const r = await post('submit', { ...base, continuation_token: await verified(username), new_password: password });
    if (r.status !== 200) throw new Error(`submit failed: ${JSON.stringify(r.body)}`);
    return r.body.continuation_token as string;
  };

  return { raw, post, base, started, challenged, verified, submitted, agent, close: () => agent.destroy() };
}

/** A wrong code of the right shape, guaranteed to differ from `code`. */
export const wrongCodeFor = (code: string): string => code.split('').map((d) => String((Number(d) + 1) % 10)).join('');

/** Asserts Entra's error envelope and returns the body. */
export function expectEnvelope(r: Reply, error: string, code: number, suberror?: string, status = 400) {
  const problems: string[] = [];
  if (r.status !== status) problems.push(`status ${r.status} != ${status}`);
  if (r.body?.error !== error) problems.push(`error ${r.body?.error} != ${error}`);
  if (JSON.stringify(r.body?.error_codes) !== JSON.stringify([code])) problems.push(`error_codes ${JSON.stringify(r.body?.error_codes)} != [${code}]`);
  if (r.body?.suberror !== suberror) problems.push(`suberror ${r.body?.suberror} != ${suberror}`);
  const description = String(r.body?.error_description ?? '');
  const shape = new RegExp(`^AADSTS${code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [A-Za-z0-9-]+\\r\\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`);
  if (!shape.test(description)) problems.push(`error_description has the wrong shape: ${JSON.stringify(description)}`);
  if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/.test(String(r.body?.timestamp))) problems.push(`timestamp ${r.body?.timestamp}`);
  if (!/^[0-9a-f-]{36}$/.test(String(r.body?.trace_id))) problems.push(`trace_id ${r.body?.trace_id}`);
  if (typeof r.body?.correlation_id !== 'string' || r.body.correlation_id === '') problems.push('correlation_id missing');
  if (problems.length) throw new Error(`unexpected reply ${JSON.stringify(r.body)} (${r.status}): ${problems.join('; ')}`);
  return r.body;
}

let userCounter = 0;

/**
 * Adds a fresh registered account (a copy of Alice's shape under a new name), so tests sharing one emulator
 * never share lockout counters, codes or passwords.
 */
export function addUser(emu: RunningEmulator, overrides: Partial<DemoUser> = {}): DemoUser {
  userCounter += 1;
  const name = `user${userCounter}`;
  const user: DemoUser = {
    username: `${name}@contoso.com`,
    displayName: `Test User ${userCounter}`,
    givenName: 'Morgan',
    surname: 'Quincy',
    kind: 'registered',
    note: 'test account',
    initialPassword: 'Blue-Harbor-73',
    objectId: randomUUID(),
    email: `${name}@fabrikam.com`,
    methods: ['email'],
    ssprEnabled: true,
    accountEnabled: true,
    isAdmin: false,
    writebackFailures: 0,
    ...overrides,
  };
  emu.directory.add(user);
  return user;
}
