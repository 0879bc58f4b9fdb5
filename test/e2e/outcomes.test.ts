/**
 * Honest outcomes, as the user sees them (real emulator, core, host, Chromium): leaving while the password
 * is being saved waits for the answer, and a throttled service still ends in "done" when the reset did.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/shared/exitCodes';
import { enterPassword, expectStage, reachPassword, strongPassword, useOverlays } from './support';

describe('outcomes the user is told', () => {
  const overlays = useOverlays({ policy: { pollPendingCount: 1, pollInterval: 0 } });
  afterEach(() => overlays.emulator.faults.clear());

  it('"Back to sign-in" during Saving… shows Finishing…, waits for the answer and exits 0 because the password changed', async () => {
    // The engine's wait before each poll is held until the test lets go: the answer cannot arrive early.
    let letGo: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const o = await overlays.open({ lang: 'en', core: { sleep: () => held } });
    const { page, demo } = o;
    await reachPassword(page, overlays.emulator, 'alice@contoso.com');
    const password = strongPassword('leave');
    await enterPassword(page, password);
    await expectStage(page, 'saving');
    await page.getByRole('button', { name: 'Back to sign-in' }).click();
    await expectStage(page, 'finishing');
    await expect(page.locator('h1').textContent()).resolves.toBe('Finishing…');
    await expect(page.locator('[role="status"]').first().textContent()).resolves.toContain('still being saved');
    // No second way out is offered while it finishes, and nothing has been reported yet.
    await expect(page.getByRole('button', { name: 'Back to sign-in' }).count()).resolves.toBe(0);
    const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => v.id)).toEqual([]);
    expect(demo.exits).toEqual([]);
    letGo();
    await expectStage(page, 'closed');
    expect(demo.exits).toEqual([ExitCode.ResetDone]);
    expect(overlays.emulator.directory.passwordOf('alice@contoso.com')).toBe(password);
  });

  it('a user whose polls are throttled (429, then 503, with Retry-After) is told the password was changed', async () => {
    const o = await overlays.open({ lang: 'en' });
    const { page } = o;
    await reachPassword(page, overlays.emulator, 'alice@contoso.com');
    overlays.emulator.faults.inject({ endpoint: 'poll_completion', kind: '429', retryAfterSeconds: 5, times: 3 });
    overlays.emulator.faults.inject({ endpoint: 'poll_completion', kind: '503', retryAfterSeconds: 5, times: 2 });
    const password = strongPassword('poll');
    await enterPassword(page, password);
    await expectStage(page, 'done');
    expect(overlays.emulator.directory.passwordOf('alice@contoso.com')).toBe(password);
  });
});
