/**
 * Continuation tokens: opaque random strings, each bound to the flow it belongs to and to the step(s) that
 * may consume it, with an expiry on the emulator clock. Issuing a token supersedes the flow's earlier ones
 * ("each request must send the latest token"), so a replayed or stale token is refused as invalid.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from './clock';

export type TokenStep = 'challenge' | 'continue' | 'submit' | 'poll_completion' | 'token';

interface TokenRecord {
  flowId: string;
  steps: readonly TokenStep[];
  expiresAt: number;
  revoked: boolean;
}

export type TokenCheck = { ok: true; flowId: string } | { ok: false; reason: 'invalid' | 'expired' };

export class TokenStore {
  private readonly records = new Map<string, TokenRecord>();

  constructor(private readonly clock: Clock) {}

  /** Issues a token for `steps`, revoking every earlier token of the flow unless `keep` lists it. */
  issue(flowId: string, steps: readonly TokenStep[], expiresAt: number, keep: readonly string[] = []): string {
    for (const [token, record] of this.records) {
      if (record.flowId === flowId && !keep.includes(token)) record.revoked = true;
    }
    const token = randomBytes(48).toString('base64url');
    this.records.set(token, { flowId, steps, expiresAt, revoked: false });
    this.sweep();
    return token;
  }

  check(token: string | undefined, step: TokenStep): TokenCheck {
    const record = token ? this.records.get(token) : undefined;
    if (!record || record.revoked || !record.steps.includes(step)) return { ok: false, reason: 'invalid' };
    if (this.clock.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, flowId: record.flowId };
  }

  revokeFlow(flowId: string): void {
    for (const record of this.records.values()) if (record.flowId === flowId) record.revoked = true;
  }

  // Revoked tokens are remembered for a day so a late replay still reads "invalid", then forgotten.
  private sweep(): void {
    if (this.records.size < 10_000) return;
    const horizon = this.clock.now() - 24 * 3600_000;
    for (const [token, record] of this.records) if (record.expiresAt < horizon) this.records.delete(token);
  }
}
