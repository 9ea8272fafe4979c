/**
 * Merged-request (loop) detection, RFC 3261 §8.2.2.2: "If the request has no tag in the To header
 * field, the UAS core MUST check the request against ongoing transactions. If the From tag,
 * Call-ID, and CSeq exactly match those associated with an ongoing transaction, but the request
 * does not match that transaction (based on the matching rules in Section 17.2.3), the UAS core
 * SHOULD generate a 482 (Loop Detected) response".
 */
import type { Clock, TimerHandle } from '../support/clock';

/** A request seen by a server transaction, remembered for as long as such a transaction can live. */
export class MergedRequestDetector {
  readonly #clock: Clock;
  readonly #lifetimeMs: number;
  readonly #seen = new Map<string, { branch: string; timer: TimerHandle }>();

  /** @param lifetimeMs how long an entry is kept; 64·T1 covers a non-INVITE transaction. */
  constructor(clock: Clock, lifetimeMs = 32_000) {
    this.#clock = clock;
    this.#lifetimeMs = lifetimeMs;
  }

  /**
   * Records a new request that started a server transaction; returns true when it is a merged
   * request (same From tag, Call-ID and CSeq as a live one, different branch).
   */
  isMerged(fromTag: string, callId: string, cseq: string, branch: string): boolean {
    const key = `${fromTag}\u0000${callId}\u0000${cseq}`;
    const entry = this.#seen.get(key);
    if (entry) return entry.branch !== branch;
    const timer = this.#clock.setTimeout(() => this.#seen.delete(key), this.#lifetimeMs);
    this.#seen.set(key, { branch, timer });
    return false;
  }

  dispose(): void {
    for (const { timer } of this.#seen.values()) this.#clock.clearTimeout(timer);
    this.#seen.clear();
  }
}
