/**
 * Every lifetime, window and lockout in the emulator reads time from one injectable clock, so tests can
 * jump 5 minutes or 24 hours without waiting. (Socket latency faults use real timers: they model the wire.)
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const realClock: Clock = { now: () => Date.now() };

export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

export function createManualClock(startMs: number = Date.UTC(2026, 0, 15, 9, 0, 0)): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('a manual clock only moves forward by a finite amount');
      current += ms;
    },
    set(ms: number) {
      if (!Number.isFinite(ms)) throw new RangeError('time must be finite');
      current = ms;
    },
  };
}

/** Entra's timestamp style in error bodies: "2016-01-09 02:02:12Z". */
export const entraTimestamp = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
