import { describe, expect, it } from 'vitest';
import { seededRandom } from './seededRandom';
import { base64ToBytes, bloomParameters, BloomFilter, buildBloomFilter, bytesToBase64, expectedFalsePositiveRate } from '../../src/shared/bloomFilter';

describe('Bloom filter', () => {
  it('sizes itself so the predicted false-positive rate is within the one asked for', () => {
    for (const [n, p] of [[1, 0.01], [1000, 0.01], [49_000, 0.003], [100_000, 0.001]] as const) {
      const { m, k } = bloomParameters(n, p);
      expect(m % 8).toBe(0);
      expect(k).toBeGreaterThanOrEqual(1);
      expect(expectedFalsePositiveRate({ m, k, n })).toBeLessThanOrEqual(p);
      // Not wastefully large either: within a few percent of the textbook m = −n·ln p / (ln 2)².
      expect(m).toBeLessThan(((-Math.max(n, 8) * Math.log(p)) / Math.LN2 ** 2) * 1.05 + 16);
    }
  });

  it('finds every entry it was given, also after travelling as its shipped data', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `word${i}x`);
    const shipped = BloomFilter.fromData(JSON.parse(JSON.stringify(buildBloomFilter(words, 0.01))) as ReturnType<typeof buildBloomFilter>);
    expect(shipped.size).toBe(5000);
    expect(words.filter((w) => !shipped.has(w))).toEqual([]);
  });

  it('answers "no" for most strings it was not given (measured near the designed rate)', () => {
    const filter = BloomFilter.fromData(buildBloomFilter(Array.from({ length: 2000 }, (_, i) => `entry-${i}`), 0.01));
    const random = seededRandom(7);
    let hits = 0;
    for (let i = 0; i < 20_000; i++) if (filter.has(`other-${Math.floor(random() * 1e9)}-${i}`)) hits++;
    // 20 000 lookups at 1 %: about 200 expected, with a standard deviation near 14.
    expect(hits / 20_000).toBeLessThan(0.013);
  });

  it('refuses damaged data instead of answering from it', () => {
    const good = buildBloomFilter(['one', 'two'], 0.01);
    expect(() => BloomFilter.fromData(good)).not.toThrow();
    expect(() => BloomFilter.fromData({ ...good, m: good.m + 8 })).toThrow(/malformed/);
    expect(() => BloomFilter.fromData({ ...good, k: 0 })).toThrow(/malformed/);
    expect(() => BloomFilter.fromData({ ...good, bits: '!!!!' })).toThrow(/base64/);
  });

  it('base64 round-trips every length and byte value', () => {
    for (let len = 0; len < 20; len++) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 97 + len * 31) & 0xff);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect([...base64ToBytes(text)]).toEqual([...bytes]);
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect([...base64ToBytes(bytesToBase64(all))]).toEqual([...all]);
  });
});
