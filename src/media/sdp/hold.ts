/**
 * Hold and resume as an SDP direction rewrite (RFC 3264 §8.4, RFC 6337 §5.3), plus the reading
 * of the peer's directions. Pure functions over `sdp-transform` objects.
 */
import { isActiveMedia, isMediaKind, toSessionDescription } from './session-description';
import type { MediaDescription, MediaKind, SdpInput, SessionDescription } from './session-description';

/** RFC 3264 §5.1 direction attributes; absent means sendrecv. */
export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export function directionFrom(send: boolean, receive: boolean): Direction {
  if (send) return receive ? 'sendrecv' : 'sendonly';
  return receive ? 'recvonly' : 'inactive';
}

export function sends(direction: Direction): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

export function receives(direction: Direction): boolean {
  return direction === 'sendrecv' || direction === 'recvonly';
}

/** The direction seen from the other end of the same stream (sendonly ↔ recvonly). */
export function reverseDirection(direction: Direction): Direction {
  return directionFrom(receives(direction), sends(direction));
}

/**
 * RFC 4566 §6: a direction attribute "can be either a session or a media-level attribute"; the
 * media-level one wins, and RFC 3264 §5.1 makes sendrecv the default when neither is present.
 */
export function effectiveDirection(session: SessionDescription, media: MediaDescription): Direction {
  return media.direction ?? session.direction ?? 'sendrecv';
}

/**
 * The direction we offer to put a stream on hold.
 *
 * RFC 3264 §8.4: "If the stream to be placed on hold was previously a sendrecv media stream, it is
 * placed on hold by marking it sendonly. If the stream to be placed on hold was previously a
 * recvonly media stream, it is placed on hold by marking it inactive." In other words: stop
 * receiving, keep whatever sending we had. `current` is our side of the last negotiated direction
 * (recvonly when the peer already holds us).
 */
export function holdDirection(current: Direction): Direction {
  return directionFrom(sends(current), false);
}

/**
 * The direction we offer on resume: sendrecv. If the peer still holds us, RFC 6337 §5.3 has it
 * answer sendonly, so offering sendrecv never overrides the peer's own hold.
 */
export function resumeDirection(): Direction {
  return 'sendrecv';
}

/** Our local intent for the next offer or answer. */
export interface HoldIntent {
  /** We hold the peer (we stop receiving; music on hold may still flow from us). */
  readonly localHold: boolean;
  /** The peer holds us, as read from its last SDP (it is not receiving from us). */
  readonly remoteHold: boolean;
}

/** Direction for our next offer, from the hold intent (a table, tested as one). */
export function offerDirection(intent: HoldIntent): Direction {
  if (!intent.localHold) return resumeDirection();
  return holdDirection(intent.remoteHold ? 'recvonly' : 'sendrecv');
}

/**
 * Direction for our answer to an offered direction, honouring our own hold.
 *
 * RFC 3264 §6.1: "If a stream is offered as sendonly, the corresponding stream MUST be marked as
 * recvonly or inactive in the answer. If a media stream is listed as recvonly in the offer, the
 * answer MUST be marked as sendonly or inactive in the answer. If an offered media stream is
 * listed as sendrecv (or if there is no direction attribute at the media or session level, in
 * which case the stream is sendrecv by default), the corresponding stream in the answer MAY be
 * marked as sendonly, recvonly, sendrecv, or inactive. If an offered media stream is listed as
 * inactive, it MUST be marked as inactive in the answer."
 */
export function answerDirection(offered: Direction, localHold: boolean): Direction {
  const wantReceive = !localHold;
  return directionFrom(receives(offered), sends(offered) && wantReceive);
}

export interface DirectionRewriteOptions {
  /** Kinds to rewrite; both audio and video by default. */
  readonly kinds?: readonly MediaKind[];
}

/**
 * Returns a copy of `sdp` with every active audio/video m-line marked `direction`, and the
 * session-level direction moved down into the m-lines first, so a line we do not touch (e.g. an
 * application m-line) keeps the meaning it had. Rejected lines (port 0) are left alone.
 */
export function rewriteDirection(
  sdp: SdpInput,
  direction: Direction | ((current: Direction, media: MediaDescription) => Direction),
  options: DirectionRewriteOptions = {},
): SessionDescription {
  const description = toSessionDescription(sdp);
  const kinds = options.kinds ?? ['audio', 'video'];
  const sessionDirection = description.direction;
  delete description.direction;
  for (const media of description.media) {
    const current = media.direction ?? sessionDirection ?? 'sendrecv';
    if (sessionDirection !== undefined && media.direction === undefined) media.direction = sessionDirection;
    if (!isActiveMedia(media) || !isMediaKind(media.type) || !kinds.includes(media.type)) continue;
    media.direction = typeof direction === 'function' ? direction(current, media) : direction;
  }
  return description;
}

/**
 * Rewrites our own offer to put the call on hold: each stream loses its receive half
 * (sendrecv → sendonly, recvonly → inactive). When the peer holds us, pass `remoteHold` so a stream
 * the browser still marks sendrecv becomes inactive, as RFC 3264 §8.4 asks for a recvonly stream.
 */
export function applyHoldToOffer(sdp: SdpInput, remoteHold: boolean): SessionDescription {
  return rewriteDirection(sdp, (current) =>
    holdDirection(remoteHold && current === 'sendrecv' ? 'recvonly' : current),
  );
}

/**
 * Rewrites our own offer to resume: streams that can send go back to sendrecv; a stream with no
 * local track (the browser wrote recvonly) stays recvonly, and inactive becomes recvonly.
 */
export function applyResumeToOffer(sdp: SdpInput): SessionDescription {
  return rewriteDirection(sdp, (current) => directionFrom(sends(current), true));
}

/** How one m-line of the peer's SDP reads from our side. */
export interface RemoteStreamState {
  readonly index: number;
  readonly mid: string | undefined;
  readonly kind: string;
  /** The direction written by the peer, after session-level inheritance. */
  readonly direction: Direction;
  /** The peer sends media to us on this stream. */
  readonly peerSends: boolean;
  /** The peer accepts media from us on this stream. */
  readonly peerReceives: boolean;
  /** The stream was rejected or removed (port 0). */
  readonly rejected: boolean;
}

/** Reads every m-line's direction from the peer's SDP (offer or answer). */
export function readRemoteDirections(sdp: SdpInput): RemoteStreamState[] {
  const description = toSessionDescription(sdp);
  return description.media.map((media, index) => {
    const direction = effectiveDirection(description, media);
    return {
      index,
      mid: media.mid === undefined ? undefined : String(media.mid),
      kind: media.type,
      direction,
      peerSends: sends(direction),
      peerReceives: receives(direction),
      rejected: !isActiveMedia(media),
    };
  });
}

/**
 * Whether the peer holds us, judged from the audio streams of its SDP.
 *
 * RFC 6337 §5.3: a peer that writes sendonly or inactive is not receiving from us, which is how a
 * hold reaches us. In an *answer* to an offer in which we ourselves did not offer to send
 * (`ourOffered` recvonly or inactive, i.e. our own hold), the peer has no choice but to refuse
 * receiving, so its answer says nothing about its own hold: the result is `undefined`, meaning
 * "keep what you knew".
 */
export function isHeldByRemote(sdp: SdpInput, ourOffered?: Direction): boolean | undefined {
  const audio = readRemoteDirections(sdp).filter((stream) => stream.kind === 'audio' && !stream.rejected);
  if (audio.length === 0) return undefined;
  if (audio.some((stream) => stream.peerReceives)) return false;
  if (ourOffered !== undefined && !sends(ourOffered)) return undefined;
  return true;
}
