/**
 * The browser host with two tabs open at once, in real Chromium: each tab is its own flow, so one
 * person's code is never checked against another person's attempt.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterCode, enterPassword, enterUser, expectStage, launchBrowser, openOverlay, startTestEmulator, strongPassword, type Overlay, type TestEmulator } from './support';

describe('browser host: two tabs, two flows', () => {
  let browser: Browser;
  let emu: TestEmulator;
  let overlay: Overlay;
  let tabB: Page;

  beforeAll(async () => {
    [browser, emu] = await Promise.all([launchBrowser(), startTestEmulator()]);
    // A second registered user, so each tab resets someone else.
    const alice = emu.emulator.directory.find('alice@contoso.com')!;
    emu.emulator.directory.add({ ...alice, username: 'judy@contoso.com', objectId: '9a8b7c6d-0000-4000-8000-00000000001a' });
    overlay = await openOverlay(browser, emu.emulator, { argv: ['--lang=en'] });
    tabB = await overlay.context.newPage();
    await tabB.goto(overlay.demo.url);
    await tabB.locator('#root > *').first().waitFor();
  });
  afterAll(async () => {
    await overlay?.close();
    await browser?.close();
    await emu?.emulator.close();
  });

  it("tab A's code completes A's reset after tab B started another user's, and B's code completes B's", async () => {
    const tabA = overlay.page;
    await enterUser(tabA, 'alice@contoso.com');
    await expectStage(tabA, 'code');
    // Tab B starts a different user after A: with one shared flow this replaced A's attempt.
    await enterUser(tabB, 'judy@contoso.com');
    await expectStage(tabB, 'code');

    await enterCode(tabA, emu.emulator.latestCode('alice@contoso.com')!);
    await expectStage(tabA, 'password');
    await enterCode(tabB, emu.emulator.latestCode('judy@contoso.com')!);
    await expectStage(tabB, 'password');

    await enterPassword(tabA, strongPassword('tabA'));
    await expectStage(tabA, 'done');
    await enterPassword(tabB, strongPassword('tabB'));
    await expectStage(tabB, 'done');
    expect(emu.emulator.directory.passwordOf('alice@contoso.com')).toBe(strongPassword('tabA'));
    expect(emu.emulator.directory.passwordOf('judy@contoso.com')).toBe(strongPassword('tabB'));
    // No code was counted as wrong against either user.
    expect(emu.emulator.audit.filter((e) => e.result === 'failure')).toEqual([]);
  });
});
