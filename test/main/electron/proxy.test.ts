/**
 * The proxy the overlay uses, wired on the shared Electron mock: ProxyMode=winhttp (the default) takes
 * the machine's WinHTTP proxy for every session and for the main-process agent, or goes direct; WPAD
 * only when an admin chose `system`; and no proxy or server ever gets the machine account's NTLM or
 * Negotiate credentials.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../../src/shared/exitCodes';
import { loadConfig } from '../../../src/main/core/config';
import { startEmulator, type RunningEmulator } from '../../../src/emulator';
import { NO_DEFAULT_CREDENTIALS_SWITCHES, runOverlay } from '../../../src/main/electron/overlay';
import type { WinHttpProxy } from '../../../src/main/core/tls/winhttp';
import { allSessions, app, ipcMain, MockBrowserWindow, MockEvent, recorded, resetElectronMock } from '../../mocks/electron';
import { startConnectProxy } from '../core/tls/helpers';
import { startOverlay } from './helpers';

vi.mock('electron', () => import('../../mocks/electron'));

const start = (opts: Parameters<typeof startOverlay>[1] = {}) => startOverlay(runOverlay, opts);
const machine = (winhttp: WinHttpProxy) => async (): Promise<WinHttpProxy> => winhttp;
const proxyOfEverySession = (): unknown[] => allSessions().map((s) => s.proxyConfig);

beforeEach(() => resetElectronMock());

describe('ProxyMode=winhttp (the default)', () => {
  it('every session uses the machine\'s WinHTTP proxy and its bypass list', async () => {
    const { logger } = await start({ deps: { readWinHttpProxy: machine({ kind: 'proxy', server: 'proxy.contoso.com:8080', bypass: '<local>;*.contoso.com' }) } });
    expect(allSessions()).toHaveLength(3);
    for (const config of proxyOfEverySession()) expect(config).toEqual({ mode: 'fixed_servers', proxyRules: 'proxy.contoso.com:8080', proxyBypassRules: '<local>,*.contoso.com' });
    expect(logger.records.find((r) => r.event === 'proxy.effective')?.fields).toMatchObject({ configured: 'winhttp', mode: 'fixed', server: 'proxy.contoso.com:8080' });
  });

  it('no WinHTTP proxy on the machine means direct, never the system settings', async () => {
    await start({ deps: { readWinHttpProxy: machine({ kind: 'direct' }) } });
    for (const config of proxyOfEverySession()) expect(config).toEqual({ mode: 'direct' });
  });

  it.each([
    ['a damaged value', machine({ kind: 'unreadable', reason: 'proxy length 400 runs past the value' })],
    ['reg.exe failing', async (): Promise<WinHttpProxy> => Promise.reject(new Error('spawn EACCES'))],
  ])('%s means direct, and the log says why', async (_name, read) => {
    const { logger } = await start({ deps: { readWinHttpProxy: read } });
    for (const config of proxyOfEverySession()) expect(config).toEqual({ mode: 'direct' });
    expect(logger.records.some((r) => r.event === 'proxy.winhttp_unreadable' && r.level === 'warn')).toBe(true);
  });

  it('the WinHTTP proxy is read only when winhttp is the mode', async () => {
    const read = vi.fn(machine({ kind: 'proxy', server: 'p:1', bypass: '' }));
    await start({ config: { ProxyMode: 'direct' }, deps: { readWinHttpProxy: read } });
    expect(read).not.toHaveBeenCalled();
    for (const config of proxyOfEverySession()) expect(config).toEqual({ mode: 'direct' });
  });

  it('system (WPAD) applies only when an admin chose it', async () => {
    await start({ config: { ProxyMode: 'system' }, deps: { readWinHttpProxy: machine({ kind: 'proxy', server: 'p:1', bypass: '' }) } });
    for (const config of proxyOfEverySession()) expect(config).toEqual({ mode: 'system' });
  });

  it('the main-process client tunnels through the machine\'s WinHTTP proxy too (native engine, loopback CONNECT proxy)', async () => {
    const proxy = await startConnectProxy();
    let emulator: RunningEmulator | null = null;
    try {
      await start({
        argv: ['SsprLogon.exe', '--scenario=logon', '--demo'],
        deps: {
          release: false,
          loadConfig,
          readWinHttpProxy: machine({ kind: 'proxy', server: `127.0.0.1:${proxy.port}`, bypass: '' }),
          startDemoService: async () => {
            emulator = await startEmulator({});
            return emulator;
          },
        },
      });
      const window = MockBrowserWindow.instances[0];
      if (!window) throw new Error('no window');
      const answer = await ipcMain.invoke('flow:start', { sender: window.webContents }, { username: 'alice@contoso.com' });
      expect(answer).toMatchObject({ ok: true, view: { step: 'code' } });
      expect(new Set(proxy.connects)).toEqual(new Set([`127.0.0.1:${(emulator as RunningEmulator | null)?.port}`]));
    } finally {
      await proxy.close();
      await (emulator as RunningEmulator | null)?.close();
    }
  });
});

describe('no machine credentials for any proxy or server', () => {
  it('sets allow-lists that match no host, so Chromium never sends default NTLM/Negotiate credentials', async () => {
    await start({ deps: { readWinHttpProxy: machine({ kind: 'direct' }) } });
    expect(NO_DEFAULT_CREDENTIALS_SWITCHES.map(([name]) => name).sort()).toEqual(['auth-negotiate-delegate-whitelist', 'auth-server-whitelist']);
    for (const [name, value] of NO_DEFAULT_CREDENTIALS_SWITCHES) {
      expect(recorded.appendedSwitches).toContainEqual([name, value]);
      // The reserved .invalid domain (RFC 2606) names no real proxy or server; an empty list would mean
      // "use the Intranet zone", which is what must not happen.
      expect(value).toMatch(/^[a-z0-9-]+\.invalid$/);
    }
  });

  it('every authentication challenge is refused without a prompt and without credentials, and logged', async () => {
    const { logger } = await start({ deps: { readWinHttpProxy: machine({ kind: 'direct' }) } });
    const event = new MockEvent();
    const answered: unknown[][] = [];
    app.emit('login', event, {}, { url: 'https://passwordreset.microsoftonline.com/x?user=alice' }, { isProxy: true, scheme: 'ntlm', host: 'proxy.contoso.com', port: 8080, realm: '' }, (...args: unknown[]) => answered.push(args));
    expect(event.defaultPrevented).toBe(true);
    expect(answered).toEqual([[]]);
    const record = logger.records.find((r) => r.event === 'network.auth_refused');
    expect(record?.fields).toEqual({ isProxy: true, scheme: 'ntlm', origin: 'https://passwordreset.microsoftonline.com', host: 'proxy.contoso.com' });
  });

  it.each([['--auth-server-whitelist=*'], ['--auth-negotiate-delegate-whitelist=*.contoso.com'], ['--auth-server-allowlist=*']])('refuses %s from the command line', async (arg) => {
    const result = await runOverlay({ argv: ['SsprLogon.exe', arg], env: {}, stderr: () => undefined, processHandlers: false });
    expect(result).toBeNull();
    expect(recorded.exitCode).toBe(ExitCode.InternalError);
  });
});
