/**
 * The password checklist's warnings in real Chromium against the emulator: the user id and common passwords
 * are flagged before submit, read out to screen readers, and never stop a password the policy allows. The
 * common-password list is a script of its own that only the password screen loads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonPasswordWords } from '../../scripts/bundle-options.mjs';
import en from '../../src/renderer/i18n/en.json';
import { BloomFilter, type BloomFilterData } from '../../src/shared/bloomFilter';
import { COMMON_PASSWORDS_CALLBACK, COMMON_PASSWORDS_SCRIPT, commonPasswordEntries } from '../../src/shared/passwordHints';
import { buildRenderer, enterPassword, expectStage, launchBrowser, openOverlay, reachPassword, startTestEmulator, type Overlay, type TestEmulator } from './support';

const ALICE = 'alice@contoso.com';
const LIST_SCRIPT = '/common-passwords.js';
const warnings = (page: Page) => page.locator('[data-warning]').evaluateAll((items) => items.map((li) => li.getAttribute('data-warning')));
const polite = (page: Page) => page.locator('#live-polite').textContent();
const submitButton = (page: Page) => page.locator('form button[type="submit"]');

describe('password help before submit: user id and common passwords are warned about, never blocked', () => {
  let browser: Browser;
  let emu: TestEmulator;
  const open: Overlay[] = [];
  /** An overlay that records every request for the common-password script. */
  const overlay = async (beforeLoad?: (page: Page) => Promise<void>) => {
    const listRequests: string[] = [];
    const o = await openOverlay(browser, emu.emulator, {
      beforeLoad: async (page) => {
        page.on('request', (req) => {
          if (new URL(req.url()).pathname === LIST_SCRIPT) listRequests.push(req.url());
        });
        await beforeLoad?.(page);
      },
    });
    open.push(o);
    return { ...o, listRequests };
  };

  beforeAll(async () => {
    [browser, emu] = await Promise.all([launchBrowser(), startTestEmulator()]);
  });
  afterAll(async () => {
    for (const o of open) await o.close();
    await browser?.close();
    await emu?.emulator.close();
  });

  it('the script the build ships holds every normalised entry of the registry package\'s list', async () => {
    const received: { data?: BloomFilterData } = {};
    const script = readFileSync(join(await buildRenderer(), COMMON_PASSWORDS_SCRIPT), 'utf8');
    new Function('self', script)({ [COMMON_PASSWORDS_CALLBACK]: (data: BloomFilterData) => (received.data = data) });
    const shipped = BloomFilter.fromData(received.data!);
    const entries = commonPasswordEntries(commonPasswordWords(join(__dirname, '../..')));
    expect(shipped.size).toBe(entries.length);
    expect(entries.filter((e) => !shipped.has(e))).toEqual([]);
  });

  it('the first load does not fetch the list; the password screen does, once', async () => {
    const { page, listRequests } = await overlay();
    await expectStage(page, 'userId');
    await page.waitForLoadState('networkidle');
    expect(listRequests).toEqual([]);
    await reachPassword(page, emu.emulator, ALICE);
    await expect.poll(() => listRequests.length).toBe(1);
  });

  it('"P@ssw0rd1" shows the common-password warning, read out politely, with the button still enabled', async () => {
    const { page, pageErrors } = await overlay();
    await reachPassword(page, emu.emulator, ALICE);
    await page.locator('#new-password').fill('P@ssw0rd1');
    await expect.poll(() => warnings(page)).toEqual(['common']);
    await expect(page.locator('[data-warning="common"]').textContent()).resolves.toContain(en.password.warning.common);
    await expect.poll(() => polite(page)).toBe(en.password.warning.common);
    // The field's description carries it too, so a screen reader hears it when it returns to the field.
    const described = await page.locator('#new-password').evaluate((input) =>
      (input.getAttribute('aria-describedby') ?? '').split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' '),
    );
    expect(described).toContain(en.password.warning.common);
    await expect(submitButton(page).isEnabled()).resolves.toBe(true);
    // A strong password clears it.
    await page.locator('#new-password').fill('Tq7!vXqz#Lm2p');
    await expect.poll(() => warnings(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('a password with a part of the user id is warned about, and one the policy allows is still accepted', async () => {
    const { page } = await overlay();
    await reachPassword(page, emu.emulator, ALICE);
    await page.locator('#new-password').fill('Harbor#Al1ce');
    await expect.poll(() => warnings(page)).toEqual([]);
    await page.locator('#new-password').fill('Harbor#Alice42');
    await expect.poll(() => warnings(page)).toEqual(['userId']);
    await expect.poll(() => polite(page)).toBe(en.password.warning.userId);
    // Her first name plus digits and a symbol is both.
    await page.locator('#new-password').fill('Alice123!');
    await expect.poll(() => warnings(page)).toEqual(['userId', 'common']);
    await expect(submitButton(page).isEnabled()).resolves.toBe(true);
    // "Dragon" plus enough characters: a common word, yet Entra's scoring (and the emulator's) accepts it.
    await enterPassword(page, 'Dragon2026!!!');
    await expectStage(page, 'done');
    expect(emu.emulator.directory.passwordOf(ALICE)).toBe('Dragon2026!!!');
  });

  it('if the list cannot load, the checklist leaves that warning out and still warns about the user id', async () => {
    const { page, pageErrors, listRequests } = await overlay(async (p) => {
      await p.route(`**${LIST_SCRIPT}`, (route) => route.abort());
    });
    await reachPassword(page, emu.emulator, ALICE);
    await expect.poll(() => listRequests.length).toBe(1);
    // With the list loaded this shows both warnings (see above); without it, only the user-id one.
    await page.locator('#new-password').fill('Alice123!');
    await expect.poll(() => warnings(page)).toEqual(['userId']);
    await expect(submitButton(page).isEnabled()).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
