/** When the main process cannot even answer app:info, the user still gets a message and a way back. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/server';
import { buildRenderer, expectStage, launchBrowser } from './support';

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
      expect(calls).toEqual(['app:info', 'app:exit']);
    } finally {
      await context.close();
    }
  });
});
