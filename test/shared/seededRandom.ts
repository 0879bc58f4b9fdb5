/** A deterministic generator (an LCG), so a sample, and so a measured rate, is the same on every run. */
export const seededRandom = (seed: number) => {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
};
