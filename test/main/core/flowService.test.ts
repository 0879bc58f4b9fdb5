/**
 * The flow handlers, through createCore's dispatcher (exactly what the Electron wiring and the browser
 * host call), against the running emulator.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../../src/emulator/index';
import { defaultConfig, type Config } from '../../../src/shared/config';
import type { FlowResult } from '../../../src/shared/ipc';
import { createCore, type Core } from '../../../src/main/core/index';
import { parseLaunchArgs } from '../../../src/main/core/launchArgs';
import { nullLogger } from '../../../src/main/core/logging';
import { ALICE, NEW_PASSWORD, fastSleep, startTestEmulator, type EmulatorUnderTest } from './support';

interface Harness {
  core: Core;
  call: (channel: string, payload?: unknown) => Promise<FlowResult>;
  exits: number[];
  /** The overlay's own clock (resend cooldown). */
  advance: (ms: number) => void;
}

const configFor = (t: EmulatorUnderTest, extra: Partial<Config> = {}): Config => ({
  ...defaultConfig,
  Engine: 'native',
  Authority: t.emu.authority,
  ClientId: t.emu.clientId,
  ...extra,
});

const harness = (t: EmulatorUnderTest, argv: string[] = ['--scenario=logon'], sleep: (ms: number) => Promise<void> = fastSleep): Harness => {
  let now = Date.now();
  const exits: number[] = [];
  const core = createCore({
    config: configFor(t),
    launch: parseLaunchArgs(argv).launch,
    ca: t.emu.caPem,
    logger: nullLogger(),
    exit: (code) => exits.push(code),
    sleep,
    now: () => now,
  });
  return {
    core,
    exits,
    call: (channel, payload = {}) => core.dispatch(channel, payload) as Promise<FlowResult>,
    advance: (ms) => {
      now += ms;
    },
  };
};

/** Walks a user to the password step through the handlers. */
const toPassword = async (t: EmulatorUnderTest, h: Harness, user: string): Promise<void> => {
  expect(await h.call('flow:start', { username: user })).toMatchObject({ ok: true, view: { step: 'code' } });
  expect(await h.call('flow:submitCode', { code: t.emu.latestCode(user) })).toMatchObject({ ok: true, view: { step: 'password' } });
};

describe('flow handlers against the emulator', () => {
  let t: EmulatorUnderTest;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(async () => {
    await t.emu.close();
  });
  afterEach(() => t.emu.faults.clear());

  it('app:info reflects config and launch arguments', async () => {
    const h = harness(t, ['--scenario=unlock', '--user=alice@contoso.com', '--lang=de-DE']);
    expect(await h.core.dispatch('app:info', {})).toEqual({
      productName: 'SSPR Logon',
      scenario: 'unlock',
      engine: 'native',
      userHint: 'alice@contoso.com',
      locale: 'de-DE',
      helpdeskText: defaultConfig.HelpdeskText,
      idleTimeoutSeconds: defaultConfig.IdleTimeoutSeconds,
      demo: false,
      portalUrl: defaultConfig.PortalUrl,
    });
  });

  it('resets alice: code view, grouped code typed with spaces, done, exit 0', async () => {
    const h = harness(t);
    const codeView = await h.call('flow:start', { username: `  ${ALICE} ` });
    expect(codeView).toEqual({
      ok: true,
      view: { step: 'code', channel: 'email', target: expect.stringMatching(/\*/), codeLength: 8, resendAvailableInSeconds: 60 },
    });
    const code = t.emu.latestCode(ALICE)!;
    expect(await h.call('flow:submitCode', { code: `${code.slice(0, 4)} ${code.slice(4)}` })).toEqual({ ok: true, view: { step: 'password' } });
    expect(await h.call('flow:submitPassword', { password: NEW_PASSWORD })).toEqual({ ok: true, view: { step: 'done' } });
    expect(t.emu.directory.passwordOf(ALICE)).toBe(NEW_PASSWORD);
    expect(await h.core.dispatch('app:exit', { reason: 'done' })).toEqual({ ok: true });
    expect(h.exits).toEqual([0]);
  });

  it.each([
    ['nobody@contoso.com', 'user_not_found', 20],
    ['carol@contoso.com', 'not_enabled', 20],
    ['bob@contoso.com', 'not_registered', 20],
    ['dave.admin@contoso.com', 'redirect_required', 10],
  ])('start for %s shows %s and leaving exits with %i', async (user, code, exitCode) => {
    const h = harness(t);
    const r = await h.call('flow:start', { username: user });
    expect(r).toMatchObject({ ok: false, error: { code, correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    await h.core.dispatch('app:exit', { reason: 'cancelled' });
    expect(h.exits).toEqual([exitCode]);
  });

  it('a renderer cannot claim "done" without a completed reset', async () => {
    const h = harness(t);
    await h.core.dispatch('app:exit', { reason: 'done' });
    await h.core.dispatch('app:exit', { reason: 'idle' });
    expect(h.exits).toEqual([10, 11]);
  });

  it('unreachable service on start: screen error and exit 30', async () => {
    const h = harness(t);
    t.emu.faults.inject({ endpoint: 'start', kind: '500' });
    expect(await h.call('flow:start', { username: ALICE })).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    await h.core.dispatch('app:exit', { reason: 'cancelled' });
    expect(h.exits).toEqual([30]);
  });

  it('a service slower than RequestTimeoutSeconds is unreachable (exit 30), not a hang', async () => {
    const exits: number[] = [];
    const core = createCore({
      config: configFor(t, { RequestTimeoutSeconds: 5 }),
      launch: parseLaunchArgs([]).launch,
      ca: t.emu.caPem,
      logger: nullLogger(),
      exit: (code) => exits.push(code),
    });
    t.emu.faults.inject({ endpoint: 'start', kind: 'latency', latencyMs: 8000 });
    expect(await core.dispatch('flow:start', { username: ALICE })).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    await core.dispatch('app:exit', { reason: 'cancelled' });
    expect(exits).toEqual([30]);
  });

  it('429 and 503 are "busy, try again" with the wait, not a dead end', async () => {
    const h = harness(t);
    t.emu.faults.inject({ endpoint: 'start', kind: '429', retryAfterSeconds: 12 });
    expect(await h.call('flow:start', { username: ALICE })).toEqual({ ok: false, error: { code: 'service_busy', retryAfterSeconds: 12, correlationId: expect.any(String) } });
    t.emu.faults.inject({ endpoint: 'start', kind: '503', retryAfterSeconds: 5 });
    expect(await h.call('flow:start', { username: ALICE })).toMatchObject({ ok: false, error: { code: 'service_busy', retryAfterSeconds: 5 } });
    expect(await h.call('flow:start', { username: ALICE })).toMatchObject({ ok: true });
  });

  it('wrong code is inline and keeps the step; the right one then works', async () => {
    const h = harness(t);
    await h.call('flow:start', { username: 'grace@contoso.com' });
    const right = t.emu.latestCode('grace@contoso.com')!;
    const wrong = right === '12345678' ? '87654321' : '12345678';
    expect(await h.call('flow:submitCode', { code: wrong })).toMatchObject({ ok: false, error: { code: 'code_incorrect' } });
    expect(await h.call('flow:submitCode', { code: right })).toEqual({ ok: true, view: { step: 'password' } });
  });

  it('resend has a cooldown, then sends a new code that replaces the old one', async () => {
    const h = harness(t);
    await h.call('flow:start', { username: 'grace@contoso.com' });
    const first = t.emu.latestCode('grace@contoso.com')!;
    const challenges = t.count('challenge');
    h.advance(20_000);
    expect(await h.call('flow:resendCode')).toEqual({ ok: false, error: { code: 'resend_too_soon', retryAfterSeconds: 40, correlationId: expect.any(String) } });
    expect(t.count('challenge')).toBe(challenges);
    h.advance(41_000);
    expect(await h.call('flow:resendCode')).toMatchObject({ ok: true, view: { step: 'code', resent: true, resendAvailableInSeconds: 60 } });
    expect(t.count('challenge')).toBe(challenges + 1);
    const second = t.emu.latestCode('grace@contoso.com')!;
    if (second !== first) expect(await h.call('flow:submitCode', { code: first })).toMatchObject({ ok: false, error: { code: 'code_incorrect' } });
    expect(await h.call('flow:submitCode', { code: second })).toMatchObject({ ok: true, view: { step: 'password' } });
  });

  it('banned and recently used passwords are inline errors; a good one then completes', async () => {
    const h = harness(t);
    await toPassword(t, h, 'grace@contoso.com');
    expect(await h.call('flow:submitPassword', { password: 'Redmond24!' })).toMatchObject({ ok: false, error: { code: 'password_banned' } });
    expect(await h.call('flow:submitPassword', { password: t.emu.directory.passwordOf('grace@contoso.com') })).toMatchObject({
      ok: false,
      error: { code: 'password_recently_used' },
    });
    expect(await h.call('flow:submitPassword', { password: 'Harbor-Lights-6620' })).toEqual({ ok: true, view: { step: 'done' } });
  });

  it('poll failed is reset_failed; submitting again succeeds', async () => {
    t.emu.directory.add({ ...t.emu.directory.find('erin@contoso.com')!, username: 'erin2@contoso.com', writebackFailures: 1 });
    const h = harness(t);
    await toPassword(t, h, 'erin2@contoso.com');
    expect(await h.call('flow:submitPassword', { password: NEW_PASSWORD })).toMatchObject({ ok: false, error: { code: 'reset_failed' } });
    expect(await h.call('flow:submitPassword', { password: NEW_PASSWORD })).toEqual({ ok: true, view: { step: 'done' } });
    expect(t.emu.directory.passwordOf('erin2@contoso.com')).toBe(NEW_PASSWORD);
  });

  it('a lost submit answer: password_may_have_changed, exactly one submit, never resent afterwards', async () => {
    const h = harness(t);
    await toPassword(t, h, ALICE);
    const before = t.count('submit');
    t.emu.faults.inject({ endpoint: 'submit', kind: 'apply_then_drop' });
    expect(await h.call('flow:submitPassword', { password: 'Lost-Reply-7719' })).toMatchObject({ ok: false, error: { code: 'password_may_have_changed' } });
    expect(await h.call('flow:submitPassword', { password: 'Lost-Reply-7719' })).toMatchObject({ ok: false, error: { code: 'password_may_have_changed' } });
    expect(t.count('submit')).toBe(before + 1);
    expect(t.emu.directory.passwordOf(ALICE)).toBe('Lost-Reply-7719');
  });

  it('a double submit through the dispatcher sends one request and both get the same answer', async () => {
    const h = harness(t);
    await toPassword(t, h, ALICE);
    const before = t.count('submit');
    t.emu.faults.inject({ endpoint: 'submit', kind: 'latency', latencyMs: 300 });
    const [a, b] = await Promise.all([
      h.call('flow:submitPassword', { password: 'Two-Clicks-4410' }),
      h.call('flow:submitPassword', { password: 'Two-Clicks-4410' }),
    ]);
    expect(a).toEqual({ ok: true, view: { step: 'done' } });
    expect(b).toEqual(a);
    expect(t.count('submit')).toBe(before + 1);
  });

  it('a second submit with a different password during the wait is refused, never sent, and never told "done"', async () => {
    const h = harness(t);
    await toPassword(t, h, ALICE);
    const before = t.count('submit');
    t.emu.faults.inject({ endpoint: 'submit', kind: 'latency', latencyMs: 300 });
    const [first, second] = await Promise.all([
      h.call('flow:submitPassword', { password: 'First-Choice-5810' }),
      h.call('flow:submitPassword', { password: 'Other-Choice-6623' }),
    ]);
    expect(first).toEqual({ ok: true, view: { step: 'done' } });
    expect(second).toMatchObject({ ok: false, error: { code: 'password_already_submitted' } });
    expect(t.count('submit')).toBe(before + 1);
    expect(t.emu.directory.passwordOf(ALICE)).toBe('First-Choice-5810');
    // After the change, only the password that was set is "done"; another one is still refused, unsent.
    expect(await h.call('flow:submitPassword', { password: 'Other-Choice-6623' })).toMatchObject({ ok: false, error: { code: 'password_already_submitted' } });
    expect(await h.call('flow:submitPassword', { password: 'First-Choice-5810' })).toEqual({ ok: true, view: { step: 'done' } });
    expect(t.count('submit')).toBe(before + 1);
  });

  describe('leaving while the password is being saved', () => {
    /** A core whose wait before each poll is held until the test lets go: the answer cannot come early. */
    const heldHarness = () => {
      let letGo: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (letGo = resolve));
      return { h: harness(t, ['--scenario=logon'], () => held), letGo: () => letGo() };
    };

    /** Submits, leaves once the submit reached the service, then lets the polls run; returns the order of events. */
    const leaveDuringSave = async (reason: 'cancelled' | 'idle', password: string) => {
      const { h, letGo } = heldHarness();
      await toPassword(t, h, ALICE);
      const submitsBefore = t.count('submit');
      const events: string[] = [];
      const submit = h.call('flow:submitPassword', { password }).then((r) => {
        events.push(`answer:${r.ok ? r.view.step : r.error.code}`);
      });
      await expect.poll(() => t.count('submit')).toBe(submitsBefore + 1);
      const left = h.core.dispatch('app:exit', { reason }).then(() => {
        events.push(`exit:${h.exits.join(',')}`);
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The user has left, the password has in fact changed, but the answer is not in: nothing is reported.
      expect(h.exits).toEqual([]);
      letGo();
      await Promise.all([submit, left]);
      return events;
    };

    it('"Back to sign-in" during Saving… waits for the answer and exits 0 when the password was changed', async () => {
      expect(await leaveDuringSave('cancelled', 'Left-Early-3187')).toEqual(['answer:done', 'exit:0']);
      expect(t.emu.directory.passwordOf(ALICE)).toBe('Left-Early-3187');
    });

    it('the idle timeout during Saving… also waits, and exits 0 when the password was changed', async () => {
      expect(await leaveDuringSave('idle', 'Idle-Saver-2264')).toEqual(['answer:done', 'exit:0']);
    });

    it('when the answer is that nothing changed, leaving then reports the way out the user took', async () => {
      const h = harness(t);
      await toPassword(t, h, ALICE);
      // password_recently_used is refused by the service: the password did not change.
      t.emu.faults.inject({ endpoint: 'submit', kind: 'latency', latencyMs: 300 });
      const current = t.emu.directory.passwordOf(ALICE)!;
      const submit = h.call('flow:submitPassword', { password: current });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await h.core.dispatch('app:exit', { reason: 'cancelled' });
      await expect(submit).resolves.toMatchObject({ ok: false, error: { code: 'password_recently_used' } });
      expect(h.exits).toEqual([10]);
    });
  });

  it('five wrong codes lock the user: throttled, and leaving exits with 40', async () => {
    t.emu.directory.add({ ...t.emu.directory.find('grace@contoso.com')!, username: 'ivan@contoso.com', objectId: '9a8b7c6d-0000-4000-8000-000000000009' });
    const h = harness(t);
    await h.call('flow:start', { username: 'ivan@contoso.com' });
    const right = t.emu.latestCode('ivan@contoso.com')!;
    const wrong = right === '12345678' ? '87654321' : '12345678';
    let last: FlowResult | undefined;
    for (let i = 0; i < 5; i++) {
      last = await h.call('flow:submitCode', { code: wrong });
      if (!last.ok && last.error.code === 'throttled') break;
    }
    expect(last).toMatchObject({ ok: false, error: { code: 'throttled' } });
    await h.core.dispatch('app:exit', { reason: 'cancelled' });
    expect(h.exits).toEqual([40]);
  });

  it('calls out of order get session_expired, restart returns to the user-id step', async () => {
    const h = harness(t);
    expect(await h.call('flow:submitCode', { code: '12345678' })).toMatchObject({ ok: false, error: { code: 'session_expired' } });
    expect(await h.call('flow:submitPassword', { password: NEW_PASSWORD })).toMatchObject({ ok: false, error: { code: 'session_expired' } });
    await h.call('flow:start', { username: ALICE });
    expect(await h.call('flow:restart')).toEqual({ ok: true, view: { step: 'userId' } });
    expect(await h.call('flow:submitCode', { code: t.emu.latestCode(ALICE) })).toMatchObject({ ok: false, error: { code: 'session_expired' } });
  });

  describe('security.md §8 bad inputs: a clear code and no request at all', () => {
    const badUsernames = [
      '', '   ', '\t', '\u00a0', '\u200b', '\ufeff', 'user', 'user@', '@contoso.com', 'a@@b.com', 'a@b@c.com', 'user.@contoso.com',
      '.user@contoso.com', 'us..er@contoso.com', 'CONTOSO\\user', `${'a'.repeat(65)}@contoso.com`, `a@${'b'.repeat(46)}.com`,
      `${'a'.repeat(64)}@${'b'.repeat(45)}.com`, 'a'.repeat(10_000), 'ｕｓｅｒ@contoso.com', '\u0430lice@contoso.com', 'ılice@contoso.com',
      'e\u0301@contoso.com', 'ﬁ@contoso.com', '😀@contoso.com', 'alice\u202e@contoso.com', 'al\u2066ice@contoso.com',
      'alice\r\n@contoso.com', 'a\r\n2026-01-01 INFO ok user=admin', 'alice\u0000@contoso.com', '\u001b[31malice@contoso.com', 'alice\u0085@contoso.com',
      'alice\u2028@contoso.com', 'ali\bce@contoso.com', "' OR '1'='1", '"><script>alert(1)</script>', '<img src=x onerror=alert(1)>', '{{7*7}}',
      '${7*7}', '%0d%0a', '%00', '../../Windows/System32', '\\\\attacker\\share\\x', 'javascript:alert(1)', 'file:///C:/', 'ms-settings:',
      "=cmd|' /C calc'!A0", '%s%n%x', '%1 %%1',
    ];

    it.each(badUsernames.map((u) => [JSON.stringify(u).slice(0, 40), u]))('user id %s → invalid_username', async (_label, username) => {
      const h = harness(t);
      const before = t.requests.length;
      expect(await h.call('flow:start', { username })).toMatchObject({ ok: false, error: { code: 'invalid_username' } });
      expect(t.requests.length).toBe(before);
    });

    const badCodes = ['', '   ', '1234567', '123456789', '1'.repeat(1000), '１２３４５６７', '١٢٣٤٥٦٧', '¹²³⁴⁵⁶⁷⁸', 'O1234567', 'l2345678', '-1234567', '1e5', '1234567\u0000', '12345\n678x'];

    it('each bad code → invalid_code with no request; then the real code still works', async () => {
      const h = harness(t);
      await h.call('flow:start', { username: ALICE });
      const before = t.requests.length;
      for (const code of badCodes) {
        expect(await h.call('flow:submitCode', { code }), JSON.stringify(code)).toMatchObject({ ok: false, error: { code: 'invalid_code' } });
      }
      expect(t.requests.length).toBe(before);
      const real = t.emu.latestCode(ALICE)!;
      // Full-width digits of the real code are normalised, not refused.
      const fullWidth = [...real].map((d) => String.fromCodePoint(0xff10 + Number(d))).join('');
      expect(await h.call('flow:submitCode', { code: fullWidth })).toEqual({ ok: true, view: { step: 'password' } });
    });

    const badPasswords: [string, string][] = [
      ['Ab1!xyz', 'password_too_short'],
      ['', 'password_too_short'],
      ['        ', 'password_too_weak'],
      [`Aa1!${'x'.repeat(253)}`, 'password_too_long'],
      ['A1!'.repeat(3334), 'password_too_long'],
      ['Pässwörd-1234', 'password_invalid_characters'],
      ['Pass 漢字 1234', 'password_invalid_characters'],
      ['Password-1😀', 'password_invalid_characters'],
      ['Pass\tword-1234', 'password_invalid_characters'],
      ['Pass\r\nword-1234', 'password_invalid_characters'],
      ['Pass\u0000word-1234', 'password_invalid_characters'],
      ['Pass\u001bword-1234', 'password_invalid_characters'],
      ['Pass\u202eword-1234', 'password_invalid_characters'],
      ['abcdefghijklmnopqrst', 'password_too_weak'],
      ['ABCDEFGH12', 'password_too_weak'],
    ];

    it('each bad password → its inline code with no request; the payload-looking legal password is accepted literally', async () => {
      const h = harness(t);
      await toPassword(t, h, 'grace@contoso.com');
      const before = t.requests.length;
      for (const [password, code] of badPasswords) {
        expect(await h.call('flow:submitPassword', { password }), JSON.stringify(password).slice(0, 40)).toMatchObject({ ok: false, error: { code } });
      }
      expect(t.requests.length).toBe(before);
      const literal = "  ' OR 1=1-- $(calc) <script>  ";
      expect(await h.call('flow:submitPassword', { password: literal })).toEqual({ ok: true, view: { step: 'done' } });
      // Sent byte-exact: outer spaces are part of the password.
      expect(t.emu.directory.passwordOf('grace@contoso.com')).toBe(literal);
    });

    it('a 1 MB paste in each field gets the field message at the boundary; wrong types get internal; no request', async () => {
      const h = harness(t);
      await toPassword(t, h, 'grace@contoso.com');
      const before = t.requests.length;
      const mb = 'a'.repeat(1024 * 1024);
      for (const [channel, payload, code] of [
        ['flow:start', { username: mb }, 'invalid_username'],
        ['flow:submitCode', { code: '1'.repeat(1024 * 1024) }, 'invalid_code'],
        ['flow:submitPassword', { password: mb }, 'password_too_long'],
        ['flow:start', { username: 42 }, 'internal'],
        ['flow:start', { username: ALICE, extra: 1 }, 'internal'],
        ['flow:submitPassword', { password: mb, extra: 1 }, 'internal'],
        ['flow:submitPassword', null, 'internal'],
      ] as const) {
        expect(await h.core.dispatch(channel, payload)).toEqual({ ok: false, error: { code } });
      }
      expect(t.requests.length).toBe(before);
      // The refused calls changed nothing: the flow is still at the password step.
      expect(await h.call('flow:submitPassword', { password: 'Quiet-Rivers-8801' })).toEqual({ ok: true, view: { step: 'done' } });
    });
  });
});

describe('expiry through the handlers', () => {
  let t: EmulatorUnderTest;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = createManualClock();
    t = await startTestEmulator({ clock });
  });
  afterAll(async () => {
    await t.emu.close();
  });

  it('a code step left past the session lifetime is session_expired and back to the user id', async () => {
    const h = harness(t);
    await h.call('flow:start', { username: ALICE });
    clock.advance(16 * 60_000);
    expect(await h.call('flow:submitCode', { code: t.emu.latestCode(ALICE) })).toMatchObject({ ok: false, error: { code: 'session_expired' } });
    expect(await h.call('flow:resendCode')).toMatchObject({ ok: false, error: { code: 'session_expired' } });
  });

  it('an expired code is code_expired (inline): a resend then lets the user finish', async () => {
    const h = harness(t);
    await h.call('flow:start', { username: ALICE });
    clock.advance(301_000);
    h.advance(301_000);
    expect(await h.call('flow:submitCode', { code: t.emu.latestCode(ALICE) })).toMatchObject({ ok: false, error: { code: 'code_expired' } });
    expect(await h.call('flow:resendCode')).toMatchObject({ ok: true, view: { step: 'code', resent: true } });
    expect(await h.call('flow:submitCode', { code: t.emu.latestCode(ALICE) })).toEqual({ ok: true, view: { step: 'password' } });
  });
});
