/**
 * The native screens' way into the hosted web flow, in real Chromium: the renderer's App bundled with the
 * product CSP and driven through the one IPC contract, with a stand-in main answering the channels.
 * After a `redirect` answer the error screen offers "Continue on the web page" only when main says it can;
 * choosing it asks main to open the locked view and hands the window to the portal chrome.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcContract, type AppInfo, type PortalState } from '../../src/shared/ipc';
import { exposeStandInMain, launchBrowser, serveRendererEntry, type ServedEntry } from './support';

let app: ServedEntry;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([
    serveRendererEntry(
      `
        import { createRoot } from 'react-dom/client';
        import { App } from './src/renderer/App';
        import { initI18n } from './src/renderer/i18n';
        import './src/renderer/styles.css';
        const names = ${JSON.stringify(Object.keys(ipcContract))};
        const api = Object.fromEntries(names.map((c) => [c, (p) => window.__ssprInvoke(c, p)]));
        window.__ssprInfo().then((info) => {
          initI18n('en');
          createRoot(document.getElementById('root')).render(<App api={api} info={info} />);
        });
      `,
      'web-flow-test-entry.tsx',
    ),
    launchBrowser(),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const open = async (webFlowOnRedirect: boolean) => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const calls: string[] = [];
  const layouts: { top: number; visible: boolean }[] = [];
  const info: AppInfo = { productName: 'SSPR Logon', scenario: 'logon', engine: 'native', userHint: '', locale: 'en', helpdeskText: '', idleTimeoutSeconds: 180, demo: false, portalUrl: '', webFlowOnRedirect };
  const state: PortalState = { phase: 'showing', language: 'en', idleRemainingSeconds: 180 };
  await exposeStandInMain(page, info, (channel, request) => {
    calls.push(channel);
    switch (channel) {
      case 'flow:start':
        return { ok: false, error: { code: 'redirect_required', correlationId: 'corr-1' } };
      case 'app:openWebFlow':
        return { ok: webFlowOnRedirect };
      case 'portal:layout':
        layouts.push(request as { top: number; visible: boolean });
        return state;
      case 'portal:state':
        return state;
      case 'app:exit':
        return { ok: true };
      default:
        throw new Error(`not expected here: ${channel}`);
    }
  });
  await page.goto(`${app.origin}/`);
  await page.locator('#username').fill('adele.vance@contoso.com');
  await page.locator('#username').press('Enter');
  await page.getByText("This screen can't verify your account").waitFor({ timeout: 20_000 });
  return { page, context, calls, layouts };
};

describe('redirect_required in the native screens', () => {
  it('offers the web page when main can show it, then hands the window to the portal chrome', async () => {
    const h = await open(true);
    try {
      await h.page.getByRole('button', { name: 'Continue on the web page' }).click();
      await h.page.locator('.portal-chrome').waitFor({ timeout: 20_000 });
      await expect.poll(() => h.layouts.at(-1)?.visible, { timeout: 20_000 }).toBe(true);
      expect(h.calls.filter((c) => c === 'app:openWebFlow')).toHaveLength(1);
      // Our native card is gone; the chrome's own way back remains.
      expect(await h.page.locator('.card').count()).toBe(0);
      await h.page.getByRole('button', { name: 'Back to sign-in' }).click();
      await expect.poll(() => h.calls.includes('app:exit'), { timeout: 20_000 }).toBe(true);
    } finally {
      await h.context.close();
    }
  });

  it('without the offer the screen says what to do and has no such button', async () => {
    const h = await open(false);
    try {
      expect(await h.page.getByRole('button', { name: 'Continue on the web page' }).count()).toBe(0);
      expect(await h.page.getByRole('button', { name: 'Try a different user ID' }).count()).toBe(1);
      expect(h.calls).not.toContain('app:openWebFlow');
    } finally {
      await h.context.close();
    }
  });
});
