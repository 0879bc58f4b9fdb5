/**
 * What the first screen costs: index.html, start.js, the stylesheet, app.js and the chunks it imports, and
 * one round trip for the session with its app:info. The later screens come after the user-id field shows, and
 * every file of the built renderer is served by the overlay's app:// scheme as the browser needs it (module
 * scripts are refused unless served as JavaScript).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProtocolRequest, ProtocolResponse } from 'electron';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CONTENT_SECURITY_POLICY } from '../../src/main/core/lockdown/policy';
import { appProtocolHandler } from '../../src/main/electron/appProtocol';
import { ExitCode } from '../../src/shared/exitCodes';
import { buildRenderer, enterUser, expectStage, launchBrowser, openOverlay, startTestEmulator, type TestEmulator } from './support';

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

describe('the first load', () => {
  it('is start.js (classic), app.js (a module) and the chunks app.js imports, all preloaded before start.js runs', () => {
    const scripts = pageScripts();
    expect(scripts.slice(0, 2)).toEqual([
      ['start.js', 'classic'],
      ['app.js', 'module'],
    ]);
    const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
    expect(html.indexOf('<link rel="modulepreload" href="app.js" />')).toBeGreaterThan(0);
    expect(html.lastIndexOf('rel="modulepreload"')).toBeLessThan(html.indexOf('<script src="start.js">'));
    const imported = [...readFileSync(join(rendererDir, 'app.js'), 'utf8').matchAll(/from"\.\/([^"]+)"/g)].map((m) => m[1]);
    expect(imported.length).toBeGreaterThan(0);
    for (const chunk of imported) expect(scripts).toContainEqual([chunk, 'modulepreload']);
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
      expect([...new Set(beforeField)].sort()).toEqual([...new Set(firstLoad)].sort());
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
});
