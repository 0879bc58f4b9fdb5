/**
 * Every screen a person can see, as ONE table that `npm run screenshots` walks (walk.ts) and its test runs
 * a subset of. A row says how to get from a fresh overlay to the screen, and which catalogue text its
 * heading must show there, so a screen that silently failed to render stops the walk instead of becoming a
 * picture of the wrong thing.
 *
 * Adding a screen is one row. Append new rows at the end: the file names (`<nn>-<id>.png`) follow the row's
 * place, and the README shows some of them by name.
 */
import type { Page } from 'playwright-core';
import type { EmulatorPolicy, ManualClock, RunningEmulator } from '../../src/emulator';
import { errorCodeForReason } from '../../src/main/core/portal/outcome';
import type { PortalErrorReason, PortalState } from '../../src/shared/ipc';

/** The languages the pictures are taken in: English and one right-to-left language. */
export const SCREENSHOT_LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'ar', name: 'Arabic', dir: 'rtl' },
] as const;
export type ScreenshotLanguage = (typeof SCREENSHOT_LANGUAGES)[number]['code'];

export interface ScreenContext {
  page: Page;
  emulator: RunningEmulator;
  /** The emulator's clock: moving it on expires codes and sessions, or ends a lockout. */
  clock: ManualClock;
  lang: ScreenshotLanguage;
  /** A password the emulator accepts, different for every call (a reused one would be refused). */
  newPassword(): string;
}

export interface ScreenSpec {
  /** Names the file: `<lang>/<nn>-<id>.png`. */
  id: string;
  /** What the picture shows, for the index. */
  caption: string;
  /** The catalogue key (src/renderer/i18n/<lang>.json) of the heading this screen shows. */
  heading: string;
  /** Where that heading is; default the screen's own heading. */
  headingSelector?: string;
  /** The overlay's launch arguments, as the credential provider would pass them (after `--lang=<lang>`). */
  argv?: string[];
  /** Start in this language instead (the language-switch picture). */
  startLanguage?: string;
  /** The overlay's wait before "Send a new code" (default: the product's). */
  resendCooldownSeconds?: number;
  /** The emulator's policy for this screen only (set before the page opens, put back after). */
  policy?: Partial<EmulatorPolicy>;
  /** Installs Playwright's fake clock in the page (the idle warning), or routes requests, before it loads. */
  beforeLoad?: (page: Page) => Promise<unknown>;
  /**
   * Portal engine: the state main reports for its locked portal view. The page is bridged like Electron's
   * preload (the core's channels to the demo's core, the portal channels answered with this state), because
   * the view itself is an Electron BrowserView that no browser has; the chrome draws what the state says.
   */
  portal?: Omit<PortalState, 'language'>;
  /** Prepares the emulator before the page opens. */
  before?: (s: ScreenContext) => void;
  /** From the first screen to this one. */
  reach?: (s: ScreenContext) => Promise<void>;
  /** Lets the flow finish and puts the emulator back for the next row. */
  after?: (s: ScreenContext) => Promise<void> | void;
}

// Steps shared by the rows (the same moves as the end-to-end tests: test/e2e/support.ts).

const stageIs = (page: Page, stage: string) => page.locator(`[data-stage="${stage}"]`).waitFor({ timeout: 30_000 });

const enterUser = async (page: Page, username: string) => {
  await stageIs(page, 'userId');
  await page.locator('#username').fill(username);
  await page.locator('#username').press('Enter');
};

const enterCode = async (page: Page, code: string) => {
  await page.locator('#code').fill(code);
  await page.locator('#code').press('Enter');
};

const reachCode = async ({ page }: ScreenContext, username: string) => {
  await enterUser(page, username);
  await stageIs(page, 'code');
};

const latestCode = (emulator: RunningEmulator, username: string): string => {
  const code = emulator.latestCode(username);
  if (!code) throw new Error(`no code in the emulator's outbox for ${username}`);
  return code;
};

/** The newest code with its last digit changed: the right length, but wrong. */
const wrongCode = (emulator: RunningEmulator, username: string) => latestCode(emulator, username).replace(/.$/, (d) => String((Number(d) + 1) % 10));

const reachPassword = async (s: ScreenContext, username: string) => {
  await reachCode(s, username);
  await enterCode(s.page, latestCode(s.emulator, username));
  await stageIs(s.page, 'password');
};

const typePasswords = async (page: Page, password: string, confirm = password) => {
  await page.locator('#new-password').fill(password);
  await page.locator('#confirm-password').fill(confirm);
};

const submitPassword = async (page: Page, password: string) => {
  await typePasswords(page, password);
  await page.locator('#confirm-password').press('Enter');
};

/** The error screen for `code`, after `username` was entered on the first screen. */
const errorFor = (code: string, caption: string, username: string, extra: Partial<ScreenSpec> = {}): ScreenSpec => ({
  id: `error-${code.replace(/_/g, '-')}`,
  caption,
  heading: `errors.screen.${code}.title`,
  reach: async ({ page }) => {
    await enterUser(page, username);
    await page.locator(`[data-error-code="${code}"]`).waitFor({ timeout: 30_000 });
  },
  ...extra,
});

/** The portal chrome's own screen for an error main met in the portal view. */
const portalError = (reason: PortalErrorReason, caption: string, extra: { blockedHost?: string } = {}): ScreenSpec => ({
  id: `portal-${reason.replace(/_/g, '-')}`,
  caption: `Portal engine: ${caption}`,
  heading: `portal.errorTitle.${reason}`,
  portal: { phase: 'error', error: { code: errorCodeForReason(reason), reason, ...extra }, idleRemainingSeconds: 170 },
});

/** Entra's real answers take seconds; a slower one keeps "Saving…" on screen for the picture even on a busy machine. */
const SLOW_SUBMIT_MS = 10_000;

export const SCREENS: readonly ScreenSpec[] = [
  { id: 'user-id', caption: 'First screen: the user id', heading: 'userId.title.logon' },
  {
    id: 'user-id-empty',
    caption: 'User id: Next with an empty field',
    heading: 'userId.title.logon',
    reach: async ({ page }) => {
      await enterUser(page, '');
      await page.locator('#username-error').waitFor();
    },
  },
  { id: 'user-id-unlock', caption: 'User id when started from a locked PC (unlock scenario)', heading: 'userId.title.unlock', argv: ['--scenario=unlock'] },
  { id: 'code', caption: 'The code sent by e-mail', heading: 'code.title', reach: (s) => reachCode(s, 'alice@contoso.com') },
  {
    id: 'code-wrong',
    caption: 'A wrong code',
    heading: 'code.title',
    reach: async (s) => {
      await reachCode(s, 'alice@contoso.com');
      await enterCode(s.page, wrongCode(s.emulator, 'alice@contoso.com'));
      await s.page.locator('#code-error').waitFor({ timeout: 30_000 });
    },
  },
  { id: 'password', caption: 'Choosing a new password', heading: 'password.title', reach: (s) => reachPassword(s, 'alice@contoso.com') },
  {
    id: 'password-checklist',
    caption: 'The checklist while typing: two of three rules met',
    heading: 'password.title',
    reach: async (s) => {
      await reachPassword(s, 'alice@contoso.com');
      await s.page.locator('#new-password').fill('harbor73');
      await s.page.locator('#new-password').press('End');
    },
  },
  {
    id: 'password-mismatch',
    caption: 'The two passwords differ',
    heading: 'password.title',
    reach: async (s) => {
      await reachPassword(s, 'alice@contoso.com');
      await typePasswords(s.page, s.newPassword(), s.newPassword());
      await s.page.locator('#confirm-password').press('Enter');
      await s.page.locator('#confirm-password-error').waitFor();
    },
  },
  {
    id: 'password-banned',
    caption: "grace: a password on the organisation's banned list, refused by the service",
    heading: 'password.title',
    reach: async (s) => {
      await reachPassword(s, 'grace@contoso.com');
      await submitPassword(s.page, 'Redmond24!');
      // The password screen comes back with the service's reason under the field.
      await s.page.locator('#new-password-error').waitFor({ timeout: 30_000 });
    },
  },
  {
    id: 'saving',
    caption: 'Saving the new password',
    heading: 'saving.title',
    reach: async (s) => {
      await reachPassword(s, 'alice@contoso.com');
      s.emulator.faults.inject({ endpoint: 'submit', kind: 'latency', latencyMs: SLOW_SUBMIT_MS });
      await submitPassword(s.page, s.newPassword());
      await stageIs(s.page, 'saving');
    },
    after: ({ page }) => stageIs(page, 'done'),
  },
  {
    id: 'saving-leaving',
    caption: '"Back to sign-in" while saving: the answer is awaited first',
    heading: 'saving.finishingTitle',
    reach: async (s) => {
      await reachPassword(s, 'alice@contoso.com');
      s.emulator.faults.inject({ endpoint: 'submit', kind: 'latency', latencyMs: SLOW_SUBMIT_MS });
      await submitPassword(s.page, s.newPassword());
      await stageIs(s.page, 'saving');
      await s.page.locator('.bottombar button').click();
      await stageIs(s.page, 'finishing');
    },
    after: ({ page }) => stageIs(page, 'closed'),
  },
  {
    id: 'done',
    caption: 'Password changed',
    heading: 'done.title',
    reach: async (s) => {
      await reachPassword(s, 'alice@contoso.com');
      await submitPassword(s.page, s.newPassword());
      await stageIs(s.page, 'done');
    },
  },
  {
    id: 'idle-warning',
    caption: 'The idle warning before the overlay closes itself',
    heading: 'idle.title',
    headingSelector: '#idle-title',
    beforeLoad: (page) => page.clock.install(),
    reach: async ({ page }) => {
      await stageIs(page, 'userId');
      // The default idle timeout is 180 s; the warning shows for its last 30.
      await page.clock.fastForward(151_000);
      await page.getByRole('alertdialog').waitFor();
    },
  },
  {
    id: 'closed',
    caption: 'After "Back to sign-in"',
    heading: 'closed.title',
    reach: async ({ page }) => {
      await stageIs(page, 'userId');
      await page.locator('.bottombar button').click();
      await stageIs(page, 'closed');
    },
  },
  {
    id: 'language-switch',
    caption: 'Started in German, switched with the language list',
    heading: 'userId.title.logon',
    startLanguage: 'de',
    reach: async ({ page, lang }) => {
      await stageIs(page, 'userId');
      await page.locator('#language').selectOption(lang);
      await page.locator('#language').focus();
    },
  },
  errorFor('user_not_found', 'No such account', 'nobody@contoso.com'),
  errorFor('not_enabled', 'carol: password reset not enabled for the account', 'carol@contoso.com'),
  errorFor('not_registered', 'bob: no verification method registered', 'bob@contoso.com'),
  errorFor('redirect_required', 'dave.admin: an administrator needs two methods, so another device', 'dave.admin@contoso.com'),
  // The same screen as dave's, so it shows the organisation's own helpdesk line (HelpdeskText) instead.
  errorFor('redirect_required', "frank: only a phone registered, so another device; the organisation's HelpdeskText", 'frank@contoso.com', {
    id: 'error-redirect-required-phone',
    argv: ['--set=HelpdeskText=Call the IT service desk on 0800 555 0100, weekdays 7:00 to 19:00.'],
  }),
  {
    id: 'error-throttled',
    caption: 'grace: too many wrong codes (the limit lowered to one for the picture)',
    heading: 'errors.screen.throttled.title',
    policy: { maxFailedCodeAttempts: 1 },
    reach: async (s) => {
      await reachCode(s, 'grace@contoso.com');
      await enterCode(s.page, wrongCode(s.emulator, 'grace@contoso.com'));
      await s.page.locator('[data-error-code="throttled"]').waitFor({ timeout: 30_000 });
    },
    // The lockout lasts 24 hours on the emulator's clock: let it pass for the rows after this one.
    after: ({ clock }) => clock.advance(25 * 3600 * 1000),
  },
  errorFor('unreachable', 'The service cannot be reached', 'alice@contoso.com', {
    before: ({ emulator }) => emulator.faults.inject({ endpoint: 'start', kind: 'drop' }),
  }),
  {
    id: 'error-session-expired',
    caption: 'The reset session ran out (15 minutes)',
    heading: 'errors.screen.session_expired.title',
    reach: async (s) => {
      await reachCode(s, 'alice@contoso.com');
      s.clock.advance(16 * 60 * 1000);
      await enterCode(s.page, latestCode(s.emulator, 'alice@contoso.com'));
      await s.page.locator('[data-error-code="session_expired"]').waitFor({ timeout: 30_000 });
    },
  },
  {
    id: 'error-reset-failed',
    caption: 'erin: the on-premises writeback failed',
    heading: 'errors.screen.reset_failed.title',
    // erin's writeback fails once: give her a fresh account so every walk shows it.
    before: ({ emulator }) => emulator.directory.add(emulator.directory.find('erin@contoso.com')!),
    reach: async (s) => {
      await reachPassword(s, 'erin@contoso.com');
      await submitPassword(s.page, s.newPassword());
      await s.page.locator('[data-error-code="reset_failed"]').waitFor({ timeout: 30_000 });
    },
  },
  {
    id: 'error-password-may-have-changed',
    caption: 'The answer to the new password was lost: it may have changed',
    heading: 'errors.screen.password_may_have_changed.title',
    reach: async (s) => {
      await reachPassword(s, 'alice@contoso.com');
      s.emulator.faults.inject({ endpoint: 'submit', kind: 'apply_then_drop' });
      await submitPassword(s.page, s.newPassword());
      await s.page.locator('[data-error-code="password_may_have_changed"]').waitFor({ timeout: 30_000 });
    },
  },
  errorFor('internal', 'The service refused the app (native authentication turned off)', 'alice@contoso.com', { policy: { nativeAuthEnabled: false } }),
  {
    id: 'startup-failed',
    caption: 'The overlay cannot reach its main process at start',
    heading: 'startup.title',
    beforeLoad: (page) => page.route('**/session', (route) => route.abort()),
  },
  {
    id: 'portal-unavailable',
    caption: 'Portal engine: its chrome where the locked portal view is not available (the browser host)',
    heading: 'portal.unavailableTitle',
    argv: ['--set=Engine=portal'],
  },
  portalError('offline', 'the portal cannot load, no network'),
  portalError('blocked', 'the portal tried to leave the allowed hosts', { blockedHost: 'sso.fabrikam.example' }),
  portalError('not_registered', 'the portal says the account has no security info'),
  portalError('throttled', 'the portal says there were too many attempts'),
  {
    id: 'portal-idle-warning',
    caption: 'Portal engine: the idle warning over the portal',
    heading: 'portal.idleTitle',
    headingSelector: '#portal-idle-title',
    portal: { phase: 'showing', idleRemainingSeconds: 20 },
  },
  {
    id: 'code-resent',
    caption: 'A new code sent with "Send a new code" (the wait shortened for the picture)',
    heading: 'code.title',
    resendCooldownSeconds: 1,
    reach: async (s) => {
      await reachCode(s, 'alice@contoso.com');
      await s.page.locator('.secondary-actions .button--secondary').click({ timeout: 30_000 });
      await s.page.locator('.notice--success').waitFor({ timeout: 30_000 });
    },
  },
];
