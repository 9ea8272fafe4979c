/**
 * The port through which an INVITE session reaches media, RFC 3264 offer/answer over opaque
 * bodies. The SIP core never reads SDP: it only decides *when* an offer or an answer is made or
 * applied (RFC 3261 §13.2.1, RFC 6337 §2); the media layer (one RTCPeerConnection per call) decides
 * *what* they contain.
 *
 * Contract for implementers:
 * - Every method may be slow; the session never calls two of them at once for the same call (one
 *   offer/answer exchange at a time, RFC 3264 §4), so an implementation need not queue itself.
 * - A rejected promise is a media failure: for a remote offer the session answers 488 (Not
 *   Acceptable Here); for a local offer the operation fails and the call stays as it was.
 * - `close()` is called exactly once, when the session ends; nothing else is called after it.
 */
import { getContentType } from '../message/headers';
import type { SipMessage } from '../message/sip-message';

/** What the session asks of a local offer. Hold is a direction rewrite done by the media layer. */
export interface OfferOptions {
  /** True to offer a held session (sendonly, or inactive when the peer holds too). */
  readonly hold: boolean;
}

export interface SessionDescriptionHandler {
  /** Creates a local offer, applies it locally, and returns its body. */
  getOffer(options: OfferOptions): Promise<string>;
  /** Applies a remote offer, then creates, applies and returns the local answer. */
  getAnswer(offer: string, options: OfferOptions): Promise<string>;
  /**
   * Applies the remote answer to the last local offer. With a forked INVITE it may be called a
   * second time for the same offer, when a fork other than the one that gave early media answers
   * with a different body (RFC 3960 §3.1): the new answer replaces the first.
   */
  setAnswer(answer: string): Promise<void>;
  /**
   * Abandons the last local offer (RFC 3264 §8: a rejected or glared offer leaves the session as
   * it was), e.g. `setLocalDescription({ type: 'rollback' })`.
   */
  rollback(): Promise<void>;
  /** Releases the media of the session. */
  close(): void;
}

/** Builds the handler of one session. `direction` says who sent the INVITE. */
export type SessionDescriptionHandlerFactory = (
  direction: 'outgoing' | 'incoming',
) => SessionDescriptionHandler;

/** The content type of every body the session hands to the handler. */
export const SDP_CONTENT_TYPE = 'application/sdp';

/** Whether a message carries a body of {@link SDP_CONTENT_TYPE}. */
export function hasSdp(message: SipMessage): boolean {
  const type = getContentType(message);
  return (
    message.body !== '' &&
    type.ok &&
    `${type.value?.type}/${type.value?.subtype}`.toLowerCase() === SDP_CONTENT_TYPE
  );
}

/** The Content-Type of a body we send (always SDP), or nothing without a body. */
export function sdpType(body: string | undefined): Array<readonly [string, string]> {
  return body === undefined ? [] : [['Content-Type', SDP_CONTENT_TYPE]];
}
