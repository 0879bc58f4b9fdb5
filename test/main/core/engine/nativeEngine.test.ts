import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, type EmulatorOptions, type Fault, type ManualClock } from '../../../../src/emulator/index';
import { newCorrelationId } from '../../../../src/main/core/engine/nativeEngine';
import type { AttemptContext, NativeEngine } from '../../../../src/main/core/engine/types';
import { ALICE, NEW_PASSWORD, engineFor, startTestEmulator, type EmulatorUnderTest } from '../support';

const ctx = (): AttemptContext => ({ correlationId: newCorrelationId() });

/** Runs start + challenge for a user and returns the code-step token. */
const toCodeStep = async (engine: NativeEngine, c: AttemptContext, user: string) => {
  const started = await engine.start(c, user);
  if (!started.ok) throw new Error(`start failed: ${started.kind}`);
  const challenged = await engine.challenge(c, started.continuationToken);
  if (!challenged.ok) throw new Error(`challenge failed: ${challenged.kind}`);
  return challenged;
};

const toPasswordStep = async (t: EmulatorUnderTest, engine: NativeEngine, c: AttemptContext, user: string): Promise<string> => {
  const challenged = await toCodeStep(engine, c, user);
  const code = t.emu.latestCode(user);
  const cont = await engine.submitCode(c, challenged.continuationToken, code ?? '');
  if (!cont.ok) throw new Error(`continue failed: ${cont.kind}`);
  return cont.continuationToken;
};

describe('native engine against the running emulator', () => {
  let t: EmulatorUnderTest;
  let engine: NativeEngine;

  beforeAll(async () => {
    t = await startTestEmulator();
    engine = engineFor(t.emu);
  });
  afterAll(async () => {
    await t.emu.close();
  });
  afterEach(() => t.emu.faults.clear());

  it('resets alice end to end and sends our correlation id with every request', async () => {
    const c = ctx();
    const challenged = await toCodeStep(engine, c, ALICE);
    expect(challenged).toMatchObject({ ok: true, channel: 'email', codeLength: 8, bindingMethod: 'prompt' });
    if (!challenged.ok) return;
    expect(challenged.targetLabel).toMatch(/\*/);
    expect(challenged.targetLabel).not.toContain('alice@fabrikam.com');
    const code = t.emu.latestCode(ALICE);
    expect(code).toMatch(/^\d{8}$/);
    const cont = await engine.submitCode(c, challenged.continuationToken, code!);
    expect(cont.ok).toBe(true);
    if (!cont.ok) return;
    expect(cont.expiresInSeconds).toBeGreaterThan(0);
    expect(cont.expiresInSeconds).toBeLessThanOrEqual(600);
    const done = await engine.resetPassword(c, cont.continuationToken, NEW_PASSWORD);
    expect(done).toMatchObject({ ok: true });
    if (done.ok) expect(done.polls).toBe(3); // not_started, in_progress, succeeded
    expect(t.emu.directory.passwordOf(ALICE)).toBe(NEW_PASSWORD);
    const ours = t.emu.audit.filter((e) => e.correlationId === c.correlationId);
    expect(ours.length).toBeGreaterThanOrEqual(3);
    // x-client-SKU reached the service: Entra's audit shows it as the ClientType.
    for (const e of ours) expect(e.additionalDetails).toContainEqual({ key: 'ClientType', value: 'SsprLogon.Windows' });
  });

  it.each([
    ['nobody@contoso.com', 'user_not_found'],
    ['carol@contoso.com', 'not_enabled'],
    ['heidi@contoso.com', 'not_enabled'],
    ['bob@contoso.com', 'registration_required'],
    ['dave.admin@contoso.com', 'redirect'],
    ['frank@contoso.com', 'redirect'],
  ])('start for %s ends in %s', async (user, kind) => {
    const r = await engine.start(ctx(), user);
    expect(r).toMatchObject({ ok: false, kind });
  });

  it('a wrong code is refused, the same token then takes the right code', async () => {
    const c = ctx();
    const challenged = await toCodeStep(engine, c, 'grace@contoso.com');
    if (!challenged.ok) return;
    const right = t.emu.latestCode('grace@contoso.com')!;
    const wrong = right === '00000000' ? '11111111' : '00000000';
    expect(await engine.submitCode(c, challenged.continuationToken, wrong)).toMatchObject({ ok: false, kind: 'invalid_oob_value' });
    expect(await engine.submitCode(c, challenged.continuationToken, right)).toMatchObject({ ok: true });
  });

  it('a resend (challenge again) replaces the code: the old one no longer works', async () => {
    const c = ctx();
    const first = await toCodeStep(engine, c, 'grace@contoso.com');
    if (!first.ok) return;
    const oldCode = t.emu.latestCode('grace@contoso.com')!;
    const again = await engine.challenge(c, first.continuationToken);
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    const newCode = t.emu.latestCode('grace@contoso.com')!;
    if (oldCode !== newCode) {
      expect(await engine.submitCode(c, again.continuationToken, oldCode)).toMatchObject({ ok: false, kind: 'invalid_oob_value' });
    }
    expect(await engine.submitCode(c, again.continuationToken, newCode)).toMatchObject({ ok: true });
  });

  it.each([
    ['Ab1!x', 'password_too_short'],
    [`Aa1!${'x'.repeat(260)}`, 'password_too_long'],
    ['Pässwörd-1234', 'password_is_invalid'],
    ['onlylowercaseletters', 'password_too_weak'],
    ['Redmond24!', 'password_banned'],
    ['Amber-Meadow-47', 'password_recently_used'],
  ])('submit of %j is refused with %s and nothing changes', async (password, rule) => {
    const c = ctx();
    const token = await toPasswordStep(t, engine, c, 'grace@contoso.com');
    const before = t.emu.directory.passwordOf('grace@contoso.com');
    const r = await engine.resetPassword(c, token, password);
    expect(r).toMatchObject({ ok: false, kind: 'password_policy', rule });
    expect(t.emu.directory.passwordOf('grace@contoso.com')).toBe(before);
  });

  it('poll failed (writeback) gives a token with which a second submit succeeds', async () => {
    const c = ctx();
    const token = await toPasswordStep(t, engine, c, 'erin@contoso.com');
    const first = await engine.resetPassword(c, token, NEW_PASSWORD);
    expect(first).toMatchObject({ ok: false, kind: 'reset_failed' });
    if (first.ok || first.kind !== 'reset_failed') return;
    expect(t.emu.directory.passwordOf('erin@contoso.com')).toBe('Velvet-Orbit-61');
    const second = await engine.resetPassword(c, first.continuationToken, NEW_PASSWORD);
    expect(second).toMatchObject({ ok: true });
    expect(t.emu.directory.passwordOf('erin@contoso.com')).toBe(NEW_PASSWORD);
  });

  describe('injected faults', () => {
    /**
     * One fault on the way to one step: what the engine reports, and that it asked for that step exactly once
     * (nothing is retried blindly: a resent start or challenge sends another e-mail, a resent submit could
     * change the password twice). For a submit, whether the password in the directory changed.
     */
    const FAULTS: { title: string; fault: Fault; step: 'start' | 'challenge' | 'submit'; expected: Record<string, unknown>; password?: string; changes?: boolean }[] = [
      { title: 'latency within the timeout still succeeds', fault: { endpoint: 'start', kind: 'latency', latencyMs: 300 }, step: 'start', expected: { ok: true } },
      { title: '429 is rate_limited with the Retry-After seconds', fault: { endpoint: 'start', kind: '429', retryAfterSeconds: 17 }, step: 'start', expected: { ok: false, kind: 'rate_limited', retryAfterSeconds: 17 } },
      { title: '500 is a server error', fault: { endpoint: 'start', kind: '500' }, step: 'start', expected: { ok: false, kind: 'server_error', status: 500 } },
      { title: 'a dropped connection is a network reset, and a failed start is not retried', fault: { endpoint: 'start', kind: 'drop' }, step: 'start', expected: { ok: false, kind: 'network', cause: 'reset' } },
      { title: '503 is a server error with Retry-After', fault: { endpoint: 'challenge', kind: '503', retryAfterSeconds: 9 }, step: 'challenge', expected: { ok: false, kind: 'server_error', status: 503, retryAfterSeconds: 9 } },
      { title: 'a dropped challenge (which sends an e-mail) is not retried', fault: { endpoint: 'challenge', kind: 'apply_then_drop' }, step: 'challenge', expected: { ok: false, kind: 'network' } },
      { title: 'a submit whose answer is lost is never resent: password_may_have_changed, and the password did change', fault: { endpoint: 'submit', kind: 'apply_then_drop' }, step: 'submit', password: 'Lost-Answer-4471', changes: true, expected: { ok: false, kind: 'password_may_have_changed' } },
      { title: 'a submit answered 500 is not resent: password_may_have_changed', fault: { endpoint: 'submit', kind: '500' }, step: 'submit', password: 'Fresh-Ridge-5007', changes: false, expected: { ok: false, kind: 'password_may_have_changed' } },
      { title: 'a submit answered 503 is not resent: password_may_have_changed', fault: { endpoint: 'submit', kind: '503' }, step: 'submit', password: 'Fresh-Ridge-5037', changes: false, expected: { ok: false, kind: 'password_may_have_changed' } },
      { title: 'a lost poll is asked again with the same token and the reset still completes', fault: { endpoint: 'poll_completion', kind: 'drop' }, step: 'submit', password: 'Polled-Again-5120', changes: true, expected: { ok: true } },
    ];

    it.each(FAULTS.map((row) => [row.title, row] as const))('%s', async (_title, { fault, step, expected, password, changes }) => {
      const c = ctx();
      let act: () => Promise<unknown>;
      if (step === 'start') {
        act = () => engine.start(c, ALICE);
      } else if (step === 'challenge') {
        const started = await engine.start(c, ALICE);
        if (!started.ok) throw new Error('start failed');
        act = () => engine.challenge(c, started.continuationToken);
      } else {
        const token = await toPasswordStep(t, engine, c, ALICE);
        act = () => engine.resetPassword(c, token, password!);
      }
      const passwordBefore = t.emu.directory.passwordOf(ALICE);
      const before = t.count(step);
      t.emu.faults.inject(fault);
      expect(await act()).toMatchObject(expected);
      expect(t.count(step)).toBe(before + 1);
      if (changes !== undefined) expect(t.emu.directory.passwordOf(ALICE)).toBe(changes ? password : passwordBefore);
    });

    it('latency past the timeout is a network timeout', async () => {
      const impatient = engineFor(t.emu, { timeoutMs: 400 });
      t.emu.faults.inject({ endpoint: 'start', kind: 'latency', latencyMs: 2500 });
      expect(await impatient.start(ctx(), ALICE)).toMatchObject({ ok: false, kind: 'network', cause: 'timeout' });
    });

    it('a double submit sends one request; the second is refused while the first is in flight', async () => {
      const c = ctx();
      const token = await toPasswordStep(t, engine, c, ALICE);
      const before = t.count('submit');
      t.emu.faults.inject({ endpoint: 'submit', kind: 'latency', latencyMs: 300 });
      const [first, second] = await Promise.all([
        engine.resetPassword(c, token, 'Double-Click-8812'),
        engine.resetPassword(c, token, 'Double-Click-8812'),
      ]);
      expect(first).toMatchObject({ ok: true });
      expect(second).toMatchObject({ ok: false, kind: 'submit_in_flight' });
      expect(t.count('submit')).toBe(before + 1);
    });
  });

  it('a client that does not trust the emulator CA fails with a TLS error and sends nothing', async () => {
    const untrusting = engineFor(t.emu, { ca: null });
    const before = t.requests.length;
    expect(await untrusting.start(ctx(), ALICE)).toMatchObject({ ok: false, kind: 'network', cause: 'tls', requestSent: false });
    expect(t.requests.length).toBe(before);
  });
});

/** A private emulator for one test (its own clock or policy), closed after it. */
const withEmulator = async (opts: EmulatorOptions, run: (t: EmulatorUnderTest) => Promise<void>): Promise<void> => {
  const t = await startTestEmulator(opts);
  try {
    await run(t);
  } finally {
    await t.emu.close();
  }
};

describe('token expiry on the emulator clock', () => {
  /** Alice at the code step of a private emulator whose clock only the test moves. */
  const atCodeStep = (run: (s: { t: EmulatorUnderTest; clock: ManualClock; engine: NativeEngine; c: AttemptContext; token: string }) => Promise<void>) => {
    const clock = createManualClock();
    return withEmulator({ clock }, async (t) => {
      const engine = engineFor(t.emu);
      const c = ctx();
      const challenged = await toCodeStep(engine, c, ALICE);
      await run({ t, clock, engine, c, token: challenged.continuationToken });
    });
  };

  it('a code step left past the session lifetime answers expired_token', () =>
    atCodeStep(async ({ t, clock, engine, c, token }) => {
      const code = t.emu.latestCode(ALICE)!;
      clock.advance(16 * 60_000);
      expect(await engine.submitCode(c, token, code)).toMatchObject({ ok: false, kind: 'expired_token' });
    }));

  it('a code used after its 5 minutes is refused as expired', () =>
    atCodeStep(async ({ t, clock, engine, c, token }) => {
      clock.advance(301_000);
      const r = await engine.submitCode(c, token, t.emu.latestCode(ALICE)!);
      expect(r).toMatchObject({ ok: false, kind: 'invalid_oob_value', expired: true });
    }));
});

describe('polling limits', () => {
  it('gives up after the overall poll timeout, reporting that the password may have changed', () =>
    withEmulator({ policy: { pollPendingCount: 100 } }, async (t) => {
      let fake = 0;
      const engine = engineFor(t.emu, {
        pollTimeoutMs: 10_000,
        now: () => fake,
        sleep: async (ms) => {
          fake += ms;
        },
      });
      const c = ctx();
      const token = await toPasswordStep(t, engine, c, ALICE);
      const r = await engine.resetPassword(c, token, 'Slow-Writeback-3391');
      expect(r).toMatchObject({ ok: false, kind: 'poll_timeout' });
      // 2 s interval within 10 s: at most 5 polls were made
      expect(t.count('poll_completion')).toBeLessThanOrEqual(5);
      expect(t.count('poll_completion')).toBeGreaterThanOrEqual(4);
    }));
});

describe('polling while the service throttles (one clock for the emulator and the engine)', () => {
  /**
   * Alice at the password step of a private emulator; the engine's sleeps move the emulator's clock (and are
   * recorded in `waits`), so token lifetimes and Retry-After are honoured for real.
   */
  const atPasswordStep = (run: (s: { t: EmulatorUnderTest; clock: ManualClock; engine: NativeEngine; c: AttemptContext; token: string; waits: number[] }) => Promise<void>) => {
    const clock = createManualClock();
    return withEmulator({ clock }, async (t) => {
      const waits: number[] = [];
      const engine = engineFor(t.emu, {
        now: () => clock.now(),
        sleep: async (ms) => {
          waits.push(ms);
          clock.advance(ms);
          await new Promise((resolve) => setImmediate(resolve));
        },
      });
      const c = ctx();
      const token = await toPasswordStep(t, engine, c, ALICE);
      await run({ t, clock, engine, c, token, waits });
    });
  };

  it('a user whose polls are answered 429 and 503 with Retry-After is told the reset is done', () =>
    atPasswordStep(async ({ t, engine, c, token, waits }) => {
      // Five throttled polls in a row: more than any fixed "three strikes" would tolerate.
      t.emu.faults.inject({ endpoint: 'poll_completion', kind: '429', retryAfterSeconds: 20, times: 3 });
      t.emu.faults.inject({ endpoint: 'poll_completion', kind: '503', retryAfterSeconds: 45, times: 2 });
      const r = await engine.resetPassword(c, token, 'Throttled-Poll-4471');
      expect(r).toMatchObject({ ok: true });
      expect(t.emu.directory.passwordOf(ALICE)).toBe('Throttled-Poll-4471');
      expect(t.count('submit')).toBe(1);
      // First wait is poll_interval (2 s); after each refused poll the next one waits the Retry-After asked for.
      expect(waits.slice(0, 6)).toEqual([2000, 20_000, 20_000, 20_000, 45_000, 45_000]);
    }));

  it('a 500 without Retry-After backs off (doubling, at most 30 s) and the reset still completes', () =>
    atPasswordStep(async ({ t, engine, c, token, waits }) => {
      t.emu.faults.inject({ endpoint: 'poll_completion', kind: '500', times: 5 });
      expect(await engine.resetPassword(c, token, 'Backed-Off-6620')).toMatchObject({ ok: true });
      expect(waits.slice(0, 6)).toEqual([2000, 4000, 8000, 16_000, 30_000, 30_000]);
      expect(t.emu.directory.passwordOf(ALICE)).toBe('Backed-Off-6620');
    }));

  it('keeps polling until the poll token\'s lifetime ends, and only then says the password may have changed', () =>
    atPasswordStep(async ({ t, clock, engine, c, token }) => {
      t.emu.faults.inject({ endpoint: 'poll_completion', kind: '429', retryAfterSeconds: 30, times: Infinity });
      const submittedAt = clock.now();
      const r = await engine.resetPassword(c, token, 'Never-Answered-7734');
      expect(r).toMatchObject({ ok: false, kind: 'poll_timeout' });
      const waited = clock.now() - submittedAt;
      // 600 s is the convention for the poll token's life: polling went on to its last 30 s, never past it.
      expect(waited).toBeGreaterThan(570_000);
      expect(waited).toBeLessThan(600_000);
      expect(t.count('poll_completion')).toBe(20);
      expect(t.count('submit')).toBe(1);
    }));

  it('a Retry-After that reaches past the token\'s end stops polling at once instead of asking too late', () =>
    atPasswordStep(async ({ t, engine, c, token, waits }) => {
      t.emu.faults.inject({ endpoint: 'poll_completion', kind: '429', retryAfterSeconds: 900 });
      expect(await engine.resetPassword(c, token, 'Far-Future-2290')).toMatchObject({ ok: false, kind: 'poll_timeout', polls: 1 });
      expect(waits).toEqual([2000]);
    }));
});

describe('protocol violations from a server that is not Entra', () => {
  let server: Server;
  let t: EmulatorUnderTest;
  let reply: (path: string) => { status: number; body: string };

  beforeAll(async () => {
    // Reuse the emulator's PKI only for a certificate; the answers come from this stub.
    t = await startTestEmulator();
    const { createPki } = await import('../../../../src/emulator/certs');
    const pki = await createPki();
    server = createServer({ key: pki.keyPem, cert: pki.certPem, minVersion: 'TLSv1.2' }, (req, res) => {
      const { status, body } = reply(req.url ?? '');
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    (server as Server & { caPem?: string }).caPem = pki.caPem;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.emu.close();
  });

  const stubEngine = () => {
    const port = (server.address() as AddressInfo).port;
    return engineFor({ ...t.emu, authority: `https://127.0.0.1:${port}/contoso.onmicrosoft.com/`, caPem: (server as Server & { caPem?: string }).caPem! });
  };

  it('rejects a poll status outside the four values', async () => {
    reply = (path) =>
      path.endsWith('/submit')
        ? { status: 200, body: JSON.stringify({ continuation_token: 'T3', poll_interval: 0 }) }
        : { status: 200, body: JSON.stringify({ status: 'exploded', continuation_token: 'T4' }) };
    expect(await stubEngine().resetPassword(ctx(), 'T2', NEW_PASSWORD)).toMatchObject({ ok: false, kind: 'invalid_poll_status', status: 'exploded' });
  });

  it('treats an HTML page (captive portal) as a bad response', async () => {
    reply = () => ({ status: 200, body: '<html>Sign in to the hotel Wi-Fi</html>' });
    expect(await stubEngine().start(ctx(), ALICE)).toMatchObject({ ok: false, kind: 'bad_response' });
  });

  it('treats a redirect status as a bad response, not followed', async () => {
    reply = () => ({ status: 302, body: '' });
    expect(await stubEngine().start(ctx(), ALICE)).toMatchObject({ ok: false, kind: 'bad_response' });
  });

  it('maps invalid_client + nativeauthapi_disabled and unknown errors', async () => {
    reply = () => ({ status: 400, body: JSON.stringify({ error: 'invalid_client', suberror: 'nativeauthapi_disabled', error_codes: [500208] }) });
    expect(await stubEngine().start(ctx(), ALICE)).toMatchObject({ ok: false, kind: 'invalid_client', suberror: 'nativeauthapi_disabled' });
    reply = () => ({ status: 400, body: JSON.stringify({ error: 'something_new' }) });
    expect(await stubEngine().start(ctx(), ALICE)).toMatchObject({ ok: false, kind: 'unknown_error', info: { error: 'something_new' } });
  });
});
