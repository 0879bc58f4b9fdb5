/**
 * The start of the overlay: the user-id screen comes as early as the page can ask for it, and when the main
 * process cannot even answer app:info, the user still gets a message and a way back.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/server';
import { buildRenderer, expectStage, launchBrowser, useOverlays } from './support';

describe('a main process that fails at start', () => {
  let browser: Browser;
  let host: BrowserHost;
  const calls: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    host = await startBrowserHost({
      rendererDir: await buildRenderer(),
      newSession: () => async (channel) => {
        calls.push(String(channel));
        throw new Error('core not ready');
      },
    });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  it('shows "can\'t start" with Back to sign-in, which still tries to exit and then shows the closing screen', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    try {
      await page.goto(host.url);
      await expectStage(page, 'startupFailed');
      await expect(page.locator('h1').textContent()).resolves.toBe("Password reset can't start");
      await page.getByRole('button', { name: 'Back to sign-in' }).click();
      await expectStage(page, 'closed');
      // app:info was asked once, with the session; the exit was still tried.
      expect(calls).toEqual(['app:info', 'app:exit']);
    } finally {
      await context.close();
    }
  });
});

describe('a healthy start', () => {
  const overlays = useOverlays();

  it('asks app:info before React is even set up, then shows the user-id field ready for typing', async () => {
    const o = await overlays.open({
      // Records, in order, the page's requests and the moment react-dom initialises (it announces itself to a
      // developer-tools hook when one is present): the wait for the main process must overlap that work.
      beforeLoad: async (page) => {
        await page.addInitScript(() => {
          const order: string[] = [];
          (window as unknown as { __order: string[] }).__order = order;
          const fetchFn = window.fetch.bind(window);
          window.fetch = (input, init) => {
            order.push(`fetch ${new URL(String(input), location.href).pathname}`);
            return fetchFn(input, init);
          };
          (window as unknown as { __REACT_DEVTOOLS_GLOBAL_HOOK__: unknown }).__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
            supportsFiber: true,
            inject: () => {
              order.push('react-dom ready');
              return 1;
            },
          };
        });
      },
    });
    await expectStage(o.page, 'userId');
    const field = o.page.locator('input[autocomplete="username"]');
    await field.focus();
    await expect(field.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    const order = await o.page.evaluate(() => (window as unknown as { __order: string[] }).__order);
    expect(order[0]).toBe('fetch /session');
    expect(order).toContain('react-dom ready');
    expect(order.indexOf('fetch /session')).toBeLessThan(order.indexOf('react-dom ready'));
    // app:info came with the session (one round trip): the page made no API call of its own to show the field.
    expect(order.filter((entry) => entry.startsWith('fetch '))).toEqual(['fetch /session']);
    expect(o.api).toEqual([]);
    expect(o.pageErrors).toEqual([]);
  });
});
