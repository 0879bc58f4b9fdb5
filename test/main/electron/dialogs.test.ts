/**
 * The wiring of the two OS-dialog defences (print and file choosers) on the shared Electron mock: the
 * portal session sandboxes every response, and both web contents intercept file choosers before they
 * load anything. What Chromium does with them is shown in real Chromium by dialogs.chromium.test.ts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../../src/shared/exitCodes';
import { PORTAL_SANDBOX_CSP } from '../../../src/main/core/lockdown/policy';
import { needsNoSandboxJob, runOverlay } from '../../../src/main/electron/overlay';
import { MockBrowserView, MockBrowserWindow, MockDebugger, MockWebContents, recorded, resetElectronMock, session } from '../../mocks/electron';
import { startOverlay } from './helpers';

vi.mock('electron', () => import('../../mocks/electron'));

const start = (opts: Parameters<typeof startOverlay>[1] = {}) => startOverlay(runOverlay, opts);

const chromeContents = (): MockWebContents => {
  const w = MockBrowserWindow.instances[0];
  if (!w) throw new Error('no window');
  return w.webContents;
};
const portalContents = (): MockWebContents => {
  const v = MockBrowserView.instances[0];
  if (!v) throw new Error('no portal view');
  return v.webContents;
};

beforeEach(() => resetElectronMock());

describe('print: the CSP sandbox on every portal response', () => {
  it('adds a sandbox without allow-modals to the portal page, beside the page\'s own CSP', async () => {
    await start({});
    const headers = await session.fromPartition('sspr-portal').respond('https://passwordreset.microsoftonline.com/', {
      'content-type': ['text/html'],
      'content-security-policy': ["script-src 'self' https://aadcdn.msftauth.net"],
    });
    expect(headers['content-security-policy']).toEqual(["script-src 'self' https://aadcdn.msftauth.net", PORTAL_SANDBOX_CSP]);
    const sandbox = PORTAL_SANDBOX_CSP.split(' ');
    expect(sandbox[0]).toBe('sandbox');
    expect(sandbox.slice(1).sort()).toEqual(['allow-forms', 'allow-same-origin', 'allow-scripts']);
  });

  it('sandboxes a response that had no CSP at all', async () => {
    await start({});
    const headers = await session.fromPartition('sspr-portal').respond('https://passwordreset.microsoftonline.com/', { 'content-type': ['text/html'] });
    expect(headers['Content-Security-Policy']).toEqual([PORTAL_SANDBOX_CSP]);
  });

  it('never grants modals, downloads, popups or top navigation', () => {
    expect(PORTAL_SANDBOX_CSP).not.toMatch(/allow-modals|allow-downloads|allow-popups|allow-top-navigation/);
  });
});

describe('file choosers: intercepted through the DevTools protocol', () => {
  const interceptionOn = (wc: MockWebContents): void => {
    expect(wc.debugger.attachedWith).toBe('1.3');
    expect(wc.debugger.commands).toContainEqual({ method: 'Page.setInterceptFileChooserDialog', params: { enabled: true } });
  };

  it('is on in our window and in the portal view before either loads a page', async () => {
    await start({});
    for (const wc of [chromeContents(), portalContents()]) {
      interceptionOn(wc);
      const on = recorded.calls.indexOf(`webContents[${wc.id}].debugger.sendCommand(Page.setInterceptFileChooserDialog)`);
      const load = recorded.calls.findIndex((c) => c.startsWith(`webContents[${wc.id}].loadURL(`));
      expect(on).toBeGreaterThanOrEqual(0);
      expect(load).toBeGreaterThan(on);
    }
  });

  it('a chooser the page asks for is logged and answered with nothing; the overlay goes on', async () => {
    const { logger } = await start({});
    portalContents().debugger.emit('message', {}, 'Page.fileChooserOpened', { frameId: 'f', mode: 'selectSingle' });
    chromeContents().debugger.emit('message', {}, 'Page.fileChooserOpened', { frameId: 'f', mode: 'selectSingle' });
    expect(logger.records.map((r) => r.event)).toEqual(expect.arrayContaining(['portal.file_chooser_blocked', 'chrome.file_chooser_blocked']));
    // Nothing is sent back: no file is ever chosen, no command answers the chooser.
    expect(portalContents().debugger.commands.map((c) => c.method)).toEqual(['Page.enable', 'Page.setInterceptFileChooserDialog']);
    expect(recorded.exitCode).toBeNull();
  });

  it.each([
    ['our window', chromeContents],
    ['the portal view', portalContents],
  ])('losing the interception in %s ends the overlay with exit 1', async (_name, contents) => {
    const { overlay } = await start({});
    contents().debugger.detach();
    expect(await overlay.exited).toBe(ExitCode.InternalError);
  });

  it('an interception that cannot be set up ends the overlay with exit 1 and loads nothing', async () => {
    const attach = vi.spyOn(MockDebugger.prototype, 'attach').mockImplementation(() => {
      throw new Error('Another debugger is already attached');
    });
    try {
      const { overlay } = await start({});
      expect(await overlay.exited).toBe(ExitCode.InternalError);
      expect(chromeContents().loadedUrls).toEqual([]);
      expect(portalContents().loadedUrls).toEqual([]);
    } finally {
      attach.mockRestore();
    }
  });
});

describe('middle-click: no auxclick event in either web contents', () => {
  it('disables the Auxclick and FileSystemAccessLocal Blink features on our window and on the portal view', async () => {
    await start({});
    for (const wc of [chromeContents(), portalContents()]) {
      expect(String(wc.webPreferences.disableBlinkFeatures).split(',')).toEqual(expect.arrayContaining(['Auxclick', 'FileSystemAccessLocal']));
    }
  });
});

describe('sandbox switches', () => {
  it('--allow-no-sandbox-job from the command line is refused with exit 1, before anything is created', async () => {
    const result = await runOverlay({ argv: ['SsprLogon.exe', '--scenario=logon', '--allow-no-sandbox-job'], env: {}, stderr: () => undefined, processHandlers: false });
    expect(result).toBeNull();
    expect(recorded.exitCode).toBe(ExitCode.InternalError);
    expect(MockBrowserWindow.instances).toHaveLength(0);
  });

  it('on Windows 7 (6.1) only, the overlay sets allow-no-sandbox-job itself (no nested jobs there)', async () => {
    await start({ deps: { os: { platform: 'win32', release: '6.1.7601' } } });
    expect(recorded.appendedSwitches).toContainEqual(['allow-no-sandbox-job', undefined]);
    for (const os of [{ platform: 'win32', release: '6.3.9600' }, { platform: 'win32', release: '10.0.19045' }, { platform: 'linux', release: '6.1.0-13-amd64' }]) {
      expect(needsNoSandboxJob(os), os.release).toBe(false);
      await start({ deps: { os } });
      expect(recorded.appendedSwitches.map(([name]) => name)).not.toContain('allow-no-sandbox-job');
    }
  });
});

describe('release builds and the command line', () => {
  it('a release build ignores --demo, --set, --data-dir and --log-dir and logs that it did', async () => {
    const startDemoService = vi.fn();
    const loadConfig = vi.fn(async () => ({ config: (await import('../../../src/shared/config')).defaultConfig, problems: [] }));
    const { logger } = await start({
      argv: ['SsprLogon.exe', '--scenario=logon', '--demo', '--set=ProxyMode=system', '--data-dir=C:\\x', '--log-dir=C:\\y'],
      deps: { release: true, startDemoService, loadConfig },
    });
    expect(startDemoService).not.toHaveBeenCalled();
    expect(loadConfig).toHaveBeenCalledWith(expect.not.objectContaining({ dataDir: expect.anything() }));
    expect(loadConfig).toHaveBeenCalledWith(expect.not.objectContaining({ flags: expect.anything() }));
    const ignored = logger.records.filter((r) => r.event === 'launch.problem').map((r) => r.fields.arg);
    expect(ignored).toEqual(['--demo', '--set', '--data-dir', '--log-dir']);
  });
});
