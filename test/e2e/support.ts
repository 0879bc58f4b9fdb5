/**
 * End-to-end harness: the real emulator, the real core and the real browser host serving the built
 * renderer, driven in real Chromium. One browser and one emulator per test file; one overlay session
 * (core + host + browser context) per test.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { catalogueScript, firstScreenBuildOptions, rendererBuildOptions } from '../../scripts/bundle-options.mjs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import * as v from 'valibot';
import { afterAll, beforeAll, expect } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator';
import { startDemo, type Demo, type DemoOptions } from '../../src/main/host/demo';
import type { Logger } from '../../src/main/core';
import { APP_CONTENT_SECURITY_POLICY } from '../../src/main/core/lockdown/policy';
import { ipcContract, isChannel, type AppInfo, type Channel } from '../../src/shared/ipc';

/** The core's log records of the running test file, to explain a failure (the core never logs secrets). */
export const coreLog: string[] = [];
const memoryLogger = (base: Record<string, unknown> = {}): Logger => {
  const write = (level: string) => (event: string, fields: Record<string, unknown> = {}) => {
    coreLog.push(JSON.stringify({ level, event, ...base, ...fields }, (_k, v: unknown) => (v instanceof Error ? v.message : v)));
    if (coreLog.length > 200) coreLog.shift();
  };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: (fields) => memoryLogger({ ...base, ...fields }),
    verbose: false,
    close: async () => undefined,
  };
};

export const root = join(__dirname, '..', '..');

let rendererBuild: Promise<string> | undefined;

/** A fingerprint of everything the renderer bundle is made from, so test files can share one build. */
const rendererSourceHash = (): string => {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(path).update(readFileSync(path));
    }
  };
  walk(join(root, 'src/renderer'));
  walk(join(root, 'src/shared'));
  hash.update(readFileSync(join(root, 'scripts/bundle-options.mjs')));
  return hash.digest('hex').slice(0, 16);
};

/**
 * Builds the renderer with the options scripts/build.mjs uses (scripts/bundle-options.mjs), but
 * into a private folder: other suites run `npm run build`, which empties dist/ while these tests read it.
 * Test files running in parallel share a build of the same sources (written aside, then renamed).
 */
export const buildRenderer = (): Promise<string> => {
  rendererBuild ??= (async () => {
    // Laid out as dist/ is: renderer/ beside main/first-screen.cjs, so the page comes with its first screen.
    const out = join(tmpdir(), `sspr-e2e-renderer-${rendererSourceHash()}`);
    if (existsSync(join(out, 'renderer', 'index.html'))) return join(out, 'renderer');
    const staging = mkdtempSync(join(tmpdir(), 'sspr-e2e-renderer-build-'));
    await build({ ...rendererBuildOptions(root, join(staging, 'renderer')), logLevel: 'error' });
    await build({ ...firstScreenBuildOptions(root, join(staging, 'main', 'first-screen.cjs')), sourcemap: false, logLevel: 'error' });
    try {
      renameSync(staging, out);
    } catch {
      // Another test file finished the same build first; theirs is identical.
      rmSync(staging, { recursive: true, force: true });
    }
    return join(out, 'renderer');
  })();
  return rendererBuild;
};

/** Headless Chromium; `extraArgs` for a test that must change what it trusts (e.g. a pinned certificate key). */
export const launchBrowser = (extraArgs: readonly string[] = []): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', ...extraArgs],
  });

export interface ServedEntry {
  origin: string;
  close(): Promise<void>;
}

/**
 * One renderer component on a page of its own, driven by a stand-in main instead of the core: `entry` (TSX,
 * imports resolved from the repository root) is bundled with the shipped renderer options into app.js/app.css
 * and served on loopback with the shipped index.html, the product CSP header and the on-demand catalogues.
 * The entry reaches "main" through window.__ssprInfo() and window.__ssprInvoke(channel, payload), which
 * `exposeStandInMain` puts on a page.
 */
export const serveRendererEntry = async (entry: string, sourcefile: string): Promise<ServedEntry> => {
  const { entryPoints: _entry, plugins: _writers, ...shipped } = rendererBuildOptions(root, '/virtual');
  const out = await build({
    ...shipped,
    // One file is enough for a stand-in entry: it is served as app.js, and a script without imports runs the
    // same as a module.
    format: 'iife',
    splitting: false,
    stdin: { contents: entry, resolveDir: root, loader: 'tsx', sourcefile },
    jsx: 'automatic',
    write: false,
    logLevel: 'error',
  });
  const js = out.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
  const css = out.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  // The stand-in main answers app:info itself (exposeStandInMain), so the page's early start.js call is left out.
  const html = readFileSync(join(root, 'src/renderer/index.html'), 'utf8').replace(/<script src="start\.js"><\/script>/, '');
  const server = http.createServer((req, res) => {
    res.setHeader('Content-Security-Policy', APP_CONTENT_SECURITY_POLICY);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const catalogue = /^\/i18n\/([A-Za-z-]+)\.js$/.exec(path)?.[1];
    const catalogueFile = catalogue ? join(root, 'src/renderer/i18n', `${catalogue}.json`) : '';
    if (path === '/app.js') res.setHeader('content-type', 'text/javascript').end(js);
    else if (path === '/app.css') res.setHeader('content-type', 'text/css').end(css);
    else if (catalogue && existsSync(catalogueFile)) res.setHeader('content-type', 'text/javascript').end(catalogueScript(catalogue, readFileSync(catalogueFile, 'utf8')));
    else if (catalogue) res.writeHead(404).end();
    else res.setHeader('content-type', 'text/html').end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
};

/**
 * Main's side for a served entry: the AppInfo the page starts from, and the test's answer to each call. Every
 * call is first checked against the one IPC contract, as main's dispatcher does: an unknown channel or a
 * request of the wrong shape fails the page's call instead of reaching the answer.
 */
export const exposeStandInMain = async (page: Page, info: AppInfo, answer: (channel: Channel, request: unknown) => unknown): Promise<void> => {
  await page.exposeFunction('__ssprInfo', () => info);
  await page.exposeFunction('__ssprInvoke', (channel: unknown, payload: unknown) => {
    if (!isChannel(channel)) throw new Error(`unknown channel ${String(channel)}`);
    return answer(channel, v.parse(ipcContract[channel].request, payload));
  });
};

/** Counts the emulator's requests per endpoint (from its one-line-per-request log; never a body). */
export class RequestCounter {
  readonly lines: string[] = [];
  readonly log = (line: string) => void this.lines.push(line);
  count(endpoint?: string): number {
    return endpoint ? this.lines.filter((l) => l.includes(`/${endpoint}`)).length : this.lines.length;
  }
}

export interface TestEmulator {
  emulator: RunningEmulator;
  requests: RequestCounter;
}

export const startTestEmulator = async (opts: EmulatorOptions = {}): Promise<TestEmulator> => {
  const requests = new RequestCounter();
  // Generous rate limit: a test browser is one fast user; throttling is tested on purpose elsewhere.
  const emulator = await startEmulator({ ...opts, policy: { requestsPerSecond: 10_000, ...(opts.policy ?? {}) }, log: requests.log });
  return { emulator, requests };
};

export interface ApiCall {
  channel: string;
  body: string;
}

export interface Overlay {
  demo: Demo;
  context: BrowserContext;
  page: Page;
  /** Every /api call the page made, with its body, in order. */
  api: ApiCall[];
  /** Any dialog (alert/confirm/prompt) the page opened: injected script ran. Must stay empty. */
  dialogs: string[];
  pageErrors: string[];
  close(): Promise<void>;
}

export interface OverlayOptions extends Omit<DemoOptions, 'emulator' | 'rendererDir'> {
  /** The Windows display language the shim passes (`--lang=`). */
  lang?: string;
  /** Logon tile or locked screen (`--scenario=`). */
  scenario?: 'logon' | 'unlock';
  /** The user name shown on the tile (`--user=`). */
  user?: string;
  /** The browser's own locale (navigator.language), not the overlay's language. */
  locale?: string;
  /** Runs before the page loads (e.g. to install a fake clock). */
  beforeLoad?: (page: Page) => Promise<void>;
  viewport?: { width: number; height: number };
  /**
   * Default true: return once the page's code has taken the prerendered first screen over, as a person who
   * reads it first would meet it. false: as soon as the page shows (the first-load tests).
   */
  takenOver?: boolean;
}

/** The page's code runs the screen: React's own property is on the root's element (hydrated or drawn). */
export const waitForTakeover = (page: Page): Promise<void> =>
  page
    .waitForFunction(() => {
      const el = document.querySelector('#root > *');
      return el !== null && Object.keys(el).some((k) => k.startsWith('__reactFiber'));
    })
    .then(() => undefined);

export const openOverlay = async (browser: Browser, emulator: RunningEmulator, opts: OverlayOptions = {}): Promise<Overlay> => {
  const { lang, scenario, user, locale, viewport, beforeLoad, takenOver = true, ...demoOpts } = opts;
  const launchArgs = [
    ...(scenario ? [`--scenario=${scenario}`] : []),
    ...(user !== undefined ? [`--user=${user}`] : []),
    ...(lang ? [`--lang=${lang}`] : []),
  ];
  const demo = await startDemo({
    emulator,
    rendererDir: await buildRenderer(),
    // A short resend cooldown, and poll waits capped at 50 ms (the service's 2 s interval would only slow the suite).
    core: { resendCooldownSeconds: 3, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50))) },
    logger: memoryLogger(),
    ...demoOpts,
    argv: [...launchArgs, ...(demoOpts.argv ?? [])],
  });
  const context = await browser.newContext({ viewport: viewport ?? { width: 1280, height: 900 }, ...(locale ? { locale } : {}) });
  const page = await context.newPage();
  const overlay: Overlay = {
    demo,
    context,
    page,
    api: [],
    dialogs: [],
    pageErrors: [],
    close: async () => {
      await context.close();
      await demo.close();
    },
  };
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/')) overlay.api.push({ channel: url.pathname.slice(5), body: req.postData() ?? '' });
  });
  page.on('dialog', (dialog) => {
    overlay.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (err) => overlay.pageErrors.push(err.message));
  if (beforeLoad) await beforeLoad(page);
  await page.goto(demo.url);
  await page.locator('#root > *').first().waitFor();
  if (takenOver) await waitForTakeover(page);
  return overlay;
};

export interface OverlayFixture {
  readonly browser: Browser;
  readonly emulator: RunningEmulator;
  readonly requests: RequestCounter;
  /** Opens an overlay session (core + host + browser context) at the page; closed after the file's tests. */
  open(opts?: OverlayOptions): Promise<Overlay>;
}

/**
 * The set-up overlay test files share, registered in the calling describe (or file): one Chromium and one
 * emulator for its tests, and every overlay opened through `open` closed after them.
 */
export const useOverlays = (emulatorOptions: EmulatorOptions = {}): OverlayFixture => {
  let browser: Browser | undefined;
  let emu: TestEmulator | undefined;
  const opened: Overlay[] = [];
  beforeAll(async () => {
    [browser, emu] = await Promise.all([launchBrowser(), startTestEmulator(emulatorOptions)]);
  });
  afterAll(async () => {
    for (const o of opened.splice(0)) await o.close();
    await browser?.close();
    await emu?.emulator.close();
  });
  const started = () => {
    if (!browser || !emu) throw new Error('useOverlays: the browser and emulator start in beforeAll; use them in a test or a later hook');
    return { browser, emu };
  };
  return {
    get browser() {
      return started().browser;
    },
    get emulator() {
      return started().emu.emulator;
    },
    get requests() {
      return started().emu.requests;
    },
    open: async (opts = {}) => {
      const { browser: b, emu: e } = started();
      const o = await openOverlay(b, e.emulator, opts);
      opened.push(o);
      return o;
    },
  };
};

/** The stage the overlay shows (data-stage on its root). */
export const stage = (page: Page) => page.locator('[data-stage]');

export const expectStage = async (page: Page, name: string) => {
  await expect.poll(() => stage(page).getAttribute('data-stage'), { timeout: 30_000 }).toBe(name);
};

export const expectErrorScreen = async (page: Page, code: string) => {
  try {
    await expectStage(page, 'error');
    await expect.poll(() => page.locator('[data-error-code]').getAttribute('data-error-code'), { timeout: 30_000 }).toBe(code);
  } catch (err) {
    (err as Error).message += `\ncore log (latest):\n${coreLog.slice(-8).join('\n')}`;
    throw err;
  }
};

export const enterUser = async (page: Page, username: string) => {
  await page.locator('#username').fill(username);
  await page.locator('#username').press('Enter');
};

export const enterCode = async (page: Page, code: string) => {
  await page.locator('#code').fill(code);
  await page.locator('#code').press('Enter');
};

export const enterPassword = async (page: Page, password: string, confirm = password) => {
  await page.locator('#new-password').fill(password);
  await page.locator('#confirm-password').fill(confirm);
  await page.locator('#confirm-password').press('Enter');
};

/** Runs user id → code for a registered user; returns the code that was used. */
export const reachPassword = async (page: Page, emulator: RunningEmulator, username: string): Promise<string> => {
  await enterUser(page, username);
  await expectStage(page, 'code');
  const code = emulator.latestCode(username);
  if (!code) throw new Error(`no code in the outbox for ${username}`);
  await enterCode(page, code);
  await expectStage(page, 'password');
  return code;
};

/** A password the emulator accepts for the given account (not banned, not containing the name). */
export const strongPassword = (salt: string) => `Tq7!vX${salt}#Lm2p`;
