/**
 * The portal chrome in real Chromium. Two pages stand in for the Electron window: page "chrome" renders
 * PortalChrome (bundled with the shipped renderer options and served with the product CSP by
 * serveRendererEntry, the harness the web-flow test shares) and page "view" plays the locked
 * BrowserView, loading a stand-in portal served over HTTPS on loopback. Between them runs the real portal
 * logic of main (portalUrl, portalOutcome, portalPhase, portalExitCode) fed with the view page's real
 * navigation events — so what the user sees follows what Chromium actually did.
 *
 * Trust: Chromium here knows only the stand-in portal's key, pinned with --ignore-certificate-errors-spki-list
 * (the one key, not "any certificate"): the self-signed stand-in with another key is refused as it must be.
 */
import { createHash, createPublicKey } from 'node:crypto';
import * as https from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/shared/config';
import { isPortalChannel, type AppInfo, type PortalState } from '../../../src/shared/ipc';
import { isNavigationAllowed, isRequestAllowed, portalPolicy } from '../../../src/main/core/lockdown/policy';
import { idleRemainingSeconds, portalExitCode, portalOutcome, portalPhase, type NavigationEvent } from '../../../src/main/core/portal/outcome';
import { portalUrl } from '../../../src/main/core/portal/url';
import { createTestPki, type KeyAndCert, type TestPki } from '../core/tls/pki';
import { exposeStandInMain, launchBrowser, serveRendererEntry, type ServedEntry } from '../../e2e/support';

let pki: TestPki;
let chromeApp: ServedEntry;
let portalServer: https.Server;
let portalOrigin: string;
let untrustedServer: https.Server;
let untrustedOrigin: string;
let browser: Browser;

const listen = async (server: https.Server): Promise<number> => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
};

const STANDIN_PAGE = (title: string, body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

const standInPortal = (keyCert: KeyAndCert): https.Server =>
  https.createServer({ key: keyCert.key, cert: keyCert.cert, minVersion: 'TLSv1.2' }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/done') {
      res.end(STANDIN_PAGE('Your password has been reset', '<h1>Your password has been reset</h1>'));
      return;
    }
    if (url.pathname === '/federate') {
      res.statusCode = 302;
      res.setHeader('location', 'https://login.evil.example/sso');
      res.end();
      return;
    }
    if (url.pathname === '/broken') {
      res.statusCode = 503;
      res.end(STANDIN_PAGE('Service unavailable', 'down'));
      return;
    }
    res.end(STANDIN_PAGE('Get back into your account', `<h1>Get back into your account</h1><p id="mkt">${url.searchParams.get('mkt') ?? ''}</p><a id="finish" href="/done">Finish</a> <a id="federate" href="/federate">Sign in with your organisation</a>`));
  });

const spkiHash = (certPem: string): string => createHash('sha256').update(createPublicKey(certPem).export({ type: 'spki', format: 'der' })).digest('base64');

const closedPort = async (): Promise<number> => {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
};

beforeAll(async () => {
  pki = await createTestPki();
  chromeApp = await serveRendererEntry(
    `
        import { createRoot } from 'react-dom/client';
        import { PortalChrome } from './src/renderer/portal/PortalChrome';
        import './src/renderer/styles.css';
        import './src/renderer/portal/portal.css';
        const params = new URLSearchParams(location.search);
        const channels = ['app:exit', ...(params.get('portal') === 'off' ? [] : ['portal:state', 'portal:setLanguage', 'portal:retry', 'portal:layout'])];
        const api = Object.fromEntries(channels.map((c) => [c, (p) => window.__ssprInvoke(c, p === undefined ? {} : p)]));
        window.__ssprInfo().then((info) => createRoot(document.getElementById('root')).render(<PortalChrome info={info} api={api} pollMs={150} />));
      `,
    'portal-chrome-test-entry.tsx',
  );
  portalServer = standInPortal(pki.valid);
  portalOrigin = `https://localhost:${await listen(portalServer)}`;
  untrustedServer = standInPortal(pki.selfSigned);
  untrustedOrigin = `https://localhost:${await listen(untrustedServer)}`;
  browser = await launchBrowser([`--ignore-certificate-errors-spki-list=${spkiHash(pki.valid.cert)}`]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await chromeApp?.close();
  for (const s of [portalServer, untrustedServer]) {
    s?.closeAllConnections();
    await new Promise<void>((r) => (s ? s.close(() => r()) : r()));
  }
});

/** Chromium's net error names as Playwright reports them, to the codes Electron's did-fail-load gives. */
const NET_CODES: Record<string, number> = {
  'net::ERR_ABORTED': -3,
  'net::ERR_BLOCKED_BY_CLIENT': -20,
  'net::ERR_CONNECTION_REFUSED': -102,
  'net::ERR_NAME_NOT_RESOLVED': -105,
  'net::ERR_INTERNET_DISCONNECTED': -106,
  'net::ERR_CERT_COMMON_NAME_INVALID': -200,
  'net::ERR_CERT_DATE_INVALID': -201,
  'net::ERR_CERT_AUTHORITY_INVALID': -202,
};

interface Harness {
  chrome: Page;
  view: Page;
  events: NavigationEvent[];
  layouts: { top: number; visible: boolean }[];
  exits: number[];
  retries: number;
  idleOverride: number | null;
  context: BrowserContext;
}

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.context.close();
});

const open = async (opts: { portalOrigin: string; language?: string; portal?: 'off'; requestFilter?: boolean }): Promise<Harness> => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const chrome = await context.newPage();
  const view = await context.newPage();
  const config = { ...defaultConfig, PortalUrl: `${opts.portalOrigin}/`, AllowedHosts: ['localhost'] };
  let language = opts.language ?? 'en';
  const h: Harness = { chrome, view, events: [], layouts: [], exits: [], retries: 0, idleOverride: null, context };
  harnesses.push(h);

  if (opts.requestFilter) {
    // The portal session's webRequest filter, played by Playwright routing with the real policy
    // (Playwright does not route redirects: those are checked on the 3xx response below).
    const policy = portalPolicy([new URL(opts.portalOrigin).host]);
    await view.route('**/*', (route) => (isRequestAllowed(route.request().url(), policy) ? route.continue() : route.abort('blockedbyclient')));
  }
  view.on('response', (r) => {
    if (!r.request().isNavigationRequest() || r.frame() !== view.mainFrame()) return;
    const location = r.headers().location;
    if (opts.requestFilter && r.status() >= 300 && r.status() < 400 && location) {
      // will-redirect, as the adapter wires it: a redirect off the allow-list is refused.
      const target = new URL(location, r.url()).toString();
      if (!isNavigationAllowed(target, portalPolicy([new URL(opts.portalOrigin).host]))) h.events.push({ type: 'blocked', url: target, kind: 'redirect' });
      return;
    }
    h.events.push({ type: 'did-navigate', url: r.url(), httpResponseCode: r.status() });
  });
  view.on('requestfailed', (r) => {
    if (!r.isNavigationRequest() || r.frame() !== view.mainFrame()) return;
    const text = r.failure()?.errorText ?? '';
    h.events.push({ type: 'did-fail-load', errorCode: NET_CODES[text] ?? -2, validatedURL: r.url(), isMainFrame: true });
  });
  view.on('load', () => {
    void view.title().then((title) => h.events.push({ type: 'page-title-updated', title }));
  });
  const load = (): void => {
    void view.goto(portalUrl(config, language)).catch(() => undefined);
  };
  const state = (): PortalState => ({
    ...portalPhase(portalOutcome(h.events)),
    language,
    idleRemainingSeconds: h.idleOverride ?? idleRemainingSeconds(0, 0, config.IdleTimeoutSeconds),
  });
  const info: AppInfo = { productName: 'SSPR Logon', scenario: 'logon', engine: 'portal', userHint: '', locale: language, helpdeskText: 'Call 555-0100.', idleTimeoutSeconds: 180, demo: false, portalUrl: portalUrl(config, language) };

  await exposeStandInMain(chrome, info, (channel, checked) => {
    if (channel === 'app:exit') {
      const reason = (checked as { reason: 'done' | 'cancelled' | 'idle' }).reason;
      h.exits.push(portalExitCode(h.events, reason));
      return { ok: true };
    }
    if (!isPortalChannel(channel)) throw new Error(`not a portal channel: ${channel}`);
    const request = checked as Record<string, unknown>;
    if (channel === 'portal:layout') h.layouts.push(request as { top: number; visible: boolean });
    if (channel === 'portal:retry') {
      h.retries += 1;
      h.events.push({ type: 'retry' });
      load();
    }
    if (channel === 'portal:setLanguage' && request.language !== language) {
      language = String(request.language);
      h.events.push({ type: 'retry' });
      load();
    }
    return state();
  });
  load();
  await chrome.goto(`${chromeApp.origin}/${opts.portal === 'off' ? '?portal=off' : ''}`);
  return h;
};

const lastLayout = (h: Harness) => h.layouts.at(-1);

describe('PortalChrome in Chromium', () => {
  it('shows the header above the portal view and hands main the view position', async () => {
    const h = await open({ portalOrigin });
    await expect.poll(() => h.events.some((e) => e.type === 'did-navigate' && e.httpResponseCode === 200), { timeout: 20_000 }).toBe(true);
    await h.chrome.getByRole('button', { name: 'Back to sign-in' }).waitFor();
    await expect.poll(() => lastLayout(h)?.visible, { timeout: 20_000 }).toBe(true);
    const headerBottom = await h.chrome.locator('header').evaluate((el) => Math.ceil(el.getBoundingClientRect().bottom));
    expect(lastLayout(h)?.top).toBe(headerBottom);
    expect(headerBottom).toBeGreaterThan(20);
    expect(await h.chrome.getByText('SSPR Logon').isVisible()).toBe(true);
    expect(await h.chrome.getByLabel('Language').inputValue()).toBe('en');
    expect(await h.view.locator('#mkt').textContent()).toBe('en');
  });

  it('success on the portal turns the button into "Finish and sign in", which exits 0', async () => {
    const h = await open({ portalOrigin });
    await h.view.locator('#finish').waitFor();
    await h.view.locator('#finish').click();
    const finish = h.chrome.getByRole('button', { name: 'Finish and sign in' });
    await finish.waitFor({ timeout: 20_000 });
    await finish.click();
    await expect.poll(() => h.exits, { timeout: 20_000 }).toEqual([0]);
  });

  it('offline: the view is hidden and our own error screen shows; retry reloads; leaving exits 30', async () => {
    const h = await open({ portalOrigin: `https://localhost:${await closedPort()}` });
    const alert = h.chrome.getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.getAttribute('data-reason')).toBe('offline');
    expect(await alert.textContent()).toContain('You are not connected to the internet');
    expect(await alert.textContent()).toContain('Call 555-0100.');
    await expect.poll(() => lastLayout(h)?.visible, { timeout: 20_000 }).toBe(false);
    const axe = await new AxeBuilder({ page: h.chrome }).analyze();
    expect(axe.violations.filter((x) => x.impact === 'critical' || x.impact === 'serious').map((x) => x.id)).toEqual([]);
    await h.chrome.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => h.retries, { timeout: 20_000 }).toBe(1);
    await h.chrome.getByRole('alert').getByRole('button', { name: 'Back to sign-in' }).click();
    await expect.poll(() => h.exits, { timeout: 20_000 }).toEqual([30]);
  });

  it('an untrusted (self-signed) portal certificate never shows Chromium UI: our certificate screen does', async () => {
    const h = await open({ portalOrigin: untrustedOrigin });
    const alert = h.chrome.getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.getAttribute('data-reason')).toBe('certificate');
    expect(await alert.textContent()).toContain('date and time');
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'did-fail-load', errorCode: -202 }));
    await expect.poll(() => lastLayout(h)?.visible, { timeout: 20_000 }).toBe(false);
  });

  it('a redirect to a host off the allow-list is cancelled and ends on our "cannot be opened here" screen', async () => {
    const h = await open({ portalOrigin, requestFilter: true });
    await h.view.locator('#federate').click();
    const alert = h.chrome.getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.getAttribute('data-reason')).toBe('blocked');
    expect(await alert.textContent()).toContain('That page cannot be opened here');
    expect(h.events).toContainEqual({ type: 'blocked', url: 'https://login.evil.example/sso', kind: 'redirect' });
    // The helpdesk learns which host the portal wanted (a captive portal, a federation hop).
    expect(await alert.textContent()).toContain('Blocked address: login.evil.example');
    await expect.poll(() => lastLayout(h)?.visible, { timeout: 20_000 }).toBe(false);
    await h.chrome.getByRole('alert').getByRole('button', { name: 'Back to sign-in' }).click();
    await expect.poll(() => h.exits, { timeout: 20_000 }).toEqual([10]);
  });

  it.each([
    ['SSPR_0014', 'not_registered', 'isn\u2019t set up for password reset', 20],
    ['SSPR_0029', 'not_saved', 'couldn\u2019t be saved', 10],
    ['You have made too many attempts', 'throttled', 'Too many attempts', 40],
  ])('a portal view with "%s" hides the page and shows our %s screen, without "Try again"', async (text, reason, title, exitCode) => {
    const h = await open({ portalOrigin });
    await expect.poll(() => lastLayout(h)?.visible, { timeout: 20_000 }).toBe(true);
    // What the isolated-world reader hands main when the portal shows its error view.
    h.events.push({ type: 'page-texts', texts: ['We can\u2019t reset your password', `Error: ${text}`] });
    const alert = h.chrome.getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.getAttribute('data-reason')).toBe(reason);
    expect(await alert.textContent()).toContain(title);
    expect(await alert.textContent()).toContain('Call 555-0100.');
    expect(await h.chrome.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await expect.poll(() => lastLayout(h)?.visible, { timeout: 20_000 }).toBe(false);
    const axe = await new AxeBuilder({ page: h.chrome }).analyze();
    expect(axe.violations.filter((x) => x.impact === 'critical' || x.impact === 'serious').map((x) => x.id)).toEqual([]);
    await h.chrome.getByRole('alert').getByRole('button', { name: 'Back to sign-in' }).click();
    await expect.poll(() => h.exits, { timeout: 20_000 }).toEqual([exitCode]);
  });

  it('choosing a language reloads the portal with that mkt and translates the chrome', async () => {
    const h = await open({ portalOrigin });
    await h.view.locator('#mkt').waitFor();
    await h.chrome.getByLabel('Language').selectOption('de');
    await expect.poll(() => h.view.locator('#mkt').textContent().catch(() => ''), { timeout: 20_000 }).toBe('de');
    await h.chrome.getByRole('button', { name: 'Zurück zur Anmeldung' }).waitFor();
  });

  it('the idle warning hides the view and counts down', async () => {
    const h = await open({ portalOrigin });
    await expect.poll(() => lastLayout(h)?.visible, { timeout: 20_000 }).toBe(true);
    h.idleOverride = 12;
    const dialog = h.chrome.getByRole('alertdialog');
    await dialog.waitFor({ timeout: 10_000 });
    expect(await dialog.textContent()).toContain('12 seconds');
    await expect.poll(() => lastLayout(h)?.visible, { timeout: 20_000 }).toBe(false);
    // The click is input in the chrome window, which main counts as activity (overlay.test.ts); here the
    // harness plays main and resets the countdown once the click has happened.
    await dialog.getByRole('button', { name: 'Continue' }).click();
    h.idleOverride = null;
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => lastLayout(h)?.visible, { timeout: 20_000 }).toBe(true);
  });

  it('without portal channels (browser host) it says so and still leads back to sign-in', async () => {
    const h = await open({ portalOrigin, portal: 'off' });
    await h.chrome.getByRole('alert').waitFor();
    expect(await h.chrome.getByRole('alert').textContent()).toContain('Password reset is not available here');
    await h.chrome.getByRole('button', { name: 'Back to sign-in' }).click();
    await expect.poll(() => h.exits, { timeout: 20_000 }).toEqual([10]);
  });
});
