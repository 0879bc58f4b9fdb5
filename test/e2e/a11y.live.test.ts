import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import en from '../../src/renderer/i18n/en.json';
import ar from '../../src/renderer/i18n/ar.json';
import { enterCode, enterPassword, enterUser, expectStage, strongPassword, useOverlays } from './support';

const ALICE = 'alice@contoso.com';
const polite = (page: Page) => page.locator('#live-polite').textContent();
const assertive = (page: Page) => page.locator('#live-assertive').textContent();

/** What Chromium's accessibility tree says about one element: role, name, description, invalid, live. */
const axNode = async (page: Page, selector: string) => {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const node = nodes[0]!;
    const prop = (name: string) => node.properties?.find((p) => p.name === name)?.value.value as unknown;
    return {
      role: node.role?.value as string,
      name: (node.name?.value ?? '') as string,
      description: (node.description?.value ?? '') as string,
      invalid: prop('invalid'),
      live: prop('live'),
    };
  } finally {
    await cdp.detach();
  }
};

describe('screen readers hear every error, status and countdown (live regions in Chromium)', () => {
  const overlays = useOverlays();

  it('the two live regions are in the accessibility tree from the start, empty', async () => {
    const { page } = await overlays.open();
    await expect(axNode(page, '#live-polite')).resolves.toMatchObject({ role: 'status', live: 'polite' });
    await expect(axNode(page, '#live-assertive')).resolves.toMatchObject({ role: 'alert', live: 'assertive' });
    expect(await polite(page)).toBe('');
    expect(await assertive(page)).toBe('');
  });

  it('a field error after Enter is announced, and the field is invalid and described by it; the same error twice is said twice', async () => {
    const { page } = await overlays.open();
    await page.locator('#username').press('Enter');
    await expect.poll(() => assertive(page)).toBe(en.validation.username.empty);
    const field = await axNode(page, '#username');
    expect(field).toMatchObject({ role: 'textbox', name: en.userId.label, invalid: 'true' });
    expect(field.description).toContain(en.validation.username.empty);
    // Pressing Enter again: the region is emptied and filled again, so it is read again.
    await page.evaluate(() => {
      const region = document.getElementById('live-assertive')!;
      const w = window as unknown as { saidAgain: number };
      w.saidAgain = 0;
      new MutationObserver(() => {
        if (region.textContent) w.saidAgain += 1;
      }).observe(region, { childList: true, characterData: true, subtree: true });
    });
    await page.locator('#username').press('Enter');
    await expect.poll(() => page.evaluate(() => (window as unknown as { saidAgain: number }).saidAgain)).toBe(1);
    expect(await assertive(page)).toBe(en.validation.username.empty);
  });

  it('code sent, wrong code, a new code available, resent, saving: each is announced', async () => {
    const { page } = await overlays.open();
    await enterUser(page, ALICE);
    await expectStage(page, 'code');
    await expect.poll(() => polite(page)).toMatch(/^We sent a verification code to .+\*.+\. It can take a minute to arrive\.$/);

    await enterCode(page, '00000000');
    await expect.poll(() => assertive(page)).toBe(en.errors.inline.code_incorrect);

    // The test host's resend cooldown is 3 s.
    await expect.poll(() => polite(page), { timeout: 15_000 }).toBe(en.code.resendAvailable);
    await page.getByRole('button', { name: en.code.resend }).click();
    await expect.poll(() => polite(page)).toBe(en.code.resent);

    await enterCode(page, overlays.emulator.latestCode(ALICE)!);
    await expectStage(page, 'password');
    await enterPassword(page, 'short', 'short');
    await expect.poll(() => assertive(page)).toBe(en.validation.password.too_short);
    await enterPassword(page, strongPassword('live'), 'something else');
    await expect.poll(() => assertive(page)).toBe(en.password.mismatch);

    overlays.emulator.faults.inject({ endpoint: 'submit', kind: 'latency', latencyMs: 3000 });
    await enterPassword(page, strongPassword('live'));
    await expectStage(page, 'saving');
    await expect.poll(() => polite(page)).toBe(en.saving.body);
    await expectStage(page, 'done');
  });

  it('an error screen announces what to do; the idle warning announces its countdown', async () => {
    const { page } = await overlays.open({ beforeLoad: (p) => p.clock.install() });
    await enterUser(page, 'bob@contoso.com');
    await expectStage(page, 'error');
    await expect.poll(() => assertive(page)).toBe(en.errors.screen.not_registered.body);

    await page.clock.fastForward(151_000);
    await page.getByRole('alertdialog').waitFor();
    await expect.poll(() => assertive(page)).toMatch(/^For your security, this screen will close in (29|30) seconds\.$/);
    await page.clock.fastForward(19_000);
    await expect.poll(() => assertive(page)).toBe('For your security, this screen will close in 10 seconds.');
  });

  it('announcements are in the chosen language', async () => {
    const { page } = await overlays.open({ lang: 'ar' });
    await page.locator('#username').press('Enter');
    await expect.poll(() => assertive(page)).toBe(ar.validation.username.empty);
    await enterUser(page, ALICE);
    await expectStage(page, 'code');
    const [before, after] = ar.code.sentTo.split('{{target}}') as [string, string];
    await expect.poll(() => polite(page)).toMatch(new RegExp(`^${before}.+\\*.+${after.replace('.', '\\.')}$`));
  });
});
