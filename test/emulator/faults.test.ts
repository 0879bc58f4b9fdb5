/**
 * Fault injection: what a client sees for each kind, that faults are consumed as asked, and that
 * apply_then_drop really applies the request while drop does not.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, startEmulator, type RunningEmulator } from '../../src/emulator/index';
import { addUser, clientFor, expectEnvelope } from './helpers';

let emu: RunningEmulator;
let c: ReturnType<typeof clientFor>;

beforeAll(async () => {
  emu = await startEmulator({ clock: createManualClock(), policy: { requestsPerSecond: 100_000 } });
  c = clientFor(emu);
});
afterEach(() => emu.faults.clear());
afterAll(async () => {
  c.close();
  await emu.close();
});

const startAlice = () => c.post('start', { ...c.base, challenge_type: 'oob redirect', username: 'alice@contoso.com' });
const DROPPED = /socket hang up|ECONNRESET|EPIPE/;

describe('fault kinds', () => {
  it('latency delays the answer, which is otherwise normal', async () => {
    emu.faults.inject({ endpoint: 'start', kind: 'latency', latencyMs: 400 });
    const began = Date.now();
    const r = await startAlice();
    expect(Date.now() - began).toBeGreaterThanOrEqual(390);
    expect(r.status).toBe(200);
    expect(r.body.continuation_token).toBeTruthy();
  });

  it('429 answers Too Many Requests with Retry-After and the envelope, once', async () => {
    emu.faults.inject({ endpoint: 'start', kind: '429', retryAfterSeconds: 7 });
    const r = await startAlice();
    expectEnvelope(r, 'temporarily_unavailable', 90055, undefined, 429);
    expect(r.headers['retry-after']).toBe('7');
    expect(r.headers['x-ms-request-id']).toBeTruthy();
    expect((await startAlice()).status).toBe(200);
  });

  it('500 answers server_error', async () => {
    emu.faults.inject({ endpoint: 'start', kind: '500' });
    expectEnvelope(await startAlice(), 'server_error', 90033, undefined, 500);
  });

  it('503 answers temporarily_unavailable, with Retry-After when given', async () => {
    emu.faults.inject({ endpoint: 'start', kind: '503' });
    emu.faults.inject({ endpoint: 'start', kind: '503', retryAfterSeconds: 3 });
    const first = await startAlice();
    expectEnvelope(first, 'temporarily_unavailable', 90033, undefined, 503);
    expect(first.headers['retry-after']).toBeUndefined();
    const second = await startAlice();
    expectEnvelope(second, 'temporarily_unavailable', 90033, undefined, 503);
    expect(second.headers['retry-after']).toBe('3');
  });

  it('drop closes the connection without an answer and without doing anything', async () => {
    const user = addUser(emu);
    const t2 = await c.verified(user.username);
    emu.faults.inject({ endpoint: 'submit', kind: 'drop' });
    await expect(c.post('submit', { ...c.base, continuation_token: t2, new_password: 'Sapphire-Lake-2931' })).rejects.toThrow(DROPPED);
    expect(emu.directory.passwordOf(user.username)).toBe('Blue-Harbor-73');
    // Nothing happened, so the same token still works.
    expect((await c.post('submit', { ...c.base, continuation_token: t2, new_password: 'Sapphire-Lake-2931' })).status).toBe(200);
  });

  it('apply_then_drop on submit changes the password, then closes the connection', async () => {
    const user = addUser(emu);
    const t2 = await c.verified(user.username);
    emu.faults.inject({ endpoint: 'submit', kind: 'apply_then_drop' });
    await expect(c.post('submit', { ...c.base, continuation_token: t2, new_password: 'Sapphire-Lake-2931' })).rejects.toThrow(DROPPED);
    expect(emu.directory.passwordOf(user.username)).toBe('Sapphire-Lake-2931');
    // A blind retry is refused: the token was consumed by the request the client never heard back from.
    expectEnvelope(await c.post('submit', { ...c.base, continuation_token: t2, new_password: 'Sapphire-Lake-2931' }), 'invalid_request', 55200);
  });

  it('apply_then_drop on challenge really sends a code', async () => {
    const user = addUser(emu);
    const t0 = await c.started(user.username);
    emu.faults.inject({ endpoint: 'challenge', kind: 'apply_then_drop' });
    await expect(c.post('challenge', { ...c.base, continuation_token: t0 })).rejects.toThrow(DROPPED);
    expect(emu.latestCode(user.username)).toMatch(/^\d{8}$/);
  });
});

describe('fault bookkeeping', () => {
  it('applies a fault `times` times, Infinity until cleared, and * to every endpoint', async () => {
    emu.faults.inject({ endpoint: 'start', kind: '500', times: 2 });
    expect((await startAlice()).status).toBe(500);
    expect((await startAlice()).status).toBe(500);
    expect((await startAlice()).status).toBe(200);

    emu.faults.inject({ endpoint: '*', kind: '503', times: Infinity });
    for (let i = 0; i < 3; i++) expect((await startAlice()).status).toBe(503);
    expect((await c.post('token', { ...c.base, grant_type: 'continuation_token', continuation_token: 'x', scope: 'openid' })).status).toBe(503);
    emu.faults.clear();
    expect((await startAlice()).status).toBe(200);
  });

  it('leaves other endpoints alone', async () => {
    emu.faults.inject({ endpoint: 'poll_completion', kind: 'drop' });
    expect((await startAlice()).status).toBe(200);
    const t3 = await c.submitted(addUser(emu).username, 'Sapphire-Lake-2931');
    await expect(c.post('poll_completion', { ...c.base, continuation_token: t3 })).rejects.toThrow(DROPPED);
    expect((await c.post('poll_completion', { ...c.base, continuation_token: t3 })).body.status).toBe('not_started');
  });

  it('refuses a malformed fault', () => {
    expect(() => emu.faults.inject({ endpoint: 'nowhere' as 'start', kind: '500' })).toThrow(/endpoint/);
    expect(() => emu.faults.inject({ endpoint: 'start', kind: '418' as '500' })).toThrow(/kind/);
    expect(() => emu.faults.inject({ endpoint: 'start', kind: '500', times: 0 })).toThrow(/times/);
  });
});
