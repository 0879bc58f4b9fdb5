import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/shared/exitCodes';
import { expectStage, strongPassword, useOverlays } from './support';

interface Focused {
  id: string;
  tag: string;
  text: string;
  visible: boolean;
}

/** What has focus, and whether a sighted keyboard user can see it (a real outline or ring, not 'none'). */
const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { id: '', tag: 'body', text: '', visible: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const ring = style.boxShadow !== 'none';
    return { id: el.id, tag: el.tagName.toLowerCase(), text: (el.textContent ?? '').trim(), visible: outline || ring };
  });

describe('keyboard only (Tab, Shift+Tab, Enter, Space and typing; no clicks)', () => {
  const overlays = useOverlays({ policy: { pollPendingCount: 1 } });

  it('every control on the first screen is reachable in order, with visible focus', async () => {
    const { page } = await overlays.open();
    expect((await focused(page)).id).toBe('username');
    const seen: Focused[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      seen.push(await focused(page));
    }
    expect(seen.map((f) => f.id || f.text)).toEqual(['Next', 'Back to sign-in', 'language', 'username']);
    expect(seen.filter((f) => !f.visible)).toEqual([]);
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page)).id).toBe('language');
  });

  it('completes a reset with the keyboard alone', async () => {
    const { page, demo } = await overlays.open();
    const press = async (key: string) => {
      await page.keyboard.press(key);
      const f = await focused(page);
      expect(f.visible, `focus after ${key} on ${f.id || f.text} is not visible`).toBe(true);
      return f;
    };

    expect(await focused(page)).toMatchObject({ id: 'username', visible: true });
    await page.keyboard.type('alice@contoso.com');
    await page.keyboard.press('Enter');
    await expectStage(page, 'code');
    await expect.poll(async () => (await focused(page)).id).toBe('code');
    await page.keyboard.type(overlays.emulator.latestCode('alice@contoso.com')!);
    await page.keyboard.press('Enter');
    await expectStage(page, 'password');
    await expect.poll(async () => (await focused(page)).id).toBe('new-password');
    expect((await focused(page)).visible).toBe(true);

    // Caps Lock: Playwright cannot latch it, so the key event carries the modifier state the OS would report.
    const capsKey = (on: boolean) =>
      page.locator('#new-password').evaluate((el, capsOn) => {
        el.dispatchEvent(new KeyboardEvent('keyup', { key: 'CapsLock', bubbles: true, modifierCapsLock: capsOn } as KeyboardEventInit));
      }, on);
    await capsKey(true);
    await expect.poll(() => page.locator('.caps').textContent()).toContain('Caps Lock is on.');
    await capsKey(false);
    await expect.poll(() => page.locator('.caps').textContent()).toBe('');

    const password = strongPassword('kb');
    await page.keyboard.type(password);
    expect(await press('Tab')).toMatchObject({ text: 'Show password' });
    await press('Space');
    await expect(page.locator('#new-password').getAttribute('type')).resolves.toBe('text');
    await press('Space');
    await expect(page.locator('#new-password').getAttribute('type')).resolves.toBe('password');
    expect((await press('Tab')).id).toBe('confirm-password');
    expect((await press('Shift+Tab')).text).toBe('Show password');
    expect((await press('Tab')).id).toBe('confirm-password');
    await page.keyboard.type(password);
    expect((await press('Tab')).text).toBe('Show password');
    expect((await press('Tab')).text).toBe('Change password');
    await page.keyboard.press('Space');
    await expectStage(page, 'done');
    await expect.poll(async () => (await focused(page)).text).toBe('Back to sign-in');
    expect((await focused(page)).visible).toBe(true);
    expect(overlays.emulator.directory.passwordOf('alice@contoso.com')).toBe(password);
    await page.keyboard.press('Enter');
    await expectStage(page, 'closed');
    expect(demo.exits).toEqual([ExitCode.ResetDone]);
  });
});
