import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import en from '../../src/renderer/i18n/en.json';
import { enterPassword, expectStage, reachPassword, useOverlays } from './support';

/**
 * WCAG 1.4.10 reflow at the CSS viewports a logon screen really gets: 800×600, 1024×768 at 150 % (683×512),
 * 1366×768 at 125 % (1093×614) and 1280×1024 at 400 % (320×256).
 */
const VIEWPORTS = [
  { width: 800, height: 600 },
  { width: 683, height: 512 },
  { width: 1093, height: 614 },
  { width: 320, height: 256 },
] as const;

/**
 * How much of the viewport's height shows the card, between whatever header and footer cover, as the user
 * sees it: after the screen moved focus to its first field (which scrolls the page on short screens).
 */
const formShare = (page: Page) =>
  page.evaluate(() => {
    const vh = window.innerHeight;
    const card = document.querySelector('.card')!.getBoundingClientRect();
    const header = document.querySelector('.topbar')!.getBoundingClientRect();
    const footer = document.querySelector('.bottombar')!.getBoundingClientRect();
    const top = Math.max(card.top, header.bottom > 0 ? header.bottom : 0, 0);
    const bottom = Math.min(card.bottom, footer.top < vh ? footer.top : vh, vh);
    return Math.max(0, bottom - top) / vh;
  });

/** Focuses the element as Tab would, then asks what is really drawn at its centre: the element, or something over it. */
const shownWhenFocused = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const el = document.querySelector<HTMLElement>(sel)!;
    el.focus();
    el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    const inside = r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
    const hit = document.elementFromPoint(x, y);
    return inside && hit !== null && (hit === el || el.contains(hit));
  }, selector);

/** The share of the height the pinned footer takes when it overlays the page. */
const footerShare = (page: Page) => page.evaluate(() => document.querySelector('.bottombar')!.getBoundingClientRect().height / window.innerHeight);

const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

describe('small screens and large text: the actions are never hidden and the form keeps the room', () => {
  const overlays = useOverlays();

  it.each(VIEWPORTS.map((v) => [`${v.width}×${v.height}`, v]))('%s: user id screen', async (_name, viewport) => {
    const { page } = await overlays.open({ viewport });
    await page.locator('#username').waitFor();
    expect(await formShare(page)).toBeGreaterThanOrEqual(0.5);
    expect(await footerShare(page)).toBeLessThanOrEqual(0.25);
    expect(await noSideways(page)).toBe(true);
    expect(await shownWhenFocused(page, '.card .button--primary')).toBe(true);
    expect(await shownWhenFocused(page, '.bottombar .button')).toBe(true);
    expect(await shownWhenFocused(page, '#username')).toBe(true);
  });

  it.each(VIEWPORTS.map((v) => [`${v.width}×${v.height}`, v]))('%s: password screen with both errors, in the pseudo-locale', async (_name, viewport) => {
    const { page } = await overlays.open({ viewport, lang: 'en-XA' });
    await reachPassword(page, overlays.emulator, 'alice@contoso.com');
    await enterPassword(page, 'abc', 'x');
    await page.locator('#new-password-error').waitFor();
    expect(await formShare(page)).toBeGreaterThanOrEqual(0.5);
    expect(await footerShare(page)).toBeLessThanOrEqual(0.25);
    expect(await noSideways(page)).toBe(true);
    for (const sel of ['#new-password', '#confirm-password', '.card .button--primary', '.bottombar .button']) {
      expect(await shownWhenFocused(page, sel), sel).toBe(true);
    }
    await expectStage(page, 'password');
  });

  it('the English password screen at 683×512 shows "Change password" without scrolling, with the errors showing', async () => {
    const { page } = await overlays.open({ viewport: { width: 683, height: 512 } });
    await reachPassword(page, overlays.emulator, 'alice@contoso.com');
    await enterPassword(page, 'abc', 'x');
    await page.locator('#new-password-error').waitFor();
    await page.locator('#new-password').focus();
    const button = await page.getByRole('button', { name: en.password.submit }).boundingBox();
    expect(button!.y + button!.height).toBeLessThanOrEqual(512);
  });
});
