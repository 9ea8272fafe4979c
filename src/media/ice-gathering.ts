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
}

export const DEFAULT_ICE_GATHERING_WAIT: IceGatheringWait = { timeoutMs: 500, maxWaitMs: 3000 };

/** Why the wait ended: gathering finished, the timeout hit with candidates, or the hard limit. */
export type IceGatheringOutcome = 'complete' | 'timeout' | 'max-wait' | 'closed';

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
    const finish = (outcome: IceGatheringOutcome): void => {
      timers.clearTimeout(softTimer);
      timers.clearTimeout(hardTimer);
      pc.removeEventListener('icecandidate', onCandidate);
      pc.removeEventListener('icegatheringstatechange', onState);
      pc.removeEventListener('signalingstatechange', onSignaling);
      resolve(outcome);
    };
    const onCandidate = (event: Event): void => {
      const candidate = (event as unknown as { candidate?: unknown }).candidate;
      if (candidate === null) finish('complete');
      else if (timeoutPassed) finish('timeout');
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
