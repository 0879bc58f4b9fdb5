/**
 * The browser host's options (`npm start -- …` where Electron is missing, `node dist/main/host.cjs`):
 * unknown options are refused, the port can be given as `--port 47111` or `--port=47111`, and the
 * overlay's own options are passed on in the shim's form. test/main/host/cli.test.ts runs the process.
 */
import { describe, expect, it } from 'vitest';
import { HOST_USAGE, HostUsageError, parseHostArgs } from '../../../src/main/host/args';

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

  it('--help says what each overlay option does, not only its name', () => {
    // Each option's line(s) up to the next option: a bare list of names is what people complained about.
    const explained = (option: string) => {
      const start = HOST_USAGE.indexOf(`  ${option}`);
      expect(start, option).toBeGreaterThan(-1);
      const rest = HOST_USAGE.slice(start + 2 + option.length);
      const next = rest.search(/\n {2}--/);
      return (next === -1 ? rest : rest.slice(0, next)).replace(/\s+/g, ' ').trim();
    };
    expect(explained('--scenario')).toMatch(/sign-in tile.*unlock tile/);
    expect(explained('--user')).toMatch(/alice@contoso\.com/);
    expect(explained('--lang')).toMatch(/Locale setting takes precedence/);
    expect(explained('--set')).toMatch(/--set Engine=portal.*repeatable/);
    for (const option of ['--data-dir', '--log-dir', '--port']) expect(explained(option).length, option).toBeGreaterThan(20);
  });
});
