/**
 * Shared helpers over `sdp-transform` session objects (RFC 4566 §5): parse once, clone before any
 * rewrite so every SDP function in this folder stays pure (STYLE.md habit 9).
 */
import { parse, write } from 'sdp-transform';
import type { MediaDescription, SessionDescription } from 'sdp-transform';

export type { MediaDescription, SessionDescription };

/** An SDP body as text or as an already-parsed `sdp-transform` object. */
export type SdpInput = string | SessionDescription;

/**
 * Parses text, or deep-copies an object, so the caller's value is never mutated.
 * `sdp-transform` is lenient: unknown lines land in `invalid`, it does not throw on garbage.
 */
export function toSessionDescription(input: SdpInput): SessionDescription {
  return typeof input === 'string' ? parse(input) : structuredClone(input);
}

/** Reads text or an object without copying; for functions that only inspect. */
export function readSessionDescription(input: SdpInput): SessionDescription {
  return typeof input === 'string' ? parse(input) : input;
}

/** Serialises with CRLF line ends, as RFC 4566 §5 requires. */
export function toSdpText(description: SessionDescription): string {
  return write(description);
}

/**
 * RFC 3264 §8.2: "Existing media streams are removed by creating a new SDP with the port number
 * for that stream set to zero." A zero port therefore means a rejected or removed stream, except
 * for an RFC 8843 §6 `a=bundle-only` line, whose zero port means "carried on the BUNDLE transport".
 */
export function isActiveMedia(media: MediaDescription): boolean {
  return media.port !== 0 || media.bundleOnly === 'bundle-only';
}

/** Media kinds a browser can carry over RTP. */
export type MediaKind = 'audio' | 'video';

export function isMediaKind(type: string): type is MediaKind {
  return type === 'audio' || type === 'video';
}
