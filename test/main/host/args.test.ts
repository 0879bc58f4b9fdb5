/**
 * The browser host's options (`npm start -- …` where Electron is missing, `node dist/main/host.cjs`):
 * unknown options are refused, the port can be given as `--port 47111` or `--port=47111`, and the
 * overlay's own options are passed on in the shim's form. test/main/host/cli.test.ts runs the process.
 */
import { describe, expect, it } from 'vitest';
import { HostUsageError, parseHostArgs } from '../../../src/main/host/args';

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
