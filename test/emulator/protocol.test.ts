/**
 * Conformance of the native-auth SSPR v1 endpoints (sspr-protocol.md §1.2, §1.3, §6.1) over real HTTPS:
 * every response shape, error and suberror a client can meet, and the continuation-token rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, DEMO_CLIENT_ID, startEmulator, type RunningEmulator } from '../../src/emulator/index';
import { addUser, clientFor, expectEnvelope, wrongCodeFor } from './helpers';

const clock = createManualClock();
let emu: RunningEmulator;
let c: ReturnType<typeof clientFor>;

beforeAll(async () => {
  // A generous request rate: this file checks the protocol, throttle.test.ts checks the 20/s gateway limit.
  emu = await startEmulator({ clock, policy: { requestsPerSecond: 100_000 } });
  c = clientFor(emu);
});
afterAll(async () => {
  c.close();
  await emu.close();
});

const START = { challenge_type: 'oob redirect' };

describe('transport', () => {
  it('answers JSON with an x-ms-request-id on success and on error, and echoes client-request-id', async () => {
    const ok = await c.post('start', { ...c.base, ...START, username: 'alice@contoso.com' }, { 'client-request-id': 'corr-1234' });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^application\/json/);
    expect(ok.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.headers['client-request-id']).toBe('corr-1234');

    const bad = await c.post('start', { ...c.base, ...START, username: 'nobody@contoso.com' }, { 'client-request-id': 'corr-5678' });
    expect(bad.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const body = expectEnvelope(bad, 'user_not_found', 50034);
    expect(body.correlation_id).toBe('corr-5678');
    expect(body.error_description).toContain('\r\nCorrelation ID: corr-5678\r\n');
  });

  it('makes up a correlation id when the client sends none', async () => {
    const r = await c.post('start', { ...c.base, ...START, username: 'nobody@contoso.com' });
    expect(expectEnvelope(r, 'user_not_found', 50034).correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses bodies that are not form-encoded', async () => {
    const r = await c.raw({
      path: `/${emu.tenant}/resetpassword/v1.0/start`,
      body: JSON.stringify({ client_id: emu.clientId, username: 'alice@contoso.com', challenge_type: 'oob redirect' }),
      headers: { 'content-type': 'application/json' },
    });
    expectEnvelope(r, 'invalid_request', 900144);
    const none = await c.raw({ path: `/${emu.tenant}/resetpassword/v1.0/start`, body: `client_id=${emu.clientId}` });
    expectEnvelope(none, 'invalid_request', 900144);
  });

  it('accepts a charset parameter on the form content type', async () => {
    const r = await c.raw({
      path: `/${emu.tenant}/resetpassword/v1.0/start`,
      body: new URLSearchParams({ ...c.base, ...START, username: 'alice@contoso.com' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });
    expect(r.status).toBe(200);
  });

  it('answers unknown routes with 404 JSON and non-POST calls with 405', async () => {
    const missing = await c.raw({ method: 'GET', path: '/nowhere' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('not_found');
    const wrongVersion = await c.raw({ method: 'POST', path: `/${emu.tenant}/resetpassword/v2.0/start`, body: '' });
    expect(wrongVersion.status).toBe(404);
    const get = await c.raw({ method: 'GET', path: `/${emu.tenant}/resetpassword/v1.0/start` });
    expectEnvelope(get, 'invalid_request', 900561, undefined, 405);
    expect(get.headers['x-ms-request-id']).toBeTruthy();
  });

  it('knows its tenant by name or id and nothing else', async () => {
    const form = new URLSearchParams({ ...c.base, ...START, username: 'alice@contoso.com' }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const byId = await c.raw({ path: `/${emu.tenantId}/resetpassword/v1.0/start`, body: form, headers });
    expect(byId.status).toBe(200);
    const other = await c.raw({ path: '/fabrikam.onmicrosoft.com/resetpassword/v1.0/start', body: form, headers });
    expectEnvelope(other, 'invalid_request', 90002);
    const malformed = await c.raw({ path: '/%E0%A4%A/resetpassword/v1.0/start', body: form, headers });
    expectEnvelope(malformed, 'invalid_request', 90002);
  });
});

describe('request log', () => {
  it('gives one line per request, answered or dropped, without bodies', async () => {
    const lines: string[] = [];
    const logged = await startEmulator({ clock, log: (line) => lines.push(line) });
    const lc = clientFor(logged);
    try {
      await lc.post('start', { ...lc.base, ...START, username: 'alice@contoso.com' });
      logged.faults.inject({ endpoint: 'start', kind: 'drop' });
      await expect(lc.post('start', { ...lc.base, ...START, username: 'alice@contoso.com' })).rejects.toThrow();
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z POST \/contoso\.onmicrosoft\.com\/resetpassword\/v1\.0\/start -> 200 \(\d+ ms\)$/);
      expect(lines[1]).toMatch(/ POST \/contoso\.onmicrosoft\.com\/resetpassword\/v1\.0\/start -> dropped \(\d+ ms\)$/);
      expect(lines.join('\n')).not.toContain('alice');
    } finally {
      lc.close();
      await logged.close();
    }
  });
});

describe('start', () => {
  it('returns a continuation token for a registered user, matching the UPN case-insensitively', async () => {
    const r = await c.post('start', { ...c.base, ...START, username: 'ALICE@Contoso.com' });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['continuation_token']);
    expect(r.body.continuation_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('refuses a missing, empty or malformed client_id with invalid_request', async () => {
    expectEnvelope(await c.post('start', { ...START, username: 'alice@contoso.com' }), 'invalid_request', 900144);
    expectEnvelope(await c.post('start', { client_id: '', ...START, username: 'alice@contoso.com' }), 'invalid_request', 900144);
    expectEnvelope(await c.post('start', { client_id: 'not-a-guid', ...START, username: 'alice@contoso.com' }), 'invalid_request', 700038);
  });

  it('refuses an unknown application with unauthorized_client', async () => {
    const r = await c.post('start', { client_id: '11111111-2222-3333-4444-555555555555', ...START, username: 'alice@contoso.com' });
    expectEnvelope(r, 'unauthorized_client', 700016);
  });

  it('answers invalid_client + nativeauthapi_disabled while native auth is off, on every endpoint', async () => {
    const token = await c.started('alice@contoso.com');
    emu.setPolicy({ nativeAuthEnabled: false });
    try {
      expectEnvelope(await c.post('start', { ...c.base, ...START, username: 'alice@contoso.com' }), 'invalid_client', 500208, 'nativeauthapi_disabled');
      expectEnvelope(await c.post('challenge', { ...c.base, continuation_token: token }), 'invalid_client', 500208, 'nativeauthapi_disabled');
    } finally {
      emu.setPolicy({ nativeAuthEnabled: true });
    }
  });

  it('requires redirect in challenge_type and refuses unknown challenge types', async () => {
    expectEnvelope(await c.post('start', { ...c.base, challenge_type: 'oob', username: 'alice@contoso.com' }), 'unsupported_challenge_type', 901007);
    expectEnvelope(await c.post('start', { ...c.base, challenge_type: 'oob sms redirect', username: 'alice@contoso.com' }), 'invalid_request', 901007);
    expectEnvelope(await c.post('start', { ...c.base, username: 'alice@contoso.com' }), 'invalid_request', 900144);
  });

  it('refuses an empty or malformed username as invalid (90100) and an unknown one as user_not_found', async () => {
    expectEnvelope(await c.post('start', { ...c.base, ...START, username: '' }), 'invalid_request', 90100);
    expectEnvelope(await c.post('start', { ...c.base, ...START, username: 'alice' }), 'invalid_request', 90100);
    expectEnvelope(await c.post('start', { ...c.base, ...START }), 'invalid_request', 90100);
    expectEnvelope(await c.post('start', { ...c.base, ...START, username: 'mallory@contoso.com' }), 'user_not_found', 50034);
  });

  it('answers 50057 for an SSPR-disabled user and for a disabled account', async () => {
    expectEnvelope(await c.post('start', { ...c.base, ...START, username: 'carol@contoso.com' }), 'invalid_request', 50057);
    expectEnvelope(await c.post('start', { ...c.base, ...START, username: 'heidi@contoso.com' }), 'invalid_request', 50057);
  });

  it('answers registration_required (50079) for a user without a registered method', async () => {
    expectEnvelope(await c.post('start', { ...c.base, ...START, username: 'bob@contoso.com' }), 'invalid_request', 50079, 'registration_required');
  });

  it('redirects an admin (two gates), a phone-only user, and a client that cannot do oob', async () => {
    for (const username of ['dave.admin@contoso.com', 'frank@contoso.com']) {
      const r = await c.post('start', { ...c.base, ...START, username });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ challenge_type: 'redirect' });
    }
    const noOob = await c.post('start', { ...c.base, challenge_type: 'password redirect', username: 'alice@contoso.com' });
    expect(noOob.status).toBe(200);
    expect(noOob.body).toEqual({ challenge_type: 'redirect' });
  });

  it('accepts a client id passed as an option as well as the demo one', async () => {
    const custom = await startEmulator({ clock, clientId: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE', policy: { requestsPerSecond: 100_000 } });
    const cc = clientFor(custom);
    try {
      expect(custom.clientId).toBe('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
      expect((await cc.post('start', { client_id: custom.clientId, ...START, username: 'alice@contoso.com' })).status).toBe(200);
      expect((await cc.post('start', { client_id: DEMO_CLIENT_ID, ...START, username: 'alice@contoso.com' })).status).toBe(200);
    } finally {
      cc.close();
      await custom.close();
    }
  });
});

describe('challenge', () => {
  it('e-mails a code of code_length digits and describes it with a masked label', async () => {
    const user = addUser(emu, { email: 'alice@fabrikam.com' });
    const r = await c.post('challenge', { ...c.base, continuation_token: await c.started(user.username), challenge_type: 'oob redirect' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      continuation_token: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
      challenge_type: 'oob',
      binding_method: 'prompt',
      challenge_channel: 'email',
      challenge_target_label: 'a***e@fa****m.com',
      code_length: 8,
    });
    const sent = emu.outbox.at(-1)!;
    expect(sent).toMatchObject({ to: 'alice@fabrikam.com', username: user.username });
    expect(sent.code).toMatch(/^\d{8}$/);
    expect(new Date(sent.sentAt).getTime()).toBe(clock.now());
    expect(emu.latestCode(user.username.toUpperCase())).toBe(sent.code);
  });

  it('follows the policy code length', async () => {
    emu.setPolicy({ codeLength: 6 });
    try {
      const user = addUser(emu);
      const r = await c.post('challenge', { ...c.base, continuation_token: await c.started(user.username) });
      expect(r.body.code_length).toBe(6);
      expect(emu.latestCode(user.username)).toMatch(/^\d{6}$/);
    } finally {
      emu.setPolicy({ codeLength: 8 });
    }
  });

  it('resends on a second call: the old code stops working, the new one works', async () => {
    const user = addUser(emu);
    const first = await c.challenged(user.username);
    let resend = await c.post('challenge', { ...c.base, continuation_token: first.token });
    // A fresh random code may repeat the old one (1 in 10^8); ask again rather than assert on luck.
    while (emu.latestCode(user.username) === first.code) resend = await c.post('challenge', { ...c.base, continuation_token: resend.body.continuation_token });
    expect(resend.status).toBe(200);
    const second = { token: resend.body.continuation_token as string, code: emu.latestCode(user.username)! };

    const old = await c.post('continue', { ...c.base, continuation_token: second.token, grant_type: 'oob', oob: first.code });
    expectEnvelope(old, 'invalid_grant', 50181, 'invalid_oob_value');
    // The token from before the resend is superseded.
    const stale = await c.post('continue', { ...c.base, continuation_token: first.token, grant_type: 'oob', oob: second.code });
    expectEnvelope(stale, 'invalid_request', 55200);
    const ok = await c.post('continue', { ...c.base, continuation_token: second.token, grant_type: 'oob', oob: second.code });
    expect(ok.status).toBe(200);
  });

  it('redirects when the challenge_type list leaves out oob, and validates the list like start', async () => {
    const user = addUser(emu);
    const token = await c.started(user.username);
    expect((await c.post('challenge', { ...c.base, continuation_token: token, challenge_type: 'password redirect' })).body).toEqual({ challenge_type: 'redirect' });
    expectEnvelope(await c.post('challenge', { ...c.base, continuation_token: token, challenge_type: 'oob' }), 'unsupported_challenge_type', 901007);
    expectEnvelope(await c.post('challenge', { ...c.base, continuation_token: token, challenge_type: 'otp redirect' }), 'invalid_request', 901007);
  });
});

describe('continue', () => {
  it('exchanges the right code for a submit token that lives at most 600 s', async () => {
    const user = addUser(emu);
    const { token, code } = await c.challenged(user.username);
    const r = await c.post('continue', { ...c.base, continuation_token: token, grant_type: 'oob', oob: code });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ continuation_token: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/), expires_in: 600 });
  });

  it('refuses a wrong grant_type with invalid_grant and a missing one or missing oob with invalid_request', async () => {
    const user = addUser(emu);
    const { token, code } = await c.challenged(user.username);
    expectEnvelope(await c.post('continue', { ...c.base, continuation_token: token, grant_type: 'password', oob: code }), 'invalid_grant', 70000);
    expectEnvelope(await c.post('continue', { ...c.base, continuation_token: token, oob: code }), 'invalid_request', 900144);
    expectEnvelope(await c.post('continue', { ...c.base, continuation_token: token, grant_type: 'oob' }), 'invalid_request', 900144);
  });

  it('answers a wrong code with invalid_oob_value and lets the user retry with the same token', async () => {
    const user = addUser(emu);
    const { token, code } = await c.challenged(user.username);
    expectEnvelope(await c.post('continue', { ...c.base, continuation_token: token, grant_type: 'oob', oob: wrongCodeFor(code) }), 'invalid_grant', 50181, 'invalid_oob_value');
    expectEnvelope(await c.post('continue', { ...c.base, continuation_token: token, grant_type: 'oob', oob: code.slice(1) }), 'invalid_grant', 50181, 'invalid_oob_value');
    const ok = await c.post('continue', { ...c.base, continuation_token: token, grant_type: 'oob', oob: code });
    expect(ok.status).toBe(200);
  });

  it('lets a code work until 5 minutes after it was sent and answers 50182 after that; a resend recovers', async () => {
    const user = addUser(emu);
    const early = await c.challenged(user.username);
    clock.advance(299_000);
    expect((await c.post('continue', { ...c.base, continuation_token: early.token, grant_type: 'oob', oob: early.code })).status).toBe(200);

    const late = await c.challenged(user.username);
    clock.advance(300_000);
    expectEnvelope(await c.post('continue', { ...c.base, continuation_token: late.token, grant_type: 'oob', oob: late.code }), 'invalid_grant', 50182, 'invalid_oob_value');
    const resend = await c.post('challenge', { ...c.base, continuation_token: late.token });
    expect(resend.status).toBe(200);
    const ok = await c.post('continue', { ...c.base, continuation_token: resend.body.continuation_token, grant_type: 'oob', oob: emu.latestCode(user.username)! });
    expect(ok.status).toBe(200);
  });
});

describe('continuation tokens', () => {
  it('refuses a forged token at every step with invalid_request 55200', async () => {
    const forged = 'A'.repeat(64);
    const forms = {
      challenge: {},
      continue: { grant_type: 'oob', oob: '12345678' },
      submit: { new_password: 'Sapphire-Lake-2931' },
      poll_completion: {},
      token: { grant_type: 'continuation_token', scope: 'openid' },
    } as const;
    for (const [endpoint, form] of Object.entries(forms)) {
      const r = await c.post(endpoint as keyof typeof forms, { ...c.base, continuation_token: forged, ...form });
      expectEnvelope(r, 'invalid_request', 55200);
    }
    expectEnvelope(await c.post('challenge', { ...c.base }), 'invalid_request', 900144);
  });

  it('binds each token to its step', async () => {
    const user = addUser(emu);
    const t0 = await c.started(user.username);
    expectEnvelope(await c.post('continue', { ...c.base, continuation_token: t0, grant_type: 'oob', oob: '12345678' }), 'invalid_request', 55200);
    expectEnvelope(await c.post('submit', { ...c.base, continuation_token: t0, new_password: 'Sapphire-Lake-2931' }), 'invalid_request', 55200);
    const t2 = await c.verified(addUser(emu).username);
    expectEnvelope(await c.post('poll_completion', { ...c.base, continuation_token: t2 }), 'invalid_request', 55200);
    expectEnvelope(await c.post('challenge', { ...c.base, continuation_token: t2 }), 'invalid_request', 55200);
  });

  it('refuses a token that was already used', async () => {
    const user = addUser(emu);
    const t0 = await c.started(user.username);
    expect((await c.post('challenge', { ...c.base, continuation_token: t0 })).status).toBe(200);
    expectEnvelope(await c.post('challenge', { ...c.base, continuation_token: t0 }), 'invalid_request', 55200);

    const other = addUser(emu);
    const { token: t1, code } = await c.challenged(other.username);
    const t2 = (await c.post('continue', { ...c.base, continuation_token: t1, grant_type: 'oob', oob: code })).body.continuation_token;
    expectEnvelope(await c.post('continue', { ...c.base, continuation_token: t1, grant_type: 'oob', oob: code }), 'invalid_request', 55200);
    expect((await c.post('submit', { ...c.base, continuation_token: t2, new_password: 'Sapphire-Lake-2931' })).status).toBe(200);
    expectEnvelope(await c.post('submit', { ...c.base, continuation_token: t2, new_password: 'Sapphire-Lake-2932' }), 'invalid_request', 55200);
  });

  it('refuses a token issued to another application', async () => {
    const custom = await startEmulator({ clock, clientId: '0f0e0d0c-0b0a-4909-8807-060504030201', policy: { requestsPerSecond: 100_000 } });
    const cc = clientFor(custom);
    try {
      const t0 = (await cc.post('start', { client_id: custom.clientId, ...START, username: 'alice@contoso.com' })).body.continuation_token;
      expectEnvelope(await cc.post('challenge', { client_id: DEMO_CLIENT_ID, continuation_token: t0 }), 'invalid_request', 55200);
    } finally {
      cc.close();
      await custom.close();
    }
  });

  it('expires a token 600 s after it was issued (expired_token 552003)', async () => {
    const user = addUser(emu);
    const t0 = await c.started(user.username);
    clock.advance(599_999);
    const t1 = (await c.post('challenge', { ...c.base, continuation_token: t0 })).body.continuation_token;
    expect(t1).toBeTruthy();
    clock.advance(600_000);
    expectEnvelope(await c.post('challenge', { ...c.base, continuation_token: t1 }), 'expired_token', 552003);
  });

  it('ends every token with the 15-minute session, and continue reports the shortened lifetime', async () => {
    const user = addUser(emu);
    const t0 = await c.started(user.username);
    clock.advance(500_000);
    const r1 = await c.post('challenge', { ...c.base, continuation_token: t0 });
    clock.advance(300_000);
    const resend = await c.post('challenge', { ...c.base, continuation_token: r1.body.continuation_token });
    clock.advance(50_000); // 850 s into the session
    const r2 = await c.post('continue', { ...c.base, continuation_token: resend.body.continuation_token, grant_type: 'oob', oob: emu.latestCode(user.username)! });
    expect(r2.status).toBe(200);
    expect(r2.body.expires_in).toBe(50);
    clock.advance(50_000);
    expectEnvelope(await c.post('submit', { ...c.base, continuation_token: r2.body.continuation_token, new_password: 'Sapphire-Lake-2931' }), 'expired_token', 552003);
  });
});

describe('submit', () => {
  it('changes the password in the directory and returns a poll token with poll_interval', async () => {
    const user = addUser(emu);
    const t2 = await c.verified(user.username);
    const r = await c.post('submit', { ...c.base, continuation_token: t2, new_password: 'Sapphire-Lake-2931' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ continuation_token: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/), poll_interval: 2 });
    expect(emu.directory.passwordOf(user.username)).toBe('Sapphire-Lake-2931');
  });

  it('names the first broken rule as the suberror and keeps the token for another try', async () => {
    const user = addUser(emu, { givenName: 'Morgan', surname: 'Quincy' });
    const t2 = await c.verified(user.username);
    const cases: [string, string][] = [
      ['Ab1!xyz', 'password_too_short'],
      [`Ab1!${'x'.repeat(253)}`, 'password_too_long'],
      ['Sapphire\tLake-2931', 'password_is_invalid'],
      ['Sapphire-Läke-2931', 'password_is_invalid'],
      ['sapphire-lake-', 'password_too_weak'],
      ['P@ssw0rd1!', 'password_banned'],
      ['Morgan24!', 'password_banned'],
      ['Contoso12!', 'password_banned'],
      ['Blue-Harbor-73', 'password_recently_used'],
    ];
    for (const [password, suberror] of cases) {
      const r = await c.post('submit', { ...c.base, continuation_token: t2, new_password: password });
      expectEnvelope(r, 'invalid_grant', 399246, suberror);
    }
    expect(emu.directory.passwordOf(user.username)).toBe('Blue-Harbor-73');
    expect((await c.post('submit', { ...c.base, continuation_token: t2, new_password: 'Sapphire-Lake-2931' })).status).toBe(200);
  });

  it('checks the custom banned list: Grace may not use her office town', async () => {
    const t2 = await c.verified('grace@contoso.com');
    expectEnvelope(await c.post('submit', { ...c.base, continuation_token: t2, new_password: 'Redmond24!' }), 'invalid_grant', 399246, 'password_banned');
    expectEnvelope(await c.post('submit', { ...c.base, continuation_token: t2, new_password: 'Fourth-C0ffee' }), 'invalid_grant', 399246, 'password_banned');
  });

  it('allows reusing the current password when the policy does not check reuse (cloud-only reset)', async () => {
    emu.setPolicy({ checkPasswordReuse: false });
    try {
      const user = addUser(emu);
      const t2 = await c.verified(user.username);
      expect((await c.post('submit', { ...c.base, continuation_token: t2, new_password: 'Blue-Harbor-73' })).status).toBe(200);
    } finally {
      emu.setPolicy({ checkPasswordReuse: true });
    }
  });

  it('refuses a submit without new_password', async () => {
    const t2 = await c.verified(addUser(emu).username);
    expectEnvelope(await c.post('submit', { ...c.base, continuation_token: t2 }), 'invalid_request', 900144);
  });
});

describe('poll_completion', () => {
  it('reports not_started, in_progress, then succeeded with a sign-in token; asking again repeats it', async () => {
    const user = addUser(emu);
    const t3 = await c.submitted(user.username, 'Sapphire-Lake-2931');
    const statuses: string[] = [];
    let t4 = '';
    for (let i = 0; i < 3; i++) {
      const r = await c.post('poll_completion', { ...c.base, continuation_token: t3 });
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual(['continuation_token', 'status']);
      statuses.push(r.body.status);
      if (r.body.status === 'succeeded') t4 = r.body.continuation_token;
      else expect(r.body.continuation_token).toBe(t3);
    }
    expect(statuses).toEqual(['not_started', 'in_progress', 'succeeded']);
    expect(t4).not.toBe(t3);
    const again = await c.post('poll_completion', { ...c.base, continuation_token: t3 });
    expect(again.body).toEqual({ status: 'succeeded', continuation_token: t4 });
  });

  it('follows pollPendingCount', async () => {
    emu.setPolicy({ pollPendingCount: 0 });
    try {
      const t3 = await c.submitted(addUser(emu).username, 'Sapphire-Lake-2931');
      expect((await c.post('poll_completion', { ...c.base, continuation_token: t3 })).body.status).toBe('succeeded');
    } finally {
      emu.setPolicy({ pollPendingCount: 2 });
    }
  });

  it('reports failed when writeback fails, leaves the password alone, and accepts a new submit with the new token', async () => {
    const t3 = await c.submitted('erin@contoso.com', 'Sapphire-Lake-2931');
    const seen: string[] = [];
    let r;
    do {
      r = await c.post('poll_completion', { ...c.base, continuation_token: t3 });
      seen.push(r.body.status);
    } while (r.body.status === 'not_started' || r.body.status === 'in_progress');
    expect(seen).toEqual(['not_started', 'in_progress', 'failed']);
    expect(emu.directory.passwordOf('erin@contoso.com')).toBe('Velvet-Orbit-61');
    expectEnvelope(await c.post('poll_completion', { ...c.base, continuation_token: t3 }), 'invalid_request', 55200);

    const resubmit = await c.post('submit', { ...c.base, continuation_token: r.body.continuation_token, new_password: 'Sapphire-Lake-2931' });
    expect(resubmit.status).toBe(200);
    expect(emu.directory.passwordOf('erin@contoso.com')).toBe('Sapphire-Lake-2931');
  });

  it('fails every writeback while the policy says so', async () => {
    emu.setPolicy({ failPasswordWriteback: true, pollPendingCount: 0 });
    try {
      const user = addUser(emu);
      const t3 = await c.submitted(user.username, 'Sapphire-Lake-2931');
      const r = await c.post('poll_completion', { ...c.base, continuation_token: t3 });
      expect(r.body.status).toBe('failed');
      expect(emu.directory.passwordOf(user.username)).toBe('Blue-Harbor-73');
    } finally {
      emu.setPolicy({ failPasswordWriteback: false, pollPendingCount: 2 });
    }
  });
});

describe('oauth2/v2.0/token', () => {
  const signInToken = async (username: string) => {
    emu.setPolicy({ pollPendingCount: 0 });
    try {
      const t3 = await c.submitted(username, 'Sapphire-Lake-2931');
      return (await c.post('poll_completion', { ...c.base, continuation_token: t3 })).body.continuation_token as string;
    } finally {
      emu.setPolicy({ pollPendingCount: 2 });
    }
  };
  const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

  it('exchanges the post-reset token for a Bearer set with client_info, once', async () => {
    const user = addUser(emu);
    const t4 = await signInToken(user.username);
    const r = await c.post('token', { ...c.base, continuation_token: t4, grant_type: 'continuation_token', scope: 'openid offline_access', username: user.username, client_info: 'true' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'Bearer', scope: 'openid offline_access', expires_in: 3600 });
    expect(r.body.access_token.split('.')).toHaveLength(3);
    expect(r.body.refresh_token).toEqual(expect.any(String));
    expect(decode(r.body.id_token)).toMatchObject({ aud: emu.clientId, preferred_username: user.username, oid: user.objectId, tid: emu.tenantId });
    expect(JSON.parse(Buffer.from(r.body.client_info, 'base64url').toString('utf8'))).toEqual({ uid: user.objectId, utid: emu.tenantId });

    const again = await c.post('token', { ...c.base, continuation_token: t4, grant_type: 'continuation_token', scope: 'openid' });
    expectEnvelope(again, 'invalid_request', 55200);
  });

  it('leaves out id_token without openid and refresh_token without offline_access', async () => {
    const t4 = await signInToken(addUser(emu).username);
    const r = await c.post('token', { ...c.base, continuation_token: t4, grant_type: 'continuation_token', scope: 'profile' });
    expect(r.status).toBe(200);
    expect(r.body.id_token).toBeUndefined();
    expect(r.body.refresh_token).toBeUndefined();
  });

  it('refuses a wrong grant, a bad scope, a missing scope and a token from another step', async () => {
    const user = addUser(emu);
    const t4 = await signInToken(user.username);
    expectEnvelope(await c.post('token', { ...c.base, continuation_token: t4, grant_type: 'password', scope: 'openid' }), 'unsupported_grant_type', 70003);
    expectEnvelope(await c.post('token', { ...c.base, continuation_token: t4, grant_type: 'continuation_token', scope: 'openid https://evil.example/all' }), 'invalid_scope', 70011);
    expectEnvelope(await c.post('token', { ...c.base, continuation_token: t4, grant_type: 'continuation_token' }), 'invalid_request', 900144);
    expectEnvelope(await c.post('token', { ...c.base, continuation_token: t4, grant_type: 'continuation_token', scope: 'openid', username: 'alice@contoso.com' }), 'invalid_request', 90100);
    const t2 = await c.verified(addUser(emu).username);
    expectEnvelope(await c.post('token', { ...c.base, continuation_token: t2, grant_type: 'continuation_token', scope: 'openid' }), 'invalid_request', 55200);
    // The refusals above did not burn the token.
    expect((await c.post('token', { ...c.base, continuation_token: t4, grant_type: 'continuation_token', scope: 'openid' })).status).toBe(200);
  });
});
