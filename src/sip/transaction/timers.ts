/**
 * Transaction timers, RFC 3261 §17 and Table 4 (§A), with Timers L and M of RFC 6026 §8, for the
 * one transport this core speaks: WebSocket, which RFC 7118 specifies "as a reliable transport
 * mechanism between Session Initiation Protocol (SIP) entities" (Abstract). Table 4 then leaves:
 *
 * - no retransmission timers: A and E run only "if an unreliable transport is being used"
 *   (§17.1.1.2, §17.1.2.2), G only "for unreliable transports" (§17.2.1);
 * - zero waits for D, I, J and K ("0s for TCP/SCTP", §17.1.1.2, §17.2.1, §17.2.2, §17.1.2.2): the
 *   Completed state of Figures 5, 6 and 8 and the Confirmed state of Figure 7 end at once;
 * - the timeouts B, F and H and RFC 6026's L and M, all 64*T1.
 *
 * T2 does not bound anything here; it stays exported because the TU retransmits the 2xx of an INVITE
 * itself (§13.3.1.4, "for any transport") with intervals capped at T2.
 */

/** The base values of §17.1.1.1 that the rest of the core uses. */
export interface TimerSettings {
  /** RTT estimate, default 500 ms. */
  readonly t1: number;
  /** Maximum retransmit interval for INVITE 2xx responses (§13.3.1.4), default 4 s. */
  readonly t2: number;
}

export const DEFAULT_TIMER_SETTINGS: TimerSettings = { t1: 500, t2: 4000 };

/** Timers B, F, H (transaction timeouts) and L, M (RFC 6026 lingers): 64*T1 with T1 = 500 ms. */
export const TIMER_64T1_MS = 32_000;

/**
 * §17.2.1: "the server transaction MUST generate a 100 (Trying) response unless it knows that the
 * TU will generate a provisional or final response within 200 ms".
 */
export const TRYING_DELAY_MS = 200;
