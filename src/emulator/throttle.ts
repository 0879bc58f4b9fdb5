/**
 * Entra's SSPR throttles (sspr-protocol.md §1.4, §3), all on the emulator clock:
 *  - 5 failed code verifications within 24 h lock the user for 24 h;
 *  - more than 10 code e-mails within 10 min lock the user for 24 h;
 *  - a successful reset clears the user's counters;
 *  - 20 requests per second per client IP per tenant, beyond which the gateway answers HTTP 429.
 */
import type { Clock } from './clock';
import type { EmulatorPolicy } from './policy';

interface UserCounters {
  failedCodes: number[];
  emails: number[];
  lockedUntil?: number;
}

export class Throttle {
  private readonly users = new Map<string, UserCounters>();
  private readonly requests = new Map<string, number[]>();

  constructor(private readonly clock: Clock, private readonly policy: () => EmulatorPolicy) {}

  private counters(userId: string): UserCounters {
    let c = this.users.get(userId);
    if (!c) this.users.set(userId, (c = { failedCodes: [], emails: [] }));
    return c;
  }

  /** The moment the user's lockout ends, or undefined when the user is not locked. */
  lockedUntil(userId: string): number | undefined {
    const c = this.users.get(userId);
    if (c?.lockedUntil === undefined) return undefined;
    if (this.clock.now() >= c.lockedUntil) {
      this.users.delete(userId);
      return undefined;
    }
    return c.lockedUntil;
  }

  private lock(c: UserCounters): void {
    c.lockedUntil = this.clock.now() + this.policy().lockoutSeconds * 1000;
    c.failedCodes = [];
    c.emails = [];
  }

  /** Counts a wrong code; true when this failure locks the user. */
  recordFailedCode(userId: string): boolean {
    const { maxFailedCodeAttempts, failedCodeWindowSeconds } = this.policy();
    const c = this.counters(userId);
    const now = this.clock.now();
    c.failedCodes = c.failedCodes.filter((t) => t > now - failedCodeWindowSeconds * 1000);
    c.failedCodes.push(now);
    if (c.failedCodes.length >= maxFailedCodeAttempts) {
      this.lock(c);
      return true;
    }
    return false;
  }

  /** Asks to send one more code e-mail; false (and the user locked) when it would exceed the window's allowance. */
  allowEmail(userId: string): boolean {
    const { maxEmailsPerWindow, emailWindowSeconds } = this.policy();
    const c = this.counters(userId);
    const now = this.clock.now();
    c.emails = c.emails.filter((t) => t > now - emailWindowSeconds * 1000);
    if (c.emails.length >= maxEmailsPerWindow) {
      this.lock(c);
      return false;
    }
    c.emails.push(now);
    return true;
  }

  resetUser(userId: string): void {
    this.users.delete(userId);
  }

  /** Sliding one-second window per key (client IP + tenant); the wait in seconds when over the limit. */
  admitRequest(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.clock.now();
    const recent = (this.requests.get(key) ?? []).filter((t) => t > now - 1000);
    if (recent.length >= this.policy().requestsPerSecond) {
      this.requests.set(key, recent);
      return { ok: false, retryAfterSeconds: 1 };
    }
    recent.push(now);
    this.requests.set(key, recent);
    return { ok: true };
  }
}
