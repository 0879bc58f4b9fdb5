import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/emulator';
import {
  enterCode,
  enterPassword,
  enterUser,
  expectErrorScreen,
  expectStage,
  reachPassword,
  strongPassword,
  useOverlays,
  type OverlayOptions,
} from './support';

interface Finding {
  screen: string;
  rule: string;
  impact: string | null | undefined;
  targets: string[];
}

/**
 * One language's run; each a11y.<lang>.test.ts calls it so they can run in parallel. forcedColors: Windows
 * high-contrast themes, as Chromium emulates them.
 */
export const accessibilitySuite = (lang: string, dir: 'ltr' | 'rtl', options: { forcedColors?: boolean } = {}) =>
  describe(`accessibility of every screen in ${lang}${options.forcedColors ? ' with forced colours' : ''} (axe-core: no serious or critical violation)`, () => {
    const clock = createManualClock(Date.now());
    const overlays = useOverlays({ clock });
    const findings: Finding[] = [];
    const audited: string[] = [];

    const audit = async (page: Page, screen: string) => {
      await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe(dir);
      const result = await new AxeBuilder({ page }).analyze();
      audited.push(screen);
      for (const v of result.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          findings.push({ screen, rule: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) });
        }
      }
    };
    const overlay = (opts: OverlayOptions = {}) =>
      overlays.open({
        ...opts,
        lang,
        argv: ['--set=HelpdeskText=Helpdesk: 555-0100', ...(opts.argv ?? [])],
        beforeLoad: async (p) => {
          if (options.forcedColors) await p.emulateMedia({ forcedColors: 'active' });
          await opts.beforeLoad?.(p);
        },
      });
    const restart = (page: Page) => page.locator('.screen .actions button').last().click();

    it('user id, code, password, saving, done, idle warning, closing and the error screens', async () => {
      const { page } = await overlay({ beforeLoad: (p) => p.clock.install() });
      await expectStage(page, 'userId');
      await audit(page, 'userId');
      await page.locator('#username').press('Enter');
      await expect.poll(() => page.locator('#username-error').count()).toBe(1);
      await audit(page, 'userId with inline error');

      for (const [user, code] of [
        ['nobody@contoso.com', 'user_not_found'],
        ['carol@contoso.com', 'not_enabled'],
        ['bob@contoso.com', 'not_registered'],
        ['dave.admin@contoso.com', 'redirect_required'],
      ] as const) {
        await enterUser(page, user);
        await expectErrorScreen(page, code);
        await audit(page, code);
        await restart(page);
        await expectStage(page, 'userId');
      }

      overlays.emulator.faults.inject({ endpoint: 'start', kind: 'drop' });
      await enterUser(page, 'alice@contoso.com');
      await expectErrorScreen(page, 'unreachable');
      await audit(page, 'unreachable');
      await restart(page);

      overlays.emulator.setPolicy({ nativeAuthEnabled: false });
      await enterUser(page, 'alice@contoso.com');
      await expectErrorScreen(page, 'internal');
      overlays.emulator.setPolicy({ nativeAuthEnabled: true });
      await audit(page, 'internal');
      await restart(page);

      await enterUser(page, 'alice@contoso.com');
      await expectStage(page, 'code');
      await audit(page, 'code');
      await enterCode(page, '12');
      await expect.poll(() => page.locator('#code-error').count()).toBe(1);
      await audit(page, 'code with inline error');
      clock.advance(16 * 60 * 1000);
      await enterCode(page, overlays.emulator.latestCode('alice@contoso.com')!);
      await expectErrorScreen(page, 'session_expired');
      await audit(page, 'session_expired');
      await restart(page);

      await reachPassword(page, overlays.emulator, 'alice@contoso.com');
      await audit(page, 'password');
      await page.locator('#new-password').fill('abc');
      await enterPassword(page, 'abcdefghijklmnopqrst', 'x');
      await expect.poll(() => page.locator('#new-password-error').count()).toBe(1);
      await audit(page, 'password with inline error');
      // The checklist's warnings (common password, user id) are part of the form a user sees.
      await page.locator('#new-password').fill('Alice123!');
      await expect.poll(() => page.locator('[data-warning]').count()).toBe(2);
      await audit(page, 'password with warnings');

      overlays.emulator.setPolicy({ failPasswordWriteback: true });
      await enterPassword(page, strongPassword(`${lang}1`));
      await expectErrorScreen(page, 'reset_failed');
      overlays.emulator.setPolicy({ failPasswordWriteback: false });
      await audit(page, 'reset_failed');
      await page.locator('.screen .actions button').first().click();
      await expectStage(page, 'password');

      overlays.emulator.faults.inject({ endpoint: 'submit', kind: 'latency', latencyMs: 4000 });
      await enterPassword(page, strongPassword(`${lang}2`));
      await expectStage(page, 'saving');
      await audit(page, 'saving');
      await expectStage(page, 'done');
      await audit(page, 'done');

      await page.clock.fastForward(151_000);
      await page.getByRole('alertdialog').waitFor();
      await audit(page, 'idle warning');
      await page.keyboard.press('Enter');
      await page.getByRole('alertdialog').waitFor({ state: 'detached' });
      await page.locator('.screen .actions button').first().click();
      await expectStage(page, 'closed');
      await audit(page, 'closed');

      expect(findings).toEqual([]);
      expect(audited).toEqual(
        expect.arrayContaining(['user_not_found', 'not_enabled', 'not_registered', 'redirect_required', 'unreachable', 'internal', 'session_expired', 'reset_failed', 'saving', 'done', 'idle warning', 'closed']),
      );
    }, 240_000);

    it('password_may_have_changed and throttled', async () => {
      const first = await overlay();
      await reachPassword(first.page, overlays.emulator, 'alice@contoso.com');
      overlays.emulator.faults.inject({ endpoint: 'submit', kind: 'apply_then_drop' });
      await enterPassword(first.page, strongPassword(`${lang}3`));
      await expectErrorScreen(first.page, 'password_may_have_changed');
      await audit(first.page, 'password_may_have_changed');

      overlays.emulator.setPolicy({ maxFailedCodeAttempts: 1 });
      try {
        const second = await overlay();
        await enterUser(second.page, 'grace@contoso.com');
        await expectStage(second.page, 'code');
        const code = overlays.emulator.latestCode('grace@contoso.com')!;
        await enterCode(second.page, code.replace(/.$/, (d) => String((Number(d) + 1) % 10)));
        await expectErrorScreen(second.page, 'throttled');
        await audit(second.page, 'throttled');
      } finally {
        overlays.emulator.setPolicy({ maxFailedCodeAttempts: 5 });
      }
      expect(findings).toEqual([]);
      expect(audited).toEqual(expect.arrayContaining(['password_may_have_changed', 'throttled']));
    }, 120_000);
  });
