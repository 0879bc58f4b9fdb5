/**
 * A Bloom filter small enough to ship to the renderer: a bit array of m bits probed at k places per entry.
 * "Not in the set" is always right; "in the set" is wrong at a rate the size was designed for, which is why
 * the filter may only ever drive a warning (docs/security.md "Common passwords").
 *
 * The build (scripts/bundle-options.mjs), the renderer and the tests share this file, so what is stored and
 * what is looked up can never hash differently. No DOM, no Node: base64 is done by hand for that reason.
 */

export interface BloomFilterData {
  /** Number of bits. */
  m: number;
  /** Probes per entry. */
  k: number;
  /** Entries that were added (for figures only). */
  n: number;
  /** The bit array, base64. */
  bits: string;
}

/**
 * m and k for n entries at a false-positive rate of at most p per lookup: the textbook optimum, with k the
 * better of its two neighbouring integers and m grown (in whole bytes) until the predicted rate is within p.
 */
export const bloomParameters = (n: number, p: number): { m: number; k: number } => {
  const entries = Math.max(1, n);
  let m = Math.max(8, Math.ceil((-entries * Math.log(p)) / (Math.LN2 * Math.LN2) / 8) * 8);
  for (;;) {
    const ideal = (m / entries) * Math.LN2;
    const k = [Math.max(1, Math.floor(ideal)), Math.max(1, Math.ceil(ideal))].reduce((a, b) =>
      expectedFalsePositiveRate({ m, k: b, n: entries }) < expectedFalsePositiveRate({ m, k: a, n: entries }) ? b : a,
    );
    if (expectedFalsePositiveRate({ m, k, n: entries }) <= p) return { m, k };
    m += Math.max(8, Math.ceil(m / 1000 / 8) * 8);
  }
};

/** The false-positive rate the filter's shape predicts once it holds n entries. */
export const expectedFalsePositiveRate = ({ m, k, n }: Pick<BloomFilterData, 'm' | 'k' | 'n'>): number =>
  Math.pow(1 - Math.exp((-k * n) / m), k);

/** FNV-1a over the UTF-16 code units, 32 bits, with a seed so two independent-enough hashes come from one loop. */
const fnv1a = (text: string, seed: number): number => {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // A final avalanche (murmur3's fmix32): FNV's low bits alone spread short strings poorly.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** The k bit positions of an entry: double hashing (Kirsch–Mitzenmacher), h1 + i·h2 mod m. */
const positions = (text: string, m: number, k: number): number[] => {
  const h1 = fnv1a(text, 0);
  const h2 = fnv1a(text, 0x5bd1e995) | 1;
  const out: number[] = [];
  for (let i = 0; i < k; i++) out.push(((h1 + Math.imul(i, h2)) >>> 0) % m);
  return out;
};

const setBit = (bytes: Uint8Array, bit: number): void => {
  bytes[bit >>> 3]! |= 1 << (bit & 7);
};
const hasBit = (bytes: Uint8Array, bit: number): boolean => (bytes[bit >>> 3]! & (1 << (bit & 7))) !== 0;

/**
 * Compiles entries into a filter's shipped form, designed for a false-positive rate of at most p per lookup.
 * Kept apart from the class so the renderer bundle, which only looks up, does not carry it.
 */
export const buildBloomFilter = (entries: readonly string[], p: number): BloomFilterData => {
  const { m, k } = bloomParameters(entries.length, p);
  const bytes = new Uint8Array(m / 8);
  for (const entry of entries) for (const bit of positions(entry, m, k)) setBit(bytes, bit);
  return { m, k, n: entries.length, bits: bytesToBase64(bytes) };
};

/** A filter to look up in, from its shipped form. */
export class BloomFilter {
  readonly m: number;
  readonly k: number;
  /** Entries it was built from. */
  readonly size: number;
  private readonly bytes: Uint8Array;

  private constructor(m: number, k: number, n: number, bytes: Uint8Array) {
    this.m = m;
    this.k = k;
    this.size = n;
    this.bytes = bytes;
  }

  /** Throws on a shape that does not add up (a damaged script), so a lookup never reads past the bits. */
  static fromData(data: BloomFilterData): BloomFilter {
    const bytes = base64ToBytes(data.bits);
    if (!Number.isInteger(data.m) || !Number.isInteger(data.k) || data.k < 1 || data.m !== bytes.length * 8) {
      throw new Error('bloom filter data is malformed');
    }
    return new BloomFilter(data.m, data.k, data.n, bytes);
  }

  /** False: certainly never added. True: added, or a false positive. */
  has(text: string): boolean {
    return positions(text, this.m, this.k).every((bit) => hasBit(this.bytes, bit));
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export const bytesToBase64 = (bytes: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const triple = (a << 16) | (b << 8) | c;
    out += ALPHABET[(triple >>> 18) & 63]! + ALPHABET[(triple >>> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(triple >>> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[triple & 63]! : '=';
  }
  return out;
};

export const base64ToBytes = (text: string): Uint8Array => {
  const clean = text.replace(/=+$/, '');
  if (/[^A-Za-z0-9+/]/.test(clean) || clean.length % 4 === 1) throw new Error('not base64');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const ch of clean) {
    value = (value << 6) | ALPHABET.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >>> bits) & 0xff;
    }
  }
  return out;
};
