/**
 * The CallEngine port: what the store needs from INVITE sessions (RFC 3261 §13–15) and their media.
 * The store never touches a session or an RTCPeerConnection; the engine (the pjsua-style glue of
 * `src/sip/session` + `src/media`, wired by the application) does, and reports each call as a plain
 * {@link CallSnapshot}. Calls are referred to by id, as pjsua's `pjsua_call_id`.
 *
 * Contract for implementations:
 * - `call()` returns the new call's id synchronously and reports everything else (progress, media
 *   failure) through `callUpdated`; it may emit `callUpdated` for that id before returning.
 * - Promise-returning commands may reject; the resulting state always arrives as `callUpdated`.
 * - Every call ends with exactly one snapshot in state `ended` with an `end`.
 * - Listeners are called synchronously; the engine must not call back into the store from them.
 */
import type { EndCause } from '../../sip/index';

export type CallDirection = 'incoming' | 'outgoing';

/**
 * `ringing` is an incoming call alerting here, or an outgoing call alerting at the callee (180);
 * `early-media` is an outgoing call hearing the callee's media before the answer (183 + SDP);
 * `on-hold` is held by us (whatever the remote did); `held-by-remote` is held by the other side only.
 */
export type CallState =
  'calling' | 'ringing' | 'early-media' | 'connected' | 'on-hold' | 'held-by-remote' | 'ended';

export const CALL_STATES: readonly CallState[] = [
  'calling',
  'ringing',
  'early-media',
  'connected',
  'on-hold',
  'held-by-remote',
  'ended',
];

/** How many received DTMF digits a snapshot keeps (the newest). */
export const RECEIVED_DTMF_LIMIT = 32;

/** One received DTMF digit as the port knows them (RFC 4733 events 0–15). */
export function isDtmfDigit(value: string): boolean {
  return /^[0-9*#A-D]$/.test(value);
}

/**
 * `received` with `digit` appended, bounded to the newest {@link RECEIVED_DTMF_LIMIT}; a value
 * that is not one DTMF digit leaves it unchanged. Pure.
 */
export function appendReceivedDtmf(received: string, digit: string): string {
  const upper = digit.toUpperCase();
  if (!isDtmfDigit(upper)) return received;
  return (received + upper).slice(-RECEIVED_DTMF_LIMIT);
}

/** Why a call ended: the SIP core's causes (`src/sip/session/session-end.ts`) plus media failure. */
export type CallEndCause = EndCause | 'media-error';

export interface CallEnd {
  readonly originator: 'local' | 'remote' | 'system';
  readonly cause: CallEndCause;
  readonly status?: number;
  readonly reason?: string;
}

/** The other party as plain text (P-Asserted-Identity when present, else From / To). */
export interface Party {
  readonly name: string;
  readonly number: string;
}

/** One call as plain data; never holds a session, a stream or a peer connection. */
export interface CallSnapshot {
  readonly id: string;
  readonly direction: CallDirection;
  readonly remote: Party;
  readonly state: CallState;
  /** The call carries (or offers, while ringing) video. */
  readonly video: boolean;
  readonly muted: boolean;
  /** Held by us. */
  readonly onHold: boolean;
  /**
   * Our camera sends (true) or is switched off (false) in a call with video; absent when the
   * engine does not tell (then `video` is all that is known).
   */
  readonly camera?: boolean;
  /**
   * DTMF digits received from the other side (SIP INFO, RFC 6086), oldest first, at most
   * {@link RECEIVED_DTMF_LIMIT} (the newest kept); absent when none arrived or the engine does not tell.
   */
  readonly receivedDtmf?: string;
  /** Present once `state` is `ended`. */
  readonly end?: CallEnd;
}

export type CallEngineEvents = {
  /** A new incoming call, in state `ringing`. */
  incoming: [call: CallSnapshot];
  /** Any change of a known call, including its end. */
  callUpdated: [call: CallSnapshot];
};

export interface CallStreams {
  readonly local: MediaStream | null;
  readonly remote: MediaStream | null;
}

export interface SelectedDevices {
  readonly microphoneId: string | null;
  readonly speakerId: string | null;
  readonly cameraId: string | null;
}

export interface CallEngine {
  /** Starts an outgoing call to a number or SIP URI; returns its id. */
  call(target: string, options: { video: boolean }): string;
  answer(id: string, options: { video: boolean }): Promise<void>;
  /** Rejects an incoming call that is still ringing (486 Busy Here, 603 Decline, …). */
  reject(id: string, status: number): Promise<void>;
  /** Ends the call whatever its state: CANCEL before the answer, BYE after. */
  hangup(id: string): Promise<void>;
  hold(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  mute(id: string, on: boolean): void;
  /** RFC 4733 telephone-events (or INFO), digits from `0-9*#A-D`. */
  sendDtmf(id: string, digits: string): void;
  /** Switch microphone / speaker / camera in every call without hanging up (replaceTrack / setSinkId). */
  selectDevices?(devices: SelectedDevices): void;
  /**
   * Our camera off (the device is released, the light goes out) or on again in a video call,
   * without renegotiation. Rejects when the call has no video stream.
   */
  setCamera?(id: string, on: boolean): Promise<void>;
  /** The live streams of a call, for `<video>`/`<audio>` elements; never copied into state. */
  streams?(id: string): CallStreams | undefined;
  on<K extends keyof CallEngineEvents>(
    event: K,
    listener: (...args: CallEngineEvents[K]) => void,
  ): () => void;
  /** Ends every call and releases media; called when the account disconnects. */
  dispose(): void;
}
