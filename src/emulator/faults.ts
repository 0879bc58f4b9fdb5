/**
 * Fault injection for clients' resilience tests. A fault applies to the next `times` requests of its endpoint
 * (or of any endpoint for '*'), first injected first used. `directoryAudits` is Graph's audit route, which
 * answers faults in Graph's own error shape.
 *  - latency: wait latencyMs (real time), then answer normally;
 *  - 429 / 500 / 503: answer that status with Entra's error envelope (429 and 503 carry Retry-After);
 *  - drop: destroy the socket without answering;
 *  - apply_then_drop: perform the request (a submit really changes the password), then destroy the socket.
 */
export type FaultEndpoint = 'start' | 'challenge' | 'continue' | 'submit' | 'poll_completion' | 'token' | 'devicecode' | 'directoryAudits' | '*';
export type FaultKind = 'latency' | '429' | '500' | '503' | 'drop' | 'apply_then_drop';

export interface Fault {
  endpoint: FaultEndpoint;
  kind: FaultKind;
  /** How many requests the fault affects; default 1, Infinity allowed. */
  times?: number;
  latencyMs?: number;
  retryAfterSeconds?: number;
}

const ENDPOINTS: readonly FaultEndpoint[] = ['start', 'challenge', 'continue', 'submit', 'poll_completion', 'token', 'devicecode', 'directoryAudits', '*'];
const KINDS: readonly FaultKind[] = ['latency', '429', '500', '503', 'drop', 'apply_then_drop'];

export class FaultQueue {
  private readonly pending: { fault: Fault; left: number }[] = [];

  inject(fault: Fault): void {
    if (!ENDPOINTS.includes(fault.endpoint)) throw new TypeError(`unknown fault endpoint: ${String(fault.endpoint)}`);
    if (!KINDS.includes(fault.kind)) throw new TypeError(`unknown fault kind: ${String(fault.kind)}`);
    const times = fault.times ?? 1;
    if (!(times >= 1)) throw new RangeError('fault times must be at least 1');
    this.pending.push({ fault: { ...fault }, left: times });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** The fault for this request, if any, counting it as used. */
  take(endpoint: Exclude<FaultEndpoint, '*'>): Fault | undefined {
    const index = this.pending.findIndex((p) => p.fault.endpoint === endpoint || p.fault.endpoint === '*');
    if (index < 0) return undefined;
    const entry = this.pending[index]!;
    entry.left -= 1;
    if (entry.left <= 0) this.pending.splice(index, 1);
    return entry.fault;
  }
}
