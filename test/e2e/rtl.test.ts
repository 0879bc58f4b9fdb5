import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import ar from '../../src/renderer/i18n/ar.json';
import { enterPassword, reachPassword, useOverlays } from './support';

const documentLanguage = (page: Page) => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

describe('Arabic is complete and right-to-left; the language follows the locale and the header switch', () => {
  const overlays = useOverlays();

  it('--lang=ar-EG gives the Arabic UI, laid out right to left, with the user id kept left to right', async () => {
    const { page } = await overlays.open({ lang: 'ar-EG' });
    await expect.poll(() => documentLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    await expect(page.locator('h1').textContent()).resolves.toBe(ar.userId.title.logon);
    await expect(page.locator('#username').getAttribute('dir')).resolves.toBe('ltr');
    const width = page.viewportSize()!.width;
    const back = await page.getByRole('button', { name: ar.app.backToSignIn }).boundingBox();
    const product = await page.locator('.topbar__product').boundingBox();
    expect(back!.x + back!.width).toBeLessThan(width / 2);
    expect(product!.x).toBeGreaterThan(width / 2);
    const label = await page.locator('label[for="username"]').boundingBox();
    const input = await page.locator('#username').boundingBox();
    // Labels start at the right edge of the field in RTL.
    expect(Math.abs(label!.x + label!.width - (input!.x + input!.width))).toBeLessThan(2);

    await page.locator('#username').press('Enter');
    await expect.poll(() => page.locator('#username-error').textContent()).toContain(ar.validation.username.empty);
  });

  it('the helpdesk line is Arabic by default, and an admin\'s English text keeps its own direction', async () => {
    const plain = await overlays.open({ lang: 'ar' });
    await plain.page.locator('#username').fill('bob@contoso.com');
    await plain.page.locator('#username').press('Enter');
    await expect.poll(() => plain.page.locator('.helpdesk').textContent()).toBe(ar.common.helpdeskDefault);

    const configured = await overlays.open({ lang: 'ar', argv: ['--set=HelpdeskText=Call the IT helpdesk on 555 0100.'] });
    await configured.page.locator('#username').fill('bob@contoso.com');
    await configured.page.locator('#username').press('Enter');
    const line = configured.page.locator('.helpdesk');
    await expect.poll(() => line.textContent()).toBe('Call the IT helpdesk on 555 0100.');
    await expect(line.getAttribute('dir')).resolves.toBe('auto');
    // Resolved left to right from its first strong character, so the full stop stays at the end.
    await expect(line.evaluate((el) => getComputedStyle(el).direction)).resolves.toBe('ltr');
  });

  it('the header switch changes language and direction at once, and back', async () => {
    const { page } = await overlays.open({ lang: 'ar' });
    await page.locator('#language').selectOption('en');
    await expect.poll(() => documentLanguage(page)).toEqual({ lang: 'en', dir: 'ltr' });
    await expect(page.locator('h1').textContent()).resolves.toBe('Reset your password');
    await page.locator('#language').selectOption('ar');
    await expect.poll(() => documentLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    await expect(page.locator('label[for="language"]').textContent()).resolves.toBe(ar.app.language);
  });

  it('the Arabic password screen with errors keeps "Back to sign-in" on a 1024×768 screen', async () => {
    const { page } = await overlays.open({ lang: 'ar', viewport: { width: 1024, height: 768 } });
    await reachPassword(page, overlays.emulator, 'alice@contoso.com');
    await enterPassword(page, 'abc', 'x');
    await expect.poll(() => page.locator('#new-password-error').textContent()).toContain(ar.validation.password.too_short);
    const back = await page.getByRole('button', { name: ar.app.backToSignIn }).boundingBox();
    expect(back!.y + back!.height).toBeLessThanOrEqual(768);
    expect(back!.x).toBeGreaterThanOrEqual(0);
  });

  it('a language we have no catalogue for falls back to English', async () => {
    const { page } = await overlays.open({ lang: 'xx-YY' });
    await expect.poll(() => documentLanguage(page)).toEqual({ lang: 'en', dir: 'ltr' });
  });
});
