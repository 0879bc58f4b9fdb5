import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/emulator';
import { ExitCode } from '../../src/shared/exitCodes';
import {
  enterCode,
  enterUser,
  expectErrorScreen,
  expectStage,
  openOverlay,
  startTestEmulator,
  useOverlays,
  type Overlay,
  type OverlayOptions,
} from './support';

const HELPDESK = 'Call the IT helpdesk on 555-0100.';

describe('every error has its screen and a way forward (real emulator, core, host, Chromium)', () => {
  const clock = createManualClock(Date.now());
  const overlays = useOverlays({ clock });
  const overlay = (opts: OverlayOptions = {}) => overlays.open({ ...opts, argv: [`--set=HelpdeskText=${HELPDESK}`, ...(opts.argv ?? [])] });
  const lead = (o: Overlay) => o.page.locator('.screen__lead').first().textContent();

  it('unknown user: says so, shows the helpdesk text, and "Try a different user ID" goes back with the id kept', async () => {
    const o = await overlay();
    await enterUser(o.page, 'nobody@contoso.com');
    await expectErrorScreen(o.page, 'user_not_found');
    await expect(o.page.locator('h1').textContent()).resolves.toBe("We couldn't find that account");
    await expect(o.page.locator('.helpdesk').textContent()).resolves.toBe(HELPDESK);
    await o.page.getByRole('button', { name: 'Try a different user ID' }).click();
    await expectStage(o.page, 'userId');
    await expect(o.page.locator('#username').inputValue()).resolves.toBe('nobody@contoso.com');
  });

  it('SSPR not enabled for the user', async () => {
    const o = await overlay();
    await enterUser(o.page, 'carol@contoso.com');
    await expectErrorScreen(o.page, 'not_enabled');
    await expect(o.page.locator('.helpdesk').textContent()).resolves.toBe(HELPDESK);
  });

  it('not registered: helpdesk text, and leaving reports exit code 20 to the shim', async () => {
    const o = await overlay();
    await enterUser(o.page, 'bob@contoso.com');
    await expectErrorScreen(o.page, 'not_registered');
    await expect(o.page.locator('.helpdesk').textContent()).resolves.toBe(HELPDESK);
    await o.page.getByRole('button', { name: 'Back to sign-in' }).click();
    await expectStage(o.page, 'closed');
    expect(o.demo.exits).toEqual([ExitCode.NotEnabledOrRegistered]);
  });

  it('an admin who needs a method this screen cannot offer is sent to the helpdesk', async () => {
    const o = await overlay();
    await enterUser(o.page, 'dave.admin@contoso.com');
    await expectErrorScreen(o.page, 'redirect_required');
    await expect(lead(o)).resolves.toContain("needs a verification method this screen can't offer");
  });

  it('throttled after too many wrong codes, with the time to try again', async () => {
    overlays.emulator.setPolicy({ maxFailedCodeAttempts: 2 });
    try {
      const o = await overlay();
      await enterUser(o.page, 'grace@contoso.com');
      await expectStage(o.page, 'code');
      const code = overlays.emulator.latestCode('grace@contoso.com')!;
      const wrong = code.replace(/.$/, (d) => String((Number(d) + 1) % 10));
      await enterCode(o.page, wrong);
      await expect.poll(() => o.page.locator('#code-error').count()).toBe(1);
      await enterCode(o.page, wrong);
      await expectErrorScreen(o.page, 'throttled');
      await expect(o.page.locator('h1').textContent()).resolves.toBe('Too many attempts');
      // The lockout answer carries no Retry-After: the screen states Entra's documented 24 hours.
      await expect(o.page.locator('.screen__lead').nth(1).textContent()).resolves.toBe('This pause lasts 24 hours. Try again after that.');
      await o.page.getByRole('button', { name: 'Back to sign-in' }).click();
      await expectStage(o.page, 'closed');
      expect(o.demo.exits).toEqual([ExitCode.Throttled]);
    } finally {
      overlays.emulator.setPolicy({ maxFailedCodeAttempts: 5 });
    }
  });

  it('session expired (the service clock passes the session lifetime): "Start again" begins a new attempt', async () => {
    const o = await overlay();
    await enterUser(o.page, 'alice@contoso.com');
    await expectStage(o.page, 'code');
    const code = overlays.emulator.latestCode('alice@contoso.com')!;
    clock.advance(16 * 60 * 1000);
    await enterCode(o.page, code);
    await expectErrorScreen(o.page, 'session_expired');
    await o.page.getByRole('button', { name: 'Start again' }).click();
    await expectStage(o.page, 'userId');
    await enterUser(o.page, 'alice@contoso.com');
    await expectStage(o.page, 'code');
  });

  it('unreachable when the connection drops: network advice and the correlation id for the helpdesk', async () => {
    const o = await overlay();
    overlays.emulator.faults.inject({ endpoint: 'start', kind: 'drop' });
    await enterUser(o.page, 'alice@contoso.com');
    await expectErrorScreen(o.page, 'unreachable');
    await expect(lead(o)).resolves.toContain('Check that this PC is connected to the network');
    await expect(o.page.locator('.small-print').textContent()).resolves.toMatch(/^Reference for your helpdesk: [0-9a-f-]{36}$/);
    await o.page.getByRole('button', { name: 'Try again' }).click();
    await expectStage(o.page, 'userId');
    await enterUser(o.page, 'alice@contoso.com');
    await expectStage(o.page, 'code');
  });

  it('unreachable when the service goes away mid-flow', async () => {
    const own = await startTestEmulator();
    const o = await openOverlay(overlays.browser, own.emulator);
    try {
      await enterUser(o.page, 'alice@contoso.com');
      await expectStage(o.page, 'code');
      const code = own.emulator.latestCode('alice@contoso.com')!;
      await own.emulator.close();
      await enterCode(o.page, code);
      await expectErrorScreen(o.page, 'unreachable');
    } finally {
      await o.close();
    }
  });

  it('a service that refuses this client shows the generic screen, never a raw error', async () => {
    overlays.emulator.setPolicy({ nativeAuthEnabled: false });
    try {
      const o = await overlay();
      await enterUser(o.page, 'alice@contoso.com');
      await expectErrorScreen(o.page, 'internal');
      await expect(o.page.locator('h1').textContent()).resolves.toBe('Something went wrong');
      expect(await o.page.content()).not.toMatch(/AADSTS|invalid_client|nativeauthapi/);
    } finally {
      overlays.emulator.setPolicy({ nativeAuthEnabled: true });
    }
  });

  it('"Back to sign-in" on the first screen cancels with exit code 10', async () => {
    const o = await overlay();
    await o.page.getByRole('button', { name: 'Back to sign-in' }).click();
    await expectStage(o.page, 'closed');
    await expect(o.page.locator('h1').textContent()).resolves.toBe('You can close this window');
    expect(o.demo.exits).toEqual([ExitCode.Cancelled]);
  });

  it('the portal engine shows its own chrome; in the browser host it says the portal is not available here', async () => {
    const o = await overlay({ argv: ['--set=Engine=portal'] });
    await o.page.getByRole('heading', { name: 'Password reset is not available here' }).waitFor();
    await o.page.getByRole('button', { name: 'Back to sign-in' }).click();
    await expect.poll(() => o.demo.exits).toEqual([ExitCode.Cancelled]);
  });

  it('idle: the "Still there?" dialog is drawn above the form, so its Continue button is whole and clickable', async () => {
    const o = await overlay({ beforeLoad: (page) => page.clock.install() });
    await expectStage(o.page, 'userId');
    // The user-id form's sticky "Next" bar once covered the lower half of Continue.
    await o.page.clock.fastForward(155_000);
    const cont = o.page.getByRole('alertdialog', { name: 'Still there?' }).getByRole('button', { name: 'Continue' });
    await cont.waitFor();
    const covered = await cont.evaluate((button) => {
      const r = button.getBoundingClientRect();
      const points: Array<[number, number]> = [];
      for (const fx of [0.1, 0.5, 0.9]) for (const fy of [0.1, 0.5, 0.9]) points.push([r.left + r.width * fx, r.top + r.height * fy]);
      return points.filter(([x, y]) => !button.contains(document.elementFromPoint(x, y))).length;
    });
    expect(covered).toBe(0);
    await cont.click({ trial: true });
  });

  it('idle: "Still there?" with a countdown in the last 30 s; Continue keeps the session, silence ends it', async () => {
    const o = await overlay({ beforeLoad: (page) => page.clock.install() });
    await enterUser(o.page, 'alice@contoso.com');
    await expectStage(o.page, 'code');
    // The code step outlasts the 180 s IdleTimeoutSeconds: a code is valid 5 minutes, fetched maybe on a phone.
    await o.page.clock.fastForward(200_000);
    const dialog = o.page.getByRole('alertdialog', { name: 'Still there?' });
    expect(await dialog.count()).toBe(0);
    expect(o.demo.exits).toEqual([]);
    await o.page.clock.fastForward(70_000);
    await dialog.waitFor();
    // 30 s left, less the real seconds a loaded machine spends between the steps.
    await expect(dialog.textContent()).resolves.toMatch(/this screen will close in (2[5-9]|30) seconds/);
    expect(await o.page.evaluate(() => document.activeElement?.textContent)).toBe('Continue');
    await o.page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expectStage(o.page, 'code');
    expect(o.demo.exits).toEqual([]);
    await o.page.clock.fastForward(271_000);
    await dialog.waitFor();
    await o.page.clock.fastForward(31_000);
    await expectStage(o.page, 'closed');
    expect(o.demo.exits).toEqual([ExitCode.IdleTimeout]);
  });
});
