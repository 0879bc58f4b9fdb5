/**
 * The first screen comes inside index.html, rendered by the main process (src/shared/firstScreen.ts): the
 * user-id field is usable with no script run at all, and the page's code takes that markup over after the
 * first paint, keeping what was typed and a Continue already pressed. The later screens come after the field
 * shows, and every file of the built renderer is served by the overlay's app:// scheme as the browser needs
 * it (module scripts are refused unless served as JavaScript).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProtocolRequest, ProtocolResponse } from 'electron';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CONTENT_SECURITY_POLICY } from '../../src/main/core/lockdown/policy';
import { firstScreenBundle, loadFirstScreenRenderer, pageForRun } from '../../src/main/core/firstScreen';
import { appProtocolHandler } from '../../src/main/electron/appProtocol';
import { ExitCode } from '../../src/shared/exitCodes';
import type { AppInfo } from '../../src/shared/ipc';
import { buildRenderer, enterUser, expectStage, launchBrowser, openOverlay, startTestEmulator, waitForTakeover, type OverlayOptions, type TestEmulator } from './support';

let rendererDir: string;
let browser: Browser;
let emu: TestEmulator;

beforeAll(async () => {
  [rendererDir, browser, emu] = await Promise.all([buildRenderer(), launchBrowser(), startTestEmulator()]);
});
afterAll(async () => {
  await browser?.close();
  await emu?.emulator.close();
});

/** The scripts index.html names: [file, how it is loaded]. */
const pageScripts = (): [string, string][] => {
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script([^>]*)\ssrc="([^"]+)"([^>]*)>/g)].map((m): [string, string] => [m[2]!, /type="module"/.test(m[1]! + m[3]!) ? 'module' : 'classic']);
  const preloads = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m): [string, string] => [m[1]!, 'modulepreload']);
  return [...scripts, ...preloads];
};

/** The chunk app.js starts with import(): the overlay's code (boot.tsx), fetched after the first paint. */
const bootChunk = (): string => {
  const m = /import\("\.\/([^"]+)"\)/.exec(readFileSync(join(rendererDir, 'app.js'), 'utf8'));
  if (!m?.[1]) throw new Error('app.js starts no chunk');
  return m[1];
};

/**
 * Opens the overlay with its code (the chunk app.js imports) held back until release(). appRan resolves when
 * app.js asks for that code, which it does only once it has run, and with it the hold on Next.
 */
const openWithCodeHeld = async (opts: OverlayOptions = {}) => {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let asked: () => void = () => {};
  const appRan = new Promise<void>((resolve) => (asked = resolve));
  const o = await openOverlay(browser, emu.emulator, {
    ...opts,
    takenOver: false,
    beforeLoad: async (page) => {
      await opts.beforeLoad?.(page);
      await page.route(`**/${bootChunk()}`, async (route) => {
        asked();
        await held;
        await route.continue();
      });
    },
  });
  return { o, release, appRan };
};

describe('the first load', () => {
  it('as built: start.js (async, classic) and app.js (a module), with the code app.js starts preloaded for a page without a first screen', () => {
    expect(pageScripts().slice(0, 2)).toEqual([
      ['start.js', 'classic'],
      ['app.js', 'module'],
    ]);
    const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
    // async: the parser never waits for it, so the prerendered field is parsed and painted without it.
    expect(html).toContain('<script async src="start.js"></script>');
    expect(pageScripts()).toContainEqual([bootChunk(), 'modulepreload']);
  });

  it('arrives with the user-id screen in it, in the overlay language with the user id and the accent, taking focus and typing with every script refused', async () => {
    const o = await openOverlay(browser, emu.emulator, {
      user: 'erin@contoso.com',
      lang: 'de-DE',
      argv: ['--set=AccentColor=#6b2c91'],
      takenOver: false,
      beforeLoad: async (page) => {
        await page.route(/\.js$/, (route) => route.abort());
      },
    });
    try {
      const field = o.page.getByLabel('Benutzer-ID', { exact: false });
      await field.waitFor({ state: 'visible' });
      await expect(field.inputValue()).resolves.toBe('erin@contoso.com');
      // autofocus: keys go to the field without a click.
      await expect.poll(() => o.page.evaluate(() => document.activeElement?.id)).toBe('username');
      await o.page.keyboard.press('End');
      await o.page.keyboard.type('.x');
      await expect(field.inputValue()).resolves.toBe('erin@contoso.com.x');
      await expect(o.page.locator('html').getAttribute('lang')).resolves.toBe('de');
      await expect(o.page.locator('#root').getAttribute('data-first-screen')).resolves.toBe('de');
      // The page came without preload hints: its code is fetched once the screen is painted.
      await expect(o.page.locator('link[rel="modulepreload"]').count()).resolves.toBe(0);
      // The organisation's accent is there from the first paint, not only once the code runs.
      await expect(o.page.locator('.button--primary').evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe('rgb(107, 44, 145)');
    } finally {
      await o.close();
    }
  });

  it('keeps what was typed and a Next pressed before its code took the screen over, and takes the same field over', async () => {
    const { o, release, appRan } = await openWithCodeHeld();
    const consoleErrors: string[] = [];
    o.page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    try {
      const field = o.page.locator('#username');
      await field.waitFor({ state: 'visible' });
      await field.fill('alice@contoso.com');
      // Marks the prerendered element: taken over, it stays the same element; drawn afresh, it would not.
      await field.evaluate((el) => ((el as HTMLElement & { prerendered?: boolean }).prerendered = true));
      await appRan;
      await o.page.getByRole('button', { name: 'Next' }).click();
      // Nothing can happen yet: the overlay's code is still on its way.
      await expect(o.page.locator('#code').count()).resolves.toBe(0);
      release();
      await expect
        .poll(() => field.evaluate((el) => Object.keys(el).some((k) => k.startsWith('__reactProps')) && (el as HTMLElement & { prerendered?: boolean }).prerendered === true))
        .toBe(true);
      await expectStage(o.page, 'code');
      await o.page.locator('#code').waitFor({ state: 'visible' });
      // Sent once, with what was typed (not the empty field the markup came with).
      expect(o.api.filter((c) => c.channel === 'flow:start').map((c) => JSON.parse(c.body))).toEqual([{ username: 'alice@contoso.com' }]);
      expect(consoleErrors).toEqual([]);
      expect(o.pageErrors).toEqual([]);
    } finally {
      release();
      await o.close();
    }
  });

  it('keeps what was typed when the screen is drawn afresh instead (its language could not be loaded)', async () => {
    // German is prerendered, but the page cannot load the German catalogue: it shows English, drawn anew.
    const { o, release, appRan } = await openWithCodeHeld({
      lang: 'de-DE',
      beforeLoad: async (page) => {
        await page.route('**/i18n/de.js', (route) => route.abort());
      },
    });
    try {
      await o.page.locator('#username').fill('alice@contoso.com');
      await appRan;
      release();
      await expect.poll(() => o.page.locator('h1').textContent()).toBe('Reset your password');
      await expect(o.page.locator('#username').inputValue()).resolves.toBe('alice@contoso.com');
    } finally {
      release();
      await o.close();
    }
  });

  it('leaves the focus where the user moved it before the takeover', async () => {
    const { o, release } = await openWithCodeHeld();
    try {
      await expect.poll(() => o.page.evaluate(() => document.activeElement?.id)).toBe('username');
      await o.page.keyboard.press('Tab');
      const onNext = () => o.page.evaluate(() => document.activeElement?.textContent);
      await expect(onNext()).resolves.toBe('Next');
      release();
      await waitForTakeover(o.page);
      // The screen's own "focus the field when shown" must not pull the user back.
      await o.page.waitForTimeout(300);
      await expect(onNext()).resolves.toBe('Next');
    } finally {
      release();
      await o.close();
    }
  });

  it('shows the user-id field before any later screen is fetched, then fetches them without being asked', async () => {
    const o = await openOverlay(browser, emu.emulator, {
      beforeLoad: async (page) => {
        // The moment the field is in the page, on the page's own clock (resource timings use the same one).
        await page.addInitScript(() => {
          new MutationObserver((_records, observer) => {
            if (!document.querySelector('#username')) return;
            (window as unknown as { __fieldAt: number }).__fieldAt = performance.now();
            observer.disconnect();
          }).observe(document, { subtree: true, childList: true });
        });
      },
    });
    const fetched = () =>
      o.page.evaluate(() => performance.getEntriesByType('resource').map((e) => ({ path: new URL(e.name).pathname, at: e.startTime })));
    try {
      await expectStage(o.page, 'userId');
      const firstLoad = [...pageScripts().map(([file]) => `/${file}`), '/app.css', '/session'];
      const laterFiles = readdirSync(rendererDir)
        .filter((f) => f.endsWith('.js') && !firstLoad.includes(`/${f}`))
        .map((f) => `/${f}`);
      expect(laterFiles.length).toBeGreaterThan(0);
      // The later screens arrive on their own, after the field.
      await expect.poll(async () => (await fetched()).filter((r) => laterFiles.includes(r.path)).length, { timeout: 15_000 }).toBeGreaterThan(0);
      const fieldAt = await o.page.evaluate(() => (window as unknown as { __fieldAt: number }).__fieldAt);
      const beforeField = (await fetched()).filter((r) => r.at < fieldAt).map((r) => r.path);
      expect(beforeField.filter((p) => laterFiles.includes(p))).toEqual([]);
      // The field is in the page itself: it is there before the overlay's code has even been asked for.
      expect(beforeField).not.toContain(`/${bootChunk()}`);
      // ...and the next screen, from the later chunk, works.
      await enterUser(o.page, 'alice@contoso.com');
      await expectStage(o.page, 'code');
      await o.page.locator('#code').waitFor({ state: 'visible' });
      expect(o.pageErrors).toEqual([]);
    } finally {
      await o.close();
    }
  });
});

describe('a later part that cannot load', () => {
  it('leaves the shell standing: the screen says it cannot start, and "Back to sign-in" still returns to the tile', async () => {
    const firstLoad = new Set(pageScripts().map(([file]) => `/${file}`));
    const o = await openOverlay(browser, emu.emulator, {
      // A damaged install: every script the first load does not name is missing.
      beforeLoad: async (page) => {
        await page.route(/\.js$/, (route) => (firstLoad.has(new URL(route.request().url()).pathname) ? route.continue() : route.abort()));
      },
    });
    try {
      await expectStage(o.page, 'userId');
      await enterUser(o.page, 'alice@contoso.com');
      await expectStage(o.page, 'code');
      const alert = o.page.locator('[data-load-failed]');
      await alert.waitFor();
      await expect(alert.getByRole('heading').textContent()).resolves.toBe("Password reset can't start");
      await o.page.getByRole('button', { name: 'Back to sign-in' }).click();
      await expect.poll(() => o.demo.exits).toEqual([ExitCode.Cancelled]);
    } finally {
      await o.close();
    }
  });
});

describe('app:// serves the built renderer', () => {
  const serve = (path: string) =>
    new Promise<ProtocolResponse>((resolve) => {
      appProtocolHandler(rendererDir)({ method: 'GET', url: `app://overlay/${path}` } as ProtocolRequest, (r) => resolve(r as ProtocolResponse));
    });

  it('every script (start.js, app.js, each chunk) as text/javascript with the overlay CSP, and the page and stylesheet', async () => {
    const scripts = readdirSync(rendererDir).filter((f) => f.endsWith('.js'));
    expect(scripts).toEqual(expect.arrayContaining(['start.js', 'app.js']));
    for (const file of scripts) {
      const r = await serve(file);
      expect(r.statusCode, file).toBe(200);
      // Chromium runs a module script only when it is served with a JavaScript MIME type.
      expect(r.mimeType, file).toBe('text/javascript');
      expect(r.headers?.['Content-Security-Policy'], file).toBe(APP_CONTENT_SECURITY_POLICY);
    }
    expect((await serve('index.html')).mimeType).toBe('text/html');
    expect((await serve('app.css')).mimeType).toBe('text/css');
  });

  it('index.html with the overlay\'s first screen in it, rendered by the first-screen bundle from app:info', async () => {
    const { render, problem } = loadFirstScreenRenderer(firstScreenBundle(join(rendererDir, '..')));
    expect(problem).toBeUndefined();
    const info: AppInfo = { productName: 'SSPR Logon', scenario: 'unlock', engine: 'native', userHint: 'dana@contoso.com', locale: 'ar', helpdeskText: '', idleTimeoutSeconds: 180, demo: false, portalUrl: '' };
    const r = await new Promise<ProtocolResponse>((resolve) => {
      appProtocolHandler(rendererDir, pageForRun(render, async () => info))({ method: 'GET', url: 'app://overlay/' } as ProtocolRequest, (x) => resolve(x as ProtocolResponse));
    });
    const html = (r.data as Buffer).toString('utf8');
    expect(r.headers?.['Content-Security-Policy']).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('<div id="root" data-first-screen="ar">');
    expect(html).toContain('value="dana@contoso.com"');
    // Arabic texts from the catalogue, not English ones.
    const ar = JSON.parse(readFileSync(join(__dirname, '../../src/renderer/i18n/ar.json'), 'utf8')) as { userId: { label: string } };
    expect(html).toContain(`>${ar.userId.label}</label>`);
    expect(html).not.toContain('modulepreload');
    // The portal engine's window is not prerendered: the page is served as built.
    const portal = await new Promise<ProtocolResponse>((resolve) => {
      appProtocolHandler(rendererDir, pageForRun(render, async () => ({ ...info, engine: 'portal' })))({ method: 'GET', url: 'app://overlay/index.html' } as ProtocolRequest, (x) => resolve(x as ProtocolResponse));
    });
    expect((portal.data as Buffer).toString('utf8')).toBe(readFileSync(join(rendererDir, 'index.html'), 'utf8'));
  });

  it('branding.css with the accent of this run, made by main (empty without one or for one refused)', async () => {
    const info: AppInfo = { productName: 'SSPR Logon', scenario: 'logon', engine: 'native', userHint: '', locale: 'en', helpdeskText: '', idleTimeoutSeconds: 180, demo: false, portalUrl: '' };
    const css = async (accentColor?: string) => {
      const page = pageForRun(null, async () => ({ ...info, ...(accentColor ? { accentColor } : {}) }));
      const r = await new Promise<ProtocolResponse>((resolve) => {
        appProtocolHandler(rendererDir, page)({ method: 'GET', url: 'app://overlay/branding.css' } as ProtocolRequest, (x) => resolve(x as ProtocolResponse));
      });
      expect(r.mimeType).toBe('text/css');
      expect(r.headers?.['Content-Security-Policy']).toBe(APP_CONTENT_SECURITY_POLICY);
      return (r.data as Buffer).toString('utf8');
    };
    await expect(css('#6b2c91')).resolves.toBe(':root{--primary:#6b2c91;--primary-hover:#5b257b}\n');
    await expect(css()).resolves.toBe('');
    // Pale yellow: white button text on it would be unreadable.
    await expect(css('#ffff99')).resolves.toBe('');
  });
});
