/**
 * An in-memory RTCPeerConnection for Node tests (the mediasoup-client `FakeHandler` idea): it
 * keeps the W3C WebRTC §4.3.1 signalling state machine, writes Chrome-like SDP from its
 * transceivers, answers with the codec and direction intersection, gathers candidates on timers
 * (so a STUN server that never answers can be simulated), and records what the media layer did.
 * It carries no media, but models the browser rules that decide whether media would flow:
 * - a remote offer reuses only transceivers made by addTrack, never by addTransceiver
 *   (RFC 8829 §5.10), so a track added the wrong way ends on a transceiver no m-line carries;
 * - `a=msid` names the sender's streams, `-` when it has none, and the far end's `track` event
 *   gets `streams: []` for `-` or no msid (W3C WebRTC §5.7), one stream object per stream id;
 * - RTP leaves a sender whose negotiated direction sends and which has a track
 *   ({@link FakePeerConnection.sendingRtp}): a `sendonly` hold with a live microphone still sends.
 * Test-only; never shipped in the app bundle.
 */
import { parse, write } from 'sdp-transform';
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import { directionFrom, effectiveDirection, receives, sends } from './sdp/hold';
import { hasTelephoneEvent } from './sdp/dtmf';
import type {
  CodecLike,
  DescriptionLike,
  DtmfSenderLike,
  GetUserMedia,
  PeerConnectionLike,
  SenderLike,
  StreamLike,
  TrackLike,
  TransceiverLike,
} from './peer-connection-port';

interface FakeCodec {
  readonly payload: number;
  readonly name: string;
  readonly rate: number;
  readonly channels?: number;
  readonly fmtp?: string;
}

const AUDIO_CODECS: readonly FakeCodec[] = [
  { payload: 111, name: 'opus', rate: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' },
  { payload: 63, name: 'red', rate: 48000, channels: 2, fmtp: '111/111' },
  { payload: 9, name: 'G722', rate: 8000 },
  { payload: 0, name: 'PCMU', rate: 8000 },
  { payload: 8, name: 'PCMA', rate: 8000 },
  { payload: 13, name: 'CN', rate: 8000 },
  { payload: 110, name: 'telephone-event', rate: 48000 },
  { payload: 126, name: 'telephone-event', rate: 8000 },
];

const VIDEO_CODECS: readonly FakeCodec[] = [
  { payload: 96, name: 'VP8', rate: 90000 },
  { payload: 97, name: 'rtx', rate: 90000, fmtp: 'apt=96' },
  {
    payload: 102,
    name: 'H264',
    rate: 90000,
    fmtp: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  },
  { payload: 103, name: 'rtx', rate: 90000, fmtp: 'apt=102' },
];

const codecTable = (kind: string): readonly FakeCodec[] => (kind === 'video' ? VIDEO_CODECS : AUDIO_CODECS);

/** What `RTCRtpSender.getCapabilities(kind)` would list for the fake browser. */
export function fakeCapabilities(kind: 'audio' | 'video'): { codecs: CodecLike[] } {
  return {
    codecs: codecTable(kind).map((codec) => ({
      mimeType: `${kind}/${codec.name}`,
      clockRate: codec.rate,
      ...(codec.channels === undefined ? {} : { channels: codec.channels }),
      ...(codec.fmtp === undefined ? {} : { sdpFmtpLine: codec.fmtp }),
    })),
  };
}

function domError(name: string, message: string): Error {
  return new DOMException(message, name);
}

let nextId = 1;

export class FakeMediaStreamTrack extends EventTarget implements TrackLike {
  readonly id = `track-${nextId++}`;
  enabled = true;
  readyState: MediaStreamTrackState = 'live';
  constructor(readonly kind: 'audio' | 'video') {
    super();
  }
  stop(): void {
    this.readyState = 'ended';
  }
  /** Simulates the device going away (unplugged): the track ends and fires `ended`. */
  endFromDevice(): void {
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }
}

export class FakeMediaStream implements StreamLike {
  readonly id: string;
  readonly tracks: TrackLike[];
  constructor(tracks: TrackLike[] = [], id = `stream-${nextId++}`) {
    this.tracks = [...tracks];
    this.id = id;
  }
  getTracks(): TrackLike[] {
    return [...this.tracks];
  }
  addTrack(track: TrackLike): void {
    if (!this.tracks.includes(track)) this.tracks.push(track);
  }
  removeTrack(track: TrackLike): void {
    const index = this.tracks.indexOf(track);
    if (index !== -1) this.tracks.splice(index, 1);
  }
}

/** A `createMediaStream` dependency that builds fake streams. */
export const createFakeMediaStream = (tracks: TrackLike[]): FakeMediaStream => new FakeMediaStream(tracks);

export class FakeDtmfSender implements DtmfSenderLike {
  readonly sent: { tones: string; duration: number | undefined; gap: number | undefined }[] = [];
  toneBuffer = '';
  constructor(private readonly available: () => boolean) {}
  get canInsertDTMF(): boolean {
    return this.available();
  }
  insertDTMF(tones: string, duration?: number, interToneGap?: number): void {
    if (!this.available()) throw domError('InvalidStateError', 'telephone-event was not negotiated');
    this.sent.push({ tones, duration, gap: interToneGap });
  }
}

export class FakeRtpSender implements SenderLike {
  readonly replaced: (TrackLike | null)[] = [];
  /** The streams named in this sender's `a=msid`. */
  streams: StreamLike[] = [];
  constructor(
    public track: TrackLike | null,
    readonly dtmf: FakeDtmfSender | null,
  ) {}
  async replaceTrack(track: TrackLike | null): Promise<void> {
    this.replaced.push(track);
    this.track = track;
  }
  setStreams(...streams: StreamLike[]): void {
    this.streams = [...streams];
  }
}

export class FakeRtpTransceiver implements TransceiverLike {
  mid: string | null = null;
  currentDirection: RTCRtpTransceiverDirection | null = null;
  readonly sender: FakeRtpSender;
  readonly receiver: { readonly track: FakeMediaStreamTrack };
  codecPreferences: CodecLike[] | undefined;
  setCodecPreferences?: (codecs: CodecLike[]) => void;
  /** The remote side already sends on this transceiver (a `track` event was fired). */
  remoteSending = false;
  /** The negotiated direction has been sendrecv or sendonly (W3C WebRTC §5.1 addTrack reuse rule). */
  hasSent = false;

  constructor(
    /** Which API made it: only addTrack's are reused by a remote offer (RFC 8829 §5.10). */
    readonly createdBy: 'addTrack' | 'addTransceiver' | 'remote-offer',
    readonly kind: 'audio' | 'video',
    public direction: RTCRtpTransceiverDirection,
    track: TrackLike | null,
    dtmfAvailable: () => boolean,
    supportsCodecPreferences: boolean,
  ) {
    this.sender = new FakeRtpSender(track, kind === 'audio' ? new FakeDtmfSender(dtmfAvailable) : null);
    this.receiver = { track: new FakeMediaStreamTrack(kind) };
    if (supportsCodecPreferences) {
      this.setCodecPreferences = (codecs) => {
        this.codecPreferences = [...codecs];
      };
    }
  }

  get stopped(): boolean {
    return this.direction === 'stopped';
  }

  stop(): void {
    this.direction = 'stopped';
    this.currentDirection = 'stopped';
  }

  /** The payloads this transceiver would offer, honouring codec preferences. */
  codecs(): FakeCodec[] {
    const table = codecTable(this.kind);
    if (!this.codecPreferences) return [...table];
    return this.codecPreferences.flatMap((preference) =>
      table.filter(
        (codec) =>
          `${this.kind}/${codec.name}`.toLowerCase() === preference.mimeType.toLowerCase() &&
          codec.rate === preference.clockRate &&
          (codec.fmtp ?? '') === (preference.sdpFmtpLine ?? codec.fmtp ?? ''),
      ),
    );
  }
}

export interface FakeNetworkOptions {
  /** Host candidates gathered per peer connection (default 1). */
  readonly hostCandidates?: number;
  /** When host candidates appear after setLocalDescription (default 10 ms). */
  readonly hostDelayMs?: number;
  /** When each STUN/TURN server answers (default 50 ms). */
  readonly serverDelayMs?: number;
  /** The configured STUN/TURN servers never answer: gathering never completes. */
  readonly unreachableIceServers?: boolean;
  /**
   * Chromium's habit: after its UDP host candidates it waits (~115 ms) before adding TCP "active"
   * host candidates, and gathering completes only then. Absent: no TCP candidate.
   */
  readonly tcpCandidateDelayMs?: number;
  /** Transceivers expose `setCodecPreferences` (default true). */
  readonly supportsCodecPreferences?: boolean;
  /** Every signalling method takes this long, so overlapping calls can be detected (default 0). */
  readonly operationDelayMs?: number;
  /** Return an error to make setRemoteDescription reject, as a browser does with SDP it cannot use. */
  readonly rejectRemoteDescription?: (description: RTCSessionDescriptionInit) => Error | undefined;
}

const delay = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

export class FakePeerConnection extends EventTarget implements PeerConnectionLike {
  signalingState: RTCSignalingState = 'stable';
  iceGatheringState: RTCIceGatheringState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  readonly transceivers: FakeRtpTransceiver[] = [];
  /** `name:start` / `name:end` for each signalling call, in order. */
  readonly operations: string[] = [];
  /** Signalling calls that started while another was still running. */
  overlaps = 0;
  /** Entries returned by getStats(). */
  stats: Record<string, unknown>[] = [];
  readonly candidates: string[] = [];

  readonly #options: FakeNetworkOptions;
  readonly #sessionId = String(4_000_000_000_000_000_000 + nextId++);
  #version = 1;
  #ufrag = 'fk01';
  #local: DescriptionLike | null = null;
  #remote: DescriptionLike | null = null;
  #running = 0;
  #nextMid = 0;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    readonly configuration: RTCConfiguration,
    options: FakeNetworkOptions = {},
  ) {
    super();
    this.#options = options;
  }

  get localDescription(): DescriptionLike | null {
    if (!this.#local) return null;
    const description = parse(this.#local.sdp);
    for (const media of description.media) {
      if (media.port === 0) continue;
      media.candidates = this.candidates.map(
        (line) => parse(`v=0\r\nm=audio 9 X 0\r\na=${line}\r\n`).media[0]!.candidates![0]!,
      );
      if (media.candidates.length === 0) delete media.candidates;
      if (this.iceGatheringState === 'complete') media.endOfCandidates = 'end-of-candidates';
    }
    return { type: this.#local.type, sdp: write(description) };
  }

  get remoteDescription(): DescriptionLike | null {
    return this.#remote;
  }

  addTransceiver(
    trackOrKind: TrackLike | string,
    init?: { direction?: RTCRtpTransceiverDirection; streams?: StreamLike[] },
  ): FakeRtpTransceiver {
    return this.#newTransceiver('addTransceiver', trackOrKind, init?.direction ?? 'sendrecv', init?.streams);
  }

  /**
   * W3C WebRTC §5.1 addTrack: reuses a transceiver of the kind whose sender never had a track and
   * never sent (one a remote offer made), turning recvonly into sendrecv and inactive into
   * sendonly; otherwise makes a sendrecv transceiver that a later remote offer may reuse.
   */
  addTrack(track: TrackLike, ...streams: StreamLike[]): FakeRtpSender {
    this.#assertOpen();
    if (this.transceivers.some((t) => !t.stopped && t.sender.track === track)) {
      throw domError('InvalidAccessError', 'the track is already sent');
    }
    const reusable = this.transceivers.find(
      (t) => !t.stopped && t.kind === track.kind && t.sender.track === null && !t.hasSent,
    );
    if (reusable) {
      reusable.sender.track = track;
      reusable.sender.streams = [...streams];
      if (reusable.direction === 'recvonly') reusable.direction = 'sendrecv';
      else if (reusable.direction === 'inactive') reusable.direction = 'sendonly';
      return reusable.sender;
    }
    return this.#newTransceiver('addTrack', track, 'sendrecv', streams).sender;
  }

  /**
   * The kinds this connection sends RTP for right now: a live transceiver whose negotiated
   * direction sends and whose sender has a live track (a disabled track still sends, silence).
   */
  sendingRtp(): ('audio' | 'video')[] {
    return this.transceivers
      .filter(
        (t) =>
          !t.stopped &&
          t.currentDirection !== null &&
          sends(t.currentDirection as never) &&
          t.sender.track !== null &&
          t.sender.track.readyState === 'live',
      )
      .map((t) => t.kind);
  }

  #newTransceiver(
    createdBy: FakeRtpTransceiver['createdBy'],
    trackOrKind: TrackLike | string,
    direction: RTCRtpTransceiverDirection,
    streams: StreamLike[] = [],
  ): FakeRtpTransceiver {
    this.#assertOpen();
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const kind = (track ? track.kind : trackOrKind) as 'audio' | 'video';
    const transceiver = new FakeRtpTransceiver(
      createdBy,
      kind,
      direction,
      track,
      () => this.#dtmfAvailable(),
      this.#options.supportsCodecPreferences ?? true,
    );
    transceiver.sender.streams = [...streams];
    this.transceivers.push(transceiver);
    return transceiver;
  }

  getTransceivers(): FakeRtpTransceiver[] {
    return [...this.transceivers];
  }

  createOffer(options: RTCOfferOptions = {}): Promise<RTCSessionDescriptionInit> {
    return this.#step('createOffer', () => {
      if (options.iceRestart) this.#ufrag = `fk${String(nextId++).padStart(2, '0')}`;
      const description = this.#skeleton();
      for (const transceiver of this.transceivers) {
        if (transceiver.mid === null) transceiver.mid = this.#freeMid();
        const direction = transceiver.stopped
          ? 'inactive'
          : (transceiver.direction as MediaDescription['direction']);
        description.media.push(this.#mediaLine(transceiver, transceiver.codecs(), direction, 'actpass'));
      }
      this.#bundle(description);
      return { type: 'offer', sdp: write(description) };
    });
  }

  createAnswer(): Promise<RTCSessionDescriptionInit> {
    return this.#step('createAnswer', () => {
      if (this.signalingState !== 'have-remote-offer' || !this.#remote) {
        throw domError('InvalidStateError', `createAnswer in ${this.signalingState}`);
      }
      const remote = parse(this.#remote.sdp);
      const description = this.#skeleton();
      for (const offered of remote.media) {
        const transceiver = this.transceivers.find((t) => t.mid === String(offered.mid));
        if (!transceiver) throw domError('OperationError', `no transceiver for mid ${String(offered.mid)}`);
        const local = transceiver.codecs();
        const common = offered.rtp.flatMap((rtp) => {
          const match = local.find(
            (codec) => codec.name.toLowerCase() === rtp.codec.toLowerCase() && codec.rate === rtp.rate,
          );
          return match ? [{ ...match, payload: rtp.payload }] : [];
        });
        const ordered = transceiver.codecPreferences
          ? local.flatMap((codec) => common.filter((c) => c.name === codec.name && c.rate === codec.rate))
          : common;
        const remoteDirection = effectiveDirection(remote, offered);
        const direction = transceiver.stopped
          ? 'inactive'
          : directionFrom(
              sends(transceiver.direction as never) && receives(remoteDirection),
              receives(transceiver.direction as never) && sends(remoteDirection),
            );
        const line = this.#mediaLine(
          transceiver,
          ordered.length > 0 ? ordered : local.slice(0, 1),
          direction,
          'active',
        );
        if (
          offered.port === 0 ||
          transceiver.stopped ||
          !ordered.some((c) => !/^(rtx|red|cn|telephone-event)$/i.test(c.name))
        ) {
          line.port = 0;
        }
        description.media.push(line);
      }
      this.#bundle(description);
      return { type: 'answer', sdp: write(description) };
    });
  }

  setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
    return this.#step('setLocalDescription', () => {
      const type = description?.type;
      if (type === 'rollback') {
        if (this.signalingState !== 'have-local-offer')
          throw domError('InvalidStateError', 'nothing to roll back');
        this.#local = this.#previousLocal;
        this.#setSignaling('stable');
        return;
      }
      const sdp = description?.sdp;
      if (sdp === undefined || (type !== 'offer' && type !== 'answer')) {
        throw domError('InvalidAccessError', 'the fake needs an explicit offer or answer');
      }
      if (
        type === 'offer' &&
        this.signalingState !== 'stable' &&
        this.signalingState !== 'have-local-offer'
      ) {
        throw domError('InvalidStateError', `setLocalDescription(offer) in ${this.signalingState}`);
      }
      if (type === 'answer' && this.signalingState !== 'have-remote-offer') {
        throw domError('InvalidStateError', `setLocalDescription(answer) in ${this.signalingState}`);
      }
      this.#previousLocal = this.#local;
      this.#local = { type, sdp };
      this.#version += 1;
      if (type === 'answer') {
        this.#applyNegotiated(parse(sdp), false);
        this.#setSignaling('stable');
        this.#connect();
      } else {
        this.#setSignaling('have-local-offer');
      }
      this.#gather();
    });
  }

  #previousLocal: DescriptionLike | null = null;

  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    return this.#step('setRemoteDescription', () => {
      const { type, sdp } = description;
      if (sdp === undefined) throw domError('InvalidAccessError', 'no sdp');
      const rejection = this.#options.rejectRemoteDescription?.(description);
      if (rejection) throw rejection;
      const parsed = parse(sdp);
      if (type === 'offer') {
        if (this.signalingState !== 'stable' && this.signalingState !== 'have-remote-offer') {
          throw domError('InvalidStateError', `setRemoteDescription(offer) in ${this.signalingState}`);
        }
        this.#remote = { type, sdp };
        for (const media of parsed.media) this.#associate(media);
        this.#setSignaling('have-remote-offer');
        return;
      }
      if (type === 'answer' || type === 'pranswer') {
        if (this.signalingState !== 'have-local-offer' && this.signalingState !== 'have-remote-pranswer') {
          throw domError('InvalidStateError', `setRemoteDescription(${type}) in ${this.signalingState}`);
        }
        const offered = parse(this.#local!.sdp).media.length;
        if (parsed.media.length !== offered) {
          throw domError(
            'InvalidAccessError',
            'The order of m-lines in answer does not match order in offer',
          );
        }
        this.#remote = { type, sdp };
        this.#applyNegotiated(parsed, true);
        this.#setSignaling(type === 'answer' ? 'stable' : 'have-remote-pranswer');
        if (type === 'answer') this.#connect();
        return;
      }
      throw domError('InvalidAccessError', `unsupported type ${String(type)}`);
    });
  }

  async getStats(): Promise<Map<string, unknown>> {
    return new Map(this.stats.map((entry, index) => [String(entry.id ?? index), entry]));
  }

  close(): void {
    if (this.signalingState === 'closed') return;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.connectionState = 'closed';
    this.iceConnectionState = 'closed';
    this.#setSignaling('closed');
  }

  /** Simulates the network dropping the connection. */
  failConnection(): void {
    this.connectionState = 'failed';
    this.dispatchEvent(new Event('connectionstatechange'));
  }

  // --- internals ---------------------------------------------------------------------------

  async #step<T>(name: string, body: () => T): Promise<T> {
    this.#assertOpen();
    if (this.#running > 0) this.overlaps += 1;
    this.#running += 1;
    this.operations.push(`${name}:start`);
    try {
      await delay(this.#options.operationDelayMs ?? 0);
      this.#assertOpen();
      return body();
    } finally {
      this.#running -= 1;
      this.operations.push(`${name}:end`);
    }
  }

  #assertOpen(): void {
    if (this.signalingState === 'closed')
      throw domError('InvalidStateError', 'The RTCPeerConnection is closed');
  }

  #setSignaling(state: RTCSignalingState): void {
    this.signalingState = state;
    this.dispatchEvent(new Event('signalingstatechange'));
  }

  #skeleton(): SessionDescription {
    return {
      version: 0,
      origin: {
        username: '-',
        sessionId: this.#sessionId,
        sessionVersion: this.#version,
        netType: 'IN',
        ipVer: 4,
        address: '127.0.0.1',
      },
      name: '-',
      timing: { start: 0, stop: 0 },
      msidSemantic: { semantic: 'WMS', token: '*' },
      media: [],
    };
  }

  #bundle(description: SessionDescription): void {
    const mids = description.media.filter((m) => m.port !== 0).map((m) => String(m.mid));
    if (mids.length > 0) description.groups = [{ type: 'BUNDLE', mids: mids.join(' ') }];
  }

  #mediaLine(
    transceiver: FakeRtpTransceiver,
    codecs: readonly FakeCodec[],
    direction: MediaDescription['direction'],
    setup: string,
  ): MediaDescription {
    return {
      type: transceiver.kind,
      port: transceiver.stopped ? 0 : 9,
      protocol: 'UDP/TLS/RTP/SAVPF',
      payloads: codecs.map((codec) => codec.payload).join(' '),
      connection: { version: 4, ip: '0.0.0.0' },
      rtp: codecs.map((codec) => ({
        payload: codec.payload,
        codec: codec.name,
        rate: codec.rate,
        ...(codec.channels === undefined ? {} : { encoding: codec.channels }),
      })),
      fmtp: codecs.flatMap((codec) =>
        codec.fmtp === undefined ? [] : [{ payload: codec.payload, config: codec.fmtp }],
      ),
      iceUfrag: this.#ufrag,
      icePwd: 'fakefakefakefakefakefake',
      fingerprint: {
        type: 'sha-256',
        hash: '00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF',
      },
      setup,
      mid: transceiver.mid ?? '',
      ...(direction === undefined ? {} : { direction }),
      rtcpMux: 'rtcp-mux',
      ...msidOf(transceiver.sender),
    };
  }

  /**
   * W3C WebRTC §4.4.1.5 step "find a transceiver for the m-section", creating one if none fits.
   * RFC 8829 §5.10: "look for an RtpTransceiver that has been created via addTrack" — one from
   * addTransceiver is never taken for a remote offer's m-section.
   */
  #associate(media: MediaDescription): void {
    const mid = String(media.mid);
    const kind = media.type === 'video' ? 'video' : 'audio';
    let transceiver =
      this.transceivers.find((t) => t.mid === mid) ??
      this.transceivers.find(
        (t) => t.mid === null && t.kind === kind && !t.stopped && t.createdBy === 'addTrack',
      );
    if (!transceiver) {
      transceiver = this.#newTransceiver('remote-offer', kind, 'recvonly');
    }
    transceiver.mid = mid;
    if (media.port === 0) transceiver.stop();
  }

  #applyNegotiated(description: SessionDescription, remote: boolean): void {
    for (const media of description.media) {
      const transceiver = this.transceivers.find((t) => t.mid === String(media.mid));
      if (!transceiver || transceiver.stopped) continue;
      if (media.port === 0) {
        transceiver.stop();
        continue;
      }
      const written = effectiveDirection(description, media);
      const ours = remote ? directionFrom(receives(written), sends(written)) : written;
      transceiver.currentDirection = ours;
      if (sends(ours)) transceiver.hasSent = true;
      const peerSends = receives(ours);
      if (peerSends && !transceiver.remoteSending) {
        transceiver.remoteSending = true;
        const event = Object.assign(new Event('track'), {
          track: transceiver.receiver.track,
          streams: this.#remoteStreamsFor(String(media.mid), transceiver.receiver.track),
          transceiver,
        });
        this.dispatchEvent(event);
      }
      if (!peerSends) transceiver.remoteSending = false;
    }
  }

  /** RFC 8829 §5.2.1: a new m-section gets a MID no other one uses (the peer's offer set some). */
  #freeMid(): string {
    while (this.transceivers.some((t) => t.mid === String(this.#nextMid))) this.#nextMid += 1;
    return String(this.#nextMid++);
  }

  readonly #remoteStreams = new Map<string, FakeMediaStream>();

  /**
   * W3C WebRTC §4.4.1.6 "process the addition of a remote track": the streams the remote m-section
   * names in `a=msid`, one object per stream id across the call; none for `-` or no msid.
   */
  #remoteStreamsFor(mid: string, track: FakeMediaStreamTrack): FakeMediaStream[] {
    const media = this.#remote ? parse(this.#remote.sdp).media.find((m) => String(m.mid) === mid) : undefined;
    const ids = [
      ...new Set((media?.msid ?? []).map((msid) => String(msid.id)).filter((id) => id !== '-' && id !== '')),
    ];
    return ids.map((id) => {
      let stream = this.#remoteStreams.get(id);
      if (!stream) {
        stream = new FakeMediaStream([], id);
        this.#remoteStreams.set(id, stream);
      }
      stream.addTrack(track);
      return stream;
    });
  }

  #gather(): void {
    if (this.iceGatheringState !== 'new' && !(this.iceGatheringState === 'complete' && this.#ufragChanged()))
      return;
    this.#gatheredUfrag = this.#ufrag;
    this.candidates.length = 0;
    this.iceGatheringState = 'gathering';
    this.dispatchEvent(new Event('icegatheringstatechange'));
    const hosts = this.#options.hostCandidates ?? 1;
    const hostDelay = this.#options.hostDelayMs ?? 10;
    const serverDelay = this.#options.serverDelayMs ?? 50;
    for (let i = 0; i < hosts; i += 1) {
      this.#later(hostDelay, () =>
        this.#addCandidate(
          `candidate:${100 + i} 1 udp 2122260223 192.168.1.${20 + i} ${50000 + i} typ host generation 0`,
        ),
      );
    }
    const servers = (this.configuration.iceServers ?? []).flatMap((server) =>
      Array.isArray(server.urls) ? server.urls : [server.urls],
    );
    if (this.#options.unreachableIceServers && servers.length > 0) return;
    const tcpDelay = this.#options.tcpCandidateDelayMs;
    if (tcpDelay !== undefined) {
      this.#later(tcpDelay, () =>
        this.#addCandidate(
          'candidate:300 1 tcp 1518280447 192.168.1.20 9 typ host tcptype active generation 0',
        ),
      );
    }
    servers.forEach((url, index) => {
      const type = url.startsWith('turn') ? 'relay' : 'srflx';
      const priority = type === 'relay' ? 41885439 : 1686052607;
      this.#later(serverDelay, () =>
        this.#addCandidate(
          `candidate:${200 + index} 1 udp ${priority} 203.0.113.${7 + index} ${60000 + index} typ ${type} raddr 192.168.1.20 rport 50000 generation 0`,
        ),
      );
    });
    this.#later(Math.max(hostDelay, servers.length > 0 ? serverDelay : 0, tcpDelay ?? 0) + 1, () => {
      this.iceGatheringState = 'complete';
      this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: null }));
      this.dispatchEvent(new Event('icegatheringstatechange'));
    });
  }

  #gatheredUfrag = '';

  #ufragChanged(): boolean {
    return this.#gatheredUfrag !== this.#ufrag;
  }

  #addCandidate(line: string): void {
    this.candidates.push(line);
    this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: { candidate: line } }));
  }

  #connect(): void {
    if (this.connectionState !== 'new') return;
    this.#later(5, () => {
      this.connectionState = 'connected';
      this.iceConnectionState = 'connected';
      this.dispatchEvent(new Event('iceconnectionstatechange'));
      this.dispatchEvent(new Event('connectionstatechange'));
    });
  }

  #later(ms: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.signalingState !== 'closed') callback();
    }, ms);
    this.#timers.add(timer);
  }

  #dtmfAvailable(): boolean {
    return (
      this.#local !== null &&
      this.#remote !== null &&
      this.signalingState === 'stable' &&
      hasTelephoneEvent(this.#local.sdp) &&
      hasTelephoneEvent(this.#remote.sdp)
    );
  }
}

/** `a=msid` lines as Chrome writes them: one per stream, `-` for a sender without streams. */
function msidOf(sender: FakeRtpSender): Pick<MediaDescription, 'msid'> {
  const track = sender.track;
  if (!track) return {};
  const ids = sender.streams.length > 0 ? sender.streams.map((stream) => stream.id) : ['-'];
  return { msid: ids.map((id) => ({ id, appdata: track.id })) };
}

/** A factory that records every peer connection it built. */
export function createFakePeerConnectionFactory(options: FakeNetworkOptions = {}): {
  create: (configuration: RTCConfiguration) => FakePeerConnection;
  readonly instances: FakePeerConnection[];
} {
  const instances: FakePeerConnection[] = [];
  return {
    create: (configuration) => {
      const pc = new FakePeerConnection(configuration, options);
      instances.push(pc);
      return pc;
    },
    instances,
  };
}

export interface FakeDevices {
  readonly microphone?: boolean;
  readonly camera?: boolean;
  /** Make getUserMedia reject with a DOMException of this name (e.g. 'NotAllowedError'). */
  readonly failWith?: string;
  /** Device ids that are not plugged in: asking for one `exact` rejects with OverconstrainedError. */
  readonly unplugged?: readonly string[];
}

/** The `deviceId: { exact }` of one kind's constraints, if any. */
function exactDeviceId(constraints: boolean | MediaTrackConstraints | undefined): string | undefined {
  if (typeof constraints !== 'object') return undefined;
  const wanted = constraints.deviceId;
  if (typeof wanted !== 'object' || Array.isArray(wanted)) return undefined;
  return typeof wanted.exact === 'string' ? wanted.exact : undefined;
}

/** A getUserMedia double that hands out fake tracks and records the constraints it saw. */
export function createFakeGetUserMedia(devices: FakeDevices = {}): GetUserMedia & {
  readonly calls: MediaStreamConstraints[];
  readonly tracks: FakeMediaStreamTrack[];
} {
  const calls: MediaStreamConstraints[] = [];
  const tracks: FakeMediaStreamTrack[] = [];
  const getUserMedia = async (constraints: MediaStreamConstraints): Promise<StreamLike> => {
    calls.push(constraints);
    if (devices.failWith) throw domError(devices.failWith, 'fake failure');
    if (
      (constraints.audio && devices.microphone === false) ||
      (constraints.video && devices.camera === false)
    ) {
      throw domError('NotFoundError', 'Requested device not found');
    }
    for (const kind of ['audio', 'video'] as const) {
      const id = exactDeviceId(constraints[kind]);
      if (id !== undefined && devices.unplugged?.includes(id)) {
        throw Object.assign(domError('OverconstrainedError', 'No device matches'), {
          constraint: 'deviceId',
        });
      }
    }
    const made: FakeMediaStreamTrack[] = [];
    if (constraints.audio) made.push(new FakeMediaStreamTrack('audio'));
    if (constraints.video) made.push(new FakeMediaStreamTrack('video'));
    tracks.push(...made);
    return new FakeMediaStream(made);
  };
  return Object.assign(getUserMedia, { calls, tracks });
}
