/**
 * ICE candidates inside SDP (RFC 8839 §5.1 a=candidate, §5.1 a=end-of-candidates). Ringlet sends
 * complete SDP (no trickle over SIP), so the question before sending an offer is: how many
 * candidates do we have, and is gathering finished?
 */
import { isActiveMedia, readSessionDescription, toSessionDescription } from './session-description';
import type { MediaDescription, SdpInput, SessionDescription } from './session-description';

export type Candidate = NonNullable<MediaDescription['candidates']>[number];

export interface CandidateCount {
  readonly total: number;
  readonly host: number;
  readonly srflx: number;
  readonly prflx: number;
  readonly relay: number;
  /** Per m-line, in m-line order. */
  readonly perMedia: readonly number[];
}

/** Counts candidates by type over every m-line (rejected ones included: they are still written). */
export function countCandidates(sdp: SdpInput): CandidateCount {
  const description = readSessionDescription(sdp);
  const counts = { host: 0, srflx: 0, prflx: 0, relay: 0 };
  const perMedia = description.media.map((media) => {
    for (const candidate of media.candidates ?? []) {
      if (candidate.type in counts) counts[candidate.type as keyof typeof counts] += 1;
    }
    return media.candidates?.length ?? 0;
  });
  return { ...counts, total: perMedia.reduce((sum, n) => sum + n, 0), perMedia };
}

/** Whether at least one active m-line carries a candidate: without one the peer cannot reach us. */
export function hasCandidates(sdp: SdpInput): boolean {
  return readSessionDescription(sdp).media.some(
    (media) => isActiveMedia(media) && (media.candidates?.length ?? 0) > 0,
  );
}

/**
 * Whether gathering is declared complete. RFC 8840 §4.1: the end-of-candidates indication is
 * attached to each m-line, and with BUNDLE (RFC 8843 §7) only the m-line that carries the shared
 * transport needs it, i.e. the first mid of the group.
 */
export function hasEndOfCandidates(sdp: SdpInput): boolean {
  const description = readSessionDescription(sdp);
  const bundles = (description.groups ?? [])
    .filter((group) => group.type === 'BUNDLE')
    .map((group) => String(group.mids).split(' '));
  const active = description.media.filter(isActiveMedia);
  if (active.length === 0) return false;
  const byMid = new Map(description.media.map((media) => [String(media.mid), media]));
  return active.every((media) => {
    if (media.endOfCandidates !== undefined) return true;
    const bundle = bundles.find((mids) => mids.includes(String(media.mid)));
    const tagged = bundle?.[0] === undefined ? undefined : byMid.get(bundle[0]);
    return tagged !== undefined && tagged !== media && tagged.endOfCandidates !== undefined;
  });
}

/**
 * Removes candidates (all, or those `drop` selects, e.g. TCP or mDNS `.local` hosts a PBX cannot
 * resolve) and returns a copy. RFC 8839 §5.1 needs no other change: the c= line and the port stay.
 */
export function stripCandidates(
  sdp: SdpInput,
  drop: (candidate: Candidate, media: MediaDescription) => boolean = () => true,
): SessionDescription {
  const description = toSessionDescription(sdp);
  for (const media of description.media) {
    if (!media.candidates) continue;
    media.candidates = media.candidates.filter((candidate) => !drop(candidate, media));
    if (media.candidates.length === 0) delete media.candidates;
  }
  return description;
}

/** A candidate whose address is an mDNS name (draft-ietf-mmusic-mdns-ice-candidates). */
export function isMdnsCandidate(candidate: Candidate): boolean {
  return candidate.ip.toLowerCase().endsWith('.local');
}
