/**
 * The browser host's command line (`npm start -- …` where Electron is missing, `node dist/main/host.cjs`):
 * unknown options are refused with the usage and exit code 2, --help prints the usage, and the port can be
 * given as `--port 47111` or `--port=47111`. The overlay's own options are passed on in the shim's form.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostUsageError, parseHostArgs } from '../../../src/main/host/args';

const root = resolve(__dirname, '../../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

describe('parseHostArgs', () => {
  it('takes the port in both spellings', () => {
    expect(parseHostArgs(['--port', '47111']).port).toBe(47111);
    expect(parseHostArgs(['--port=47111']).port).toBe(47111);
    expect(parseHostArgs([]).port).toBe(0);
  });

  it('refuses an unknown option, a stray word and a bad port instead of ignoring them', () => {
    expect(() => parseHostArgs(['--prot', '47111'])).toThrow(HostUsageError);
    expect(() => parseHostArgs(['--prot', '47111'])).toThrow(/--prot/);
    expect(() => parseHostArgs(['unlock'])).toThrow(HostUsageError);
    expect(() => parseHostArgs(['--port', 'abc'])).toThrow(/--port must be a number from 0 to 65535/);
    expect(() => parseHostArgs(['--port', '70000'])).toThrow(/--port must be a number from 0 to 65535/);
  });

  it("hands the overlay's options on as the shim writes them, --set as often as given", () => {
    const args = parseHostArgs(['--no-open', '--scenario', 'unlock', '--user=alice@contoso.com', '--lang', 'ar', '--set', 'Engine=native', '--set=IdleTimeoutSeconds=90', '--demo']);
    expect(args).toMatchObject({ open: false, help: false });
    expect(args.overlay).toEqual(['--scenario=unlock', '--user=alice@contoso.com', '--lang=ar', '--set=Engine=native', '--set=IdleTimeoutSeconds=90']);
  });
});

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
