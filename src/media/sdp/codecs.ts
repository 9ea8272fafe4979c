/**
 * Codec choice over SDP (RFC 3264 §5.1, §6.1; RFC 4566 §6 rtpmap/fmtp): preference ordering,
 * removal that keeps the helper payloads (RFC 4588 rtx, RFC 2198 red, RFC 5109 ulpfec, RFC 4733
 * telephone-event) consistent, the same ordering for `RTCRtpTransceiver.setCodecPreferences`, and
 * a plain-words explanation of why a peer's SDP cannot be used (for a 488 or a failed answer).
 */
import { parsePayloads } from 'sdp-transform';
import {
  isActiveMedia,
  isMediaKind,
  readSessionDescription,
  toSessionDescription,
} from './session-description';
import type { MediaDescription, MediaKind, SdpInput, SessionDescription } from './session-description';

/** One payload type of one m-line, as written in its rtpmap (or the RFC 3551 static table). */
export interface SdpCodec {
  readonly payload: number;
  readonly name: string;
  readonly clockRate: number | undefined;
  readonly channels: number | undefined;
}

/** RFC 3551 §6 static payload types, used when an rtpmap line is absent. */
const STATIC_PAYLOADS: Readonly<Record<number, readonly [string, number]>> = {
  0: ['PCMU', 8000],
  3: ['GSM', 8000],
  4: ['G723', 8000],
  8: ['PCMA', 8000],
  9: ['G722', 8000],
  13: ['CN', 8000],
  18: ['G729', 8000],
  34: ['H263', 90000],
};

/** Payloads that carry no media of their own but lean on a primary codec. */
const DEPENDENT = new Set(['rtx', 'red', 'ulpfec', 'flexfec-03', 'telephone-event', 'cn']);

/** Default audio order: Opus for browsers, G.711 kept for PBXs that pass Opus through only. */
export const DEFAULT_AUDIO_PREFERENCE: readonly string[] = ['opus', 'PCMU', 'PCMA'];

export function isPrimaryCodec(name: string): boolean {
  return !DEPENDENT.has(name.toLowerCase());
}

/** Lists the payload types of an m-line in m= order, with names from rtpmap or the static table. */
export function mediaCodecs(media: MediaDescription): SdpCodec[] {
  const payloads = media.payloads === undefined ? [] : parsePayloads(String(media.payloads));
  return payloads.map((payload) => {
    const rtp = media.rtp.find((entry) => entry.payload === payload);
    if (rtp) return { payload, name: rtp.codec, clockRate: rtp.rate, channels: rtp.encoding };
    const known = STATIC_PAYLOADS[payload];
    return { payload, name: known?.[0] ?? `payload ${payload}`, clockRate: known?.[1], channels: undefined };
  });
}

function fmtpOf(media: MediaDescription, payload: number): string | undefined {
  return media.fmtp.find((entry) => entry.payload === payload)?.config;
}

/** RFC 4588 §8.1: "apt" names the payload type an rtx payload retransmits. */
function rtxTarget(media: MediaDescription, payload: number): number | undefined {
  const match = /(?:^|;)\s*apt=(\d+)/.exec(fmtpOf(media, payload) ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** RFC 2198 §5 (with the RFC 8627 audio fmtp "111/111"): the payloads a red payload wraps. */
function redTargets(media: MediaDescription, payload: number): number[] {
  const config = fmtpOf(media, payload);
  if (config === undefined || !/^\d+(\/\d+)*$/.test(config.trim())) return [];
  return config
    .trim()
    .split('/')
    .map((value) => Number(value));
}

function rank(name: string, preference: readonly string[]): number {
  const index = preference.findIndex((wanted) => wanted.toLowerCase() === name.toLowerCase());
  return index === -1 ? preference.length : index;
}

/**
 * Keeps only `kept` payloads (in the given order) and drops every line that speaks of another
 * payload: rtpmap, fmtp, rtcp-fb. Mutates `media`; callers pass a clone.
 */
function setPayloads(media: MediaDescription, kept: readonly number[]): void {
  const keep = new Set(kept);
  media.payloads = kept.join(' ');
  media.rtp = media.rtp.filter((entry) => keep.has(entry.payload));
  media.fmtp = media.fmtp.filter((entry) => keep.has(entry.payload));
  if (media.rtcpFb) {
    media.rtcpFb = media.rtcpFb.filter((entry) => entry.payload === '*' || keep.has(Number(entry.payload)));
  }
  if (media.rtcpFbTrrInt) {
    media.rtcpFbTrrInt = media.rtcpFbTrrInt.filter(
      (entry) => entry.payload === '*' || keep.has(Number(entry.payload)),
    );
  }
}

/**
 * Computes the new payload order of one m-line: primary codecs by preference (unlisted ones after,
 * in their original order, unless `dropUnlisted`), each followed by its rtx; then red/FEC; then
 * telephone-event at a clock rate some kept primary uses; CN last and only when allowed. A helper
 * whose primary is gone goes too. If nothing primary would remain the line is left unchanged: an
 * m-line without a codec is not valid SDP.
 */
function orderPayloads(media: MediaDescription, options: ReorderOptions): number[] {
  const codecs = mediaCodecs(media);
  const preference = options.preference;
  const primaries = codecs
    .filter((codec) => isPrimaryCodec(codec.name))
    .filter((codec) => !options.dropUnlisted || rank(codec.name, preference) < preference.length)
    .map((codec, position) => ({ codec, position }))
    .sort(
      (a, b) => rank(a.codec.name, preference) - rank(b.codec.name, preference) || a.position - b.position,
    )
    .map(({ codec }) => codec);
  if (primaries.length === 0) return codecs.map((codec) => codec.payload);

  const order: number[] = [];
  const kept = new Set<number>();
  const push = (payload: number): void => {
    if (kept.has(payload)) return;
    kept.add(payload);
    order.push(payload);
  };
  const rtxFor = (target: number): SdpCodec[] =>
    codecs.filter(
      (codec) => codec.name.toLowerCase() === 'rtx' && rtxTarget(media, codec.payload) === target,
    );

  for (const codec of primaries) {
    push(codec.payload);
    for (const rtx of rtxFor(codec.payload)) push(rtx.payload);
  }
  for (const codec of codecs) {
    const name = codec.name.toLowerCase();
    if (name === 'red') {
      const targets = redTargets(media, codec.payload);
      if (targets.length > 0 && !targets.every((target) => kept.has(target))) continue;
    } else if (name !== 'ulpfec' && name !== 'flexfec-03') {
      continue;
    }
    push(codec.payload);
    for (const rtx of rtxFor(codec.payload)) push(rtx.payload);
  }
  const rates = new Set(primaries.map((codec) => codec.clockRate));
  for (const codec of codecs) {
    if (codec.name.toLowerCase() === 'telephone-event' && rates.has(codec.clockRate)) push(codec.payload);
  }
  if (options.comfortNoise) {
    for (const codec of codecs) {
      if (codec.name.toLowerCase() === 'cn' && rates.has(codec.clockRate)) push(codec.payload);
    }
  }
  return order;
}

export interface ReorderOptions {
  /** Codec names, most wanted first, matched case-insensitively (e.g. ['opus', 'PCMU', 'PCMA']). */
  readonly preference: readonly string[];
  /**
   * Keep CN (RFC 3389 comfort noise). Off by default: FreeSWITCH's CN with PCMU silenced a
   * browser (see PBX-NOTES.md), and browsers do their own comfort noise.
   */
  readonly comfortNoise?: boolean;
  /** Remove primary codecs absent from `preference` instead of moving them to the end. */
  readonly dropUnlisted?: boolean;
}

/**
 * Reorders (and optionally trims) the payloads of every active m-line of `kind`. RFC 3264 §5.1:
 * the formats are listed "in order of preference, with the first format listed being preferred".
 */
export function reorderCodecs(sdp: SdpInput, kind: MediaKind, options: ReorderOptions): SessionDescription {
  const description = toSessionDescription(sdp);
  for (const media of description.media) {
    if (media.type !== kind || !isActiveMedia(media)) continue;
    setPayloads(media, orderPayloads(media, options));
  }
  return description;
}

/** Drops CN (RFC 3389) payloads from every audio m-line, keeping the order of the rest. */
export function removeComfortNoise(sdp: SdpInput): SessionDescription {
  const description = toSessionDescription(sdp);
  for (const media of description.media) {
    if (media.type !== 'audio') continue;
    const codecs = mediaCodecs(media);
    const kept = codecs.filter((codec) => codec.name.toLowerCase() !== 'cn').map((codec) => codec.payload);
    if (kept.length > 0 && kept.length < codecs.length) setPayloads(media, kept);
  }
  return description;
}

/** The subset of `RTCRtpCodecCapability` (WebRTC §5.2) the ordering needs. */
export interface CodecCapabilityLike {
  readonly mimeType: string;
  readonly clockRate: number;
  readonly channels?: number;
  readonly sdpFmtpLine?: string;
}

function capabilityName(capability: CodecCapabilityLike): string {
  return capability.mimeType.slice(capability.mimeType.indexOf('/') + 1);
}

/**
 * The same policy as {@link reorderCodecs}, for `RTCRtpTransceiver.setCodecPreferences`: primaries
 * by preference, then rtx/red/FEC as the browser listed them, then telephone-event, CN only when
 * allowed. Returns a new array; the input order breaks ties.
 */
export function sortCodecCapabilities<T extends CodecCapabilityLike>(
  capabilities: readonly T[],
  options: ReorderOptions,
): T[] {
  const { preference } = options;
  const primaries = capabilities
    .filter((capability) => isPrimaryCodec(capabilityName(capability)))
    .filter(
      (capability) =>
        !options.dropUnlisted || rank(capabilityName(capability), preference) < preference.length,
    )
    .map((capability, position) => ({ capability, position }))
    .sort(
      (a, b) =>
        rank(capabilityName(a.capability), preference) - rank(capabilityName(b.capability), preference) ||
        a.position - b.position,
    )
    .map(({ capability }) => capability);
  if (primaries.length === 0) return [...capabilities];
  const rates = new Set(primaries.map((capability) => capability.clockRate));
  const named = (name: string) => (capability: T) => capabilityName(capability).toLowerCase() === name;
  const fec = capabilities.filter((capability) =>
    ['rtx', 'red', 'ulpfec', 'flexfec-03'].includes(capabilityName(capability).toLowerCase()),
  );
  const events = capabilities.filter(named('telephone-event')).filter((c) => rates.has(c.clockRate));
  const noise = options.comfortNoise
    ? capabilities.filter(named('cn')).filter((c) => rates.has(c.clockRate))
    : [];
  return [...primaries, ...fec, ...events, ...noise];
}

/** What this browser can take part in, gathered from `RTCRtpSender.getCapabilities()`. */
export interface LocalCapabilities {
  /** Primary audio codec names (e.g. opus, G722, PCMU, PCMA). */
  readonly audio: readonly string[];
  /** Primary video codec names (e.g. VP8, VP9, H264, AV1). */
  readonly video: readonly string[];
}

/** Builds {@link LocalCapabilities} from the browser's capability lists (null when unsupported). */
export function localCapabilitiesFrom(
  audio: { readonly codecs: readonly CodecCapabilityLike[] } | null,
  video: { readonly codecs: readonly CodecCapabilityLike[] } | null,
): LocalCapabilities {
  const names = (list: { readonly codecs: readonly CodecCapabilityLike[] } | null): string[] => [
    ...new Set((list?.codecs ?? []).map(capabilityName).filter(isPrimaryCodec)),
  ];
  return { audio: names(audio), video: names(video) };
}

/** One m-line as offered or answered, for diagnostics. */
export interface OfferedMedia {
  readonly kind: string;
  readonly port: number;
  readonly protocol: string;
  readonly rejected: boolean;
  readonly codecs: readonly SdpCodec[];
  readonly dtls: boolean;
  readonly sdes: boolean;
  readonly ice: boolean;
  readonly rtcpMux: boolean;
}

/** Lists every m-line with its codecs and transport features. */
export function listOfferedMedia(sdp: SdpInput): OfferedMedia[] {
  const description = readSessionDescription(sdp);
  return description.media.map((media) => ({
    kind: media.type,
    port: media.port,
    protocol: media.protocol,
    rejected: !isActiveMedia(media),
    codecs: mediaCodecs(media),
    dtls: (media.fingerprint ?? description.fingerprint) !== undefined,
    sdes: (media.crypto?.length ?? 0) > 0,
    ice: (media.iceUfrag ?? description.iceUfrag) !== undefined,
    rtcpMux: media.rtcpMux !== undefined,
  }));
}

const FRIENDLY_NAMES: Readonly<Record<string, string>> = {
  opus: 'Opus',
  pcmu: 'G.711 µ-law (PCMU)',
  pcma: 'G.711 A-law (PCMA)',
  g722: 'G.722',
  g729: 'G.729',
  g723: 'G.723.1',
  g726: 'G.726',
  gsm: 'GSM',
  ilbc: 'iLBC',
  speex: 'Speex',
  amr: 'AMR',
  'amr-wb': 'AMR-WB',
  silk: 'SILK',
  h263: 'H.263',
  h264: 'H.264',
  h265: 'H.265',
  vp8: 'VP8',
  vp9: 'VP9',
  av1: 'AV1',
};

/** A codec name as a person would write it ("G729" → "G.729"). */
export function friendlyCodecName(name: string): string {
  return FRIENDLY_NAMES[name.toLowerCase()] ?? name;
}

/** "A", "A and B", "A, B and C". */
function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export type IncompatibilityCode =
  | 'no-media'
  | 'all-rejected'
  | 'unencrypted-rtp'
  | 'sdes-srtp'
  | 'no-dtls'
  | 'no-ice'
  | 'no-rtcp-mux'
  | 'no-common-audio-codec'
  | 'no-common-video-codec';

export interface Incompatibility {
  readonly code: IncompatibilityCode;
  readonly message: string;
}

export interface ExplainOptions {
  /** Whether the peer's SDP was an offer or an answer; only changes the wording. */
  readonly role?: 'offer' | 'answer';
}

/**
 * Compares the peer's SDP with what this browser supports and lists, in plain words, each reason
 * it cannot be used. Empty when nothing obvious is wrong.
 *
 * RFC 3264 §6: an answerer rejects a stream it cannot use by port 0, and a session with no usable
 * stream at all ends in 488 Not Acceptable Here (RFC 3261 §21.4.26).
 */
export function findIncompatibilities(
  local: LocalCapabilities,
  remote: SdpInput,
  options: ExplainOptions = {},
): Incompatibility[] {
  const verb = options.role === 'answer' ? 'answered with' : 'offered';
  const media = listOfferedMedia(remote).filter((entry) => isMediaKind(entry.kind));
  if (media.length === 0) {
    return [{ code: 'no-media', message: 'The other side did not offer any audio or video stream.' }];
  }
  const active = media.filter((entry) => !entry.rejected);
  if (active.length === 0) {
    return [
      { code: 'all-rejected', message: 'The other side refused every audio and video stream of the call.' },
    ];
  }

  const problems: Incompatibility[] = [];
  const first = active[0]!;
  if (active.some((entry) => !/SAVP/i.test(entry.protocol))) {
    problems.push({
      code: 'unencrypted-rtp',
      message:
        `The other side ${verb} unencrypted media (${first.protocol}), but browsers only send ` +
        'encrypted media (DTLS-SRTP). Ask the administrator to enable WebRTC for this account.',
    });
  } else if (active.some((entry) => !entry.dtls && entry.sdes)) {
    problems.push({
      code: 'sdes-srtp',
      message:
        `The other side ${verb} SDES-SRTP keys (a=crypto), which browsers do not accept; ` +
        'they need DTLS-SRTP. Ask the administrator to enable WebRTC for this account.',
    });
  } else if (active.some((entry) => !entry.dtls)) {
    problems.push({
      code: 'no-dtls',
      message: `The other side ${verb} no DTLS fingerprint, so the browser cannot encrypt the media.`,
    });
  }
  if (active.some((entry) => !entry.ice)) {
    problems.push({
      code: 'no-ice',
      message: `The other side ${verb} no ICE credentials, which browsers need to connect the media.`,
    });
  }
  if (problems.length === 0 && active.some((entry) => !entry.rtcpMux)) {
    problems.push({
      code: 'no-rtcp-mux',
      message: `The other side ${verb} media without RTCP multiplexing (rtcp-mux), which browsers require.`,
    });
  }

  const codecProblem = (kind: MediaKind, supported: readonly string[]): Incompatibility | undefined => {
    const lines = active.filter((entry) => entry.kind === kind);
    if (lines.length === 0) return undefined;
    const wanted = new Set(supported.map((name) => name.toLowerCase()));
    const offered = lines.flatMap((entry) => entry.codecs).filter((codec) => isPrimaryCodec(codec.name));
    if (offered.some((codec) => wanted.has(codec.name.toLowerCase()))) return undefined;
    const names = [...new Set(offered.map((codec) => friendlyCodecName(codec.name)))];
    const ours = listInWords([...new Set(supported.filter(isPrimaryCodec).map(friendlyCodecName))]);
    const theirs = names.length === 0 ? `no ${kind} codec` : `only ${listInWords(names)}`;
    return {
      code: kind === 'audio' ? 'no-common-audio-codec' : 'no-common-video-codec',
      message:
        `The other side ${verb} ${theirs}, which this browser cannot use` +
        (ours === '' ? '.' : ` (it supports ${ours}).`),
    };
  };
  const audioProblem = codecProblem('audio', local.audio);
  if (audioProblem) problems.push(audioProblem);
  // Video alone failing does not break a call (the line is refused with port 0), unless video
  // was all there was.
  const videoProblem = codecProblem('video', local.video);
  if (videoProblem && !active.some((entry) => entry.kind === 'audio')) problems.push(videoProblem);
  return problems;
}

/**
 * One plain-words sentence (or a few) saying why the call cannot use the peer's SDP, e.g.
 * "The other side offered only G.729, which this browser cannot use (it supports Opus, …)."
 * `undefined` when no local reason is found: the caller then falls back to Warning/Reason headers.
 */
export function explainIncompatibility(
  local: LocalCapabilities,
  remote: SdpInput,
  options: ExplainOptions = {},
): string | undefined {
  const problems = findIncompatibilities(local, remote, options);
  return problems.length === 0 ? undefined : problems.map((problem) => problem.message).join(' ');
}
