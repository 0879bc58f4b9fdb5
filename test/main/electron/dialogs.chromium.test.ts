/**
 * The two OS-dialog defences in real Chromium (headless, so no dialog can be seen; what Chromium reports
 * is observed instead). A stand-in portal over loopback HTTPS answers with the headers our portal session
 * gives every response (withPortalSandbox), and the page is driven through the same DevTools-protocol
 * command the adapter sends through webContents.debugger.
 */
import { createHash, X509Certificate } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPortalSandbox } from '../../../src/main/core/lockdown/policy';
import { DISABLED_BLINK_FEATURES } from '../../../src/main/electron/options';
import { createTestPki } from '../core/tls/pki';
import { launchBrowser } from '../../e2e/support';

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>stand-in portal</title></head><body>
<form method="post" action="/submitted"><input name="user" id="user"><button id="submit">Next</button></form>
<input type="file" id="file"><button id="pick" type="button">pick</button><button id="fs" type="button">fs</button>
<script>
  document.getElementById('pick').onclick = () => document.getElementById('file').showPicker();
  document.getElementById('fs').onclick = () => window.showOpenFilePicker().then(() => (document.title = 'picked'), (e) => (document.title = 'fs:' + e.name));
  localStorage.setItem('portal', 'works');
  document.cookie = 'session=1; Secure';
</script></body></html>`;

let server: https.Server;
let origin: string;
let browser: Browser;
let browserArgs: string[];

const spkiHash = (certPem: string): string => createHash('sha256').update(new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');

beforeAll(async () => {
  const pki = await createTestPki();
  server = https.createServer({ key: pki.valid.key, cert: pki.valid.cert, minVersion: 'TLSv1.2' }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    // /plain is the control: the same page without our headers.
    const own: Record<string, string[]> = { 'content-security-policy': ["object-src 'none'"] };
    const headers = path.startsWith('/plain') ? own : withPortalSandbox(own);
    for (const [name, values] of Object.entries(headers)) res.setHeader(name, values);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(path.endsWith('/submitted') ? '<!doctype html><title>submitted</title>' : PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  browserArgs = [`--ignore-certificate-errors-spki-list=${spkiHash(pki.valid.cert)}`];
  browser = await launchBrowser(browserArgs);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

const open = async (path: string): Promise<{ page: Page; console: string[] }> => {
  const page = await (await browser.newContext()).newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  await page.goto(`${origin}${path}`);
  return { page, console };
};

/** Waits until Chromium has reported what it did with the call (console messages arrive asynchronously). */
const settle = (page: Page): Promise<unknown> => page.evaluate(() => new Promise((r) => setTimeout(r, 200)));

describe('print: the portal sandbox', () => {
  it('Chromium refuses print() on a sandboxed portal page, and says why', async () => {
    const { page, console } = await open('/');
    await page.evaluate(() => window.print());
    await settle(page);
    expect(console.join('\n')).toMatch(/Ignored call to 'print\(\)'\. The document is sandboxed, and the 'allow-modals' keyword is not set/);
    await page.context().close();
  });

  it('without our headers the same page is not sandboxed: print() would open the dialog', async () => {
    const { page, console } = await open('/plain');
    await page.evaluate(() => window.print());
    await settle(page);
    expect(console.join('\n')).not.toMatch(/Ignored call to 'print\(\)'/);
    await page.context().close();
  });

  it('the sandboxed portal still works: scripts, its own storage and cookies, form posts', async () => {
    const { page } = await open('/');
    expect(await page.evaluate(() => [localStorage.getItem('portal'), document.cookie, window.origin])).toEqual(['works', 'session=1', origin]);
    await page.fill('#user', 'alice@contoso.com');
    await Promise.all([page.waitForURL(`${origin}/submitted`), page.click('#submit')]);
    expect(await page.title()).toBe('submitted');
    await page.context().close();
  });

  it('a sandboxed page can open no window', async () => {
    const { page, console } = await open('/');
    const opened = await page.evaluate(() => window.open('/elsewhere') === null);
    expect(opened).toBe(true);
    await settle(page);
    expect(console.join('\n')).toMatch(/Blocked opening .* in a new window because the request was made in a sandboxed frame/);
    await page.context().close();
  });
});

describe('file choosers: DevTools-protocol interception', () => {
  const intercepted = async (page: Page): Promise<{ cdp: CDPSession; choosers: unknown[] }> => {
    const cdp = await page.context().newCDPSession(page);
    const choosers: unknown[] = [];
    cdp.on('Page.fileChooserOpened', (params) => choosers.push(params));
    // Exactly what src/main/electron/harden.ts sends through webContents.debugger.
    await cdp.send('Page.enable');
    await cdp.send('Page.setInterceptFileChooserDialog', { enabled: true });
    return { cdp, choosers };
  };

  it('every way a page asks for a chooser is intercepted, none opens, and the page goes on working', async () => {
    const { page } = await open('/');
    const { choosers } = await intercepted(page);
    await page.click('#file');
    await page.click('#pick');
    await page.click('#fs');
    await page.waitForFunction(() => document.title.startsWith('fs:'));
    // showOpenFilePicker is refused rather than left hanging.
    expect(await page.title()).toBe('fs:AbortError');
    expect(choosers).toHaveLength(3);
    await page.fill('#user', 'bob@contoso.com');
    expect(await page.inputValue('#user')).toBe('bob@contoso.com');
    // No file was chosen: the input is still empty.
    expect(await page.evaluate(() => (document.getElementById('file') as HTMLInputElement).files?.length)).toBe(0);
    await page.context().close();
  });
});

describe('file pickers: the File System Access API switched off', () => {
  it('with our disabled Blink features the page has no showOpenFilePicker, showSaveFilePicker or showDirectoryPicker', async () => {
    // The same list Electron is given as webPreferences.disableBlinkFeatures (options.ts).
    const b = await launchBrowser([...browserArgs, `--disable-blink-features=${DISABLED_BLINK_FEATURES}`]);
    try {
      const page = await b.newPage();
      await page.goto(`${origin}/`);
      expect(await page.evaluate(() => ['showOpenFilePicker', 'showSaveFilePicker', 'showDirectoryPicker'].map((name) => typeof (window as unknown as Record<string, unknown>)[name]))).toEqual(['undefined', 'undefined', 'undefined']);
    } finally {
      await b.close();
    }
  });

  it('control: without them the pickers exist', async () => {
    const { page } = await open('/');
    expect(await page.evaluate(() => typeof (window as unknown as Record<string, unknown>).showOpenFilePicker)).toBe('function');
    await page.context().close();
  });
});
