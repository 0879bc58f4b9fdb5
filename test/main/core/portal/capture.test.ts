import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureUrl, createPortalCapture } from '../../../../src/main/core/portal/capture';
import { pageTextsFrom, MAX_PAGE_TEXTS } from '../../../../src/main/core/portal/pageTexts';
import { createLogger, LOG_FILE_NAME } from '../../../../src/main/core/logging';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('captureUrl: route names kept, values dropped', () => {
  it.each([
    ['https://passwordreset.microsoftonline.com/?mkt=de', 'https://passwordreset.microsoftonline.com/?mkt='],
    ['https://passwordreset.microsoftonline.com/passwordreset?mkt=en&username=a.b@contoso.com#!/', 'https://passwordreset.microsoftonline.com/passwordreset?mkt=&username=#!/'],
    ['https://passwordreset.microsoftonline.com/passwordreset#!/verify?phone=%2B4915112345678', 'https://passwordreset.microsoftonline.com/passwordreset#!/verify?phone='],
    ['https://passwordreset.microsoftonline.com/passwordreset#/newpassword', 'https://passwordreset.microsoftonline.com/passwordreset#/newpassword'],
    ['https://passwordreset.microsoftonline.com/x#access_token=eyJhbGciOi&state=1', 'https://passwordreset.microsoftonline.com/x#access_token=&state='],
    ['https://passwordreset.microsoftonline.com/n/3f2a9c1e8b7d4a6f9e0c/reset', 'https://passwordreset.microsoftonline.com/n/:id/reset'],
    ['not a url', '<unparsable>'],
    ['data:text/html,secret', 'data:<dropped>'],
  ])('%s → %s', (raw, kept) => {
    expect(captureUrl(raw)).toBe(kept);
  });
});

describe('pageTextsFrom: only strings, capped', () => {
  it('drops non-strings, duplicates and empties, and caps count and length', () => {
    expect(pageTextsFrom(['  A  heading\n', 'A heading', '', 42, null, { x: 1 }])).toEqual(['A heading']);
    expect(pageTextsFrom('not an array')).toEqual([]);
    const many = Array.from({ length: 100 }, (_, i) => `t${i}`);
    expect(pageTextsFrom(many)).toHaveLength(MAX_PAGE_TEXTS);
    expect(pageTextsFrom(['x'.repeat(10_000)])[0]?.length).toBeLessThanOrEqual(300);
  });
});

describe('capture through the real logger', () => {
  it('a heading echoing the user id or a phone is redacted, and a typed value never appears', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sspr-capture-'));
    dirs.push(dir);
    const logger = createLogger({ verbose: false, dir });
    const capture = createPortalCapture(logger, true);
    const typedUserId = 'jane.doe@contoso.com';
    const typedCaptcha = 'K7QXW2';
    capture.nextAttempt();
    capture.note({ type: 'page', url: `https://passwordreset.microsoftonline.com/?mkt=en&username=${typedUserId}&hip=${typedCaptcha}`, inPage: false });
    capture.note({ type: 'texts', texts: [`We sent a code to +49 151 12345678 for ${typedUserId}`] });
    capture.note({ type: 'title', title: 'Microsoft Online Password Reset' });
    capture.note({ type: 'blocked', url: `https://cdn.unknown.example/x.js?u=${typedUserId}`, resourceType: 'script', quiet: false });
    capture.note({ type: 'outcome', state: 'success', exitCode: 0 });
    await logger.close();
    const text = readFileSync(join(dir, LOG_FILE_NAME), 'utf8');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.event)).toEqual(['portal.capture.page', 'portal.capture.texts', 'portal.capture.title', 'portal.capture.blocked', 'portal.capture.outcome']);
    expect(text).not.toContain(typedUserId);
    expect(text).not.toContain(typedCaptcha);
    expect(text).not.toContain('12345678');
    expect(lines[3]).toMatchObject({ host: 'cdn.unknown.example', resourceType: 'script' });
    expect(lines[4]).toMatchObject({ state: 'success', exitCode: 0 });
  });

  it('off: writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sspr-capture-'));
    dirs.push(dir);
    const logger = createLogger({ verbose: false, dir });
    createPortalCapture(logger, false).note({ type: 'title', title: 'x' });
    logger.info('other', {});
    await logger.close();
    expect(readFileSync(join(dir, LOG_FILE_NAME), 'utf8')).not.toContain('portal.capture');
  });
});
