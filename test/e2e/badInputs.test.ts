import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../../src/renderer/i18n/en.json';
import { enterUser, expectStage, useOverlays, type Overlay } from './support';

const MB = 1024 * 1024;
const fullWidth = (digits: string) => [...digits].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
const arabicIndic = (digits: string) => [...digits].map((d) => String.fromCharCode(0x0660 + Number(d))).join('');
const superscript = (digits: string) => [...digits].map((d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]).join('');

// security.md §8, user id: each input and the problem the user is told about (validation.username.*).
const USERNAMES: [label: string, input: string, problem: keyof typeof en.validation.username][] = [
  ['empty', '', 'empty'],
  ['only spaces', '    ', 'empty'],
  ['tab', '\t', 'empty'],
  ['NBSP', '\u00A0alice@contoso.com', 'whitespace'],
  ['zero-width space', 'al\u200Bice@contoso.com', 'whitespace'],
  ['BOM', '\uFEFFalice@contoso.com', 'whitespace'],
  ['65-char local part', `${'a'.repeat(65)}@contoso.com`, 'local_part_too_long'],
  ['49-char domain', `alice@${'d'.repeat(45)}.com`, 'domain_too_long'],
  ['114-char UPN', `${'a'.repeat(64)}@${'b'.repeat(45)}.com`, 'too_long'],
  ['10,000 characters', 'x'.repeat(10_000), 'too_long'],
  ['1 MB paste', 'y'.repeat(MB), 'too_long'],
  ['full-width', 'ｕｓｅｒ@contoso.com', 'invalid_characters'],
  ['Cyrillic homoglyph', '\u0430lice@contoso.com', 'invalid_characters'],
  ['Turkish dotless i', 'al\u0131ce@contoso.com', 'invalid_characters'],
  ['RTL override', 'alice\u202E@contoso.com', 'invalid_characters'],
  ['emoji', 'alice😀@contoso.com', 'invalid_characters'],
  ['CR/LF + fake log line', 'a\r\n2026-01-01 INFO ok user=admin', 'whitespace'],
  ['NUL', 'ali\u0000ce@contoso.com', 'invalid_characters'],
  ['ESC', 'alice\u001b[31m@contoso.com', 'invalid_characters'],
  ['script payload', '"><script>alert(1)</script>', 'missing_at'],
  ['img onerror payload', '<img src=x onerror=alert(1)>@contoso.com', 'whitespace'],
  ['SQL payload', "' OR '1'='1", 'whitespace'],
  ['path traversal', '../../Windows/System32', 'missing_at'],
  ['javascript: URL', 'javascript:alert(1)', 'missing_at'],
  ['template payload', '{{7*7}}@contoso.com', 'invalid_characters'],
  ['format strings', '%s%n%x@contoso.com', 'invalid_characters'],
  ['CSV formula', "=cmd|'/C calc'!A0", 'whitespace'],
  ['down-level name', 'CONTOSO\\alice', 'down_level_name'],
  ['dot before @', 'user.@contoso.com', 'dot_placement'],
  ['two @', 'a@@b.com', 'multiple_at'],
  ['no local part', '@contoso.com', 'local_part_empty'],
  ['no domain', 'user@', 'domain_empty'],
  ['no dot in domain', 'alice@contoso', 'domain_invalid'],
];

describe('bad input in the three fields (security.md §8): a clear message, and nothing invalid leaves the page', () => {
  const overlays = useOverlays({ policy: { maxFailedCodeAttempts: 1000 } });
  let o: Overlay;

  const flowCalls = (channel: string) => o.api.filter((c) => c.channel === channel);
  /** Types (or pastes, for long values) into a field and submits with Enter. */
  const submit = async (page: Page, selector: string, value: string) => {
    const field = page.locator(selector);
    await field.fill('');
    if (value) await field.fill(value);
    await field.press('Enter');
  };
  beforeAll(async () => {
    o = await overlays.open();
  });

  it('user id: every bad input gets its own message and never reaches the service', async () => {
    const { page } = o;
    const serviceRequests = overlays.requests.count();
    for (const [label, input, problem] of USERNAMES) {
      await submit(page, '#username', input);
      // Examples name the UpnSuffix domain; none is configured here, so the built-in contoso.com.
      const message = en.validation.username[problem].replace('{{domain}}', 'contoso.com');
      await expect.poll(() => page.locator('#username-error').textContent().catch(() => null), { timeout: 20_000, message: label }).toContain(message);
      expect(await page.evaluate(() => document.activeElement?.id), label).toBe('username');
    }
    expect(flowCalls('flow:start')).toEqual([]);
    expect(overlays.requests.count()).toBe(serviceRequests);
    // The payloads stayed text: no extra script element, no dialog, no page error.
    expect(await page.evaluate(() => [...document.scripts].map((s) => s.getAttribute('src')))).toEqual(['start.js', 'app.js']);
    expect(o.dialogs).toEqual([]);
    expect(o.pageErrors).toEqual([]);

    // Control: a valid but unknown id with an apostrophe does reach the service, trimmed of outer spaces.
    await submit(page, '#username', "  o'brien@contoso.com ");
    await expect.poll(() => flowCalls('flow:start').length).toBe(1);
    expect(JSON.parse(flowCalls('flow:start')[0]!.body)).toEqual({ username: "o'brien@contoso.com" });
    await expect.poll(() => page.locator('[data-error-code]').getAttribute('data-error-code').catch(() => null)).toBe('user_not_found');
    await page.getByRole('button', { name: 'Try a different user ID' }).click();
    await expectStage(page, 'userId');
  });

  it('code: look-alikes are refused, other-script digits and spaces are normalised, leading zeros kept', async () => {
    const { page } = o;
    await enterUser(page, 'alice@contoso.com');
    await expectStage(page, 'code');
    const code = overlays.emulator.latestCode('alice@contoso.com')!;
    const before = overlays.requests.count('continue');
    const refused: [string, string, string][] = [
      ['empty', '', en.validation.code.empty],
      ['too short', '123', 'The code has 8 digits.'],
      ['too long', '123456789', 'The code has 8 digits.'],
      ['1,000 digits', '7'.repeat(1000), 'The code has 8 digits.'],
      ['letter O for zero', `O${code.slice(1)}`, en.validation.code.not_digits],
      ['letter l for one', `l${code.slice(1)}`, en.validation.code.not_digits],
      ['negative', `-${code.slice(1)}`, en.validation.code.not_digits],
      ['exponent', '1e5', en.validation.code.not_digits],
      ['superscripts', superscript(code), en.validation.code.not_digits],
      ['NUL', `${code.slice(0, 4)}\u0000${code.slice(4)}`, en.validation.code.not_digits],
    ];
    for (const [label, input, message] of refused) {
      await submit(page, '#code', input);
      await expect.poll(() => page.locator('#code-error').textContent().catch(() => null), { timeout: 20_000, message: label }).toContain(message);
    }
    expect(flowCalls('flow:submitCode')).toEqual([]);
    expect(overlays.requests.count('continue')).toBe(before);

    // Normalised forms reach the service as plain ASCII digits (wrong codes here, so the step stays).
    // A wrong code with a leading zero: it must arrive as the same string, never as a number.
    const wrong = code.startsWith('0') ? `0${code[1] === '0' ? '1' : '0'}${code.slice(2)}` : `0${code.slice(1)}`;
    for (const input of [`${wrong.slice(0, 4)} ${wrong.slice(4)}`, fullWidth(wrong), ` ${wrong} `]) {
      await submit(page, '#code', input);
      await expect.poll(() => flowCalls('flow:submitCode').length).toBeGreaterThan(0);
      await expect.poll(() => page.locator('#code-error').textContent().catch(() => null)).toContain(en.errors.inline.code_incorrect);
    }
    expect(flowCalls('flow:submitCode').map((c) => JSON.parse(c.body).code)).toEqual([wrong, wrong, wrong]);
    expect(wrong).toMatch(/^0\d{7}$/);
    expect(wrong).not.toBe(code);
    await submit(page, '#code', arabicIndic(code));
    await expectStage(page, 'password');
    expect(JSON.parse(flowCalls('flow:submitCode').at(-1)!.body)).toEqual({ code });
  });

  it('password: rules, mismatch and huge pastes are caught before sending; payload strings are accepted literally', async () => {
    const { page } = o;
    const fillBoth = async (password: string, confirm: string) => {
      await page.locator('#new-password').fill(password);
      await page.locator('#confirm-password').fill(confirm);
      await page.locator('#confirm-password').press('Enter');
    };
    const cases: [string, string, string, 'new-password' | 'confirm-password', string][] = [
      ['7 characters', 'Ab1!xyz', 'Ab1!xyz', 'new-password', en.validation.password.too_short],
      ['257 characters', `Aa1!${'x'.repeat(253)}`, `Aa1!${'x'.repeat(253)}`, 'new-password', en.validation.password.too_long],
      ['1 MB paste', `Aa1!${'z'.repeat(MB)}`, '', 'new-password', en.validation.password.too_long],
      ['Unicode', 'Pässwörd1!', 'Pässwörd1!', 'new-password', en.validation.password.invalid_characters],
      ['emoji', 'Secret1!😀', 'Secret1!😀', 'new-password', en.validation.password.invalid_characters],
      ['20 lowercase letters', 'abcdefghijklmnopqrst', 'abcdefghijklmnopqrst', 'new-password', en.validation.password.too_weak],
      ['both empty', '', '', 'new-password', en.validation.password.too_short],
      ['confirm empty', 'Tq7!vX#Lm2p', '', 'confirm-password', en.password.confirmEmpty],
      ['mismatch', 'Tq7!vX#Lm2p', 'Tq7!vX#Lm2q', 'confirm-password', en.password.mismatch],
      ['trailing-space difference', 'Tq7!vX#Lm2p', 'Tq7!vX#Lm2p ', 'confirm-password', en.password.mismatch],
    ];
    for (const [label, password, confirm, field, message] of cases) {
      await fillBoth(password, confirm);
      await expect.poll(() => page.locator(`#${field}-error`).textContent().catch(() => null), { timeout: 20_000, message: label }).toContain(message);
      expect(await page.evaluate(() => document.activeElement?.id), label).toBe(field);
    }
    // No maxlength: the 257-character value was kept whole, not cut to a valid-looking prefix.
    await page.locator('#new-password').fill(`Aa1!${'x'.repeat(253)}`);
    expect((await page.locator('#new-password').inputValue()).length).toBe(257);
    expect(flowCalls('flow:submitPassword')).toEqual([]);
    expect(overlays.requests.count('submit')).toBe(0);

    // A legal password that looks like markup is sent byte-exact (outer spaces too) and never runs.
    const payload = '  <script>alert(1)</script>A1 ';
    await fillBoth(payload, payload);
    await expectStage(page, 'done');
    expect(flowCalls('flow:submitPassword').map((c) => JSON.parse(c.body))).toEqual([{ password: payload }]);
    expect(overlays.emulator.directory.passwordOf('alice@contoso.com')).toBe(payload);
    expect(o.dialogs).toEqual([]);
    expect(o.pageErrors).toEqual([]);
    expect(await page.evaluate(() => [...document.scripts].map((s) => s.getAttribute('src')))).toEqual(['start.js', 'app.js']);
  });
});
