/**
 * The committed screenshots match the screen table (scripts/screenshots/screens.ts): every picture the README
 * or the index shows exists, the index is the one the table gives, and no picture is left over from a screen
 * that was renamed or removed. After adding a row: `npm run screenshots`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexMarkdown, screenFile } from '../../scripts/screenshots/files';
import { SCREENS, SCREENSHOT_LANGUAGES } from '../../scripts/screenshots/screens';

const root = resolve(__dirname, '../..');
const folder = join(root, 'docs/screenshots');

/** The .png files a page shows or links, as markdown images/links or HTML src attributes, from the repository root. */
const picturesOf = (page: string): string[] => {
  const text = readFileSync(join(root, page), 'utf8');
  const targets = [...text.matchAll(/\]\(([^)\s]+\.png)\)|\bsrc="([^"]+\.png)"/g)].map((m) => (m[1] ?? m[2])!);
  return targets.map((t) => relative(root, resolve(dirname(join(root, page)), decodeURIComponent(t))));
};

describe('screenshots in the documentation', () => {
  it.each(['README.md', 'docs/screenshots/README.md'])('every picture %s shows exists', (page) => {
    const pictures = picturesOf(page);
    expect(pictures.length).toBeGreaterThan(0);
    expect(pictures.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });

  it('the README shows English and Arabic pictures and links the index', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const pictures = picturesOf('README.md');
    expect(pictures.some((p) => p.startsWith('docs/screenshots/en/'))).toBe(true);
    expect(pictures.some((p) => p.startsWith('docs/screenshots/ar/'))).toBe(true);
    expect(readme).toContain('](docs/screenshots/README.md)');
    expect(readme).toContain('npm run screenshots');
  });

  it('the index is the one the screen table gives (run `npm run screenshots` after changing the table)', () => {
    expect(readFileSync(join(folder, 'README.md'), 'utf8')).toBe(indexMarkdown());
  });

  it('holds exactly one picture per screen and language, none left over', () => {
    const committed = SCREENSHOT_LANGUAGES.flatMap((l) => readdirSync(join(folder, l.code)).map((f) => `${l.code}/${f}`)).sort();
    const expected = SCREENSHOT_LANGUAGES.flatMap((l) => SCREENS.map((spec) => screenFile(l.code, spec))).sort();
    expect(committed).toEqual(expected);
  });
});
