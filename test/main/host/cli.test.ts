/**
 * The browser host's command line as a process (integration tier): --help prints the usage and exits 0,
 * and an unknown option ends with the usage and exit code 2, both before anything starts.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

describe('the host command line', () => {
  const host = (...args: string[]) => spawnSync(tsx, ['src/main/host/cli.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '' } });

  it('--help prints the usage and exits 0 without starting anything', () => {
    const r = host('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: host');
    expect(r.stdout).not.toContain('Open:');
  });

  it('an unknown option ends with the usage and exit code 2', () => {
    const r = host('--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--bogus'/);
    expect(r.stderr).toContain('Usage: host');
  });
});
