import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/shared/exitCodes';
import {
  enterCode,
  enterPassword,
  enterUser,
  expectErrorScreen,
  expectStage,
  reachPassword,
  strongPassword,
  useOverlays,
} from './support';

describe('password reset in the overlay (real emulator, core, host, Chromium)', () => {
  const overlays = useOverlays({ policy: { pollPendingCount: 1, pollInterval: 0 } });

  it('alice resets her password with the e-mailed code, sees the done screen and goes back to sign-in', async () => {
    const { page, demo, dialogs } = await overlays.open();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Reset your password');
    // The per-run token was read once and removed from the address bar.
    expect(page.url()).toBe(`${demo.host.origin}/`);
    await expect(page.locator('.badge').textContent()).resolves.toBe('Demo');
    await enterUser(page, 'alice@contoso.com');
    await expectStage(page, 'code');
    await expect(page.locator('.screen__lead').first().textContent()).resolves.toMatch(/We sent a verification code to .*\*/);
    const code = overlays.emulator.latestCode('alice@contoso.com')!;
    expect(code).toMatch(/^\d{8}$/);
    await expect(page.locator('#code-hint').textContent()).resolves.toContain('8-digit');
    await enterCode(page, code);
    await expectStage(page, 'password');
    const password = strongPassword('al');
    await enterPassword(page, password);
    await expectStage(page, 'done');
    await expect(page.locator('h1').textContent()).resolves.toBe('Your password has been changed');
    await expect(page.locator('.screen__lead').textContent()).resolves.toBe(
      'Your password has been changed. Go back and sign in with your new password.',
    );
    expect(overlays.emulator.directory.passwordOf('alice@contoso.com')).toBe(password);
    // The password never appears in the page once it was sent.
    expect(await page.content()).not.toContain(password);
    await page.getByRole('button', { name: 'Back to sign-in' }).click();
    await expectStage(page, 'closed');
    expect(demo.exits).toEqual([ExitCode.ResetDone]);
    expect(dialogs).toEqual([]);
  });

  it('a wrong code is refused inline, then the right code works', async () => {
    const { page } = await overlays.open();
    await enterUser(page, 'alice@contoso.com');
    await expectStage(page, 'code');
    const code = overlays.emulator.latestCode('alice@contoso.com')!;
    const wrong = code.replace(/^./, (d) => String((Number(d) + 1) % 10));
    await enterCode(page, wrong);
    await expect.poll(() => page.locator('#code-error').textContent()).toContain("That code isn't right");
    await expect(page.locator('#code').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#code').getAttribute('aria-describedby')).resolves.toContain('code-error');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('code');
    await enterCode(page, code);
    await expectStage(page, 'password');
  });

  it('resend: a countdown, then "Send a new code"; the new code works and the old one is refused', async () => {
    const { page } = await overlays.open();
    await enterUser(page, 'alice@contoso.com');
    await expectStage(page, 'code');
    const first = overlays.emulator.latestCode('alice@contoso.com')!;
    await expect.poll(() => page.locator('#resend-countdown').textContent()).toMatch(/You can ask for a new code in 0:0\d/);
    const resend = page.getByRole('button', { name: 'Send a new code' });
    await resend.waitFor({ timeout: 30_000 });
    await resend.click();
    await expect.poll(() => page.locator('.notice--success').textContent()).toContain('We sent you a new code');
    const second = overlays.emulator.latestCode('alice@contoso.com')!;
    expect(second).not.toBe(first);
    // The countdown starts again after a resend.
    await expect.poll(() => page.locator('#resend-countdown').count()).toBe(1);
    await enterCode(page, first);
    await expect.poll(() => page.locator('#code-error').textContent()).toContain("That code isn't right");
    await enterCode(page, second);
    await expectStage(page, 'password');
  });

  it('shows the service refusing a banned password and a recently used one, next to the field', async () => {
    const { page } = await overlays.open();
    await reachPassword(page, overlays.emulator, 'grace@contoso.com');
    await enterPassword(page, 'Redmond24!');
    await expectStage(page, 'password');
    await expect.poll(() => page.locator('#new-password-error').textContent()).toContain('too common or too easy to guess');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-password');
    const current = overlays.emulator.directory.passwordOf('grace@contoso.com')!;
    await enterPassword(page, current);
    await expect.poll(() => page.locator('#new-password-error').textContent()).toContain("You've used this password recently");
    await enterPassword(page, strongPassword('gr'));
    await expectStage(page, 'done');
  });

  it('a failed writeback offers "Try again", and the second submit succeeds', async () => {
    const { page } = await overlays.open();
    await reachPassword(page, overlays.emulator, 'erin@contoso.com');
    await enterPassword(page, strongPassword('er1'));
    await expectErrorScreen(page, 'reset_failed');
    await page.getByRole('button', { name: 'Try again' }).click();
    await expectStage(page, 'password');
    await enterPassword(page, strongPassword('er2'));
    await expectStage(page, 'done');
    expect(overlays.emulator.directory.passwordOf('erin@contoso.com')).toBe(strongPassword('er2'));
  });

  it('a lost answer to the password submit shows "may already have been changed" and never resends it', async () => {
    const { page, api } = await overlays.open();
    await reachPassword(page, overlays.emulator, 'alice@contoso.com');
    const before = overlays.requests.count('submit');
    overlays.emulator.faults.inject({ endpoint: 'submit', kind: 'apply_then_drop' });
    const password = strongPassword('lost');
    await page.locator('#new-password').fill(password);
    await page.locator('#confirm-password').fill(password);
    // A double click must still send one request.
    await page.getByRole('button', { name: 'Change password' }).dblclick();
    await expectErrorScreen(page, 'password_may_have_changed');
    await expect(page.locator('.screen__lead').first().textContent()).resolves.toBe(
      'Your password may already have been changed. Try signing in with the new password before trying again.',
    );
    expect(overlays.requests.count('submit') - before).toBe(1);
    expect(api.filter((c) => c.channel === 'flow:submitPassword')).toHaveLength(1);
    expect(overlays.emulator.directory.passwordOf('alice@contoso.com')).toBe(password);
  });

  it('uses the unlock wording and prefills the user id from the tile', async () => {
    const { page } = await overlays.open({ scenario: 'unlock', user: 'alice@contoso.com' });
    await expect.poll(() => page.locator('h1').textContent()).toBe('Reset your password to unlock this PC');
    await expect(page.locator('#username').inputValue()).resolves.toBe('alice@contoso.com');
    await page.locator('#username').press('Enter');
    await expectStage(page, 'code');
    await enterCode(page, overlays.emulator.latestCode('alice@contoso.com')!);
    await enterPassword(page, strongPassword('un'));
    await expectStage(page, 'done');
    await expect(page.locator('.screen__lead').textContent()).resolves.toContain('unlock this PC with your new password');
  });

  it('"Back to sign-in" stays on screen at 1024×768, even on the longest screen with errors', async () => {
    const { page } = await overlays.open({ viewport: { width: 1024, height: 768 } });
    await reachPassword(page, overlays.emulator, 'alice@contoso.com');
    await enterPassword(page, 'abc', 'x');
    await expect.poll(() => page.locator('#new-password-error').count()).toBe(1);
    const back = await page.getByRole('button', { name: 'Back to sign-in' }).boundingBox();
    expect(back).not.toBeNull();
    expect(back!.y).toBeGreaterThanOrEqual(0);
    expect(back!.y + back!.height).toBeLessThanOrEqual(768);
  });

  it('does not prefill a tile name that is not a user id, on the same screen that prefills one that is', async () => {
    // The positive half keeps the negative one honest: an empty field alone would also pass if --user were lost.
    const named = await overlays.open({ user: 'alice@contoso.com' });
    await expect(named.page.locator('#username').inputValue()).resolves.toBe('alice@contoso.com');
    const { page } = await overlays.open({ user: 'CONTOSO\\alice' });
    await expect(page.locator('#username').inputValue()).resolves.toBe('');
  });
});
