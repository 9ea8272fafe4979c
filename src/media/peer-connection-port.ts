/**
 * The slice of the WebRTC API (W3C WebRTC 1.0, Media Capture and Streams) the media layer uses,
 * as ports (STYLE.md habit 6): the browser's own objects satisfy them (checked at compile time in
 * browser-media.ts) and `fake-peer-connection.ts` implements them for Node tests.
 */

export interface TrackLike {
  readonly kind: string;
  readonly id: string;
  enabled: boolean;
  readonly readyState: MediaStreamTrackState;
  stop(): void;
  addEventListener(type: 'ended', listener: () => void): void;
  removeEventListener(type: 'ended', listener: () => void): void;
}

export interface StreamLike {
  readonly id: string;
  getTracks(): TrackLike[];
  addTrack(track: TrackLike): void;
  removeTrack(track: TrackLike): void;
}

export interface DtmfSenderLike {
  readonly canInsertDTMF: boolean;
  readonly toneBuffer: string;
  insertDTMF(tones: string, duration?: number, interToneGap?: number): void;
}

export interface SenderLike {
  readonly track: TrackLike | null;
  readonly dtmf: DtmfSenderLike | null;
  replaceTrack(track: TrackLike | null): Promise<void>;
  /**
   * W3C WebRTC §5.2 setStreams: the stream ids signalled in `a=msid` for this sender. Absent in
   * browsers that predate it; the sender then signals `a=msid:- <track>`.
   */
  setStreams?(...streams: StreamLike[]): void;
}

export interface ReceiverLike {
  readonly track: TrackLike;
}

export interface CodecLike {
  readonly mimeType: string;
  readonly clockRate: number;
  readonly channels?: number;
  readonly sdpFmtpLine?: string;
}

export interface TransceiverLike {
  readonly mid: string | null;
  direction: RTCRtpTransceiverDirection;
  readonly currentDirection: RTCRtpTransceiverDirection | null;
  readonly sender: SenderLike;
  readonly receiver: ReceiverLike;
  stop(): void;
  /** Absent in browsers that predate it; SDP reordering is the fallback. */
  setCodecPreferences?(codecs: CodecLike[]): void;
}

export interface DescriptionLike {
  readonly type: RTCSdpType;
  readonly sdp: string;
}

/** Anything with `forEach` over stats objects: RTCStatsReport, or a Map in tests. */
export interface StatsReportLike {
  forEach(callback: (value: unknown) => void): void;
}

export interface PeerConnectionLike {
  readonly signalingState: RTCSignalingState;
  readonly iceGatheringState: RTCIceGatheringState;
  readonly iceConnectionState: RTCIceConnectionState;
  readonly connectionState: RTCPeerConnectionState;
  readonly localDescription: DescriptionLike | null;
  readonly remoteDescription: DescriptionLike | null;
  createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit>;
  createAnswer(): Promise<RTCSessionDescriptionInit>;
  setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  /**
   * W3C WebRTC §5.1 addTrack: the sender signals `streams` in `a=msid`, and, unlike a transceiver
   * made by addTransceiver, the transceiver it creates is reused by a remote offer (RFC 8829 §5.10).
   */
  addTrack(track: TrackLike, ...streams: StreamLike[]): SenderLike;
  addTransceiver(
    trackOrKind: TrackLike | string,
    init?: { direction?: RTCRtpTransceiverDirection; streams?: StreamLike[] },
  ): TransceiverLike;
  getTransceivers(): TransceiverLike[];
  getStats(): Promise<StatsReportLike>;
  close(): void;
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
}

/** The `icecandidate` event's payload (W3C WebRTC §4.8.2); `null` ends gathering. */
export interface IceCandidateEventLike {
  readonly candidate: { readonly candidate: string } | null;
}

/** The `track` event's payload (W3C WebRTC §5.7). */
export interface TrackEventLike {
  readonly track: TrackLike;
  readonly streams: readonly StreamLike[];
}

/** Timers as a port; structurally the same as the SIP core's `Clock` timers, so one object serves both. */
export interface MediaTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const hostTimers: MediaTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

let memoryStreams = 0;

/** A stream outside a browser (Node): holds tracks and an id, carries no media. */
class MemoryStream implements StreamLike {
  readonly id = `ringlet-stream-${++memoryStreams}`;
  readonly #tracks: TrackLike[];
  constructor(tracks: TrackLike[]) {
    this.#tracks = [...tracks];
  }
  getTracks(): TrackLike[] {
    return [...this.#tracks];
  }
  addTrack(track: TrackLike): void {
    if (!this.#tracks.includes(track)) this.#tracks.push(track);
  }
  removeTrack(track: TrackLike): void {
    const index = this.#tracks.indexOf(track);
    if (index !== -1) this.#tracks.splice(index, 1);
  }
}

/** The page's `MediaStream` where there is one, else a {@link MemoryStream}. */
export const hostMediaStream: CreateMediaStream = (tracks) =>
  typeof MediaStream === 'undefined'
    ? new MemoryStream(tracks)
    : (new MediaStream(tracks as unknown as MediaStreamTrack[]) as unknown as StreamLike);

/** The capability lists of `RTCRtpSender.getCapabilities(kind)`. */
export type GetCapabilities = (kind: 'audio' | 'video') => { readonly codecs: readonly CodecLike[] } | null;

/** `navigator.mediaDevices.getUserMedia`, injected. */
export type GetUserMedia = (constraints: MediaStreamConstraints) => Promise<StreamLike>;

/** `new MediaStream(tracks)`, injected: the local stream named in our msid, the remote one we play. */
export type CreateMediaStream = (tracks: TrackLike[]) => StreamLike;

/** Builds one peer connection per call. */
export type CreatePeerConnection = (configuration: RTCConfiguration) => PeerConnectionLike;
