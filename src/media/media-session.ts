/**
 * One call's media: one RTCPeerConnection, one serial queue (STYLE.md habit 8), the SDP offer and
 * answer the SIP INVITE session carries as opaque bodies (RFC 3264 offer/answer), hold as a
 * direction change (RFC 3264 §8.4), mute, RFC 4733 DTMF, video add/remove, stats.
 *
 * The SIP layer never sees this class; the call glue binds the two through {@link MediaSessionHandle}.
 *
 * Hold state, as RFC 3261 §14 wants it: an outgoing hold or resume is *pending* from `hold()` /
 * `resume()` until the answer is applied with `setAnswer()`; `rollback()` (for a failed or 491'd
 * re-INVITE) drops it and leaves the call exactly as it was.
 */
import { write } from 'sdp-transform';
import { MediaEmitter } from './media-emitter';
import { SerialQueue } from './serial-queue';
import { MediaArgumentError, MediaNegotiationError, MediaStateError, MediaUnsupportedError } from './errors';
import { DEFAULT_HOST_SETTLE_MS, DEFAULT_ICE_GATHERING_WAIT, waitForIceGathering } from './ice-gathering';
import { hostMediaStream, hostTimers } from './peer-connection-port';
import type {
  CreateMediaStream,
  CreatePeerConnection,
  GetCapabilities,
  GetUserMedia,
  MediaTimers,
  PeerConnectionLike,
  StreamLike,
  TrackEventLike,
  TrackLike,
  TransceiverLike,
} from './peer-connection-port';
import { openUserMedia } from './user-media';
import {
  DEFAULT_AUDIO_PREFERENCE,
  explainIncompatibility,
  localCapabilitiesFrom,
  removeComfortNoise,
  reorderCodecs,
  sortCodecCapabilities,
} from './sdp/codecs';
import type { LocalCapabilities, ReorderOptions } from './sdp/codecs';
import { hasTelephoneEvent, isValidDtmf } from './sdp/dtmf';
import {
  applyHoldToOffer,
  directionFrom,
  isHeldByRemote,
  offerDirection,
  readRemoteDirections,
  receives,
  sends,
} from './sdp/hold';
import type { Direction } from './sdp/hold';
import { isSameDescription } from './sdp/sdp-compare';
import { hasActiveVideo } from './sdp/video';
import { toSessionDescription } from './sdp/session-description';
import { summariseStats } from './stats';
import type { MediaStats } from './stats';

export interface MediaSessionConfig {
  /** STUN/TURN servers (TURN with `username` / `credential`). */
  readonly iceServers?: readonly RTCIceServer[];
  /** 'relay' forces TURN. */
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
  readonly bundlePolicy?: RTCBundlePolicy;
  /** Send the SDP after this long even if gathering is not finished (default 500 ms). */
  readonly iceGatheringTimeoutMs?: number;
  /** With no candidate at all at the timeout, wait for the first one up to this long (default 3000 ms). */
  readonly iceGatheringMaxWaitMs?: number;
  /** Audio codec names, most wanted first (default ['opus', 'PCMU', 'PCMA']). */
  readonly audioCodecs?: readonly string[];
  /** Video codec names, most wanted first (default: the browser's order). */
  readonly videoCodecs?: readonly string[];
  /** Negotiate CN comfort noise (default false; see PBX-NOTES.md on FreeSWITCH). */
  readonly comfortNoise?: boolean;
  readonly audioConstraints?: true | MediaTrackConstraints;
  readonly videoConstraints?: true | MediaTrackConstraints;
  /** The devices to open (enumerateDevices ids); absent or null for the browser's default. */
  readonly devices?: DeviceSelection;
}

/**
 * Which microphone and camera to use, by `MediaDeviceInfo.deviceId`: a string for that device,
 * `null` for the browser's default, absent to leave the choice as it is.
 */
export interface DeviceSelection {
  readonly microphoneId?: string | null;
  readonly cameraId?: string | null;
}

/** One input of the call moved to another device (see {@link MediaSession.switchDevices}). */
export interface DeviceSwitch {
  readonly kind: 'audio' | 'video';
  /** The device now in use; null for the browser's default. */
  readonly deviceId: string | null;
  /** `selected`: asked for by switchDevices(); `device-lost`: the device ended, the default took over. */
  readonly reason: 'selected' | 'device-lost';
  /** The new local track (also in {@link MediaSession.localTracks}). */
  readonly track: TrackLike;
}

/** A logger port; the SIP core's `Logger` fits it. */
export interface MediaLogger {
  debug(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
}

export interface MediaDependencies {
  readonly createPeerConnection: CreatePeerConnection;
  readonly getUserMedia: GetUserMedia;
  /** `RTCRtpSender.getCapabilities`; without it codec order falls back to SDP rewriting. */
  readonly getCapabilities?: GetCapabilities;
  /** `new MediaStream(tracks)`; default the page's MediaStream, or an in-memory stream in Node. */
  readonly createMediaStream?: CreateMediaStream;
  readonly timers?: MediaTimers;
  readonly logger?: MediaLogger;
}

export interface OfferOptions {
  /** RFC 8839 §4.4.1.1.1 ICE restart: new ufrag/pwd, e.g. after a network change. */
  readonly iceRestart?: boolean;
  /** Open the camera and offer video. */
  readonly video?: boolean;
}

export interface AnswerOptions {
  /**
   * What to do with offered video: `true` sends the camera too, `false` refuses the stream
   * (port 0), absent receives it without sending.
   */
  readonly video?: boolean;
}

export interface SetAnswerOptions {
  /**
   * Apply as a provisional answer (W3C WebRTC "pranswer"), e.g. the SDP of a reliable 183; the
   * final answer may then differ. Default false: the SDP is final.
   */
  readonly provisional?: boolean;
}

export interface DtmfOptions {
  /** Tone length in ms, 40-6000 (W3C WebRTC §7.2; default 100). */
  readonly durationMs?: number;
  /** Gap between tones in ms, at least 30 (default 70). */
  readonly gapMs?: number;
}

export interface HoldState {
  /** We hold the peer (committed by the answer). */
  readonly local: boolean;
  /** The peer holds us (from its last SDP). */
  readonly remote: boolean;
  /** A hold (true) or resume (false) offer is out and not yet answered. */
  readonly pending: boolean | undefined;
}

export type MediaSessionEvents = {
  /**
   * A remote track arrived (the peer started sending audio or video). `stream` is the session's
   * one remote stream ({@link MediaSession.remoteStream}), which now holds the track.
   */
  remoteTrack: [track: TrackLike, stream: StreamLike];
  connectionStateChange: [RTCPeerConnectionState];
  /** A local device stopped (unplugged, revoked permission). */
  localTrackEnded: ['audio' | 'video'];
  /** An input now comes from another device, chosen or after the one in use went away. */
  deviceSwitched: [DeviceSwitch];
  /**
   * The default device could not be opened after the one in use went away: that input sends
   * nothing until a device is chosen with switchDevices().
   */
  deviceSwitchFailed: [kind: 'audio' | 'video', error: unknown];
  holdChange: [HoldState];
};

/**
 * What the SIP session glue consumes. Every method except `close()` runs on the serial queue;
 * all reject with `InvalidStateError` after `close()`.
 */
export interface MediaSessionHandle {
  /** Our offer (INVITE, re-INVITE, or the 200 to an offerless INVITE). */
  getOffer(options?: OfferOptions): Promise<string>;
  /** The peer's answer to our last offer; an identical repeat (183 then 200) is ignored. */
  setAnswer(sdp: string, options?: SetAnswerOptions): Promise<void>;
  /** Our answer to the peer's offer. */
  getAnswer(offerSdp: string, options?: AnswerOptions): Promise<string>;
  /** A re-offer that holds the peer. */
  hold(): Promise<string>;
  /** A re-offer that resumes. */
  resume(): Promise<string>;
  /** Withdraws an unanswered offer (491, failed re-INVITE): the call stays as it was. */
  rollback(): Promise<void>;
  close(): void;
}

const DEFAULT_CAPABILITIES: LocalCapabilities = {
  audio: ['opus', 'G722', 'PCMU', 'PCMA'],
  video: ['VP8', 'VP9', 'H264'],
};

function isLive(transceiver: TransceiverLike): boolean {
  return transceiver.direction !== 'stopped' && transceiver.currentDirection !== 'stopped';
}

function kindOf(transceiver: TransceiverLike): 'audio' | 'video' {
  return transceiver.receiver.track.kind === 'video' ? 'video' : 'audio';
}

/** The directions of the audio/video lines, to tell whether a rewrite changed anything. */
function directionsOf(sdp: string): string {
  return readRemoteDirections(sdp)
    .map((line) => `${line.kind}:${line.direction}`)
    .join(',');
}

export class MediaSession implements MediaSessionHandle {
  readonly #pc: PeerConnectionLike;
  readonly #deps: MediaDependencies;
  readonly #config: MediaSessionConfig;
  readonly #timers: MediaTimers;
  readonly #queue = new SerialQueue();
  readonly #events = new MediaEmitter<MediaSessionEvents>((error, event) =>
    this.#deps.logger?.warn('media: listener threw', { event: String(event), error: String(error) }),
  );
  #closed = false;
  #audio: TrackLike | undefined;
  #video: TrackLike | undefined;
  readonly #muted = { audio: false, video: false };
  #localHold = false;
  #remoteHold = false;
  #pendingHold: boolean | undefined;
  #offeredDirection: Direction | undefined;
  #lastFinalAnswer: string | undefined;
  /** Named in the msid of our senders, so the peer's `track` event has a stream to play. */
  #localStream: StreamLike | undefined;
  #remoteStream: StreamLike | undefined;
  /** Senders whose track is taken off while we hold the peer (see {@link #applyLocalHold}). */
  readonly #heldTracks = new Map<TransceiverLike, TrackLike>();
  /** The chosen devices; null for the browser's default. */
  readonly #deviceIds: { audio: string | null; video: string | null };

  constructor(deps: MediaDependencies, config: MediaSessionConfig = {}) {
    this.#deps = deps;
    this.#config = config;
    this.#timers = deps.timers ?? hostTimers;
    this.#deviceIds = {
      audio: config.devices?.microphoneId ?? null,
      video: config.devices?.cameraId ?? null,
    };
    const configuration: RTCConfiguration = { iceServers: [...(config.iceServers ?? [])] };
    if (config.iceTransportPolicy) configuration.iceTransportPolicy = config.iceTransportPolicy;
    if (config.bundlePolicy) configuration.bundlePolicy = config.bundlePolicy;
    this.#pc = deps.createPeerConnection(configuration);
    this.#pc.addEventListener('track', this.#onTrack);
    this.#pc.addEventListener('connectionstatechange', this.#onConnectionState);
  }

  /** Subscribes to a media event; returns the unsubscribe function. */
  on<K extends keyof MediaSessionEvents>(
    event: K,
    listener: (...args: MediaSessionEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get holdState(): HoldState {
    return { local: this.#localHold, remote: this.#remoteHold, pending: this.#pendingHold };
  }

  /** The local tracks, e.g. for a self-view. */
  get localTracks(): { readonly audio: TrackLike | undefined; readonly video: TrackLike | undefined } {
    return { audio: this.#audio, video: this.#video };
  }

  /** Our local tracks in one stream (named in our a=msid); undefined until a track is on the call. */
  get localStream(): StreamLike | undefined {
    return this.#localStream;
  }

  /** The chosen devices (null: the browser's default). */
  get devices(): { readonly microphoneId: string | null; readonly cameraId: string | null } {
    return { microphoneId: this.#deviceIds.audio, cameraId: this.#deviceIds.video };
  }

  /**
   * Every track the peer sends, in one stream for the whole call, whatever streams its SDP names
   * (a PBX may name none, `a=msid:-`): attach it to an `<audio>`/`<video>` element. Undefined
   * until the first remote track.
   */
  get remoteStream(): StreamLike | undefined {
    return this.#remoteStream;
  }

  /** The underlying peer connection, for the glue's diagnostics only: do not negotiate on it. */
  get peerConnection(): PeerConnectionLike {
    return this.#pc;
  }

  // --- offer / answer -------------------------------------------------------------------------

  getOffer(options: OfferOptions = {}): Promise<string> {
    return this.#run('getOffer', async () => {
      this.#assertStable('getOffer()');
      // Audio first, so the audio m-line leads as every PBX expects.
      await this.#ensureAudio();
      if (options.video) await this.#ensureVideo();
      return this.#createOffer(this.#localHold, options);
    });
  }

  hold(): Promise<string> {
    return this.#run('hold', async () => {
      this.#assertStable('hold()');
      return this.#createOffer(true, {});
    });
  }

  resume(): Promise<string> {
    return this.#run('resume', async () => {
      this.#assertStable('resume()');
      return this.#createOffer(false, {});
    });
  }

  setAnswer(sdp: string, options: SetAnswerOptions = {}): Promise<void> {
    return this.#run('setAnswer', async () => {
      const state = this.#pc.signalingState;
      // FreeSWITCH sends the same SDP in the 183 and in the 200 (PBX-NOTES.md); RFC 3264 §8
      // makes an unchanged o= version mean an unchanged description, so the repeat is a no-op.
      if (
        state === 'stable' &&
        this.#lastFinalAnswer !== undefined &&
        isSameDescription(this.#lastFinalAnswer, sdp)
      ) {
        this.#deps.logger?.debug('media: setAnswer() | identical answer ignored');
        return;
      }
      if (state !== 'have-local-offer' && state !== 'have-remote-pranswer') {
        throw new MediaStateError(`setAnswer() needs an offer of ours awaiting its answer (state ${state})`);
      }
      const type = options.provisional ? 'pranswer' : 'answer';
      try {
        await this.#pc.setRemoteDescription({ type, sdp: this.#prepareRemote(sdp) });
      } catch (error) {
        throw this.#negotiationError('The browser could not use the answer', sdp, 'answer', error);
      }
      if (options.provisional) return;
      this.#lastFinalAnswer = sdp;
      const before = this.holdState;
      if (this.#pendingHold !== undefined) this.#localHold = this.#pendingHold;
      this.#pendingHold = undefined;
      this.#remoteHold = isHeldByRemote(sdp, this.#offeredDirection) ?? this.#remoteHold;
      await this.#applyLocalHold();
      this.#emitHoldIfChanged(before);
    });
  }

  getAnswer(offerSdp: string, options: AnswerOptions = {}): Promise<string> {
    return this.#run('getAnswer', async () => {
      this.#assertStable('getAnswer()');
      // Devices first: a refused microphone must not leave a half-applied offer behind. They are
      // only opened here, not attached: see the note below.
      if (!this.#audio) await this.#openTrack('audio');
      const wantsVideo = options.video === true && hasActiveVideo(offerSdp);
      if (wantsVideo && this.#video?.readyState !== 'live') await this.#openTrack('video');
      try {
        await this.#pc.setRemoteDescription({ type: 'offer', sdp: this.#prepareRemote(offerSdp) });
      } catch (error) {
        throw this.#negotiationError('The browser could not use the offer', offerSdp, 'offer', error);
      }
      const before = this.holdState;
      this.#remoteHold = isHeldByRemote(offerSdp) ?? this.#remoteHold;
      if (options.video === false) {
        for (const transceiver of this.#pc.getTransceivers()) {
          if (isLive(transceiver) && kindOf(transceiver) === 'video') transceiver.stop();
        }
      }
      // NOTE: the tracks go onto the transceivers the offer created, after setRemoteDescription.
      // RFC 8829 §5.10 lets an offer reuse only transceivers made by addTrack; one made before it
      // by addTransceiver stays apart, and the answer would be recvonly with our microphone on a
      // transceiver no m-line carries.
      if (this.#audio) await this.#attach(this.#audio, { create: false });
      if (wantsVideo && this.#video) await this.#attach(this.#video, { create: false });
      // RFC 3264 §6.1: the browser intersects these with the offered directions, so a held
      // peer's sendonly becomes our recvonly, and our own hold answers sendonly or inactive.
      this.#setDirections((hasTrack) => directionFrom(hasTrack, !this.#localHold));
      const applied = this.#applyCodecPreferences();
      const answer = await this.#pc.createAnswer();
      const sdp = this.#fixLocal(answer.sdp ?? '', applied);
      await this.#pc.setLocalDescription({ type: 'answer', sdp });
      this.#lastFinalAnswer = undefined;
      this.#emitHoldIfChanged(before);
      await this.#waitForCandidates();
      return this.#pc.localDescription?.sdp ?? sdp;
    });
  }

  rollback(): Promise<void> {
    return this.#run('rollback', async () => {
      if (this.#pc.signalingState === 'have-local-offer') {
        await this.#pc.setLocalDescription({ type: 'rollback' });
      }
      const before = this.holdState;
      this.#pendingHold = undefined;
      this.#offeredDirection = undefined;
      this.#emitHoldIfChanged(before);
    });
  }

  // --- mute, DTMF ----------------------------------------------------------------------------

  /** Mutes by disabling the track: silence (or black) is sent, nothing is renegotiated. */
  setMuted(muted: boolean, kind: 'audio' | 'video' = 'audio'): void {
    this.#muted[kind] = muted;
    const track = kind === 'audio' ? this.#audio : this.#video;
    if (track) track.enabled = !muted;
  }

  isMuted(kind: 'audio' | 'video' = 'audio'): boolean {
    return this.#muted[kind];
  }

  /**
   * Whether DTMF can go as RFC 4733 telephone-events: both descriptions of the last exchange
   * list telephone-event and the browser's DTMF sender accepts tones. Otherwise the glue falls
   * back to SIP INFO.
   */
  get canSendRfc4733(): boolean {
    const local = this.#pc.localDescription?.sdp;
    const remote = this.#pc.remoteDescription?.sdp;
    if (this.#closed || local === undefined || remote === undefined) return false;
    if (!hasTelephoneEvent(local) || !hasTelephoneEvent(remote)) return false;
    return this.#audioSender()?.dtmf?.canInsertDTMF === true;
  }

  /**
   * Sends DTMF in RTP (RFC 4733) through the browser's RTCDTMFSender.
   * @throws MediaArgumentError for tones outside 0-9 A-D * # ,
   * @throws MediaUnsupportedError when telephone-event was not negotiated (use SIP INFO).
   */
  sendDtmf(tones: string, options: DtmfOptions = {}): void {
    if (this.#closed) throw new MediaStateError('sendDtmf() on a closed media session');
    if (!isValidDtmf(tones)) throw new MediaArgumentError(`Not DTMF: "${tones}" (use 0-9, A-D, *, # and ,)`);
    const dtmf = this.#audioSender()?.dtmf;
    if (!this.canSendRfc4733 || !dtmf) {
      throw new MediaUnsupportedError('RFC 4733 telephone-event was not negotiated on this call');
    }
    const duration = Math.min(6000, Math.max(40, options.durationMs ?? 100));
    const gap = Math.max(30, options.gapMs ?? 70);
    dtmf.insertDTMF(tones, duration, gap);
  }

  // --- video -----------------------------------------------------------------------------------

  /** Opens the camera and returns a re-offer that adds (or re-enables) video (RFC 3264 §8.1). */
  addVideo(): Promise<string> {
    return this.#run('addVideo', async () => {
      this.#assertStable('addVideo()');
      await this.#ensureAudio();
      await this.#ensureVideo();
      return this.#createOffer(this.#localHold, {});
    });
  }

  /** Stops the camera and returns a re-offer with the video stream at port 0 (RFC 3264 §8.2). */
  removeVideo(): Promise<string> {
    return this.#run('removeVideo', async () => {
      this.#assertStable('removeVideo()');
      this.#video?.stop();
      this.#video = undefined;
      for (const transceiver of this.#pc.getTransceivers()) {
        if (!isLive(transceiver) || kindOf(transceiver) !== 'video') continue;
        this.#heldTracks.delete(transceiver);
        transceiver.stop();
      }
      return this.#createOffer(this.#localHold, {});
    });
  }

  /**
   * Camera off (track released, the light goes out) or on again, without renegotiation: the
   * video stream stays, only its source changes (replaceTrack).
   */
  setCameraEnabled(enabled: boolean): Promise<void> {
    return this.#run('setCameraEnabled', async () => {
      const transceiver = this.#pc.getTransceivers().find((t) => isLive(t) && kindOf(t) === 'video');
      if (!transceiver) throw new MediaStateError('The call has no video stream: use addVideo() first');
      if (!enabled) {
        this.#heldTracks.delete(transceiver);
        await transceiver.sender.replaceTrack(null);
        this.#video?.stop();
        this.#video = undefined;
        return;
      }
      if (this.#video?.readyState === 'live') return;
      const track = await this.#openTrack('video');
      // While we hold the peer the camera stays off the wire until the resume is answered.
      if (this.#localHold) this.#heldTracks.set(transceiver, track);
      else await this.#attach(track);
    });
  }

  // --- devices -------------------------------------------------------------------------------

  /**
   * Moves the microphone and/or camera to another device mid-call, without renegotiation: the new
   * device is opened (`deviceId: { exact }`), put on the sender with `replaceTrack()` (W3C WebRTC
   * §5.2: no negotiation is needed when the new track fits the negotiated stream), and the old
   * track is stopped. Mute carries over; while we hold the peer the new track waits for the resume.
   * An input that is not open (no camera on the call, the camera turned off) only records the choice,
   * used when it is opened next.
   *
   * Resolves with the switches made. Rejects with `MediaAccessError` (`kind` 'overconstrained' or
   * 'no-device' for an unplugged device, 'permission-denied', ...) when a device cannot be opened:
   * the call then keeps the device it had, and the choice is not recorded.
   */
  switchDevices(selection: DeviceSelection): Promise<DeviceSwitch[]> {
    return this.#run('switchDevices', async () => {
      const switched: DeviceSwitch[] = [];
      for (const [kind, deviceId] of [
        ['audio', selection.microphoneId],
        ['video', selection.cameraId],
      ] as const) {
        if (deviceId === undefined) continue;
        const change = await this.#switchTrack(kind, deviceId, 'selected');
        if (!change) continue;
        switched.push(change);
        // At once: a camera that fails next must not hide that the microphone did switch.
        this.#events.emit('deviceSwitched', change);
      }
      return switched;
    });
  }

  // --- diagnostics -----------------------------------------------------------------------------

  async getStats(): Promise<MediaStats> {
    if (this.#closed) throw new MediaStateError('getStats() on a closed media session');
    return summariseStats(await this.#pc.getStats());
  }

  /** What this browser supports, for {@link explain}. */
  localCapabilities(): LocalCapabilities {
    const get = this.#deps.getCapabilities;
    if (!get) return DEFAULT_CAPABILITIES;
    const capabilities = localCapabilitiesFrom(get('audio'), get('video'));
    return capabilities.audio.length > 0 ? capabilities : DEFAULT_CAPABILITIES;
  }

  /** A plain-words reason the peer's SDP cannot be used, if one is found (for a 488). */
  explain(remoteSdp: string, role: 'offer' | 'answer' = 'offer'): string | undefined {
    return explainIncompatibility(this.localCapabilities(), remoteSdp, { role });
  }

  /** Stops the devices and the peer connection. Idempotent; queued work rejects with InvalidStateError. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.close(new MediaStateError('The media session is closed'));
    this.#audio?.stop();
    this.#video?.stop();
    this.#heldTracks.clear();
    this.#pc.removeEventListener('track', this.#onTrack);
    this.#pc.removeEventListener('connectionstatechange', this.#onConnectionState);
    this.#pc.close();
    this.#events.removeAllListeners();
  }

  // --- internals -------------------------------------------------------------------------------

  #run<T>(operation: string, task: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new MediaStateError(`${operation}() on a closed media session`));
    return this.#queue.run(async () => {
      this.#deps.logger?.debug(`media: ${operation}()`, { state: this.#pc.signalingState });
      return task();
    });
  }

  #assertStable(operation: string): void {
    const state = this.#pc.signalingState;
    if (state !== 'stable') {
      throw new MediaStateError(
        `${operation} needs a settled session; an offer is outstanding (state ${state})`,
      );
    }
  }

  async #createOffer(holdIntent: boolean, options: OfferOptions): Promise<string> {
    await this.#ensureAudio();
    const direction = offerDirection({ localHold: holdIntent, remoteHold: this.#remoteHold });
    this.#setDirections((hasTrack) => directionFrom(hasTrack && sends(direction), receives(direction)));
    const applied = this.#applyCodecPreferences();
    const offer = await this.#pc.createOffer(options.iceRestart ? { iceRestart: true } : {});
    let sdp = this.#fixLocal(offer.sdp ?? '', applied);
    if (holdIntent) {
      // The transceiver directions already say it; the rewrite guards a browser that ignored them.
      const held = write(applyHoldToOffer(sdp, this.#remoteHold));
      if (directionsOf(held) !== directionsOf(sdp)) sdp = held;
    }
    await this.#pc.setLocalDescription({ type: 'offer', sdp });
    const before = this.holdState;
    this.#pendingHold = holdIntent === this.#localHold ? undefined : holdIntent;
    this.#emitHoldIfChanged(before);
    this.#offeredDirection = readRemoteDirections(sdp).find((line) => line.kind === 'audio')?.direction;
    await this.#waitForCandidates();
    return this.#pc.localDescription?.sdp ?? sdp;
  }

  /** Sets each live transceiver's direction from whether it has a local track to send. */
  #setDirections(directionFor: (hasTrack: boolean) => Direction): void {
    for (const transceiver of this.#pc.getTransceivers()) {
      if (!isLive(transceiver)) continue;
      const wanted = directionFor(this.#carried(transceiver) !== undefined);
      if (transceiver.direction !== wanted) transceiver.direction = wanted;
    }
  }

  #reorderOptions(kind: 'audio' | 'video'): ReorderOptions | undefined {
    if (kind === 'audio') {
      return {
        preference: this.#config.audioCodecs ?? DEFAULT_AUDIO_PREFERENCE,
        comfortNoise: this.#config.comfortNoise ?? false,
      };
    }
    return this.#config.videoCodecs ? { preference: this.#config.videoCodecs } : undefined;
  }

  /**
   * W3C WebRTC §5.4 setCodecPreferences where the browser has it. Returns the kinds it was applied
   * to; the others are reordered in the SDP instead.
   */
  #applyCodecPreferences(): Set<'audio' | 'video'> {
    const applied = new Set<'audio' | 'video'>();
    const failed = new Set<'audio' | 'video'>();
    for (const transceiver of this.#pc.getTransceivers()) {
      const kind = kindOf(transceiver);
      const options = this.#reorderOptions(kind);
      if (!isLive(transceiver) || !options) continue;
      const capabilities = this.#deps.getCapabilities?.(kind);
      if (!capabilities || !transceiver.setCodecPreferences) {
        failed.add(kind);
        continue;
      }
      try {
        transceiver.setCodecPreferences(sortCodecCapabilities(capabilities.codecs, options));
        applied.add(kind);
      } catch (error) {
        this.#deps.logger?.warn('media: setCodecPreferences() failed, reordering the SDP', {
          error: String(error),
        });
        failed.add(kind);
      }
    }
    for (const kind of failed) applied.delete(kind);
    return applied;
  }

  /** SDP-level codec order and CN removal for what setCodecPreferences did not cover. */
  #fixLocal(sdp: string, applied: Set<'audio' | 'video'>): string {
    let description = toSessionDescription(sdp);
    let changed = false;
    for (const kind of ['audio', 'video'] as const) {
      const options = this.#reorderOptions(kind);
      if (!options || applied.has(kind)) continue;
      description = reorderCodecs(description, kind, options);
      changed = true;
    }
    if (!this.#config.comfortNoise && /^a=rtpmap:\d+ CN\//im.test(sdp)) {
      description = removeComfortNoise(description);
      changed = true;
    }
    return changed ? write(description) : sdp;
  }

  /** The peer's SDP with CN removed unless comfort noise is wanted (PBX-NOTES.md, FreeSWITCH). */
  #prepareRemote(sdp: string): string {
    if (this.#config.comfortNoise || !/^a=rtpmap:\d+ CN\//im.test(sdp)) return sdp;
    return write(removeComfortNoise(sdp));
  }

  async #waitForCandidates(): Promise<void> {
    const noIceServers = (this.#config.iceServers ?? []).length === 0;
    const outcome = await waitForIceGathering(this.#pc, this.#timers, {
      timeoutMs: this.#config.iceGatheringTimeoutMs ?? DEFAULT_ICE_GATHERING_WAIT.timeoutMs,
      maxWaitMs: this.#config.iceGatheringMaxWaitMs ?? DEFAULT_ICE_GATHERING_WAIT.maxWaitMs,
      ...(noIceServers ? { hostSettleMs: DEFAULT_HOST_SETTLE_MS } : {}),
    });
    if (outcome !== 'complete') this.#deps.logger?.debug('media: ICE gathering cut short', { outcome });
  }

  async #openTrack(kind: 'audio' | 'video'): Promise<TrackLike> {
    const deviceId = this.#deviceIds[kind];
    // `ideal`, not `exact`: a device unplugged since it was chosen must not fail the call (W3C
    // Media Capture §3.2: an unmet `exact` rejects with OverconstrainedError). switchDevices() is
    // the one place that insists on the device.
    const track = await this.#openDevice(kind, deviceId === null ? undefined : { ideal: deviceId });
    if (kind === 'audio') this.#audio = track;
    else this.#video = track;
    return track;
  }

  /** Opens one input, muted as the session is, watching for its device to go away. */
  async #openDevice(kind: 'audio' | 'video', deviceId: ConstrainDOMString | undefined): Promise<TrackLike> {
    const base = kind === 'audio' ? this.#config.audioConstraints : this.#config.videoConstraints;
    const constraints: true | MediaTrackConstraints =
      deviceId === undefined ? (base ?? true) : { ...(base === true ? {} : base), deviceId };
    const opened = await openUserMedia(this.#deps.getUserMedia, { [kind]: constraints });
    const track = opened[kind];
    for (const other of opened.stream.getTracks()) if (other !== track) other.stop();
    if (!track) throw new MediaUnsupportedError(`getUserMedia returned no ${kind} track`);
    if (this.#closed) {
      track.stop();
      throw new MediaStateError('The media session closed while the device was opening');
    }
    track.enabled = !this.#muted[kind];
    track.addEventListener('ended', () => this.#onTrackEnded(kind, track));
    return track;
  }

  /**
   * Puts a newly opened device in place of the current one of its kind: on the sender that carries
   * it, or in the hold stash when we hold the peer, and in the local stream. Null when the input is
   * not open (the choice is only recorded) or already on the chosen device.
   */
  async #switchTrack(
    kind: 'audio' | 'video',
    deviceId: string | null,
    reason: DeviceSwitch['reason'],
  ): Promise<DeviceSwitch | null> {
    const old = kind === 'audio' ? this.#audio : this.#video;
    if (!old) {
      this.#deviceIds[kind] = deviceId;
      return null;
    }
    // The store repeats every choice when one changes: the device in use is not reopened.
    if (reason === 'selected' && deviceId === this.#deviceIds[kind] && old.readyState === 'live') return null;
    const track = await this.#openDevice(kind, deviceId === null ? undefined : { exact: deviceId });
    this.#deviceIds[kind] = deviceId;
    for (const transceiver of this.#pc.getTransceivers()) {
      if (!isLive(transceiver) || kindOf(transceiver) !== kind) continue;
      // W3C WebRTC §5.2 replaceTrack(): same kind, so the source changes without an offer.
      if (transceiver.sender.track === old) await transceiver.sender.replaceTrack(track);
      // Held: nothing is sent now; the resume puts the new device on the wire.
      else if (this.#heldTracks.get(transceiver) === old) this.#heldTracks.set(transceiver, track);
    }
    const stream = this.#localStream;
    if (stream?.getTracks().includes(old)) {
      stream.removeTrack(old);
      stream.addTrack(track);
    }
    if (kind === 'audio') this.#audio = track;
    else this.#video = track;
    old.stop();
    return { kind, deviceId, reason, track };
  }

  /**
   * A track's `ended` event (W3C Media Capture and Streams): the device went away (unplugged, permission revoked). The
   * browser's default device takes over, so the person keeps talking. Tracks we replaced or
   * stopped ourselves are no longer current and are ignored.
   */
  #onTrackEnded(kind: 'audio' | 'video', track: TrackLike): void {
    const current = kind === 'audio' ? this.#audio : this.#video;
    if (this.#closed || track !== current) return;
    this.#events.emit('localTrackEnded', kind);
    this.#run('switchDevices', async () => {
      // Something else (a chosen device, the camera turned off) replaced it meanwhile.
      if ((kind === 'audio' ? this.#audio : this.#video) !== track) return null;
      return this.#switchTrack(kind, null, 'device-lost');
    }).then(
      (change) => {
        if (change) this.#events.emit('deviceSwitched', change);
      },
      (error: unknown) => {
        if (this.#closed) return;
        this.#deps.logger?.warn(`media: no ${kind} device to fall back to`, { error: String(error) });
        this.#events.emit('deviceSwitchFailed', kind, error);
      },
    );
  }

  async #ensureAudio(): Promise<void> {
    await this.#attach(this.#audio ?? (await this.#openTrack('audio')));
  }

  async #ensureVideo(): Promise<void> {
    await this.#attach(this.#video?.readyState === 'live' ? this.#video : await this.#openTrack('video'));
  }

  /** The local track a transceiver sends, or would send but for our hold. */
  #carried(transceiver: TransceiverLike): TrackLike | undefined {
    return transceiver.sender.track ?? this.#heldTracks.get(transceiver);
  }

  /**
   * Puts a local track on the call, once: on a free transceiver of its kind (one the peer's offer
   * created, or one whose camera was turned off), else with addTrack, unless `create` is false
   * (an answer can only use the m-lines the offer has). Either way the sender names our local
   * stream in `a=msid` (W3C WebRTC §5.2 setStreams), so the peer's `track` event carries a stream.
   */
  async #attach(track: TrackLike, options: { create?: boolean } = {}): Promise<void> {
    const live = this.#pc.getTransceivers().filter((t) => isLive(t) && kindOf(t) === track.kind);
    if (live.some((t) => this.#carried(t) === track)) return;
    const stream = this.#ownStream();
    if (!stream.getTracks().includes(track)) stream.addTrack(track);
    const free = live.find((t) => this.#carried(t) === undefined);
    if (free) {
      free.sender.setStreams?.(stream);
      await free.sender.replaceTrack(track);
      return;
    }
    if (options.create === false) {
      this.#deps.logger?.debug(`media: attach() | the offer has no free ${track.kind} stream`);
      return;
    }
    this.#pc.addTrack(track, stream);
  }

  #ownStream(): StreamLike {
    this.#localStream ??= (this.#deps.createMediaStream ?? hostMediaStream)([]);
    return this.#localStream;
  }

  /**
   * While we hold the peer, our senders carry no track, so no RTP leaves (W3C WebRTC §5.2: a
   * sender without a track sends nothing); on resume they get their tracks back. Run once the
   * hold or resume is committed by the answer.
   *
   * NOTE: RFC 3264 §8.4 lets the holder keep sending on its `sendonly` stream (music on hold), and
   * PBXs expect that `sendonly` offer, so it stays. But a browser has no music: what would flow is
   * the live microphone (and camera) of someone who put the call on hold, which the held party
   * must not hear; so the offer keeps its direction and the media stops here.
   */
  async #applyLocalHold(): Promise<void> {
    for (const transceiver of this.#pc.getTransceivers()) {
      if (!isLive(transceiver)) {
        this.#heldTracks.delete(transceiver);
        continue;
      }
      const track = transceiver.sender.track;
      if (this.#localHold && track) {
        this.#heldTracks.set(transceiver, track);
        await transceiver.sender.replaceTrack(null);
      } else if (!this.#localHold && !track) {
        const held = this.#heldTracks.get(transceiver);
        this.#heldTracks.delete(transceiver);
        if (held && held.readyState === 'live') await transceiver.sender.replaceTrack(held);
      }
    }
  }

  #audioSender() {
    return this.#pc.getTransceivers().find((t) => isLive(t) && kindOf(t) === 'audio')?.sender;
  }

  #negotiationError(
    what: string,
    sdp: string,
    role: 'offer' | 'answer',
    error: unknown,
  ): MediaNegotiationError {
    const reason = error instanceof Error ? error.message : String(error);
    return new MediaNegotiationError(`${what}: ${reason}`, this.explain(sdp, role), error);
  }

  #emitHoldIfChanged(before: HoldState): void {
    const after = this.holdState;
    if (before.local !== after.local || before.remote !== after.remote || before.pending !== after.pending) {
      this.#events.emit('holdChange', after);
    }
  }

  /**
   * W3C WebRTC §5.7 `track`: the track goes into the call's one remote stream. The event's own
   * `streams` are not used: they are empty when the peer's SDP names no stream (`a=msid:-`, or no
   * msid at all, as from a PBX), and a track of another stream must not replace the first one.
   */
  readonly #onTrack = (event: Event): void => {
    const { track } = event as unknown as TrackEventLike;
    const stream = (this.#remoteStream ??= (this.#deps.createMediaStream ?? hostMediaStream)([]));
    for (const old of stream.getTracks()) {
      // A stream removed (port 0) and added again brings a new receiver track; the old one is over.
      if (old !== track && old.kind === track.kind && old.readyState === 'ended') stream.removeTrack(old);
    }
    if (!stream.getTracks().includes(track)) stream.addTrack(track);
    this.#events.emit('remoteTrack', track, stream);
  };

  readonly #onConnectionState = (): void => {
    this.#events.emit('connectionStateChange', this.#pc.connectionState);
  };
}

/** Builds media sessions that share dependencies and a base configuration. */
export function createMediaSessionFactory(
  deps: MediaDependencies,
  config: MediaSessionConfig = {},
): (overrides?: MediaSessionConfig) => MediaSession {
  return (overrides = {}) => new MediaSession(deps, { ...config, ...overrides });
}
