/**
 * The QR code main hands the renderer for "finish on another device": read back as a phone would (jsQR on
 * the painted pixels) and checked against the format rules of ISO/IEC 18004, independently of the encoder.
 */
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { DEFAULT_PORTAL_URL, defaultConfig } from '../../../src/shared/config';
import { ipcContract, QrMatrixSchema } from '../../../src/shared/ipc';
import { createCore } from '../../../src/main/core/index';
import { parseLaunchArgs } from '../../../src/main/core/launchArgs';
import { nullLogger } from '../../../src/main/core/logging';
import { qrMatrix } from '../../../src/main/core/qrCode';
import { decodeQrMatrix } from './qrDecode';

const dark = (m: { size: number; modules: string }, row: number, col: number): boolean => m.modules[row * m.size + col] === '1';

/** The 15 format bits of one copy, most significant first, read as the spec places them. */
const formatBits = (m: { size: number; modules: string }): { nearFinder: number; split: number } => {
  // Copy 1 around the top-left finder: column 8 downwards then row 8 leftwards, skipping the timing lines.
  const around = [
    ...[0, 1, 2, 3, 4, 5, 7, 8].map((c) => [8, c] as const),
    ...[7, 5, 4, 3, 2, 1, 0].map((r) => [r, 8] as const),
  ];
  // Copy 2 split between the bottom-left finder (column 8, bottom up) and the top-right one (row 8).
  const split = [
    ...[1, 2, 3, 4, 5, 6, 7].map((k) => [m.size - k, 8] as const),
    ...[8, 7, 6, 5, 4, 3, 2, 1].map((k) => [8, m.size - k] as const),
  ];
  const word = (cells: ReadonlyArray<readonly [number, number]>) => cells.reduce((acc, [r, c]) => (acc << 1) | (dark(m, r, c) ? 1 : 0), 0);
  return { nearFinder: word(around), split: word(split) };
};

/** BCH(15,5) remainder with the spec's generator x^10+x^8+x^5+x^4+x^2+x+1. */
const bchRemainder = (word: number): number => {
  let r = word;
  for (let bit = 14; bit >= 10; bit--) if (r & (1 << bit)) r ^= 0x537 << (bit - 10);
  return r;
};

const finderAt = (m: { size: number; modules: string }, top: number, left: number): boolean => {
  for (let r = 0; r < 7; r++)
    for (let c = 0; c < 7; c++) {
      const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
      if (dark(m, top + r, left + c) !== (ring !== 2)) return false;
    }
  return true;
};

describe('the reset address as a QR code', () => {
  it('a phone reads the default portal address back from it', () => {
    const m = qrMatrix(DEFAULT_PORTAL_URL);
    expect(v.safeParse(QrMatrixSchema, m).success).toBe(true);
    expect(decodeQrMatrix(m)).toBe(DEFAULT_PORTAL_URL);
  });

  it('a tenant-specific address with a query decodes exactly too', () => {
    const address = 'https://passwordreset.microsoftonline.com/?whr=fabrikam.com&mkt=de-de';
    expect(decodeQrMatrix(qrMatrix(address))).toBe(address);
  });

  it('follows the spec: the smallest version for the text at level M, finders, timing, format bits', () => {
    // The default address is 42 bytes: exactly version 3-M's byte capacity (version 2-M holds 26).
    expect(DEFAULT_PORTAL_URL).toHaveLength(42);
    const m = qrMatrix(DEFAULT_PORTAL_URL);
    expect(m.size).toBe(17 + 4 * 3);
    // One more byte no longer fits version 3-M: version 4 (33 modules).
    expect(qrMatrix(DEFAULT_PORTAL_URL + 'x').size).toBe(17 + 4 * 4);

    expect(finderAt(m, 0, 0)).toBe(true);
    expect(finderAt(m, 0, m.size - 7)).toBe(true);
    expect(finderAt(m, m.size - 7, 0)).toBe(true);
    for (let i = 8; i < m.size - 8; i++) {
      expect(dark(m, 6, i)).toBe(i % 2 === 0);
      expect(dark(m, i, 6)).toBe(i % 2 === 0);
    }
    // The dark module every code has next to the bottom-left finder.
    expect(dark(m, m.size - 8, 8)).toBe(true);

    const { nearFinder, split } = formatBits(m);
    expect(split).toBe(nearFinder);
    const unmasked = nearFinder ^ 0x5412;
    expect(bchRemainder(unmasked)).toBe(0);
    // The two error-correction bits: 00 is level M.
    expect(unmasked >> 13).toBe(0b00);
  });
});

describe('app:resetAddress through the one dispatcher', () => {
  const coreWith = (PortalUrl: string) =>
    createCore({
      config: { ...defaultConfig, PortalUrl },
      launch: parseLaunchArgs(['--scenario=logon']).launch,
      logger: nullLogger(),
      exit: () => undefined,
    });

  it('answers the configured PortalUrl and its QR code, within the contract', async () => {
    const address = 'https://passwordreset.microsoftonline.com/?whr=contoso.com';
    const answer = await coreWith(address).dispatch('app:resetAddress', {});
    expect(v.safeParse(ipcContract['app:resetAddress'].response, answer).success).toBe(true);
    const { address: shown, qr } = answer as { address: string; qr: { size: number; modules: string } };
    expect(shown).toBe(address);
    expect(decodeQrMatrix(qr)).toBe(address);
  });

  it('refuses a request with anything in it', async () => {
    await expect(coreWith(DEFAULT_PORTAL_URL).dispatch('app:resetAddress', { text: 'https://evil.example/' })).rejects.toThrow();
  });
});
