/**
 * The repository stands alone: every relative link in the README and docs/ points at a file that exists
 * inside the repository, and no page sends the reader to a path outside it (such as ../shared/…).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe.each(pages)('%s', (page) => {
  const text = readFileSync(join(root, page), 'utf8');

  it('links only to files inside the repository that exist', () => {
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^(https?:|mailto:|#)/.test(t));
    const broken = targets.filter((target) => {
      const path = resolve(dirname(join(root, page)), decodeURIComponent(target.split('#')[0]!));
      return relative(root, path).startsWith('..') || !existsSync(path);
    });
    expect(broken).toEqual([]);
  });

  it('names no path outside the repository', () => {
    expect(text).not.toMatch(/\.\.\/shared\b|\/work\/shared/);
  });
});
