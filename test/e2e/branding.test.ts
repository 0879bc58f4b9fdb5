import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useOverlays } from './support';

const primaryBackground = (page: Page) => page.locator('.button--primary').first().evaluate((el) => getComputedStyle(el).backgroundColor);

describe("the organisation's look: name, accent colour and user-id examples from config", () => {
  const overlays = useOverlays();
  const overlay = (argv: string[]) => overlays.open({ argv });

  it('BrandName, AccentColor and UpnSuffix change the header, the buttons and the examples', async () => {
    const { page } = await overlay(['--set=BrandName=Fabrikam Ltd', '--set=AccentColor=#6b2c91', '--set=UpnSuffix=fabrikam.com']);
    await expect.poll(() => page.locator('.topbar__product').textContent()).toBe('Fabrikam Ltd');
    await expect(page.title()).resolves.toBe('Fabrikam Ltd');
    await expect(primaryBackground(page)).resolves.toBe('rgb(107, 44, 145)');
    await expect(page.locator('#username-hint, .field__hint').first().textContent()).resolves.toContain('name@fabrikam.com');
    await page.locator('#username').fill('alice');
    await page.locator('#username').press('Enter');
    await expect.poll(() => page.locator('#username-error').textContent()).toContain('name@fabrikam.com');
    expect(await page.content()).not.toContain('contoso.com');
  });

  it('without them the product name, the built-in blue and the contoso.com example show', async () => {
    const { page } = await overlay([]);
    await expect.poll(() => page.locator('.topbar__product').textContent()).toBe('SSPR Logon');
    await expect(primaryBackground(page)).resolves.toBe('rgb(10, 88, 202)');
    await expect(page.locator('.field__hint').first().textContent()).resolves.toContain('name@contoso.com');
  });

  it('an accent colour that would make button text unreadable is refused: the built-in blue stays', async () => {
    const { page } = await overlay(['--set=AccentColor=#ffcc00']);
    await page.locator('.button--primary').first().waitFor();
    await expect(primaryBackground(page)).resolves.toBe('rgb(10, 88, 202)');
  });

  it('a logo in the data folder shows beside the name, as an image from a data: URL; a scripted SVG never shows', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sspr-brand-'));
    writeFileSync(join(dataDir, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#6b2c91"/></svg>');
    writeFileSync(join(dataDir, 'evil.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const good = await overlay([`--data-dir=${dataDir}`, '--set=LogoFile=logo.svg', '--set=BrandName=Fabrikam']);
    const logo = good.page.locator('.topbar img');
    await logo.waitFor();
    await expect(logo.getAttribute('src')).resolves.toMatch(/^data:image\/svg\+xml;base64,/);
    await expect(logo.getAttribute('alt')).resolves.toBe('');
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(40);

    const evil = await overlay([`--data-dir=${dataDir}`, '--set=LogoFile=evil.svg']);
    await evil.page.locator('.topbar__product').waitFor();
    await expect(evil.page.locator('.topbar img').count()).resolves.toBe(0);
    expect(evil.dialogs).toEqual([]);
  });
});
