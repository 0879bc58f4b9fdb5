/**
 * Entra's SSPR throttles on the emulator clock (sspr-protocol.md §1.4, §3): 5 bad codes in 24 h and more
 * than 10 e-mails in 10 min each lock the user for 24 h; success clears the counters; the gateway allows
 * 20 requests per second per IP per tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditActivity, createManualClock, startEmulator, type RunningEmulator } from '../../src/emulator/index';
import { addUser, clientFor, expectEnvelope, wrongCodeFor } from './helpers';

const HOUR = 3600_000;
const clock = createManualClock();
let emu: RunningEmulator;
let c: ReturnType<typeof clientFor>;

beforeAll(async () => {
  emu = await startEmulator({ clock, policy: { requestsPerSecond: 100_000 } });
  c = clientFor(emu);
});
afterAll(async () => {
  c.close();
  await emu.close();
});

const start = (username: string) => c.post('start', { ...c.base, challenge_type: 'oob redirect', username });
const guess = (token: string, oob: string) => c.post('continue', { ...c.base, continuation_token: token, grant_type: 'oob', oob });

describe('failed code verifications', () => {
  it('locks the user on the 5th wrong code within 24 h, everywhere, for 24 h', async () => {
    const user = addUser(emu);
    const { token, code } = await c.challenged(user.username);
    for (let i = 1; i <= 4; i++) {
      expectEnvelope(await guess(token, wrongCodeFor(code)), 'invalid_grant', 50181, 'invalid_oob_value');
    }
    expectEnvelope(await guess(token, wrongCodeFor(code)), 'invalid_request', 50053);
    expect(emu.lockedUntil(user.username)).toBe(clock.now() + 24 * HOUR);

    // The right code no longer helps, and neither does a new flow or a new code.
    expectEnvelope(await guess(token, code), 'invalid_request', 50053);
    expectEnvelope(await start(user.username), 'invalid_request', 50053);
    expectEnvelope(await c.post('challenge', { ...c.base, continuation_token: token }), 'invalid_request', 50053);

    const blocked = emu.audit.filter((e) => e.activityDisplayName === AuditActivity.blocked && e.initiatedBy.user.userPrincipalName === user.username);
    expect(blocked.length).toBeGreaterThanOrEqual(4);

    clock.advance(24 * HOUR - 1000);
    expectEnvelope(await start(user.username), 'invalid_request', 50053);
    clock.advance(1000);
    expect((await start(user.username)).status).toBe(200);
    expect(emu.lockedUntil(user.username)).toBeUndefined();
  });

  it('forgets failures older than 24 h', async () => {
    const user = addUser(emu);
    const { token, code } = await c.challenged(user.username);
    for (let i = 0; i < 4; i++) expectEnvelope(await guess(token, wrongCodeFor(code)), 'invalid_grant', 50181, 'invalid_oob_value');
    clock.advance(24 * HOUR + 1000);
    const fresh = await c.challenged(user.username);
    expectEnvelope(await guess(fresh.token, wrongCodeFor(fresh.code)), 'invalid_grant', 50181, 'invalid_oob_value');
    expect(emu.lockedUntil(user.username)).toBeUndefined();
  });

  it('clears the counters after a successful reset', async () => {
    const user = addUser(emu);
    const first = await c.challenged(user.username);
    for (let i = 0; i < 4; i++) expectEnvelope(await guess(first.token, wrongCodeFor(first.code)), 'invalid_grant', 50181, 'invalid_oob_value');
    const t2 = (await guess(first.token, first.code)).body.continuation_token;
    expect((await c.post('submit', { ...c.base, continuation_token: t2, new_password: 'Sapphire-Lake-2931' })).status).toBe(200);

    const second = await c.challenged(user.username);
    for (let i = 0; i < 4; i++) expectEnvelope(await guess(second.token, wrongCodeFor(second.code)), 'invalid_grant', 50181, 'invalid_oob_value');
    expect(emu.lockedUntil(user.username)).toBeUndefined();
  });

  it('keeps each user’s counters apart', async () => {
    const mallory = addUser(emu);
    const victim = addUser(emu);
    const { token, code } = await c.challenged(mallory.username);
    for (let i = 0; i < 5; i++) await guess(token, wrongCodeFor(code));
    expect(emu.lockedUntil(mallory.username)).toBeDefined();
    expect((await start(victim.username)).status).toBe(200);
  });
});

describe('code e-mails', () => {
  it('sends 10 codes in 10 minutes and locks the user on the 11th request, sending nothing', async () => {
    const user = addUser(emu);
    let token = await c.started(user.username);
    for (let i = 0; i < 10; i++) {
      clock.advance(50_000);
      const r = await c.post('challenge', { ...c.base, continuation_token: token });
      expect(r.status).toBe(200);
      token = r.body.continuation_token;
    }
    const sent = () => emu.outbox.filter((e) => e.username === user.username).length;
    expect(sent()).toBe(10);
    expectEnvelope(await c.post('challenge', { ...c.base, continuation_token: token }), 'invalid_request', 50053);
    expect(sent()).toBe(10);
    expect(emu.lockedUntil(user.username)).toBe(clock.now() + 24 * HOUR);
    expect(emu.audit.some((e) => e.activityDisplayName === AuditActivity.blocked && e.initiatedBy.user.userPrincipalName === user.username)).toBe(true);
  });

  it('counts e-mails in a sliding 10-minute window', async () => {
    const user = addUser(emu);
    let token = await c.started(user.username);
    const send = async () => {
      const r = await c.post('challenge', { ...c.base, continuation_token: token });
      if (r.status === 200) token = r.body.continuation_token;
      return r;
    };
    for (let i = 0; i < 5; i++) expect((await send()).status).toBe(200); // t = 0
    clock.advance(300_000);
    for (let i = 0; i < 5; i++) expect((await send()).status).toBe(200); // t = 5 min: 10 in the window
    clock.advance(300_000);
    // t = 10 min: the first five have left the window, so five more fit and the sixth is one too many.
    for (let i = 0; i < 5; i++) expect((await send()).status).toBe(200);
    expectEnvelope(await send(), 'invalid_request', 50053);
    expect(emu.outbox.filter((e) => e.username === user.username)).toHaveLength(15);
  });
});

describe('gateway rate limit', () => {
  it('answers the 21st request within a second with HTTP 429 and Retry-After, then recovers', async () => {
    const rateClock = createManualClock();
    const limited = await startEmulator({ clock: rateClock });
    const lc = clientFor(limited);
    try {
      for (let i = 0; i < 20; i++) {
        const r = await lc.post('start', { ...lc.base, challenge_type: 'oob redirect', username: 'alice@contoso.com' });
        expect(r.status).toBe(200);
      }
      const over = await lc.post('start', { ...lc.base, challenge_type: 'oob redirect', username: 'alice@contoso.com' });
      expectEnvelope(over, 'temporarily_unavailable', 90055, undefined, 429);
      expect(over.headers['retry-after']).toBe('1');
      // The test hooks are not behind the gateway.
      expect((await lc.raw({ method: 'GET', path: '/outbox' })).status).toBe(200);

      rateClock.advance(1000);
      expect((await lc.post('start', { ...lc.base, challenge_type: 'oob redirect', username: 'alice@contoso.com' })).status).toBe(200);
    } finally {
      lc.close();
      await limited.close();
    }
  });
});
