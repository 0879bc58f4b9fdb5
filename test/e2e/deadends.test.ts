/**
 * No dead ends (issue 10, item 5), walked in real Chromium against the emulator through the browser host:
 * redirect users get an address and a QR code a phone can read, wrong codes and resends state Entra's
 * documented limits, erin's writeback failure reads as what it is, and every error screen carries the
 * helpdesk line exactly once.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/emulator';
import en from '../../src/renderer/i18n/en.json';
import { decodeQrMatrix } from '../main/core/qrDecode';
import {
  enterCode,
  enterPassword,
  enterUser,
  expectErrorScreen,
  expectStage,
  launchBrowser,
  openOverlay,
  reachPassword,
  startTestEmulator,
  strongPassword,
  type Overlay,
  type TestEmulator,
} from './support';

const HELPDESK = 'Call the IT helpdesk on 555-0100.';
const ADDRESS = 'https://passwordreset.microsoftonline.com/?whr=contoso.com';

/** Reads the painted SVG back into a module matrix: each rect covers `width` dark modules of one row. */
const matrixFromSvg = async (page: Page) =>
  page.locator('svg.qr-code').evaluate((svg) => {
    const quiet = 4;
    const full = Number(svg.getAttribute('viewBox')!.split(' ')[2]);
    const size = full - 2 * quiet;
    const cells = Array.from({ length: size * size }, () => '0');
    for (const rect of Array.from(svg.querySelectorAll('g rect'))) {
      const x = Number(rect.getAttribute('x')) - quiet;
      const y = Number(rect.getAttribute('y')) - quiet;
      for (let i = 0; i < Number(rect.getAttribute('width')); i++) cells[y * size + x + i] = '1';
    }
    return { size, modules: cells.join('') };
  });

const wrongCodeFor = (code: string) => code.replace(/.$/, (d) => String((Number(d) + 1) % 10));

describe('no dead ends (real emulator, core, host, Chromium)', () => {
  let browser: Browser;
  let emu: TestEmulator;
  const clock = createManualClock(Date.now());
  const open: Overlay[] = [];
  const overlay = async (argv: string[] = []) => {
    const o = await openOverlay(browser, emu.emulator, { argv: [`--set=HelpdeskText=${HELPDESK}`, ...argv] });
    open.push(o);
    return o;
  };

  beforeAll(async () => {
    [browser, emu] = await Promise.all([launchBrowser(), startTestEmulator({ clock })]);
  });
  afterAll(async () => {
    for (const o of open) await o.close();
    await browser?.close();
    await emu?.emulator.close();
  });

  it('a phone-only user is told the configured address, as text and as a QR code that decodes to it', async () => {
    const o = await overlay([`--set=PortalUrl=${ADDRESS}`]);
    await enterUser(o.page, 'frank@contoso.com');
    await expectErrorScreen(o.page, 'redirect_required');
    await expect(o.page.locator('.screen__lead').first().textContent()).resolves.toBe(en.errors.screen.redirect_required.body);
    // A screen reader hears the address too, not a sentence ending "at this address:".
    await expect.poll(() => o.page.locator('#live-assertive').textContent()).toBe(`${en.errors.screen.redirect_required.body} ${ADDRESS}`);
    const address = o.page.locator('.reset-address');
    await expect(address.textContent()).resolves.toBe(ADDRESS);
    // Selectable, so it can be copied or read out character by character.
    await expect(address.evaluate((el) => getComputedStyle(el).userSelect)).resolves.not.toBe('none');

    const qr = o.page.getByRole('img', { name: `QR code for ${ADDRESS}` });
    await qr.waitFor();
    expect(decodeQrMatrix(await matrixFromSvg(o.page))).toBe(ADDRESS);
    // Big enough for a phone camera: at least 3 CSS pixels a module, square.
    const { size } = await matrixFromSvg(o.page);
    const box = (await qr.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual((size + 8) * 3);
    expect(box.height).toBeCloseTo(box.width, 0);
    // The encoder lives in main: the renderer asked for the matrix over the one contract.
    expect(o.api.map((c) => c.channel)).toContain('app:resetAddress');
  });

  it('an admin (two-gate policy) gets the default portal address and its QR code', async () => {
    const o = await overlay();
    await enterUser(o.page, 'dave.admin@contoso.com');
    await expectErrorScreen(o.page, 'redirect_required');
    await expect(o.page.locator('.reset-address').textContent()).resolves.toBe('https://passwordreset.microsoftonline.com/');
    await o.page.getByRole('img', { name: 'QR code for https://passwordreset.microsoftonline.com/' }).waitFor();
    expect(decodeQrMatrix(await matrixFromSvg(o.page))).toBe('https://passwordreset.microsoftonline.com/');
  });

  it('a wrong code states the documented limit; a resend states the e-mail limit', async () => {
    const o = await overlay();
    await enterUser(o.page, 'alice@contoso.com');
    await expectStage(o.page, 'code');
    await expect(o.page.locator('#code-limits').count()).resolves.toBe(0);
    // Let "a new code is available" be announced first, so it cannot replace the limit in the polite region.
    await o.page.getByRole('button', { name: 'Send a new code' }).waitFor({ timeout: 30_000 });
    await enterCode(o.page, wrongCodeFor(emu.emulator.latestCode('alice@contoso.com')!));
    await o.page.locator('#code-limits').waitFor();
    await expect(o.page.locator('#code-limits').textContent()).resolves.toBe(
      'For your security, after 5 failed attempts within 24 hours, password reset is paused for 24 hours.',
    );
    await expect.poll(() => o.page.locator('#live-polite').textContent()).toBe(en.code.attemptLimit);
    await o.page.getByRole('button', { name: 'Send a new code' }).click();
    await o.page.locator('#resend-limits').waitFor();
    await expect(o.page.locator('#resend-limits').textContent()).resolves.toBe(
      'For your security, asking for more than 10 codes within 10 minutes pauses password reset for 24 hours.',
    );
  });

  it("erin's writeback failure says the old password still works and offers another try", async () => {
    const o = await overlay();
    await reachPassword(o.page, emu.emulator, 'erin@contoso.com');
    await enterPassword(o.page, strongPassword('de1'));
    await expectErrorScreen(o.page, 'reset_failed');
    await expect(o.page.locator('h1').textContent()).resolves.toBe('Your new password couldn’t be saved');
    const body = (await o.page.locator('.screen__lead').first().textContent())!;
    expect(body).toContain("didn’t accept the change, so your old password still works");
    expect(body).not.toMatch(/helpdesk/i);
    await o.page.getByRole('button', { name: 'Try again' }).click();
    await expectStage(o.page, 'password');
    await enterPassword(o.page, strongPassword('de2'));
    await expectStage(o.page, 'done');
  });

  describe('every error screen has the helpdesk line exactly once', () => {
    /** Each way to reach one error screen; the throttled one locks its user, so it runs last. */
    const reach: Record<string, (o: Overlay) => Promise<void>> = {
      user_not_found: (o) => enterUser(o.page, 'nobody@contoso.com'),
      not_enabled: (o) => enterUser(o.page, 'carol@contoso.com'),
      not_registered: (o) => enterUser(o.page, 'bob@contoso.com'),
      redirect_required: (o) => enterUser(o.page, 'frank@contoso.com'),
      unreachable: async (o) => {
        emu.emulator.faults.inject({ endpoint: 'start', kind: 'drop' });
        await enterUser(o.page, 'alice@contoso.com');
      },
      session_expired: async (o) => {
        await enterUser(o.page, 'alice@contoso.com');
        await expectStage(o.page, 'code');
        const code = emu.emulator.latestCode('alice@contoso.com')!;
        clock.advance(16 * 60 * 1000);
        await enterCode(o.page, code);
      },
      password_may_have_changed: async (o) => {
        await reachPassword(o.page, emu.emulator, 'alice@contoso.com');
        emu.emulator.faults.inject({ endpoint: 'submit', kind: 'apply_then_drop' });
        await enterPassword(o.page, strongPassword('pm1'));
      },
      reset_failed: async (o) => {
        await reachPassword(o.page, emu.emulator, 'alice@contoso.com');
        emu.emulator.setPolicy({ failPasswordWriteback: true });
        try {
          await enterPassword(o.page, strongPassword('rf1'));
          await expectStage(o.page, 'error');
        } finally {
          emu.emulator.setPolicy({ failPasswordWriteback: false });
        }
      },
      internal: async (o) => {
        emu.emulator.setPolicy({ nativeAuthEnabled: false });
        try {
          await enterUser(o.page, 'alice@contoso.com');
          await expectStage(o.page, 'error');
        } finally {
          emu.emulator.setPolicy({ nativeAuthEnabled: true });
        }
      },
      throttled: async (o) => {
        emu.emulator.setPolicy({ maxFailedCodeAttempts: 1 });
        try {
          await enterUser(o.page, 'grace@contoso.com');
          await expectStage(o.page, 'code');
          await enterCode(o.page, wrongCodeFor(emu.emulator.latestCode('grace@contoso.com')!));
          await expectStage(o.page, 'error');
        } finally {
          emu.emulator.setPolicy({ maxFailedCodeAttempts: 5 });
        }
      },
    };

    for (const [code, go] of Object.entries(reach)) {
      it(code, async () => {
        const o = await overlay();
        await go(o);
        await expectErrorScreen(o.page, code);
        const card = (await o.page.locator('.card').innerText()).replace(/\s+/g, ' ');
        expect(card.split(HELPDESK).length - 1).toBe(1);
        // The body says what happened and what to do; only the helpdesk paragraph sends people to the helpdesk.
        for (const lead of await o.page.locator('.screen__lead').allTextContents()) expect(lead).not.toMatch(/helpdesk/i);
      });
    }

    it('without HelpdeskText, the default helpdesk sentence appears once', async () => {
      const o = await openOverlay(browser, emu.emulator);
      open.push(o);
      await enterUser(o.page, 'nobody@contoso.com');
      await expectErrorScreen(o.page, 'user_not_found');
      const card = await o.page.locator('.card').innerText();
      expect(card.split(en.common.helpdeskDefault).length - 1).toBe(1);
      // Besides it, only the reference line for the helpdesk (the correlation id) names the helpdesk.
      const others = card.replace(en.common.helpdeskDefault, '').replace(/Reference for your helpdesk: [0-9a-f-]{36}/, '');
      expect(others).not.toMatch(/helpdesk/i);
    });
  });
});
