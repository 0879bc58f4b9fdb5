/**
 * The portal engine against a stand-in portal of the documented shape (portalStandIn.ts), in real Chromium.
 * The page plays the locked BrowserView; around it run the very functions the Electron adapter uses: the
 * request verdict of the lockdown policy with the default allow-lists, the will-navigate rule, the
 * isolated-world text reader, the outcome markers and the pilot capture (with the real logger). Electron's
 * own wiring of these functions is tested on the mock (test/main/electron/portalView.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/shared/config';
import { ExitCode } from '../../src/shared/exitCodes';
import { isNavigationAllowed, portalPolicy, requestVerdict, windowOpenPolicy } from '../../src/main/core/lockdown/policy';
import { createLogger, LOG_FILE_NAME } from '../../src/main/core/logging';
import { createPortalCapture, type PortalCapture } from '../../src/main/core/portal/capture';
import { portalMarkers } from '../../src/main/core/portal/markers';
import { portalExitCode, portalOutcome, portalPhase, type NavigationEvent } from '../../src/main/core/portal/outcome';
import { PAGE_TEXTS_SCRIPT, pageTextsFrom, sameTexts } from '../../src/main/core/portal/pageTexts';
import { portalUrl } from '../../src/main/core/portal/url';
import { CAPTCHA_ANSWER, CODE, HOSTS, startStandInPortal, TITLE, USERS, type StandInPortal } from './portalStandIn';
import { launchBrowser } from './support';

let portal: StandInPortal;
let browser: Browser;
const logDirs: string[] = [];

beforeAll(async () => {
  portal = await startStandInPortal();
  browser = await launchBrowser([
    `--host-resolver-rules=${portal.resolverRules}`,
    // Trust exactly the stand-in's one leaf key; every other certificate is still verified.
    `--ignore-certificate-errors-spki-list=${portal.spki}`,
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  for (const d of logDirs) rmSync(d, { recursive: true, force: true });
});

/** The request's frame; none yet for the first request of a new window. */
const frameOf = (req: Request) => {
  try {
    return req.frame();
  } catch {
    return null;
  }
};

/** Electron's webRequest resourceType for a Playwright request. */
const electronResourceType = (req: Request): string => {
  const t = req.resourceType();
  if (t === 'document') return frameOf(req)?.parentFrame() ? 'subFrame' : 'mainFrame';
  if (t === 'fetch') return 'xhr';
  if (t === 'websocket') return 'webSocket';
  return ['stylesheet', 'script', 'image', 'font', 'media', 'xhr', 'ping'].includes(t) ? t : 'other';
};

interface View {
  page: Page;
  context: BrowserContext;
  events: NavigationEvent[];
  refused: { host: string; type: string; verdict: string }[];
  popups: string[];
  logDir: string;
  capture: PortalCapture;
  closeLog(): Promise<string>;
  readTexts(): Promise<void>;
  outcome(): ReturnType<typeof portalOutcome>;
}

const views: View[] = [];
afterEach(async () => {
  for (const v of views.splice(0)) await v.context.close();
});

const open = async (): Promise<View> => {
  const config = { ...defaultConfig, PortalCapture: true };
  const policy = portalPolicy(config.AllowedHosts, config.AllowedResourceHosts);
  const markers = portalMarkers(config);
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const logDir = mkdtempSync(join(tmpdir(), 'sspr-standin-log-'));
  logDirs.push(logDir);
  const logger = createLogger({ verbose: false, dir: logDir });
  const capture = createPortalCapture(logger.child({ correlationId: 'standin-run' }), config.PortalCapture);
  const events: NavigationEvent[] = [];
  const refused: View['refused'] = [];
  const popups: string[] = [];

  // session.webRequest.onBeforeRequest, as configureSession wires it.
  await context.route('**/*', async (route) => {
    const req = route.request();
    const type = electronResourceType(req);
    const verdict = requestVerdict(req.url(), policy, type);
    if (verdict === 'allow') return route.continue();
    refused.push({ host: new URL(req.url()).host, type, verdict });
    capture.note({ type: 'blocked', url: req.url(), resourceType: type, quiet: verdict === 'block-quiet' });
    // will-navigate on the view: a refused main-frame navigation of the page itself.
    if (type === 'mainFrame' && frameOf(req)?.page() === page && !isNavigationAllowed(req.url(), policy)) {
      events.push({ type: 'blocked', url: req.url(), kind: 'navigation' });
    }
    return route.abort('blockedbyclient');
  });
  // setWindowOpenHandler → deny: a target=_blank window is closed at once (and its load was refused above).
  context.on('page', (p) => {
    if (p === page) return;
    popups.push(p.url());
    if (windowOpenPolicy().action === 'deny') void p.close();
  });

  let lastUrl = '';
  page.on('response', (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) events.push({ type: 'did-navigate', url: r.url(), httpResponseCode: r.status() });
  });
  page.on('framenavigated', (f) => {
    if (f !== page.mainFrame()) return;
    const url = f.url();
    const sameDocument = lastUrl.split('#')[0] === url.split('#')[0] && lastUrl !== '' && lastUrl !== url;
    capture.note({ type: 'page', url, inPage: sameDocument });
    if (sameDocument) events.push({ type: 'did-navigate-in-page', url, isMainFrame: true });
    lastUrl = url;
  });
  page.on('load', () => {
    void page.title().then((title) => {
      capture.note({ type: 'title', title });
      events.push({ type: 'page-title-updated', title });
    });
  });

  // executeJavaScriptInIsolatedWorld, played through the DevTools protocol: a world of our own on the
  // page's frame, the same script, the same checks on what comes back.
  let cdp: CDPSession | null = null;
  let lastTexts: readonly string[] = [];
  const readTexts = async (): Promise<void> => {
    cdp ??= await context.newCDPSession(page);
    const tree = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    const world = (await cdp.send('Page.createIsolatedWorld', { frameId: tree.frameTree.frame.id, worldName: 'sspr-page-texts' })) as { executionContextId: number };
    const result = (await cdp.send('Runtime.evaluate', { expression: PAGE_TEXTS_SCRIPT, contextId: world.executionContextId, returnByValue: true })) as { result: { value?: unknown } };
    const texts = pageTextsFrom(result.result.value);
    if (sameTexts(texts, lastTexts)) return;
    lastTexts = texts;
    capture.note({ type: 'texts', texts });
    events.push({ type: 'page-texts', texts });
  };

  await page.goto(portalUrl(config, 'en').replace(/\/\?/, '/passwordreset?'));
  const view: View = {
    page,
    context,
    events,
    refused,
    popups,
    logDir,
    capture,
    readTexts,
    outcome: () => portalOutcome(events, markers),
    closeLog: async () => {
      await logger.close();
      return readFileSync(join(logDir, LOG_FILE_NAME), 'utf8');
    },
  };
  views.push(view);
  return view;
};

/** The adapter reads the texts on every navigation and on a timer; here after each step. */
const untilOutcome = async (v: View, state: string): Promise<void> => {
  await expect
    .poll(
      async () => {
        await v.readTexts();
        return v.outcome().state;
      },
      { timeout: 20_000, interval: 200 },
    )
    .toBe(state);
};

const startAs = async (v: View, user: string): Promise<void> => {
  await v.page.locator('#userId').fill(user);
  await v.page.locator('#captchaAnswer').fill(CAPTCHA_ANSWER);
  await v.page.locator('#next').click();
};

describe('stand-in portal in Chromium with the default allow-lists', () => {
  it('a full reset through the hash routes ends with exit 0, though the title never changes', async () => {
    const v = await open();
    await v.page.locator('#userId').waitFor();
    // The script from the CDN origin ran (it drew the form) and the CAPTCHA image loaded from its host.
    await expect.poll(() => v.page.locator('#captcha').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    await untilOutcome(v, 'in-progress');
    await startAs(v, USERS.ok);
    await v.page.locator('#code').fill(CODE);
    await v.page.locator('#verify').click();
    const password = 'Correct-Horse-42!';
    await v.page.locator('#pw').fill(password);
    await v.page.locator('#pw2').fill(password);
    await v.page.locator('#finish').click();
    await untilOutcome(v, 'success');
    expect(await v.page.title()).toBe(TITLE);
    expect(v.events.some((e) => e.type === 'page-title-updated' && e.title !== TITLE)).toBe(false);
    expect(v.events.filter((e) => e.type === 'did-navigate-in-page').map((e) => (e as { url: string }).url.split('#')[1])).toEqual(['!/verify', '!/newpassword', '!/step4']);
    expect(portalExitCode(v.events, 'done')).toBe(ExitCode.ResetDone);

    // The pilot capture of this attempt: routes and texts, never a typed value.
    const log = await v.closeLog();
    expect(log).toContain('portal.capture.page');
    expect(log).toContain('#!/newpassword');
    expect(log).toContain('Your password has been reset');
    for (const typed of [USERS.ok, CAPTCHA_ANSWER, CODE, password]) expect(log).not.toContain(typed);
  });

  it('blocks what must be blocked without breaking the page', async () => {
    const v = await open();
    await v.page.locator('#userId').waitFor();
    // A script from a host on no list never ran (it would retitle the page) and never reached its server.
    expect(await v.page.title()).toBe(TITLE);
    expect(portal.hits[HOSTS.offList]).toEqual([]);
    expect(v.refused).toContainEqual({ host: HOSTS.offList, type: 'script', verdict: 'block' });
    // The help link's new window is refused and its page never loads.
    await v.page.locator('#help').click();
    await expect.poll(() => v.popups.length).toBe(1);
    expect(portal.hits[HOSTS.help]).toEqual([]);
    // Print and the file input leave the page working.
    await v.page.locator('#print').click();
    await expect.poll(() => v.page.locator('#printed').textContent()).toBe('print asked');
    await v.page.locator('#attach').click().catch(() => undefined);
    // Telemetry is refused quietly, the flow goes on.
    await startAs(v, USERS.ok);
    await v.page.locator('#code').waitFor();
    expect(portal.hits[HOSTS.telemetry]).toEqual([]);
    expect(v.refused.some((r) => r.host === HOSTS.telemetry && r.verdict === 'block-quiet')).toBe(true);
    expect(v.refused.filter((r) => r.verdict === 'block').map((r) => r.host).sort()).toEqual([HOSTS.offList, HOSTS.help].sort());
    expect(v.outcome()).toEqual({ state: 'in-progress', loaded: true });
    // The pilot capture names the refused hosts with their types.
    const log = await v.closeLog();
    expect(log).toMatch(new RegExp(`"host":"${HOSTS.offList}"[^\\n]*"resourceType":"script"`));
  });

  it("the portal's own \"Back to sign in\" ends the session as a cancel, and its page never loads", async () => {
    const v = await open();
    await v.page.locator('#backToSignIn').click();
    await expect.poll(() => v.outcome()).toEqual({ state: 'cancelled', reason: 'cancelled', byPortal: true });
    expect(portal.hits[HOSTS.signIn]).toEqual([]);
    expect(portalExitCode(v.events, 'cancelled')).toBe(ExitCode.Cancelled);
  });

  it.each([
    [USERS.notRegistered, 'not_registered', { code: 'not_registered', reason: 'not_registered' }, ExitCode.NotEnabledOrRegistered],
    [USERS.throttled, 'throttled', { code: 'throttled', reason: 'throttled' }, ExitCode.Throttled],
  ])('%s: the SSPR error view → %s, our screen, its exit code', async (user, state, error, exitCode) => {
    const v = await open();
    await startAs(v, user);
    await untilOutcome(v, state);
    expect(portalPhase(v.outcome())).toEqual({ phase: 'error', error });
    expect(portalExitCode(v.events, 'cancelled')).toBe(exitCode);
  });

  it('a writeback failure (SSPR_0029) → "could not be saved", never a success', async () => {
    const v = await open();
    await startAs(v, USERS.writeback);
    await v.page.locator('#code').fill(CODE);
    await v.page.locator('#verify').click();
    await v.page.locator('#pw').fill('Another-Pass-77!');
    await v.page.locator('#finish').click();
    await untilOutcome(v, 'not_saved');
    expect(portalPhase(v.outcome())).toEqual({ phase: 'error', error: { code: 'reset_failed', reason: 'not_saved' } });
    expect(portalExitCode(v.events, 'done')).toBe(ExitCode.Cancelled);
  });
});
