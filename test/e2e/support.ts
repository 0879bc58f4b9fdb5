/**
 * End-to-end harness: the real emulator, the real core and the real browser host serving the built
 * renderer, driven in real Chromium. One browser and one emulator per test file; one overlay session
 * (core + host + browser context) per test.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { rendererBuildOptions } from '../../scripts/bundle-options.mjs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator';
import { startDemo, type Demo, type DemoOptions } from '../../src/main/host/demo';
import type { Logger } from '../../src/main/core';

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
    const out = join(tmpdir(), `sspr-e2e-renderer-${rendererSourceHash()}`);
    if (existsSync(join(out, 'index.html'))) return out;
    const staging = mkdtempSync(join(tmpdir(), 'sspr-e2e-renderer-build-'));
    await build({ ...rendererBuildOptions(root, staging), logLevel: 'error' });
    try {
      renameSync(staging, out);
    } catch {
      // Another test file finished the same build first; theirs is identical.
      rmSync(staging, { recursive: true, force: true });
    }
    return out;
  })();
  return rendererBuild;
};

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });

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
  locale?: string;
  /** Runs before the page loads (e.g. to install a fake clock). */
  beforeLoad?: (page: Page) => Promise<void>;
  viewport?: { width: number; height: number };
}

export const openOverlay = async (browser: Browser, emulator: RunningEmulator, opts: OverlayOptions = {}): Promise<Overlay> => {
  const { locale, viewport, beforeLoad, ...demoOpts } = opts;
  const demo = await startDemo({
    emulator,
    rendererDir: await buildRenderer(),
    // A short resend cooldown, and poll waits capped at 50 ms (the service's 2 s interval would only slow the suite).
    core: { resendCooldownSeconds: 3, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50))) },
    logger: memoryLogger(),
    ...demoOpts,
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
  return overlay;
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
