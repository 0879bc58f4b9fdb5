import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../../src/shared/exitCodes';
import { channels } from '../../../src/shared/ipc';
import { createCore } from '../../../src/main/core';
import type { NativeEngine } from '../../../src/main/core/engine/types';
import { loadConfig } from '../../../src/main/core/config';
import { startEmulator, type RunningEmulator } from '../../../src/emulator';
import { fastSleep } from '../core/support';
import { startConnectProxy } from '../core/tls/helpers';
import { runOverlay } from '../../../src/main/electron/overlay';
import { APP_CONTENT_SECURITY_POLICY, APP_ENTRY_URL, ELECTRON22_PERMISSIONS } from '../../../src/main/core/lockdown/policy';
import {
  allSessions,
  app,
  ipcMain,
  MockBrowserView,
  MockBrowserWindow,
  MockEvent,
  MockWebFrame,
  recorded,
  resetElectronMock,
  session,
} from '../../mocks/electron';
import { collectingLogger, scriptedEngine, startOverlay } from './helpers';
import { decodeQrMatrix } from '../core/qrDecode';

vi.mock('electron', () => import('../../mocks/electron'));

const start = (opts: Parameters<typeof startOverlay>[1] = {}) => startOverlay(runOverlay, opts);
const native = { Engine: 'native' as const };

const theWindow = (): MockBrowserWindow => {
  const w = MockBrowserWindow.instances[0];
  if (!w) throw new Error('no window');
  return w;
};
const invoke = (channel: string, payload: unknown = {}) => ipcMain.invoke(channel, { sender: theWindow().webContents }, payload);

beforeEach(() => resetElectronMock());

describe('start-up', () => {
  it('refuses a dangerous switch with exit 1 before creating anything', async () => {
    resetElectronMock({ switches: { 'remote-debugging-port': '9222' } });
    const lines: string[] = [];
    const result = await runOverlay({ argv: ['SsprLogon.exe'], env: {}, stderr: (l) => lines.push(l), processHandlers: false });
    expect(result).toBeNull();
    expect(recorded.exitCode).toBe(ExitCode.InternalError);
    expect(MockBrowserWindow.instances).toHaveLength(0);
    expect(lines.join('\n')).toContain('remote-debugging-port');
  });

  it.each([['--inspect=9229'], ['--no-sandbox'], ['--ignore-certificate-errors'], ['--proxy-server=evil:80']])('refuses %s in argv with exit 1', async (arg) => {
    const result = await runOverlay({ argv: ['SsprLogon.exe', arg], env: {}, stderr: () => undefined, processHandlers: false });
    expect(result).toBeNull();
    expect(recorded.exitCode).toBe(1);
  });

  it('refuses ELECTRON_RUN_AS_NODE / NODE_OPTIONS in the environment', async () => {
    const result = await runOverlay({ argv: ['SsprLogon.exe'], env: { NODE_OPTIONS: '--inspect' }, stderr: () => undefined, processHandlers: false });
    expect(result).toBeNull();
    expect(recorded.exitCode).toBe(1);
  });

  it('a second instance exits 1', async () => {
    resetElectronMock({ singleInstance: false });
    const result = await runOverlay({ argv: ['SsprLogon.exe'], env: {}, stderr: () => undefined, processHandlers: false });
    expect(result).toBeNull();
    expect(recorded.exitCode).toBe(1);
  });

  it('prints the UI-ready line for the shim once, when the first screen shows, and not before', async () => {
    const { logger } = await start({ config: native });
    expect(logger.records.filter((r) => r.event === 'ui.ready')).toHaveLength(0);
    expect(theWindow().shown).toBe(false);
    theWindow().emit('ready-to-show');
    theWindow().emit('ready-to-show');
    expect(theWindow().shown).toBe(true);
    expect(logger.records.filter((r) => r.event === 'ui.ready')).toEqual([{ level: 'info', event: 'ui.ready', fields: {} }]);
  });

  it('enables the sandbox, removes the menu, registers app:// as privileged before ready', async () => {
    await start({ config: native });
    expect(recorded.sandboxEnabled).toBe(true);
    expect(recorded.applicationMenu).toBeNull();
    expect(recorded.privilegedSchemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, bypassCSP: false }) }]);
    expect(recorded.calls.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(recorded.calls.indexOf('new BrowserWindow'));
    expect(recorded.appendedSwitches).toContainEqual(['disable-http-cache', undefined]);
    expect(recorded.appendedSwitches).toContainEqual(['js-flags', '--max-old-space-size=256']);
  });
});

describe('data folder on an install', () => {
  it('a release build reads config.json from %ProgramData%\\SsprLogon and ignores a --data-dir on its command line', async () => {
    const seen: unknown[] = [];
    await start({
      argv: ['SsprLogon.exe', '--scenario=logon', '--data-dir=/tmp/planted'],
      deps: {
        env: { ProgramData: '/pd' },
        loadConfig: async (opts) => {
          seen.push(opts?.dataDir);
          return loadConfig({});
        },
      },
    });
    expect(seen).toEqual([join('/pd', 'SsprLogon')]);
  });

  it('a development build honours --data-dir', async () => {
    const seen: unknown[] = [];
    await start({
      argv: ['SsprLogon.exe', '--scenario=logon', '--data-dir=/tmp/dev-data'],
      deps: {
        release: false,
        env: { ProgramData: '/pd' },
        loadConfig: async (opts) => {
          seen.push(opts?.dataDir);
          return loadConfig({});
        },
      },
    });
    expect(seen).toEqual(['/tmp/dev-data']);
  });
});

describe('the log salt on an install', () => {
  const made: { salt?: string; dir?: string; console?: boolean }[] = [];
  const recordingLogger = (records: ReturnType<typeof collectingLogger>) => (opts: { salt?: string; dir?: string; console?: boolean }) => {
    made.push({ salt: opts.salt, dir: opts.dir, console: opts.console });
    return records;
  };
  beforeEach(() => {
    made.length = 0;
  });

  it("hashes with the salt the shim sent on stdin, logs to stdout only, and says nothing about it", async () => {
    const salt = 'ef'.repeat(32);
    const records = collectingLogger();
    const lines = [Buffer.from(`{"salt":"${salt}"}\n`)];
    await start({ deps: { logger: undefined, createLogger: recordingLogger(records), stdin: () => Promise.resolve(lines.shift() ?? null) } });
    expect(made).toEqual([{ salt, dir: undefined, console: true }]);
    expect(records.records.map((r) => r.event)).not.toContain('log.salt_missing');
  });

  it('without a handshake: a per-run salt and a warning, so the helpdesk knows why --user finds nothing', async () => {
    const records = collectingLogger();
    await start({ deps: { logger: undefined, createLogger: recordingLogger(records), stdin: () => Promise.resolve(null) } });
    expect(made).toEqual([{ salt: undefined, dir: undefined, console: true }]);
    expect(records.records.find((r) => r.event === 'log.salt_missing')?.level).toBe('warn');
  });
});

describe('profile folder', () => {
  it('runs on a fresh per-run profile set before ready, removed on exit', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'sspr-profiles-'));
    const { overlay } = await start({ config: native, deps: { profileParent: parent } });
    const userData = recorded.paths.get('userData');
    expect(userData && dirname(userData)).toBe(parent);
    expect(recorded.paths.get('crashDumps')).toBe(join(String(userData), 'Crashpad'));
    expect(existsSync(String(userData))).toBe(true);
    writeFileSync(join(String(userData), 'Local State'), '{}');
    await invoke('app:exit', { reason: 'cancelled' });
    await overlay.exited;
    expect(existsSync(String(userData))).toBe(false);
  });
});

describe('the kiosk window', () => {
  it('is created with the hardened window options and webPreferences', async () => {
    await start({ config: native });
    const w = theWindow();
    expect(w.options).toMatchObject({
      frame: false,
      kiosk: true,
      fullscreen: true,
      fullscreenable: true,
      alwaysOnTop: true,
      closable: false,
      minimizable: false,
      maximizable: false,
      skipTaskbar: true,
      show: false,
    });
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      spellcheck: false,
      allowRunningInsecureContent: false,
      devTools: false,
      disableDialogs: true,
      navigateOnDragDrop: false,
    });
    expect(String(w.options.webPreferences?.preload)).toMatch(/preload[\\/]preload\.cjs$/);
    expect(w.options.webPreferences?.session).toBe(session.fromPartition('sspr-chrome'));
    expect(w.alwaysOnTop).toEqual([true, 'screen-saver']);
    expect(w.webContents.loadedUrls).toEqual([APP_ENTRY_URL]);
  });

  it('development builds keep devTools available', async () => {
    await start({ config: native, deps: { release: false } });
    expect(theWindow().options.webPreferences?.devTools).toBe(true);
  });

  it('serves the renderer over app:// with the CSP header and nothing outside the folder', async () => {
    await start({ config: native });
    const p = session.fromPartition('sspr-chrome').protocol;
    const index = await p.request('app://overlay/index.html');
    expect(index.statusCode).toBe(200);
    expect(index.mimeType).toBe('text/html');
    expect(index.headers?.['Content-Security-Policy']).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(String(index.data)).toContain('<title>SSPR Logon</title>');
    expect((await p.request('app://overlay/')).statusCode).toBe(200);
    for (const bad of ['app://overlay/../secret.txt', 'app://overlay/%2e%2e/secret.txt', 'app://overlay/..%5csecret.txt', 'app://other/index.html', 'app://overlay/missing.js', 'app://overlay/index.html%00.js']) {
      expect((await p.request(bad)).error, bad).toBe(-6);
    }
  });

  it('serves index.html with the first screen and branding.css with the accent of this run, and the page as built (with a warning) when it cannot be rendered', async () => {
    // dist folders like the build's: one whose first-screen bundle echoes what it was asked to render, one without.
    const page = '<!doctype html><html lang="en" dir="ltr"><head><title>SSPR Logon</title></head><body><div id="root"><!--first-screen--></div></body></html>';
    const dist = (firstScreen?: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'sspr-dist-first-'));
      mkdirSync(join(dir, 'renderer'));
      mkdirSync(join(dir, 'main'));
      writeFileSync(join(dir, 'renderer', 'index.html'), page);
      if (firstScreen) writeFileSync(join(dir, 'main', 'first-screen.cjs'), firstScreen);
      return dir;
    };
    const echo = 'exports.renderFirstScreen = (info) => ({ html: "<p>" + info.scenario + " " + info.userHint + "</p>", language: "de", dir: "ltr", title: "T" });';
    const { logger } = await start({ config: { ...native, AccentColor: '#6b2c91' }, argv: ['SsprLogon.exe', '--scenario=unlock', '--user=erin@contoso.com'], deps: { distDir: dist(echo) } });
    const served = async (file = 'index.html') => String((await session.fromPartition('sspr-chrome').protocol.request(`app://overlay/${file}`)).data);
    expect(await served()).toContain('<div id="root" data-first-screen="de"><p>unlock erin@contoso.com</p></div>');
    expect(await served('branding.css')).toContain(':root{--primary:#6b2c91;');
    expect(logger.records.filter((r) => r.event.startsWith('renderer.first_screen'))).toEqual([]);

    const missing = await start({ config: native, deps: { distDir: dist() } });
    expect(await served()).toBe(page);
    expect(missing.logger.records.filter((r) => r.event === 'renderer.first_screen_unavailable')).toHaveLength(1);

    const throwing = await start({ config: native, deps: { distDir: dist('exports.renderFirstScreen = () => { throw new Error("broken catalogue"); };') } });
    expect(await served()).toBe(page);
    expect(throwing.logger.records.filter((r) => r.event === 'renderer.first_screen_failed')).toEqual([{ level: 'warn', event: 'renderer.first_screen_failed', fields: { problem: 'broken catalogue' } }]);
  });

  it('wires navigation, window-open, webview, shortcut, context-menu and certificate guards', async () => {
    await start({ config: native });
    const wc = theWindow().webContents;
    expect(wc.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(wc.fire('will-navigate', 'https://evil.example/').defaultPrevented).toBe(true);
    expect(wc.fire('will-navigate', 'app://overlay/index.html').defaultPrevented).toBe(false);
    expect(wc.fire('will-redirect', 'file:///C:/Windows/System32/cmd.exe', false, true, 1, 1).defaultPrevented).toBe(true);
    expect(wc.fire('will-attach-webview', {}, {}).defaultPrevented).toBe(true);
    expect(wc.fire('before-input-event', { type: 'keyDown', key: 'F12', code: 'F12' }).defaultPrevented).toBe(true);
    expect(wc.fire('before-input-event', { type: 'keyDown', key: 'p', code: 'KeyP', control: true }).defaultPrevented).toBe(true);
    expect(wc.fire('before-input-event', { type: 'keyDown', key: 'v', code: 'KeyV', control: true }).defaultPrevented).toBe(false);
    expect(wc.fire('context-menu', {}).defaultPrevented).toBe(true);
    expect(wc.fire('will-prevent-unload').defaultPrevented).toBe(true);
    let trusted: boolean | null = null;
    wc.fire('certificate-error', 'https://x/', 'net::ERR_CERT_AUTHORITY_INVALID', {}, (t: boolean) => (trusted = t), true);
    expect(trusted).toBe(false);
    expect(wc.zoomLimits).toEqual([1, 1]);
  });

  it('the app-wide guards: certificate errors never trusted, no client certificate picked, new contents get no windows', async () => {
    await start({ config: native });
    let trusted: boolean | null = null;
    app.emit('certificate-error', new MockEvent(), {}, 'https://x/', 'err', {}, (t: boolean) => (trusted = t));
    expect(trusted).toBe(false);
    const ev = new MockEvent();
    let picked: unknown = 'untouched';
    app.emit('select-client-certificate', ev, {}, 'https://x/', [{ subjectName: 'a' }], (c?: unknown) => (picked = c));
    expect(ev.defaultPrevented).toBe(true);
    expect(picked).toBeUndefined();
    const other = new MockBrowserView({});
    app.emit('web-contents-created', new MockEvent(), other.webContents);
    expect(other.webContents.windowOpenHandler?.({ url: 'https://x/' })).toEqual({ action: 'deny' });
  });
});

describe('every session', () => {
  it('gets TLS 1.2, the proxy, the verify proc, deny-all permissions, download cancel and the request filter', async () => {
    await start({ config: { ProxyMode: 'fixed', ProxyServer: 'proxy.contoso.com:8080', ProxyBypass: '<local>' } });
    const touched = allSessions();
    expect(touched.map((s) => s.partition).sort()).toEqual(['default', 'sspr-chrome', 'sspr-portal']);
    for (const s of touched) {
      expect(s.sslConfig, s.partition).toEqual({ minVersion: 'tls1.2' });
      expect(s.proxyConfig, s.partition).toEqual({ mode: 'fixed_servers', proxyRules: 'proxy.contoso.com:8080', proxyBypassRules: '<local>' });
      expect(s.verifyProc, s.partition).not.toBeNull();
      expect(s.spellChecker).toBe(false);
      for (const permission of ELECTRON22_PERMISSIONS) {
        let granted: boolean | null = null;
        s.permissionRequestHandler?.({}, permission, (g) => (granted = g));
        expect(granted, `${s.partition} ${permission}`).toBe(false);
        expect(s.permissionCheckHandler?.({}, permission)).toBe(false);
      }
      expect(s.devicePermissionHandler?.({ deviceType: 'hid' })).toBe(false);
      const ev = new MockEvent();
      let cancelled = false;
      s.emit('will-download', ev, { cancel: () => (cancelled = true), getURL: () => 'https://passwordreset.microsoftonline.com/x.exe' });
      expect(ev.defaultPrevented && cancelled, s.partition).toBe(true);
    }
  });

  it('each session allows only its own origins; the verify proc keeps Chromium verdict only for allowed hosts', async () => {
    await start({});
    const chrome = session.fromPartition('sspr-chrome');
    const portal = session.fromPartition('sspr-portal');
    const def = session.defaultSession;
    expect(await chrome.request('app://overlay/app.js', 'script')).toBe(true);
    expect(await chrome.request('https://passwordreset.microsoftonline.com/')).toBe(false);
    expect(await portal.request('https://passwordreset.microsoftonline.com/?mkt=en')).toBe(true);
    expect(await portal.request('https://evil.example/', 'subFrame')).toBe(false);
    expect(await portal.request('app://overlay/index.html')).toBe(false);
    expect(await def.request('https://passwordreset.microsoftonline.com/')).toBe(false);
    expect(await portal.verify('passwordreset.microsoftonline.com', 0)).toBe(-3);
    expect(await portal.verify('passwordreset.microsoftonline.com', -202)).toBe(-2);
    expect(await portal.verify('evil.example', 0)).toBe(-2);
  });
});

describe('IPC', () => {
  it('registers one handler per contract channel and forwards to the core', async () => {
    await start({ config: native });
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...channels].sort());
    const info = (await invoke('app:info')) as { productName: string; engine: string };
    expect(info.engine).toBe('native');
  });

  it('one contract and one dispatcher for both engines: the portal channels answer only where a portal view runs', async () => {
    await start({ config: native });
    await expect(invoke('portal:state')).rejects.toThrow();
    await start({});
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...channels].sort());
    expect(await invoke('portal:state')).toMatchObject({ phase: 'loading' });
    // The same validation as the native channels: a request off the contract never reaches the view.
    await expect(invoke('portal:layout', { top: -1, visible: true })).rejects.toThrow();
    await expect(invoke('portal:state', { extra: 1 })).rejects.toThrow();
  });

  it('refuses a request from a sub-frame, another web contents, or a foreign origin', async () => {
    await start({ config: native });
    const ours = theWindow().webContents;
    const sub = new MockWebFrame('app://overlay/index.html', ours.mainFrame, 7);
    await expect(ipcMain.invoke('app:info', { sender: ours, frame: sub }, {})).rejects.toThrow('refused');
    const other = new MockBrowserView({});
    await expect(ipcMain.invoke('app:info', { sender: other.webContents }, {})).rejects.toThrow('refused');
    ours.mainFrame.url = 'https://evil.example/';
    await expect(ipcMain.invoke('app:info', { sender: ours }, {})).rejects.toThrow('refused');
    ours.mainFrame.url = APP_ENTRY_URL;
    await expect(invoke('app:info')).resolves.toBeTruthy();
  });

  it('malformed requests never reach a handler', async () => {
    await start({ config: native });
    await expect(invoke('flow:start', { username: 'a'.repeat(5000) })).resolves.toMatchObject({ ok: false });
    await expect(invoke('flow:start', { username: 'alice@contoso.com', extra: 1 })).resolves.toMatchObject({ ok: false });
    await expect(invoke('no:such-channel', {})).rejects.toThrow();
    await expect(invoke('app:exit', { reason: 'because' })).rejects.toThrow();
    expect(recorded.exitCode).toBeNull();
  });
});

const exitsWith = async (overlay: { exited: Promise<number> }): Promise<number> => {
  const code = await overlay.exited;
  expect(recorded.exitCode).toBe(code);
  return code;
};

describe('exit codes', () => {
  it('done → 0 after a completed native reset, and storage is wiped', async () => {
    const { overlay } = await start({ config: native, deps: { createCore: (o) => createCore({ ...o, engineFactory: () => scriptedEngine() }) } });
    expect(await invoke('flow:start', { username: 'alice@contoso.com' })).toMatchObject({ ok: true, view: { step: 'code' } });
    expect(await invoke('flow:submitCode', { code: '123456' })).toMatchObject({ ok: true, view: { step: 'password' } });
    expect(await invoke('flow:submitPassword', { password: 'Correct-Horse-9' })).toMatchObject({ ok: true, view: { step: 'done' } });
    await invoke('app:exit', { reason: 'done' });
    expect(await exitsWith(overlay)).toBe(ExitCode.ResetDone);
    for (const s of allSessions()) expect(s.storageCleared, s.partition).toBe(1);
  });

  it('cancelled → 10', async () => {
    const { overlay } = await start({ config: native });
    await invoke('app:exit', { reason: 'cancelled' });
    expect(await exitsWith(overlay)).toBe(ExitCode.Cancelled);
  });

  it('answers app:resetAddress with PortalUrl and its QR code, for the redirect screen', async () => {
    const address = 'https://passwordreset.microsoftonline.com/?whr=contoso.com';
    await start({ config: { ...native, PortalUrl: address } });
    const answer = (await invoke('app:resetAddress')) as { address: string; qr: { size: number; modules: string } };
    expect(answer.address).toBe(address);
    expect(decodeQrMatrix(answer.qr)).toBe(address);
  });

  it('idle (renderer) → 11', async () => {
    const { overlay } = await start({ config: native });
    await invoke('app:exit', { reason: 'idle' });
    expect(await exitsWith(overlay)).toBe(ExitCode.IdleTimeout);
  });

  it('idle backstop in main → 11 when the renderer stops counting; input resets it', async () => {
    const { overlay, clock } = await start({ config: { ...native, IdleTimeoutSeconds: 600 } });
    clock.advance(600_000);
    theWindow().webContents.fire('input-event', { type: 'mouseDown' });
    clock.advance(650_000);
    expect(recorded.exitCode).toBeNull();
    clock.advance(20_000);
    expect(await exitsWith(overlay)).toBe(ExitCode.IdleTimeout);
  });

  it('the idle backstop never cuts the code step short: a short IdleTimeoutSeconds still leaves a code its 5 minutes', async () => {
    const { overlay, clock } = await start({ config: { ...native, IdleTimeoutSeconds: 60 } });
    // The person fetches the code on a phone: 5 minutes (plus the renderer's grace) pass without input here.
    clock.advance(5 * 60_000 + 50_000);
    expect(recorded.exitCode).toBeNull();
    clock.advance(20_000);
    expect(await exitsWith(overlay)).toBe(ExitCode.IdleTimeout);
  });

  it('idle backstop during a password submission waits for its answer → 0 when the password changed', async () => {
    let answer: (r: Awaited<ReturnType<NativeEngine['resetPassword']>>) => void = () => undefined;
    const slowReset = (): NativeEngine => ({
      ...scriptedEngine(),
      resetPassword: () => new Promise((resolve) => (answer = resolve)),
    });
    const { overlay, clock } = await start({ config: { ...native, IdleTimeoutSeconds: 60 }, deps: { createCore: (o) => createCore({ ...o, engineFactory: slowReset }) } });
    await invoke('flow:start', { username: 'alice@contoso.com' });
    await invoke('flow:submitCode', { code: '123456' });
    const submitted = invoke('flow:submitPassword', { password: 'Correct-Horse-9' });
    clock.advance(400_000);
    await new Promise((resolve) => setImmediate(resolve));
    // Idle is long past, but the outcome is not known yet: nothing is reported.
    expect(recorded.exitCode).toBeNull();
    answer({ ok: true, continuationToken: 't4', polls: 1, info: { endpoint: 'poll_completion' } });
    await expect(submitted).resolves.toMatchObject({ ok: true, view: { step: 'done' } });
    expect(await exitsWith(overlay)).toBe(ExitCode.ResetDone);
  });

  it('hard session limit from the shim → 12, however busy the user keeps the overlay', async () => {
    const { overlay, clock } = await start({ config: { ...native, IdleTimeoutSeconds: 60 }, argv: ['SsprLogon.exe', '--scenario=logon', '--session-limit=300'] });
    // A held key: input every 10 s keeps the idle timer alive, never the session limit.
    for (let t = 0; t < 290; t += 10) {
      theWindow().webContents.fire('input-event', { type: 'rawKeyDown' });
      clock.advance(10_000);
    }
    expect(recorded.exitCode).toBeNull();
    theWindow().webContents.fire('input-event', { type: 'rawKeyDown' });
    clock.advance(10_000);
    expect(await exitsWith(overlay)).toBe(ExitCode.SessionLimit);
  });

  it('a bad --session-limit is reported and ignored (the idle timeout still ends the run)', async () => {
    const { overlay, clock, logger } = await start({ config: { ...native, IdleTimeoutSeconds: 60 }, argv: ['SsprLogon.exe', '--session-limit=0'] });
    expect(logger.records).toContainEqual(expect.objectContaining({ event: 'launch.problem', fields: expect.objectContaining({ arg: '"--session-limit=0"' }) }));
    clock.advance(400_000);
    expect(await exitsWith(overlay)).toBe(ExitCode.IdleTimeout);
  });

  it('not enabled → 20', async () => {
    const { overlay } = await start({ config: native, deps: { createCore: (o) => createCore({ ...o, engineFactory: () => scriptedEngine('not_enabled') }) } });
    expect(await invoke('flow:start', { username: 'bob@contoso.com' })).toMatchObject({ ok: false, error: { code: 'not_enabled' } });
    await invoke('app:exit', { reason: 'cancelled' });
    expect(await exitsWith(overlay)).toBe(ExitCode.NotEnabledOrRegistered);
  });

  it('unreachable → 30 (real native engine against a closed loopback port)', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const { overlay } = await start({ config: { ...native, Authority: `https://127.0.0.1:${port}/contoso.onmicrosoft.com/`, RequestTimeoutSeconds: 5 } });
    expect(await invoke('flow:start', { username: 'carol@contoso.com' })).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    await invoke('app:exit', { reason: 'cancelled' });
    expect(await exitsWith(overlay)).toBe(ExitCode.ServiceUnreachable);
  });

  it('throttled → 40', async () => {
    const { overlay } = await start({ config: native, deps: { createCore: (o) => createCore({ ...o, engineFactory: () => scriptedEngine('blocked') }) } });
    expect(await invoke('flow:start', { username: 'dave@contoso.com' })).toMatchObject({ ok: false, error: { code: 'throttled' } });
    await invoke('app:exit', { reason: 'cancelled' });
    expect(await exitsWith(overlay)).toBe(ExitCode.Throttled);
  });

  it.each([
    ['render-process-gone (window)', () => theWindow().webContents.fire('render-process-gone', { reason: 'crashed', exitCode: 1 })],
    ['render-process-gone (app)', () => app.emit('render-process-gone', new MockEvent(), {}, { reason: 'oom', exitCode: 1 })],
    ['child-process-gone', () => app.emit('child-process-gone', new MockEvent(), { type: 'GPU', reason: 'crashed', exitCode: 1 })],
    ['unresponsive', () => theWindow().emit('unresponsive')],
    ['preload error', () => theWindow().webContents.fire('preload-error', '/x/preload.cjs', new Error('boom'))],
  ])('%s → 1, never a reload', async (_name, trigger) => {
    const { overlay } = await start({ config: native });
    trigger();
    expect(await exitsWith(overlay)).toBe(ExitCode.InternalError);
    expect(theWindow().webContents.loadedUrls).toEqual([APP_ENTRY_URL]);
  });

  it('exits only once', async () => {
    const { overlay } = await start({ config: native });
    await invoke('app:exit', { reason: 'cancelled' });
    theWindow().emit('unresponsive');
    expect(await exitsWith(overlay)).toBe(ExitCode.Cancelled);
    expect(recorded.calls.filter((c) => c.startsWith('app.exit'))).toEqual(['app.exit(10)']);
  });
});

describe('native engine end to end through a fixed proxy', () => {
  it('resets a password against the emulator through a CONNECT proxy (end-to-end TLS inside the tunnel) and exits 0', async () => {
    const proxy = await startConnectProxy();
    let emulator: RunningEmulator | null = null;
    try {
      const { overlay } = await start({
        argv: ['SsprLogon.exe', '--scenario=logon', '--demo', '--set=ProxyMode=fixed', `--set=ProxyServer=127.0.0.1:${proxy.port}`],
        deps: {
          release: false,
          loadConfig,
          // The engine's injected sleep: poll_completion's 2-second intervals pass without real waiting.
          createCore: (o) => createCore({ ...o, sleep: fastSleep }),
          startDemoService: async () => {
            emulator = await startEmulator({});
            return emulator;
          },
        },
      });
      expect(overlay.config).toMatchObject({ Engine: 'native', ProxyMode: 'fixed' });
      expect(await invoke('flow:start', { username: 'alice@contoso.com' })).toMatchObject({ ok: true, view: { step: 'code' } });
      const code = (emulator as RunningEmulator | null)?.latestCode('alice@contoso.com');
      expect(code).toMatch(/^\d+$/);
      expect(await invoke('flow:submitCode', { code })).toMatchObject({ ok: true, view: { step: 'password' } });
      expect(await invoke('flow:submitPassword', { password: 'Tunnel-Vision-2026!x' })).toMatchObject({ ok: true, view: { step: 'done' } });
      expect(proxy.connects.length).toBeGreaterThan(0);
      expect(new Set(proxy.connects)).toEqual(new Set([`127.0.0.1:${(emulator as RunningEmulator | null)?.port}`]));
      // The proxy only ever saw ciphertext: not even the code crossed it in clear.
      expect(Buffer.concat(proxy.relayed).includes(String(code))).toBe(false);
      await invoke('app:exit', { reason: 'done' });
      expect(await exitsWith(overlay)).toBe(ExitCode.ResetDone);
    } finally {
      await proxy.close();
      await (emulator as RunningEmulator | null)?.close();
    }
  });
});

describe('portal engine', () => {
  const portalView = (): MockBrowserView => {
    const v = MockBrowserView.instances[0];
    if (!v) throw new Error('no portal view');
    return v;
  };

  it('hosts the portal in a locked BrowserView with its own partition, below the header', async () => {
    await start({ argv: ['SsprLogon.exe', '--lang=de-DE'] });
    const view = portalView();
    expect(view.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false, devTools: false, disableDialogs: true });
    expect(view.options.webPreferences?.preload).toBeUndefined();
    expect(view.options.webPreferences?.session).toBe(session.fromPartition('sspr-portal'));
    expect(view.webContents.loadedUrls).toEqual(['https://passwordreset.microsoftonline.com/?mkt=de-de']);
    expect(theWindow().browserView).toBeNull();
    expect(await invoke('portal:layout', { top: 64, visible: true })).toMatchObject({ phase: 'loading', language: 'de-DE' });
    expect(theWindow().browserView).toBe(view);
    expect(view.bounds).toEqual({ x: 0, y: 64, width: 1280, height: 736 });
    const info = (await invoke('app:info')) as { engine: string; portalUrl: string };
    expect(info).toMatchObject({ engine: 'portal', portalUrl: 'https://passwordreset.microsoftonline.com/?mkt=de-de' });
  });

  it('blocks navigation off the allow-list inside the view', async () => {
    await start({});
    const wc = portalView().webContents;
    expect(wc.fire('will-navigate', 'https://passwordreset.microsoftonline.com/next').defaultPrevented).toBe(false);
    expect(wc.fire('will-navigate', 'https://go.microsoft.com/fwlink/?LinkId=1').defaultPrevented).toBe(true);
    expect(wc.fire('will-navigate', 'ms-settings:network').defaultPrevented).toBe(true);
    expect(wc.windowOpenHandler?.({ url: 'https://passwordreset.microsoftonline.com/help' })).toEqual({ action: 'deny' });
    expect(wc.fire('before-input-event', { type: 'keyDown', key: 'r', code: 'KeyR', control: true }).defaultPrevented).toBe(true);
  });

  it('an offline load hides the view and shows our error screen; "Back to sign-in" exits 30', async () => {
    const { overlay } = await start({});
    await invoke('portal:layout', { top: 64, visible: true });
    const wc = portalView().webContents;
    wc.fire('did-start-navigation', 'https://passwordreset.microsoftonline.com/?mkt=en', false, true, 1, 1);
    wc.fire('did-fail-load', -106, 'ERR_INTERNET_DISCONNECTED', 'https://passwordreset.microsoftonline.com/?mkt=en', true, 1, 1);
    expect(theWindow().browserView).toBeNull();
    expect(await invoke('portal:state')).toMatchObject({ phase: 'error', error: { code: 'unreachable', reason: 'offline' } });
    await invoke('app:exit', { reason: 'cancelled' });
    expect(await exitsWith(overlay)).toBe(ExitCode.ServiceUnreachable);
  });

  it('retry loads the portal again; a recognised success page makes any exit 0', async () => {
    const { overlay } = await start({});
    const wc = portalView().webContents;
    wc.fire('did-fail-load', -105, 'ERR_NAME_NOT_RESOLVED', 'https://passwordreset.microsoftonline.com/', true, 1, 1);
    expect(await invoke('portal:retry')).toMatchObject({ phase: 'loading' });
    expect(wc.loadedUrls).toHaveLength(2);
    wc.fire('did-navigate', 'https://passwordreset.microsoftonline.com/?mkt=en', 200, 'OK');
    expect(await invoke('portal:state')).toMatchObject({ phase: 'showing' });
    wc.fire('page-title-updated', 'Your password has been reset', true);
    expect(await invoke('portal:state')).toMatchObject({ phase: 'done' });
    await invoke('app:exit', { reason: 'cancelled' });
    expect(await exitsWith(overlay)).toBe(ExitCode.ResetDone);
  });

  it('changing the language reloads with the new mkt', async () => {
    await start({});
    expect(await invoke('portal:setLanguage', { language: 'fr-FR' })).toMatchObject({ language: 'fr-FR' });
    expect(portalView().webContents.loadedUrls.at(-1)).toBe('https://passwordreset.microsoftonline.com/?mkt=fr-fr');
    await expect(invoke('portal:setLanguage', { language: 'x"><script>' })).rejects.toThrow();
  });

  it('cancel → 10, and idle measured inside the view → 11', async () => {
    const first = await start({});
    await invoke('app:exit', { reason: 'cancelled' });
    expect(await exitsWith(first.overlay)).toBe(ExitCode.Cancelled);

    const { overlay, clock } = await start({ config: { IdleTimeoutSeconds: 60 } });
    clock.advance(50_000);
    portalView().webContents.fire('before-input-event', { type: 'keyDown', key: 'a', code: 'KeyA' });
    clock.advance(50_000);
    expect(recorded.exitCode).toBeNull();
    expect(await invoke('portal:state')).toMatchObject({ idleRemainingSeconds: 10 });
    clock.advance(10_000);
    expect(await exitsWith(overlay)).toBe(ExitCode.IdleTimeout);
  });

  it('a crashed portal renderer exits 1', async () => {
    const { overlay } = await start({});
    portalView().webContents.fire('render-process-gone', { reason: 'crashed', exitCode: 3 });
    expect(await exitsWith(overlay)).toBe(ExitCode.InternalError);
  });
});
