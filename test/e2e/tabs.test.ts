/**
 * The browser host with two tabs open at once, in real Chromium: each tab is its own flow, so one
 * person's code is never checked against another person's attempt.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { enterCode, enterPassword, enterUser, expectStage, strongPassword, useOverlays, type Overlay } from './support';

describe('browser host: two tabs, two flows', () => {
  const overlays = useOverlays();
  let overlay: Overlay;
  let tabB: Page;

  beforeAll(async () => {
    // A second registered user, so each tab resets someone else.
    const alice = overlays.emulator.directory.find('alice@contoso.com')!;
    overlays.emulator.directory.add({ ...alice, username: 'judy@contoso.com', objectId: '9a8b7c6d-0000-4000-8000-00000000001a' });
    overlay = await overlays.open({ lang: 'en' });
    tabB = await overlay.context.newPage();
    await tabB.goto(overlay.demo.url);
    await tabB.locator('#root > *').first().waitFor();
  });

  it("tab A's code completes A's reset after tab B started another user's, and B's code completes B's", async () => {
    const tabA = overlay.page;
    await enterUser(tabA, 'alice@contoso.com');
    await expectStage(tabA, 'code');
    // Tab B starts a different user after A: with one shared flow this replaced A's attempt.
    await enterUser(tabB, 'judy@contoso.com');
    await expectStage(tabB, 'code');

    await enterCode(tabA, overlays.emulator.latestCode('alice@contoso.com')!);
    await expectStage(tabA, 'password');
    await enterCode(tabB, overlays.emulator.latestCode('judy@contoso.com')!);
    await expectStage(tabB, 'password');

    await enterPassword(tabA, strongPassword('tabA'));
    await expectStage(tabA, 'done');
    await enterPassword(tabB, strongPassword('tabB'));
    await expectStage(tabB, 'done');
    expect(overlays.emulator.directory.passwordOf('alice@contoso.com')).toBe(strongPassword('tabA'));
    expect(overlays.emulator.directory.passwordOf('judy@contoso.com')).toBe(strongPassword('tabB'));
    // No code was counted as wrong against either user.
    expect(overlays.emulator.audit.filter((e) => e.result === 'failure')).toEqual([]);
  });
});
