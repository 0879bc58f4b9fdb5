/**
 * Walks the screen table (screens.ts) with the real parts: the renderer built with the product's esbuild
 * options, the browser host's wiring (src/main/host/demo.ts) with one core per screen, the emulator over
 * HTTPS on loopback, and Debian's Chromium through playwright-core. Each screen gets a fresh overlay; its
 * picture is taken only once the heading shows the catalogue's text for that language, in that direction.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import UPNG from 'upng-js';
import { createManualClock, startEmulator, type EmulatorPolicy, type ManualClock, type RunningEmulator } from '../../src/emulator';
import { startDemo, type Demo } from '../../src/main/host/demo';
import { ipcContract, type PortalState } from '../../src/shared/ipc';
import { rendererBuildOptions } from '../bundle-options.mjs';
import { indexMarkdown, screenFile, VIEWPORT } from './files';
import { SCREENS, SCREENSHOT_LANGUAGES, type ScreenContext, type ScreenSpec, type ScreenshotLanguage } from './screens';

const root = join(__dirname, '..', '..');

export interface Shot {
  lang: ScreenshotLanguage;
  id: string;
  /** Relative to the output folder: `<lang>/<nn>-<id>.png`. */
  file: string;
  /** The heading the page showed when the picture was taken. */
  heading: string;
  bytes: number;
  /** Why there is no picture. */
  error?: string;
}

export interface WalkOptions {
  outDir: string;
  /** Default: every language of SCREENSHOT_LANGUAGES. */
  languages?: readonly ScreenshotLanguage[];
  /** A subset of SCREENS (the file numbers stay those of the full table). Default: all. */
  screens?: readonly ScreenSpec[];
  /** Called with one line per picture, e.g. "12/56 en password-checklist". */
  onProgress?: (line: string) => void;
}

/** The catalogue's text for a dotted key, as the heading must show it. */
export const catalogueText = (lang: string, key: string): string => {
  const catalogue = JSON.parse(readFileSync(join(root, 'src/renderer/i18n', `${lang}.json`), 'utf8')) as unknown;
  const value = key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), catalogue);
  if (typeof value !== 'string') throw new Error(`no text for ${key} in src/renderer/i18n/${lang}.json`);
  return value;
};

/** The renderer as the product builds it, into a private folder (dist/ is left alone). */
const buildRenderer = async (): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), 'sspr-screenshots-renderer-'));
  await build({ ...rendererBuildOptions(root, dir), logLevel: 'error' });
  return dir;
};

const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--hide-scrollbars'],
  });

/**
 * The picture with at most 256 colours: Chromium's PNG of the overlay's gradient is ~190 KB, the palette one
 * a fraction of that, and text stays crisp (it is documentation, not a pixel test).
 */
export const smallPng = (png: Buffer): Buffer => {
  const image = UPNG.decode(new Uint8Array(png).buffer);
  const rgba = UPNG.toRGBA8(image)[0];
  if (!rgba) throw new Error('Chromium gave an empty screenshot');
  return Buffer.from(UPNG.encode([rgba], image.width, image.height, 256));
};

/**
 * window.sspr as Electron's preload gives it: the core's channels go to a core of the demo (as IPC would),
 * the portal channels answer with the given state (main's view of the locked portal, which only Electron has).
 */
const bridgeLikePreload = async (page: Page, demo: Demo, state: PortalState): Promise<void> => {
  let current = state;
  await page.exposeFunction('__screenshotMain', async (channel: string, payload: unknown) => {
    if (!channel.startsWith('portal:')) return demo.dispatch(channel, payload);
    if (channel === 'portal:setLanguage') current = { ...current, language: (payload as { language: string }).language };
    return current;
  });
  await page.addInitScript((names: string[]) => {
    const call = (window as unknown as { __screenshotMain: (c: string, p: unknown) => Promise<unknown> }).__screenshotMain;
    (window as unknown as { sspr: unknown }).sspr = Object.fromEntries(names.map((name) => [name, (payload: unknown) => call(name, payload)]));
  }, Object.keys(ipcContract));
};

interface Running {
  browser: Browser;
  emulator: RunningEmulator;
  clock: ManualClock;
  rendererDir: string;
  passwords: number;
}

const takeShot = async (run: Running, lang: (typeof SCREENSHOT_LANGUAGES)[number], spec: ScreenSpec, outDir: string): Promise<Shot> => {
  const file = screenFile(lang.code, spec);
  const shot: Shot = { lang: lang.code, id: spec.id, file, heading: '', bytes: 0 };
  const startIn = spec.startLanguage ?? lang.code;
  const demo = await startDemo({
    emulator: run.emulator,
    rendererDir: run.rendererDir,
    argv: [`--lang=${startIn}`, ...(spec.portal ? ['--set=Engine=portal'] : []), ...(spec.argv ?? [])],
    // The service's 2 s poll interval only slows the walk; the screens are the same.
    core: {
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50))),
      ...(spec.resendCooldownSeconds !== undefined ? { resendCooldownSeconds: spec.resendCooldownSeconds } : {}),
    },
  });
  // The browser's language plays Windows' display language (it is what a screen shown before app:info uses).
  const context = await run.browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: startIn });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  const ctx: ScreenContext = {
    page,
    emulator: run.emulator,
    clock: run.clock,
    lang: lang.code,
    newPassword: () => `Tq7!vX${lang.code}${++run.passwords}#Lm2p`,
  };
  const changed = Object.keys(spec.policy ?? {}) as (keyof EmulatorPolicy)[];
  const restore = Object.fromEntries(changed.map((k) => [k, run.emulator.policy[k]])) as Partial<EmulatorPolicy>;
  try {
    run.emulator.setPolicy(spec.policy ?? {});
    spec.before?.(ctx);
    await spec.beforeLoad?.(page);
    if (spec.portal) await bridgeLikePreload(page, demo, { ...spec.portal, language: startIn });
    await page.goto(demo.url);
    await page.locator('#root > *').first().waitFor({ timeout: 30_000 });
    await spec.reach?.(ctx);

    const expected = catalogueText(lang.code, spec.heading);
    const heading = page.locator(spec.headingSelector ?? 'h1').first();
    const deadline = Date.now() + 15_000;
    while ((shot.heading = ((await heading.textContent({ timeout: 15_000 })) ?? '').trim()) !== expected && Date.now() < deadline) {
      await page.waitForTimeout(100);
    }
    if (shot.heading !== expected) throw new Error(`the heading reads "${shot.heading}", not "${expected}" (${spec.heading})`);
    const direction = await heading.evaluate((el) => getComputedStyle(el).direction);
    if (direction !== lang.dir) throw new Error(`the heading is laid out ${direction}, not ${lang.dir}`);
    if (pageErrors.length) throw new Error(`the page threw: ${pageErrors.join('; ')}`);

    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const path = join(outDir, file);
    mkdirSync(join(path, '..'), { recursive: true });
    const png = smallPng(await page.screenshot({ animations: 'disabled', caret: 'hide' }));
    writeFileSync(path, png);
    shot.bytes = png.length;
  } catch (err) {
    shot.error = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  } finally {
    try {
      await spec.after?.(ctx);
    } catch {
      // The picture (or its failure) is what counts; the next row starts from a fresh overlay anyway.
    }
    run.emulator.setPolicy(restore);
    await context.close();
    await demo.close();
  }
  return shot;
};

/** Takes every picture asked for; a screen that cannot be reached is reported in its Shot, not thrown. */
export const walkScreens = async (opts: WalkOptions): Promise<Shot[]> => {
  const languages = SCREENSHOT_LANGUAGES.filter((l) => (opts.languages ?? SCREENSHOT_LANGUAGES.map((x) => x.code)).includes(l.code));
  const screens = opts.screens ?? SCREENS;
  const clock = createManualClock(Date.now());
  const parts = await Promise.allSettled([
    buildRenderer(),
    launchChromium(),
    // One fast visitor walking the flow dozens of times: Entra's per-second and e-mail limits would stop the
    // walk itself, so they are lifted here; the throttled screen lowers its own limit on purpose.
    startEmulator({ clock, policy: { requestsPerSecond: 10_000, maxEmailsPerWindow: 1000 }, log: () => undefined }),
  ] as const);
  const [built, launched, started] = parts;
  if (built.status === 'rejected' || launched.status === 'rejected' || started.status === 'rejected') {
    // Stop whatever did start, so a failed start leaves no browser or server behind.
    if (launched.status === 'fulfilled') await launched.value.close();
    if (started.status === 'fulfilled') await started.value.close();
    if (built.status === 'fulfilled') rmSync(built.value, { recursive: true, force: true });
    throw parts.map((p) => (p.status === 'rejected' ? (p.reason as unknown) : undefined)).find((reason) => reason !== undefined);
  }
  const [rendererDir, browser, emulator] = [built.value, launched.value, started.value];
  const run: Running = { browser, emulator, clock, rendererDir, passwords: 0 };
  const shots: Shot[] = [];
  const total = languages.length * screens.length;
  try {
    for (const lang of languages) {
      // A full walk replaces the language's pictures, so a renamed or removed screen leaves none behind.
      if (!opts.screens) rmSync(join(opts.outDir, lang.code), { recursive: true, force: true });
      for (const spec of screens) {
        const shot = await takeShot(run, lang, spec, opts.outDir);
        shots.push(shot);
        const figure = shot.error ? `FAILED: ${shot.error}` : `${(shot.bytes / 1024).toFixed(0)} KB`;
        opts.onProgress?.(`${shots.length}/${total} ${lang.code} ${spec.id} (${figure})`);
      }
    }
  } finally {
    await browser.close();
    await emulator.close();
    rmSync(rendererDir, { recursive: true, force: true });
  }
  return shots;
};

export const writeIndex = (outDir: string): string => {
  const path = join(outDir, 'README.md');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path, indexMarkdown());
  return path;
};

