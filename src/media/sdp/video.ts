/**
 * Adding and removing a video stream mid-call (RFC 3264 §8.1, §8.2): decisions and rewrites over
 * SDP; the browser side (transceivers, camera) lives in media-session.ts.
 */
import { isActiveMedia, readSessionDescription, toSessionDescription } from './session-description';
import type { MediaDescription, SdpInput, SessionDescription } from './session-description';
import { effectiveDirection } from './hold';
import type { Direction } from './hold';

export interface VideoLine {
  readonly index: number;
  readonly mid: string | undefined;
  readonly port: number;
  readonly active: boolean;
  readonly direction: Direction;
}

/** Every video m-line with its state. */
export function videoLines(sdp: SdpInput): VideoLine[] {
  const description = readSessionDescription(sdp);
  return description.media.flatMap((media, index) =>
    media.type === 'video'
      ? [
          {
            index,
            mid: media.mid === undefined ? undefined : String(media.mid),
            port: media.port,
            active: isActiveMedia(media),
            direction: effectiveDirection(description, media),
          },
        ]
      : [],
  );
}

/** Whether the SDP carries a live video stream (active port, some direction other than inactive). */
export function hasActiveVideo(sdp: SdpInput): boolean {
  return videoLines(sdp).some((line) => line.active && line.direction !== 'inactive');
}

export type VideoPlan =
  /** Nothing to do: the session already matches what the user wants. */
  | { readonly action: 'none' }
  /** RFC 3264 §8.1: "New media streams are created by new additional media descriptions below the existing ones, or by reusing the "slot" used by an old media stream which had been disabled by setting its port to zero." */
  | { readonly action: 'add'; readonly reuseIndex: number | undefined }
  /** RFC 3264 §8.2: "Existing media streams are removed by creating a new SDP with the port number for that stream set to zero." */
  | { readonly action: 'remove'; readonly index: number };

/**
 * What the next offer must do about video, given the current negotiated SDP (ours or theirs: the
 * m-line layout is shared) and whether the user wants to send video.
 */
export function planVideo(current: SdpInput | undefined, wantVideo: boolean): VideoPlan {
  const lines = current === undefined ? [] : videoLines(current);
  const live = lines.find((line) => line.active);
  if (wantVideo) {
    if (live) return { action: 'none' };
    return { action: 'add', reuseIndex: lines.find((line) => !line.active)?.index };
  }
  return live ? { action: 'remove', index: live.index } : { action: 'none' };
}

/**
 * Sets an m-line's port to zero and trims it, removing its mid from any BUNDLE group.
 *
 * RFC 3264 §8.2: "A stream that is offered with a port of zero MUST be marked with port zero in
 * the answer." and "the stream description MAY omit all attributes present previously, and MAY
 * list just a single media format."
 */
export function rejectMediaLine(sdp: SdpInput, index: number): SessionDescription {
  const description = toSessionDescription(sdp);
  const media = description.media[index];
  if (!media) return description;
  const mid = media.mid === undefined ? undefined : String(media.mid);
  const firstPayload = String(media.payloads ?? '').split(' ')[0] ?? '';
  const keptRtp = media.rtp.filter((entry) => String(entry.payload) === firstPayload);
  const trimmed: MediaDescription = {
    type: media.type,
    port: 0,
    protocol: media.protocol,
    payloads: firstPayload,
    rtp: keptRtp,
    fmtp: [],
    direction: 'inactive',
    ...(mid === undefined ? {} : { mid }),
  };
  description.media[index] = trimmed;
  if (mid !== undefined && description.groups) {
    description.groups = description.groups
      .map((group) =>
        group.type === 'BUNDLE'
          ? {
              ...group,
              mids: String(group.mids)
                .split(' ')
                .filter((value) => value !== mid)
                .join(' '),
            }
          : group,
      )
      .filter((group) => group.mids !== '');
  }
  return description;
}

/** Rejects every video line (answering an audio-only call to a video offer without a browser). */
export function rejectVideo(sdp: SdpInput): SessionDescription {
  let description = toSessionDescription(sdp);
  description.media.forEach((media, index) => {
    if (media.type === 'video' && media.port !== 0) description = rejectMediaLine(description, index);
  });
  return description;
}
