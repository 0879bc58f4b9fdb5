/**
 * The portal view's wiring on the Electron mock: the same pure policy, marker and capture functions the
 * real-Chromium tests drive, connected to the events Electron raises.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../../src/shared/exitCodes';
import { runOverlay } from '../../../src/main/electron/overlay';
import { PAGE_TEXTS_WORLD_ID } from '../../../src/main/core/portal/pageTexts';
import { ipcMain, MockBrowserView, MockBrowserWindow, recorded, resetElectronMock, session } from '../../mocks/electron';
import { startOverlay } from './helpers';

vi.mock('electron', () => import('../../mocks/electron'));

const PORTAL = 'https://passwordreset.microsoftonline.com/passwordreset?mkt=en';
const theWindow = (): MockBrowserWindow => {
  const w = MockBrowserWindow.instances[0];
  if (!w) throw new Error('no window');
  return w;
};
const invoke = (channel: string, payload: unknown = {}) => ipcMain.invoke(channel, { sender: theWindow().webContents }, payload);
const view = () => {
  const v = MockBrowserView.instances[0];
  if (!v) throw new Error('no portal view');
  return v.webContents;
};
const exitsWith = async (overlay: { exited: Promise<number> }): Promise<number> => {
  const code = await overlay.exited;
  expect(recorded.exitCode).toBe(code);
  return code;
};
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => resetElectronMock());

describe('portal view: outcomes from the page texts', () => {
  it('reads the headings from an isolated world only, and a success heading on an unchanged title makes the exit 0', async () => {
    const { overlay } = await startOverlay(runOverlay, { config: { PortalCapture: false } });
    const wc = view();
    wc.fire('did-navigate', PORTAL, 200, 'OK');
    wc.fire('page-title-updated', 'Microsoft Online Password Reset', true);
    wc.isolatedWorldAnswer = ['Get back into your account', 'Your password has been reset'];
    wc.fire('did-navigate-in-page', `${PORTAL}#!/done-step`, true, 1, 1);
    await settle();
    expect(wc.isolatedWorldRuns.length).toBeGreaterThan(0);
    expect(wc.isolatedWorldRuns.every((r) => r.worldId === PAGE_TEXTS_WORLD_ID)).toBe(true);
    expect(PAGE_TEXTS_WORLD_ID).not.toBe(0); // 0 is the page's own world
    expect(wc.mainWorldRuns).toEqual([]);
    expect(await invoke('portal:state')).toMatchObject({ phase: 'done' });
    await invoke('app:exit', { reason: 'done' });
    expect(await exitsWith(overlay)).toBe(ExitCode.ResetDone);
  });

  it.each([
    ['SSPR_0014', 'not_registered', 'not_registered', ExitCode.NotEnabledOrRegistered],
    ['SSPR_0029', 'reset_failed', 'not_saved', ExitCode.Cancelled],
    ['SSPR_0030', 'reset_failed', 'not_saved', ExitCode.Cancelled],
    ['SSPR_0010', 'not_enabled', 'not_enabled', ExitCode.NotEnabledOrRegistered],
  ])('an alert with %s shows our %s screen instead of the page', async (sspr, code, reason, exitCode) => {
    const { overlay } = await startOverlay(runOverlay, {});
    await invoke('portal:layout', { top: 64, visible: true });
    const wc = view();
    wc.fire('did-navigate', PORTAL, 200, 'OK');
    wc.isolatedWorldAnswer = [`We're sorry, something went wrong. Error code: ${sspr}`];
    wc.fire('did-stop-loading');
    await settle();
    expect(await invoke('portal:state')).toMatchObject({ phase: 'error', error: { code, reason } });
    expect(theWindow().browserView).toBeNull();
    await invoke('app:exit', { reason: 'cancelled' });
    expect(await exitsWith(overlay)).toBe(exitCode);
  });

  it('the throttling text in German → throttled, exit 40', async () => {
    const { overlay } = await startOverlay(runOverlay, { argv: ['SsprLogon.exe', '--lang=de'] });
    const wc = view();
    wc.fire('did-navigate', PORTAL, 200, 'OK');
    wc.isolatedWorldAnswer = ['Zu viele Versuche. Versuchen Sie es später erneut.'];
    wc.fire('did-stop-loading');
    await settle();
    expect(await invoke('portal:state')).toMatchObject({ phase: 'error', error: { code: 'throttled', reason: 'throttled' } });
    await invoke('app:exit', { reason: 'cancelled' });
    expect(await exitsWith(overlay)).toBe(ExitCode.Throttled);
  });

  it('an admin marker from PortalMarkers counts like a built-in one', async () => {
    const { overlay } = await startOverlay(runOverlay, { config: { PortalMarkers: ['success:text:Kennwort erfolgreich geändert'] } });
    const wc = view();
    wc.fire('did-navigate', PORTAL, 200, 'OK');
    wc.isolatedWorldAnswer = ['Ihr Kennwort erfolgreich geändert!'];
    wc.fire('did-stop-loading');
    await settle();
    await invoke('app:exit', { reason: 'done' });
    expect(await exitsWith(overlay)).toBe(ExitCode.ResetDone);
  });

  it('a page answering something other than strings is ignored', async () => {
    await startOverlay(runOverlay, {});
    const wc = view();
    wc.fire('did-navigate', PORTAL, 200, 'OK');
    wc.isolatedWorldAnswer = { length: 1, 0: 'Your password has been reset' };
    wc.fire('did-stop-loading');
    await settle();
    expect(await invoke('portal:state')).toMatchObject({ phase: 'showing' });
  });
});

describe('portal view: off-list navigation by where it came from', () => {
  it("a user's click on an off-list link keeps the page and is logged", async () => {
    const { logger } = await startOverlay(runOverlay, {});
    await invoke('portal:layout', { top: 64, visible: true });
    const wc = view();
    wc.fire('did-navigate', PORTAL, 200, 'OK');
    expect(wc.fire('will-navigate', 'https://go.microsoft.com/fwlink/?LinkId=1').defaultPrevented).toBe(true);
    expect(await invoke('portal:state')).toMatchObject({ phase: 'showing' });
    expect(theWindow().browserView).not.toBeNull();
    expect(logger.records.some((r) => r.event === 'portal.blocked' && r.fields.url === 'https://go.microsoft.com/fwlink/')).toBe(true);
  });

  it('a server redirect off the list shows our network error screen naming the host', async () => {
    const { overlay } = await startOverlay(runOverlay, {});
    await invoke('portal:layout', { top: 64, visible: true });
    const wc = view();
    expect(wc.fire('will-redirect', 'https://captive.hotel.example/login?next=x', false, true).defaultPrevented).toBe(true);
    expect(await invoke('portal:state')).toMatchObject({ phase: 'error', error: { code: 'redirect_required', reason: 'blocked', blockedHost: 'captive.hotel.example' } });
    expect(theWindow().browserView).toBeNull();
    await invoke('app:exit', { reason: 'cancelled' });
    expect(await exitsWith(overlay)).toBe(ExitCode.Cancelled);
  });

  it("the portal's own \"Back to sign in\" (a cancel marker) ends the session as a cancel", async () => {
    const { overlay } = await startOverlay(runOverlay, {});
    const wc = view();
    wc.fire('did-navigate', PORTAL, 200, 'OK');
    expect(wc.fire('will-navigate', 'https://login.microsoftonline.com/').defaultPrevented).toBe(true);
    expect(await exitsWith(overlay)).toBe(ExitCode.Cancelled);
  });

  it('subresources from AllowedResourceHosts load; telemetry is refused without a warning', async () => {
    const { logger } = await startOverlay(runOverlay, {});
    const portal = session.fromPartition('sspr-portal');
    expect(await portal.request('https://ajax.aspnetcdn.com/ajax/jquery.min.js', 'script')).toBe(true);
    expect(await portal.request('https://aadcdn.msftauth.net/shared/1.0/content/js/x.js', 'script')).toBe(true);
    expect(await portal.request('https://ajax.aspnetcdn.com/', 'mainFrame')).toBe(false);
    expect(await portal.request('https://browser.events.data.microsoft.com/OneCollector/1.0/', 'ping')).toBe(false);
    const warnings = logger.records.filter((r) => r.level === 'warn').map((r) => String(r.fields.origin ?? ''));
    expect(warnings).toContain('https://ajax.aspnetcdn.com');
    expect(warnings.some((o) => o.includes('events.data.microsoft.com'))).toBe(false);
  });
});

describe('portal view: pilot capture', () => {
  it('with PortalCapture on, logs pages without values, titles, texts and blocked hosts with their type', async () => {
    const { logger } = await startOverlay(runOverlay, { config: { PortalCapture: true } });
    const wc = view();
    wc.fire('did-navigate', `${PORTAL}&username=someone@contoso.com`, 200, 'OK');
    wc.fire('did-navigate-in-page', `${PORTAL}#!/verify?token=abc123`, true, 1, 1);
    wc.fire('page-title-updated', 'Microsoft Online Password Reset', true);
    const portal = session.fromPartition('sspr-portal');
    await portal.request('https://cdn.unknown.example/lib.js', 'script');
    await portal.request('https://browser.events.data.microsoft.com/x', 'ping');
    await settle();
    const capture = logger.records.filter((r) => r.event.startsWith('portal.capture.'));
    const pages = capture.filter((r) => r.event === 'portal.capture.page').map((r) => r.fields.url);
    expect(pages).toEqual([
      'https://passwordreset.microsoftonline.com/passwordreset?mkt=&username=',
      'https://passwordreset.microsoftonline.com/passwordreset?mkt=#!/verify?token=',
    ]);
    expect(capture.find((r) => r.event === 'portal.capture.title')?.fields.title).toBe('Microsoft Online Password Reset');
    const blocked = capture.filter((r) => r.event === 'portal.capture.blocked').map((r) => [r.fields.host, r.fields.resourceType, r.fields.quiet]);
    expect(blocked).toEqual([
      ['cdn.unknown.example', 'script', false],
      ['browser.events.data.microsoft.com', 'ping', true],
    ]);
    expect(JSON.stringify(capture)).not.toContain('someone@contoso.com');
    expect(JSON.stringify(capture)).not.toContain('abc123');
  });

  it('with PortalCapture off, nothing is captured', async () => {
    const { logger } = await startOverlay(runOverlay, {});
    view().fire('did-navigate', PORTAL, 200, 'OK');
    expect(logger.records.filter((r) => r.event.startsWith('portal.capture.'))).toEqual([]);
  });
});

describe('native engine: the hosted web flow after a redirect answer', () => {
  const redirectEngine = () => ({
    start: async () => ({ ok: false as const, kind: 'redirect' as const, info: { endpoint: 'start' as const } }),
    challenge: async () => ({ ok: false as const, kind: 'redirect' as const, info: { endpoint: 'challenge' as const } }),
    submitCode: async () => ({ ok: false as const, kind: 'redirect' as const, info: { endpoint: 'continue' as const } }),
    resetPassword: async () => ({ ok: false as const, kind: 'redirect' as const, info: { endpoint: 'submit' as const } }),
  });

  it('offers it, opens PortalUrl in the locked view, and a reset there exits 0', async () => {
    const { createCore } = await import('../../../src/main/core');
    const { overlay } = await startOverlay(runOverlay, {
      config: { Engine: 'native' },
      deps: { createCore: (o) => createCore({ ...o, engineFactory: redirectEngine }) },
    });
    expect(MockBrowserView.instances).toHaveLength(0);
    expect(await invoke('app:info')).toMatchObject({ engine: 'native', webFlowOnRedirect: true });
    expect(await invoke('flow:start', { username: 'adele@contoso.com' })).toMatchObject({ ok: false, error: { code: 'redirect_required' } });
    await expect(invoke('portal:state')).rejects.toThrow();
    expect(await invoke('app:openWebFlow')).toEqual({ ok: true });
    expect(view().loadedUrls).toEqual(['https://passwordreset.microsoftonline.com/?mkt=en']);
    expect(view().session).toBe(session.fromPartition('sspr-portal'));
    expect(await invoke('portal:state')).toMatchObject({ phase: 'loading' });
    view().fire('did-navigate', PORTAL, 200, 'OK');
    view().fire('page-title-updated', 'Your password has been reset', true);
    await invoke('app:exit', { reason: 'done' });
    expect(await exitsWith(overlay)).toBe(ExitCode.ResetDone);
  });

  it('is not offered when policy turns it off, and cannot be opened', async () => {
    const { overlay } = await startOverlay(runOverlay, { config: { Engine: 'native', WebFlowOnRedirect: false } });
    expect(await invoke('app:info')).toMatchObject({ webFlowOnRedirect: false });
    expect(await invoke('app:openWebFlow')).toEqual({ ok: false });
    expect(MockBrowserView.instances).toHaveLength(0);
    await invoke('app:exit', { reason: 'cancelled' });
    expect(await exitsWith(overlay)).toBe(ExitCode.Cancelled);
  });

  it('is not offered when the portal address is off AllowedHosts', async () => {
    await startOverlay(runOverlay, { config: { Engine: 'native', PortalUrl: 'https://contoso.ciamlogin.com/reset' } });
    expect(await invoke('app:info')).toMatchObject({ webFlowOnRedirect: false });
    expect(await invoke('app:openWebFlow')).toEqual({ ok: false });
    expect(MockBrowserView.instances).toHaveLength(0);
  });
});
