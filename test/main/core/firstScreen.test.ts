/** Putting the prerendered first screen into index.html, and what happens when it cannot be rendered. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexPageFor, loadFirstScreenRenderer, pageForRun, withFirstScreen } from '../../../src/main/core/firstScreen';
import type { FirstScreen } from '../../../src/shared/firstScreen';
import type { AppInfo } from '../../../src/shared/ipc';

const page = [
  '<!doctype html>',
  '<html lang="en" dir="ltr">',
  '  <head>',
  '    <title>SSPR Logon</title>',
  '    <link rel="modulepreload" href="app.js" />',
  '    <link rel="modulepreload" href="chunk-A.js" />',
  '    <script async src="start.js"></script>',
  '  </head>',
  '  <body>',
  '    <div id="root"><!--first-screen--></div>',
  '  </body>',
  '</html>',
].join('\n');

const screen: FirstScreen = { html: '<div class="overlay">…</div>', language: 'ar', dir: 'rtl', title: 'Contoso <IT>' };
const info = { engine: 'native' } as AppInfo;

describe('withFirstScreen', () => {
  it('puts the screen in the root, the language and direction on <html>, the title escaped, and drops the preload hints', () => {
    const html = withFirstScreen(page, screen);
    expect(html).toContain('<div id="root" data-first-screen="ar"><div class="overlay">…</div></div>');
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('<title>Contoso &lt;IT&gt;</title>');
    expect(html).not.toContain('modulepreload');
    expect(html).toContain('<script async src="start.js"></script>');
  });

  it('leaves a page without the marker, or a screen with an odd language code, as it was', () => {
    const other = page.replace('<!--first-screen-->', '');
    expect(withFirstScreen(other, screen)).toBe(other);
    expect(withFirstScreen(page, { ...screen, language: 'ar" onload="x' })).toBe(page);
    expect(withFirstScreen(page, null)).toBe(page);
  });

  it('keeps "$" sequences of the markup as they are', () => {
    expect(withFirstScreen(page, { ...screen, html: "<p>$& $' $1</p>" })).toContain("<p>$& $' $1</p>");
  });
});

describe('the first-screen bundle', () => {
  it('is reported, not thrown, when it is missing or exports no renderer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sspr-first-screen-'));
    expect(loadFirstScreenRenderer(join(dir, 'missing.cjs'))).toMatchObject({ render: null, problem: expect.stringContaining('missing.cjs') });
    writeFileSync(join(dir, 'empty.cjs'), 'module.exports = {};');
    expect(loadFirstScreenRenderer(join(dir, 'empty.cjs'))).toEqual({ render: null, problem: 'the bundle has no renderFirstScreen' });
  });

  it('costs the fast first screen, never the page, when rendering fails', async () => {
    const problems: string[] = [];
    const failing = indexPageFor(() => { throw new Error('catalogue broken'); }, async () => info, (p) => problems.push(p));
    await expect(failing(page)).resolves.toBe(page);
    expect(problems).toEqual(['catalogue broken']);
    await expect(indexPageFor(() => screen, () => Promise.reject(new Error('no info')))(page)).resolves.toBe(page);
    await expect(indexPageFor(null, async () => info)(page)).resolves.toBe(page);
    await expect(indexPageFor(() => screen, async () => info)(page)).resolves.toContain('data-first-screen="ar"');
  });
});

describe('branding.css for the run', () => {
  it('has the accent of app:info, and is empty when app:info cannot be had', async () => {
    await expect(pageForRun(null, async () => ({ ...info, accentColor: '#6b2c91' })).brandingCss()).resolves.toContain('--primary:#6b2c91;');
    await expect(pageForRun(null, () => Promise.reject(new Error('no info'))).brandingCss()).resolves.toBe('');
  });
});
