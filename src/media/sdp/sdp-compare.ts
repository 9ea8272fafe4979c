/**
 * Telling whether a peer's SDP is the one already applied: FreeSWITCH sends its answer in a 183
 * and again in the 200, and the browser must not take the same answer twice.
 */
import { write as writeText } from 'sdp-transform';
import { readSessionDescription } from './session-description';
import type { SdpInput, SessionDescription } from './session-description';

/** The o= fields that identify one version of one session (RFC 4566 §5.2). */
function originKey(description: SessionDescription): string {
  const origin = description.origin;
  return [
    origin.username,
    String(origin.sessionId),
    String(origin.sessionVersion),
    origin.netType,
    origin.address,
  ].join(' ');
}

/**
 * The body with CRLF/LF differences, trailing blanks, empty lines and the o= line removed, so two
 * copies that differ only in formatting (or in a version bumped without change) compare equal.
 */
export function normaliseSdp(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !line.startsWith('o='))
    .join('\n');
}

export type SameDescriptionBasis = 'origin' | 'body' | 'different';

/**
 * Compares two SDP bodies from the same peer.
 *
 * RFC 3264 §8: "If the version in the origin line does not increment, the SDP MUST be identical
 * to the SDP with that version number." So an identical o= line (user, session id, version,
 * address) means the same description. Failing that, the normalised bodies are compared, so a
 * peer that bumps the version without any change is not mistaken for a new answer either.
 */
export function compareDescriptions(a: SdpInput, b: SdpInput): SameDescriptionBasis {
  const first = readSessionDescription(a);
  const second = readSessionDescription(b);
  if (first.origin !== undefined && second.origin !== undefined && originKey(first) === originKey(second)) {
    return 'origin';
  }
  const text = (input: SdpInput): string => (typeof input === 'string' ? input : writeText(input));
  return normaliseSdp(text(a)) === normaliseSdp(text(b)) ? 'body' : 'different';
}

/** True when `b` is the same description as `a` (see {@link compareDescriptions}). */
export function isSameDescription(a: SdpInput, b: SdpInput): boolean {
  return compareDescriptions(a, b) !== 'different';
}
