/** OAuth 2.0: a request parameter sent twice is an invalid_request, never "the first one wins". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index';
import { clientFor, expectEnvelope } from './helpers';

let emu: RunningEmulator;
let c: ReturnType<typeof clientFor>;

beforeAll(async () => {
  emu = await startEmulator({ policy: { requestsPerSecond: 100_000 } });
  c = clientFor(emu);
});
afterAll(async () => {
  c.close();
  await emu.close();
});

const form = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const startPath = () => `/${emu.tenant}/resetpassword/v1.0/start`;
const headers = { 'content-type': 'application/x-www-form-urlencoded' };

describe('repeated request parameters', () => {
  const id = () => c.base.client_id;
  it.each([
    ['username', () => [['client_id', id()], ['challenge_type', 'oob redirect'], ['username', 'alice@contoso.com'], ['username', 'mallory@contoso.com']]],
    ['client_id', () => [['client_id', id()], ['challenge_type', 'oob redirect'], ['username', 'alice@contoso.com'], ['client_id', 'x']]],
    ['challenge_type', () => [['client_id', id()], ['challenge_type', 'oob redirect'], ['username', 'alice@contoso.com'], ['challenge_type', 'redirect']]],
  ] as [string, () => [string, string][]][])('a repeated %s is refused with invalid_request naming it', async (name, pairs) => {
    const reply = await c.raw({ path: startPath(), headers, body: form(pairs()) });
    const body = expectEnvelope(reply, 'invalid_request', 900144);
    expect(body.error_description).toContain(`'${name}' is included more than once`);
  });

  it('the same request without the repetition is answered normally', async () => {
    const reply = await c.raw({ path: startPath(), headers, body: form([['client_id', id()], ['challenge_type', 'oob redirect'], ['username', 'alice@contoso.com']]) });
    expect(reply.status).toBe(200);
    expect(reply.body.continuation_token).toEqual(expect.any(String));
  });
});
