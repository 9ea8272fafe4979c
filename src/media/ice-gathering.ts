/**
 * Waiting for ICE candidates before sending SDP, but never for long. SIP carries complete SDP
 * (no trickle), so an INVITE sent before any candidate is useless; one held back until a dead
 * STUN/TURN server times out (tens of seconds) is the classic web-phone complaint.
 */
import { hasCandidates } from './sdp/candidates';
import type { MediaTimers, PeerConnectionLike } from './peer-connection-port';

export interface IceGatheringWait {
  /** Resolve at this point with whatever candidates exist (default 500 ms). */
  readonly timeoutMs: number;
  /**
   * If not a single candidate exists at `timeoutMs`, wait for the first one up to this long
   * (default 3000 ms), then give up and send the SDP as it is.
   */
  readonly maxWaitMs: number;
  /**
   * Only when no STUN/TURN server is configured: once a candidate has arrived and no other follows
   * for this long, stop waiting. The only candidates still to come are then Chromium's TCP host
   * candidates, which it adds ~115 ms after the UDP ones and which WebRTC peers and PBXs do not use;
   * waiting for them would hold every INVITE back for nothing.
   */
  readonly hostSettleMs?: number;
}

export const DEFAULT_ICE_GATHERING_WAIT: IceGatheringWait = { timeoutMs: 500, maxWaitMs: 3000 };

/** Quiet time after the last host candidate when there is no STUN/TURN server to wait for. */
export const DEFAULT_HOST_SETTLE_MS = 30;

/**
 * Why the wait ended: gathering finished, host candidates went quiet (no STUN/TURN), the timeout
 * hit with candidates, or the hard limit.
 */
export type IceGatheringOutcome = 'complete' | 'settled' | 'timeout' | 'max-wait' | 'closed';

/**
 * Resolves once `pc` has finished gathering (W3C WebRTC §4.4.1: `iceGatheringState` "complete",
 * or the `icecandidate` event with a null candidate), or at `timeoutMs` when at least one
 * candidate is in the local description, or at `maxWaitMs` regardless. Never rejects.
 */
export function waitForIceGathering(
  pc: PeerConnectionLike,
  timers: MediaTimers,
  wait: IceGatheringWait = DEFAULT_ICE_GATHERING_WAIT,
): Promise<IceGatheringOutcome> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve('complete');
  return new Promise((resolve) => {
    let timeoutPassed = false;
    const haveCandidate = (): boolean => {
      const sdp = pc.localDescription?.sdp;
      return sdp !== undefined && hasCandidates(sdp);
    };
    let settleTimer: ReturnType<MediaTimers['setTimeout']> | undefined;
    const finish = (outcome: IceGatheringOutcome): void => {
      timers.clearTimeout(softTimer);
      timers.clearTimeout(hardTimer);
      if (settleTimer !== undefined) timers.clearTimeout(settleTimer);
      pc.removeEventListener('icecandidate', onCandidate);
      pc.removeEventListener('icegatheringstatechange', onState);
      pc.removeEventListener('signalingstatechange', onSignaling);
      resolve(outcome);
    };
    const onCandidate = (event: Event): void => {
      const candidate = (event as unknown as { candidate?: unknown }).candidate;
      if (candidate === null) finish('complete');
      else if (timeoutPassed) finish('timeout');
      else if (wait.hostSettleMs !== undefined) {
        if (settleTimer !== undefined) timers.clearTimeout(settleTimer);
        settleTimer = timers.setTimeout(() => finish('settled'), wait.hostSettleMs);
      }
    };
    const onState = (): void => {
      if (pc.iceGatheringState === 'complete') finish('complete');
    };
    const onSignaling = (): void => {
      if (pc.signalingState === 'closed') finish('closed');
    };
    const softTimer = timers.setTimeout(() => {
      timeoutPassed = true;
      if (haveCandidate()) finish('timeout');
    }, wait.timeoutMs);
    const hardTimer = timers.setTimeout(() => finish('max-wait'), Math.max(wait.maxWaitMs, wait.timeoutMs));
    pc.addEventListener('icecandidate', onCandidate);
    pc.addEventListener('icegatheringstatechange', onState);
    pc.addEventListener('signalingstatechange', onSignaling);
  });
}
