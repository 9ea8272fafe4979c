/**
 * Transaction timers, RFC 3261 §17 and Table 4 (§A), with Timers L and M of RFC 6026 §8.
 *
 * The values depend on whether the transport is reliable. A WebSocket (RFC 7118) is reliable, so in
 * a browser the retransmission timers A, E and G never run and the "absorb retransmissions" waits
 * D, I, J and K are zero; the state machines still take a `reliable` flag so the unreliable values
 * are implemented and tested too.
 */

/** The three base values every other timer derives from (§17.1.1.1, Table 4). */
export interface TimerSettings {
  /** RTT estimate, default 500 ms. */
  readonly t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, default 4 s. */
  readonly t2: number;
  /** Maximum duration a message will remain in the network, default 5 s. */
  readonly t4: number;
}

export const DEFAULT_TIMER_SETTINGS: TimerSettings = { t1: 500, t2: 4000, t4: 5000 };

/**
 * §17.2.1: "the server transaction MUST generate a 100 (Trying) response unless it knows that the
 * TU will generate a provisional or final response within 200 ms".
 */
export const TRYING_DELAY_MS = 200;

/**
 * Resolved durations in milliseconds. A retransmission timer is `undefined` on a reliable
 * transport, where it is never started.
 */
export interface TransactionTimers {
  /** T2, the cap of the doubling retransmission intervals. */
  readonly t2: number;
  /** INVITE request retransmit interval, initial value; doubles on each firing. UDP only. */
  readonly timerA: number | undefined;
  /** INVITE transaction timeout. */
  readonly timerB: number;
  /** Wait time for response retransmits (ICT Completed). */
  readonly timerD: number;
  /** Non-INVITE request retransmit interval, initial value; doubles up to T2. UDP only. */
  readonly timerE: number | undefined;
  /** Non-INVITE transaction timeout. */
  readonly timerF: number;
  /** INVITE response retransmit interval, initial value; doubles up to T2. UDP only. */
  readonly timerG: number | undefined;
  /** Wait time for ACK receipt (IST Completed). */
  readonly timerH: number;
  /** Wait time for ACK retransmits (IST Confirmed). */
  readonly timerI: number;
  /** Wait time for non-INVITE request retransmits (NIST Completed). */
  readonly timerJ: number;
  /** Wait time for response retransmits (NICT Completed). */
  readonly timerK: number;
  /** RFC 6026: wait time for accepted INVITE request retransmits (IST Accepted). */
  readonly timerL: number;
  /** RFC 6026: wait time for retransmission of 2xx to INVITE or additional 2xx from other branches (ICT Accepted). */
  readonly timerM: number;
}

/**
 * The timer values of RFC 3261 Table 4 and RFC 6026 §8 for a transport. Pure; settings not given
 * take the RFC defaults ({@link DEFAULT_TIMER_SETTINGS}).
 */
export function transactionTimers(
  reliable: boolean,
  settings: Partial<TimerSettings> = {},
): TransactionTimers {
  const t1 = settings.t1 ?? DEFAULT_TIMER_SETTINGS.t1;
  const t2 = settings.t2 ?? DEFAULT_TIMER_SETTINGS.t2;
  const t4 = settings.t4 ?? DEFAULT_TIMER_SETTINGS.t4;
  const sixtyFourT1 = 64 * t1;
  return {
    t2,
    timerA: reliable ? undefined : t1,
    timerB: sixtyFourT1,
    // Table 4: "> 32s for UDP, 0s for TCP/SCTP"; 64*T1 is 32 s with the default T1.
    timerD: reliable ? 0 : Math.max(32_000, sixtyFourT1),
    timerE: reliable ? undefined : t1,
    timerF: sixtyFourT1,
    timerG: reliable ? undefined : t1,
    timerH: sixtyFourT1,
    timerI: reliable ? 0 : t4,
    timerJ: reliable ? 0 : sixtyFourT1,
    timerK: reliable ? 0 : t4,
    timerL: sixtyFourT1,
    timerM: sixtyFourT1,
  };
}
