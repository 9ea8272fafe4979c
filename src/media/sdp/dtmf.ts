/**
 * RFC 4733 telephone-event negotiation: whether DTMF can travel in RTP (RTCDTMFSender) or must
 * fall back to SIP INFO.
 */
import { mediaCodecs } from './codecs';
import { isActiveMedia, readSessionDescription } from './session-description';
import type { SdpInput } from './session-description';

export interface TelephoneEvent {
  readonly payload: number;
  readonly clockRate: number;
  /** RFC 4733 §2.4.1 fmtp event list, e.g. "0-16"; undefined when absent (meaning 0-15). */
  readonly events: string | undefined;
}

/**
 * The telephone-event payloads of the first active audio m-line, the one the browser's DTMF sender
 * uses. RFC 4733 §7.1.1: the clock rate should match the audio codec's, so the payload at the
 * clock rate of the first (chosen) codec comes first.
 */
export function telephoneEvents(sdp: SdpInput): TelephoneEvent[] {
  const description = readSessionDescription(sdp);
  const audio = description.media.find((media) => media.type === 'audio' && isActiveMedia(media));
  if (!audio) return [];
  const codecs = mediaCodecs(audio);
  const primaryRate = codecs.find(
    (codec) => !['telephone-event', 'cn', 'red'].includes(codec.name.toLowerCase()),
  )?.clockRate;
  return codecs
    .filter((codec) => codec.name.toLowerCase() === 'telephone-event')
    .map((codec) => ({
      payload: codec.payload,
      clockRate: codec.clockRate ?? 8000,
      events: audio.fmtp.find((entry) => entry.payload === codec.payload)?.config,
    }))
    .sort((a, b) => Number(b.clockRate === primaryRate) - Number(a.clockRate === primaryRate));
}

/** The telephone-event payload DTMF would use, or undefined when the SDP has none. */
export function negotiatedTelephoneEvent(sdp: SdpInput): TelephoneEvent | undefined {
  return telephoneEvents(sdp)[0];
}

/**
 * Whether RFC 4733 DTMF was negotiated. An answer lists only what both sides accepted (RFC 3264
 * §6.1), so the *answer* of the last completed exchange is the one to pass here, whichever side
 * wrote it.
 */
export function hasTelephoneEvent(sdp: SdpInput): boolean {
  return telephoneEvents(sdp).length > 0;
}

/** RFC 4733 §3.2 events 0-15 as `insertDTMF` accepts them, plus ',' for a two-second pause. */
const DTMF_TONES = /^[0-9A-D#*,]+$/i;

export function isValidDtmf(tones: string): boolean {
  return DTMF_TONES.test(tones);
}
