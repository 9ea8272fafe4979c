/**
 * One call: the pjsua-style glue between one {@link InviteSession} (RFC 3261 §13–15 signalling)
 * and one {@link MediaSession} (one RTCPeerConnection). The session decides *when* an offer or
 * an answer is made; the media decides *what* it holds; this class turns both into the few facts
 * a phone UI needs — state, hold, mute, DTMF, the other party, why the call ended.
 *
 * Call states (one {@link Call.transition} asserts these edges):
 * ```
 *   outgoing: calling ──180──► ringing ──183 with SDP──► early-media
 *                │  └──────183 with SDP───────────────────┘   │
 *                │                 │                          │
 *   incoming:    │   ringing (180 sent at once)               │
 *                │     │  answer(): 2xx, then ACK             │
 *                ▼     ▼                                      ▼
 *              ───── 2xx + ACK (session `confirmed`) ──────► connected
 *
 *   every state but ended ──CANCEL, reject, 3xx–6xx, BYE, failure──► ended
 * ```
 * Hold is not a state: it is {@link Call.holdState} (`local`, `remote`, `pending`) on a connected
 * call, because either side may hold independently (RFC 3264 §8.4) and a hold re-INVITE is
 * pending until its 2xx (RFC 3261 §14.1).
 */
import {
  MediaAccessError,
  MediaNegotiationError,
  type DeviceSelection,
  type DeviceSwitch,
  type MediaSession,
  type MediaStats,
  type StreamLike,
  type TrackLike,
} from '../media/index';
import {
  Emitter,
  hold,
  InvalidArgumentError,
  InvalidStateError,
  InviteSessionState,
  sendInfo,
  unhold,
  type ChangeOutcome,
  type InfoMessage,
  type InviteSession,
  type Logger,
  type SessionEnd,
  type SipResponse,
} from '../sip/index';
import { describeCallEnd, parseWarnings, type CallEndInfo } from './call-end';
import {
  DTMF_CONTENT_TYPE,
  DTMF_RELAY_CONTENT_TYPE,
  isDtmfTones,
  parseDtmfInfo,
  sendDtmf,
  type DtmfMode,
  type DtmfPath,
  type DtmfResult,
} from './dtmf';
import { remoteIdentity, type RemoteParty } from './remote-identity';
import { SessionDescriptionAdapter } from './session-description-adapter';

export type CallState = 'calling' | 'ringing' | 'early-media' | 'connected' | 'ended';

const EDGES: Readonly<Record<CallState, readonly CallState[]>> = {
  calling: ['ringing', 'early-media', 'connected', 'ended'],
  ringing: ['early-media', 'connected', 'ended'],
  'early-media': ['connected', 'ended'],
  connected: ['ended'],
  ended: [],
};

export interface CallHoldState {
  /** We hold the other side (committed by the 2xx of our hold re-INVITE). */
  readonly local: boolean;
  /** The other side holds us (its last SDP said sendonly/inactive). */
  readonly remote: boolean;
  /** A hold or resume re-INVITE of ours is waiting for its final response. */
  readonly pending: boolean;
}

export type CallEvents = {
  state: [state: CallState, previous: CallState];
  /** A provisional response to our INVITE (RFC 3261 §13.2.2.1). */
  progress: [status: number, reason: string];
  /** The hold state changed (either side, or a pending change started or settled). */
  held: [hold: CallHoldState];
  muted: [muted: boolean];
  /** Our camera was turned off or on again ({@link Call.setCamera}). */
  camera: [on: boolean];
  /**
   * The microphone or camera now comes from another device: chosen ({@link Call.switchDevices}),
   * or the default after the one in use was unplugged (`reason: 'device-lost'`).
   */
  deviceSwitched: [change: DeviceSwitch];
  /** The device in use went away and no other could be opened: that input sends nothing. */
  deviceSwitchFailed: [kind: 'audio' | 'video', error: unknown];
  /** A DTMF digit received (SIP INFO; browsers do not report received RFC 4733 events). */
  dtmf: [digit: string, via: DtmfPath];
  /** The other party became known better (P-Asserted-Identity in a response). */
  remote: [party: RemoteParty];
  /** The other side's media arrived (attach it to an `<audio>`/`<video>` element). */
  remoteStream: [stream: MediaStream];
  ended: [info: CallEndInfo];
};

export interface AnswerCallOptions {
  /** Send the camera too (when the caller offered video); false refuses offered video. */
  readonly video?: boolean;
}

/** What a call needs from its phone; built by `phone.ts`. */
export interface CallInit {
  readonly id: string;
  readonly direction: 'outgoing' | 'incoming';
  readonly media: MediaSession;
  readonly dtmf: DtmfMode;
  readonly logger: Logger;
  readonly remote: RemoteParty;
  /** Outgoing: whether to offer video. */
  readonly video?: boolean;
}

const VIDEO_OFFERED = /^m=video [1-9]/m;

export class Call {
  readonly id: string;
  readonly direction: 'outgoing' | 'incoming';
  /** The SIP handler of this call's session; given to the user agent, never used by the application. */
  readonly descriptionHandler: SessionDescriptionAdapter;
  readonly #media: MediaSession;
  readonly #log: Logger;
  readonly #dtmfMode: DtmfMode;
  readonly #events: Emitter<CallEvents>;
  readonly #unsubscribe: Array<() => void> = [];
  readonly #endWaiters: Array<() => void> = [];
  #state: CallState;
  #session: InviteSession | undefined;
  #remote: RemoteParty;
  #hold: CallHoldState = { local: false, remote: false, pending: false };
  #muted = false;
  #videoWanted: boolean | undefined;
  #videoOffered = false;
  #remoteVideo = false;
  #end: CallEndInfo | undefined;
  #mediaError: unknown;
  #connectionFailed = false;
  #remoteStream: MediaStream | undefined;
  #localStream: { stream: MediaStream; ids: string } | undefined;

  constructor(init: CallInit) {
    this.id = init.id;
    this.direction = init.direction;
    this.#media = init.media;
    this.#log = init.logger;
    this.#dtmfMode = init.dtmf;
    this.#remote = init.remote;
    this.#videoWanted = init.video;
    this.#state = init.direction === 'outgoing' ? 'calling' : 'ringing';
    this.#events = new Emitter((error, event) =>
      this.#log.error(`listener of ${String(event)} threw`, { call: this.id, error: String(error) }),
    );
    this.descriptionHandler = new SessionDescriptionAdapter(init.media, {
      isEarly: () => this.direction === 'outgoing' && this.#isBeforeAnswer(),
      video: () => this.#videoWanted,
      onMediaError: (error) => {
        this.#mediaError ??= error;
        this.#log.warn('media failed', { call: this.id, error: String(error) });
      },
    });
    this.#unsubscribe.push(
      init.media.on('holdChange', (state) => this.#setHold({ remote: state.remote })),
      init.media.on('remoteTrack', (track, stream) => this.#onRemoteTrack(track, stream)),
      init.media.on('connectionStateChange', (state) => this.#onConnectionState(state)),
      init.media.on('localTrackEnded', (kind) =>
        this.#log.warn(`local ${kind} device stopped`, { call: this.id }),
      ),
      init.media.on('deviceSwitched', (change) => this.#events.emit('deviceSwitched', change)),
      init.media.on('deviceSwitchFailed', (kind, error) =>
        this.#events.emit('deviceSwitchFailed', kind, error),
      ),
    );
  }

  // ───────────────────────────── state ─────────────────────────────

  get state(): CallState {
    return this.#state;
  }

  /** The other party, as plain text (P-Asserted-Identity when present, else From/To). */
  get remote(): RemoteParty {
    return this.#remote;
  }

  get holdState(): CallHoldState {
    return this.#hold;
  }

  get muted(): boolean {
    return this.#muted;
  }

  /** The call carries video (or, while an incoming call rings, offers it). */
  get video(): boolean {
    if (this.#state === 'ringing' && this.direction === 'incoming') return this.#videoOffered;
    return this.#media.closed
      ? this.#videoWanted === true || this.#remoteVideo
      : this.#media.localTracks.video !== undefined || this.#remoteVideo;
  }

  /** Our camera is sending (or would, but for a hold): false when off or never opened. */
  get camera(): boolean {
    return !this.#media.closed && this.#media.localTracks.video?.readyState === 'live';
  }

  /** Why the call ended, once `state` is `ended`. */
  get end(): CallEndInfo | undefined {
    return this.#end;
  }

  /** Our microphone (and camera) as a stream, for a self-view; undefined outside a browser. */
  get localStream(): MediaStream | undefined {
    if (this.#media.closed || typeof MediaStream === 'undefined') return undefined;
    const tracks = [this.#media.localTracks.audio, this.#media.localTracks.video].filter(
      (t): t is TrackLike => t !== undefined,
    );
    if (tracks.length === 0) return undefined;
    const ids = tracks.map((t) => t.id).join(',');
    if (this.#localStream?.ids !== ids) {
      this.#localStream = { stream: new MediaStream(tracks as unknown as MediaStreamTrack[]), ids };
    }
    return this.#localStream.stream;
  }

  get remoteStream(): MediaStream | undefined {
    return this.#remoteStream;
  }

  on<K extends keyof CallEvents>(event: K, listener: (...args: CallEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  // ───────────────────────────── commands ─────────────────────────────

  /**
   * Answers a ringing incoming call (RFC 3261 §13.3.1.4): opens the microphone (and the camera
   * with `video`), sends the 2xx with our answer. Resolves once the 2xx is sent; if the media
   * fails the call ends (`ended` with cause `media-failed` or `not-acceptable`).
   * @throws InvalidStateError unless this is an incoming call still ringing.
   */
  async answer(options: AnswerCallOptions = {}): Promise<void> {
    const session = this.#ringingIncoming('answer');
    this.#videoWanted = options.video ?? false;
    await session.answer();
  }

  /**
   * Refuses a ringing incoming call: 486 Busy Here (default), 603 Decline, or another 4xx–6xx.
   * @throws InvalidStateError unless this is an incoming call still ringing.
   * @throws InvalidArgumentError for a status outside 400–699.
   */
  async reject(status = 486): Promise<void> {
    const session = this.#ringingIncoming('reject');
    if (!Number.isInteger(status) || status < 400 || status > 699)
      throw new InvalidArgumentError(`reject() needs a 4xx–6xx status, got ${status}`);
    session.reject(status);
  }

  /**
   * Ends the call whatever its state: CANCEL before the answer (RFC 3261 §9.1), 603 for a ringing
   * incoming call, BYE after (§15.1.1). Resolves once the call has ended; never rejects.
   */
  async hangup(): Promise<void> {
    if (this.#state === 'ended') return;
    const ended = new Promise<void>((resolve) => this.#endWaiters.push(resolve));
    try {
      this.#session?.hangup();
    } catch (error) {
      this.#log.warn('hangup() | session refused', { call: this.id, error: String(error) });
    }
    await ended;
  }

  /**
   * Holds the other side with a re-INVITE (RFC 3264 §8.4). `holdState.pending` is true while it
   * is in flight; the hold is committed only on the 2xx, and a failure leaves the call as it was.
   * @throws InvalidStateError unless the call is connected.
   */
  async hold(): Promise<ChangeOutcome> {
    return hold(this.#connectedSession('hold'));
  }

  /** Resumes a call we hold; see {@link hold}. */
  async resume(): Promise<ChangeOutcome> {
    return unhold(this.#connectedSession('resume'));
  }

  /** Mutes the microphone by disabling its track: silence is sent, nothing is renegotiated. */
  mute(muted: boolean): void {
    if (this.#state === 'ended' || this.#media.closed) return;
    this.#media.setMuted(muted, 'audio');
    if (this.#muted === muted) return;
    this.#muted = muted;
    this.#events.emit('muted', muted);
  }

  /**
   * Sends DTMF: RFC 4733 telephone-events when negotiated, else SIP INFO `application/dtmf-relay`
   * (or as the account's DTMF mode says). Resolves with the path taken; an INFO refused by the
   * other side resolves `{ ok: false }`.
   * @throws InvalidArgumentError for characters outside 0-9, A-D, *, # and `,`.
   * @throws InvalidStateError unless the call is connected.
   */
  async sendDtmf(tones: string): Promise<DtmfResult> {
    if (!isDtmfTones(tones)) throw new InvalidArgumentError(`not DTMF: ${JSON.stringify(tones)}`);
    const session = this.#connectedSession('sendDtmf');
    const media = this.#media;
    return sendDtmf(
      {
        get canSendRfc4733() {
          return media.canSendRfc4733;
        },
        sendRfc4733: (digits) => media.sendDtmf(digits),
        sendInfo: (contentType, body) => sendInfo(session, contentType, body),
      },
      this.#dtmfMode,
      tones,
    );
  }

  /**
   * Camera off (the device is released) or on again, without renegotiation.
   * Rejects when the call has no video stream.
   */
  async setCamera(enabled: boolean): Promise<void> {
    if (this.#state === 'ended') throw new InvalidStateError('setCamera() on an ended call');
    const before = this.camera;
    await this.#media.setCameraEnabled(enabled);
    if (this.camera !== before) this.#events.emit('camera', this.camera);
  }

  /**
   * Moves the microphone and/or camera to other devices without hanging up or renegotiating
   * (`replaceTrack`); mute and hold carry over. `null` picks the browser's default, an absent
   * field leaves that input alone. An input not open yet (a ringing call, the camera off) uses the
   * choice when it opens. Resolves with the switches made (also emitted as `deviceSwitched`).
   * @throws InvalidStateError on an ended call.
   * @throws (rejects) MediaAccessError when a device cannot be opened; the call keeps the old one.
   */
  async switchDevices(selection: DeviceSelection): Promise<DeviceSwitch[]> {
    if (this.#state === 'ended' || this.#media.closed)
      throw new InvalidStateError('switchDevices() on an ended call');
    return this.#media.switchDevices(selection);
  }

  /** Packet and frame counters of the call's media (webrtc-stats). */
  async getStats(): Promise<MediaStats> {
    return this.#media.getStats();
  }

  // ───────────────────────────── session binding ─────────────────────────────

  /**
   * Binds the INVITE session of this call. Called once by the phone, right after the user agent
   * created the session.
   * @internal
   */
  attachSession(session: InviteSession): void {
    if (this.#session) throw new InvalidStateError('the call already has a session');
    this.#session = session;
    if (this.direction === 'incoming' && session.request) {
      const party = remoteIdentity(session.request, 'incoming');
      if (party) this.#remote = party;
      this.#videoOffered = VIDEO_OFFERED.test(session.request.body);
    }
    this.#unsubscribe.push(
      session.on('progress', (info) => {
        this.#learnIdentity(info.response);
        this.#events.emit('progress', info.status, info.reason);
        if (info.earlyMedia) this.#moveTo('early-media');
        else if (info.status >= 180 && info.status <= 182 && this.#state === 'calling')
          this.#moveTo('ringing');
      }),
      session.on('confirmed', (response) => {
        if (response) this.#learnIdentity(response);
        void this.descriptionHandler.confirmEarlyAnswer().catch(() => undefined);
        this.#moveTo('connected');
      }),
      session.on('pending', (change) =>
        this.#setHold({ pending: change?.kind === 'hold' || change?.kind === 'resume' }),
      ),
      session.on('hold', (held) => this.#setHold({ local: held })),
      session.on('info', (message) => this.#onInfo(message)),
      session.on('ended', (end) => this.#finish(end)),
    );
    if (session.state === InviteSessionState.Terminated && session.ended) this.#finish(session.ended);
  }

  /**
   * Ends a call that never got a session (e.g. a dial string that is not an address).
   * @internal
   */
  failBeforeSession(info: CallEndInfo): void {
    this.#media.close();
    this.#complete(info);
  }

  // ───────────────────────────── internals ─────────────────────────────

  #isBeforeAnswer(): boolean {
    const state = this.#session?.state;
    return (
      state === undefined ||
      state === InviteSessionState.Initial ||
      state === InviteSessionState.Calling ||
      state === InviteSessionState.Proceeding ||
      state === InviteSessionState.Cancelling
    );
  }

  #ringingIncoming(operation: string): InviteSession {
    const session = this.#session;
    if (this.direction !== 'incoming' || this.#state !== 'ringing' || !session)
      throw new InvalidStateError(`${operation}() needs a ringing incoming call (state ${this.#state})`);
    return session;
  }

  #connectedSession(operation: string): InviteSession {
    const session = this.#session;
    if (this.#state !== 'connected' || !session)
      throw new InvalidStateError(`${operation}() needs a connected call (state ${this.#state})`);
    return session;
  }

  #moveTo(state: CallState): void {
    if (this.#state === state || !EDGES[this.#state].includes(state)) return;
    this.transition(state);
  }

  #setHold(change: Partial<CallHoldState>): void {
    const next = { ...this.#hold, ...change };
    if (
      next.local === this.#hold.local &&
      next.remote === this.#hold.remote &&
      next.pending === this.#hold.pending
    )
      return;
    this.#hold = next;
    this.#events.emit('held', next);
  }

  /** RFC 3325: who answered or rings, from a 18x/2xx to our INVITE that asserts it. */
  #learnIdentity(response: SipResponse): void {
    if (response.status === 100 || !response.headers.has('P-Asserted-Identity')) return;
    const party = remoteIdentity(response, 'outgoing');
    if (!party || (party.uri === this.#remote.uri && party.displayName === this.#remote.displayName)) return;
    this.#remote = party;
    this.#events.emit('remote', party);
  }

  /**
   * A received INFO (RFC 6086): a DTMF body becomes a `dtmf` event and gets 200 (the session's
   * default), an INFO without a body gets 200 too (PBXs send one as a probe).
   */
  #onInfo(message: InfoMessage): void {
    const parsed = parseDtmfInfo(message.contentType, message.body);
    if (parsed.ok) {
      this.#events.emit('dtmf', parsed.value.digit, 'info');
      return;
    }
    const contentType = message.contentType ?? '';
    if (parsed.reason === 'bad-body') {
      // A DTMF type we take, with no digit in it: the request itself is malformed.
      this.#log.debug('INFO refused: no DTMF digit in the body', { call: this.id, contentType });
      message.respond(400);
      return;
    }
    if (message.body === '') return;
    // RFC 3261 §8.2.3: "If there are any bodies whose type [...] are not understood, [...] the UAS
    // MUST reject the request with a 415 (Unsupported Media Type) response. The response MUST
    // contain an Accept header field listing the types of all bodies it understands".
    this.#log.debug('INFO refused: not a DTMF body', { call: this.id, contentType });
    message.respond(415, [['Accept', `${DTMF_RELAY_CONTENT_TYPE}, ${DTMF_CONTENT_TYPE}`]]);
  }

  /**
   * The media layer keeps one remote stream per call and has put `track` in it. `remoteStream` is
   * emitted for every new track, with the same stream: a track added by script fires no
   * `addtrack` on the stream, so this event is how a page learns that video joined.
   */
  #onRemoteTrack(track: TrackLike, stream: StreamLike): void {
    if (track.kind === 'video') this.#remoteVideo = true;
    this.#remoteStream = stream as unknown as MediaStream;
    this.#events.emit('remoteStream', this.#remoteStream);
  }

  #onConnectionState(state: RTCPeerConnectionState): void {
    if (state !== 'failed' || this.#state === 'ended') return;
    // ICE gave up (W3C WebRTC §4.3.3 "failed"): the call has no media and never will; end it
    // rather than leave both people listening to silence.
    this.#connectionFailed = true;
    this.#log.warn('media connection failed; hanging up', { call: this.id });
    try {
      this.#session?.hangup();
    } catch {
      // Already ending.
    }
  }

  #finish(end: SessionEnd): void {
    if (this.#state === 'ended') return;
    // The final response that refused our INVITE, for its Warning header and 488 body.
    const failure = end.response && end.response.status >= 300 ? end.response : undefined;
    const warnings = failure ? parseWarnings(failure.headers.getAll('Warning')) : [];
    let mediaExplanation: string | undefined;
    let mediaFailed = false;
    const error = this.#mediaError;
    if (this.#connectionFailed) {
      mediaFailed = true;
      mediaExplanation = 'The media connection failed: the network or a firewall blocks the audio.';
    } else if (end.cause === 'not-acceptable' && error !== undefined) {
      if (error instanceof MediaNegotiationError) mediaExplanation = error.explanation;
      else {
        mediaFailed = true;
        mediaExplanation = error instanceof MediaAccessError ? error.message : undefined;
      }
    } else if (
      end.cause === 'not-acceptable' &&
      failure &&
      /application\/sdp/i.test(failure.headers.get('Content-Type') ?? '')
    ) {
      // §21.4.26: a 488 "MAY contain a message body describing the media capabilities".
      mediaExplanation = this.#media.explain(failure.body, 'offer');
    }
    this.#complete(
      describeCallEnd(end, {
        direction: this.direction,
        warnings,
        ...(mediaExplanation === undefined ? {} : { mediaExplanation }),
        mediaFailed,
      }),
    );
  }

  #complete(info: CallEndInfo): void {
    if (this.#state === 'ended') return;
    this.#end = info;
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#setHold({ local: false, remote: false, pending: false });
    this.transition('ended');
    this.#log.info(`ended: ${info.cause}`, { call: this.id, originator: info.originator });
    this.#events.emit('ended', info);
    for (const resolve of this.#endWaiters.splice(0)) resolve();
  }

  /**
   * The only way the call state changes.
   * @throws InvalidStateError on an edge not drawn in the class diagram.
   */
  private transition(to: CallState): void {
    const from = this.#state;
    if (!EDGES[from].includes(to)) throw new InvalidStateError(`call: illegal transition ${from} → ${to}`);
    this.#state = to;
    this.#log.debug(`transition() | ${from} → ${to}`, { call: this.id });
    this.#events.emit('state', to, from);
  }
}
