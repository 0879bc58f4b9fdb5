import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import en from '../../src/renderer/i18n/en.json';
import de from '../../src/renderer/i18n/de.json';
import fr from '../../src/renderer/i18n/fr.json';
import he from '../../src/renderer/i18n/he.json';
import ja from '../../src/renderer/i18n/ja.json';
import zhHant from '../../src/renderer/i18n/zh-Hant.json';
import { useOverlays, type OverlayOptions } from './support';

const documentLanguage = (page: Page) => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

describe('languages: chosen from policy, the Windows display language or the switch, each loaded only when needed', () => {
  const overlays = useOverlays();
  /** Opens an overlay and records which catalogue scripts the page fetched. */
  const overlay = async (opts: OverlayOptions) => {
    const catalogues: string[] = [];
    const o = await overlays.open({
      ...opts,
      beforeLoad: async (page) => {
        page.on('request', (req) => {
          const m = /\/i18n\/([^/]+)\.js$/.exec(new URL(req.url()).pathname);
          if (m?.[1]) catalogues.push(m[1]);
        });
      },
    });
    return { ...o, catalogues };
  };
  const heading = (page: Page) => page.locator('h1').textContent();

  it('English needs no catalogue file; the first load carries no other language', async () => {
    const { page, catalogues } = await overlay({ lang: 'en-US' });
    await expect.poll(() => heading(page)).toBe(en.userId.title.logon);
    expect(catalogues).toEqual([]);
  });

  it('a regional tag from Windows (de-AT) shows German, fetching only the German catalogue', async () => {
    const { page, catalogues } = await overlay({ lang: 'de-AT' });
    await expect.poll(() => heading(page)).toBe(de.userId.title.logon);
    await expect(documentLanguage(page)).resolves.toEqual({ lang: 'de', dir: 'ltr' });
    expect(catalogues).toEqual(['de']);
  });

  it('zh-TW shows Traditional Chinese and Hebrew is laid out right to left', async () => {
    const zh = await overlay({ lang: 'zh-TW' });
    await expect.poll(() => heading(zh.page)).toBe(zhHant.userId.title.logon);
    const hebrew = await overlay({ lang: 'he-IL' });
    await expect.poll(() => heading(hebrew.page)).toBe(he.userId.title.logon);
    await expect(documentLanguage(hebrew.page)).resolves.toEqual({ lang: 'he', dir: 'rtl' });
  });

  it('Locale set by policy or the MSI wins over the Windows display language', async () => {
    const { page, catalogues } = await overlay({ lang: 'de-DE', argv: ['--set=Locale=fr'] });
    await expect.poll(() => heading(page)).toBe(fr.userId.title.logon);
    expect(catalogues).toEqual(['fr']);
  });

  it('the switch in the header changes the language for the session, loading that catalogue then', async () => {
    const { page, catalogues } = await overlay({ lang: 'en' });
    // 23 languages, each named in its own words; the pseudo-locale is not offered to users.
    await expect(page.locator('#language option').count()).resolves.toBe(23);
    await expect(page.locator('#language option[value="en-XA"]').count()).resolves.toBe(0);
    await page.locator('#language').selectOption('ja');
    await expect.poll(() => heading(page)).toBe(ja.userId.title.logon);
    await expect.poll(() => page.getByRole('button', { name: ja.app.backToSignIn }).count()).toBe(1);
    expect(catalogues).toEqual(['ja']);
    // Field errors come from the same catalogue.
    await page.locator('#username').press('Enter');
    await expect.poll(() => page.locator('#username-error').textContent()).toContain(ja.validation.username.empty);
  });

  it('the pseudo-locale shows every text accented, lengthened and bracketed', async () => {
    const { page, catalogues } = await overlay({ lang: 'en-XA' });
    await expect.poll(() => heading(page)).toMatch(/^\[Řḗşḗŧ ẏǿŭř ƥȧşşẇǿřḓ[ ·]+\]$/);
    const back = await page.locator('.bottombar .button').textContent();
    expect(back).toMatch(/^\[.+\]$/);
    expect(back).not.toBe(en.app.backToSignIn);
    expect(catalogues).toEqual([]);
  });
});
