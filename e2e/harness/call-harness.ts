/**
 * The call harness page (call.html): one phone (src/phone/contract.md) that registers on load,
 * dials, answers, holds, mutes and sends DTMF through real buttons, and shows the call state in
 * a `role="status"` live region. Playwright (e2e/calls.spec.ts, e2e/video-call.spec.ts) drives
 * two or three of these pages against a real Kamailio.
 *
 * The page only knows the {@link HarnessPhone} / {@link HarnessCall} shape below; call.ts adapts
 * the real `createPhone` to it, so a drift in the phone API shows up in one small file.
 *
 * Tests read numbers through `window.ringletCall` (read-only snapshots): getStats summaries,
 * timestamped events (for the benchmark: click → INVITE on the wire → 180 → 200 → ACK → first
 * inbound packet), the raw SIP frames and chrome://webrtc-internals-style peer connection dumps
 * for diagnosis.
 *
 * The query string is untrusted: every parameter is validated up front (a bad one is reported
 * in the Registration status and nothing starts), text from the network is shown as text, and no
 * click can end in an uncaught exception or rejection.
 */
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import type { RegistrationStatus } from '../../src/sip/index';
import { formatStatus, readConfig, type HarnessConfig } from './register-harness';

// ---------------------------------------------------------------------------------------------
// The phone as the harness uses it

export type HarnessCallState = 'calling' | 'ringing' | 'early-media' | 'connected' | 'ended';

export interface HarnessHold {
  /** We hold the peer. */
  local: boolean;
  /** The peer holds us. */
  remote: boolean;
  /** A hold or resume re-INVITE is out and not yet answered. */
  pending: boolean;
}

export interface HarnessEndInfo {
  originator: string;
  cause: string;
  status?: number | undefined;
  reason?: string | undefined;
}

/** The numbers the tests assert on, from the phone's own `getStats()`. */
export interface HarnessStats {
  audio: { packetsReceived: number; packetsSent: number; bytesReceived: number };
  video: { packetsReceived: number; framesDecoded: number; framesEncoded: number };
}

export interface HarnessCall {
  readonly direction: 'outgoing' | 'incoming';
  readonly remote: { displayName?: string | undefined; uri: string };
  readonly state: HarnessCallState;
  readonly muted: boolean;
  holdState(): HarnessHold;
  remoteStream(): MediaStream | undefined;
  onState(listener: (state: HarnessCallState) => void): void;
  onProgress(listener: (status: number, reason: string) => void): void;
  onHeld(listener: (hold: HarnessHold) => void): void;
  onRemoteStream(listener: () => void): void;
  onDtmf(listener: (digit: string, via: string) => void): void;
  onEnded(listener: (info: HarnessEndInfo) => void): void;
  answer(options: { video: boolean }): Promise<unknown>;
  reject(status: 486 | 603): Promise<unknown>;
  hangup(): Promise<unknown>;
  hold(): Promise<unknown>;
  resume(): Promise<unknown>;
  mute(muted: boolean): void;
  sendDtmf(tones: string): Promise<unknown>;
  getStats(): Promise<HarnessStats>;
}

export interface HarnessPhone {
  onRegistration(listener: (status: RegistrationStatus) => void): void;
  onIncoming(listener: (call: HarnessCall) => void): void;
  start(): Promise<unknown>;
  register(): Promise<unknown>;
  call(target: string, options: { video: boolean }): HarnessCall;
}

export type DtmfMode = 'auto' | 'rfc4733' | 'info';

export interface HarnessPhoneOptions {
  account: {
    servers: string[];
    uri: string;
    authorizationUser?: string;
    password: string;
    displayName?: string;
  };
  WebSocket: typeof WebSocket;
  media: { iceServers?: RTCIceServer[]; iceGatheringTimeoutMs?: number; dtmf?: DtmfMode };
  logger: (record: { level: string; category: string; message: string }) => void;
  logLevel: 'debug' | 'info';
}

export type CreateHarnessPhone = (options: HarnessPhoneOptions) => HarnessPhone;

// ---------------------------------------------------------------------------------------------
// Configuration from the query string

export interface CallHarnessConfig extends HarnessConfig {
  stun: string[];
  dtmf?: DtmfMode;
  iceGatheringTimeoutMs?: number;
}

export type CallConfigResult = { ok: true; config: CallHarnessConfig } | { ok: false; problems: string[] };

const MAX_STUN_LENGTH = 256;
const MAX_ICE_TIMEOUT_MS = 30_000;
const DTMF_MODES: readonly DtmfMode[] = ['auto', 'rfc4733', 'info'];
// RFC 7064 §3.1: stun:host[:port] / stuns:host[:port]; no user info, path or query.
const STUN_URI = /^stuns?:(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::[0-9]{1,5})?$/;

/**
 * Validates the query string: the registration harness's parameters (`ws`, `uri`, `password`,
 * `user`, `name`, `expires`) plus `stun` (zero or more stun:/stuns: URIs), `dtmf`
 * (auto | rfc4733 | info) and `iceTimeout` (ICE gathering wait in ms, 0 to 30000).
 */
export function readCallConfig(search: string): CallConfigResult {
  const base = readConfig(search);
  const problems = base.ok ? [] : [...base.problems];
  const params = new URLSearchParams(search);

  const stun: string[] = [];
  for (const value of params.getAll('stun')) {
    if (value.length <= MAX_STUN_LENGTH && STUN_URI.test(value)) stun.push(value);
    else problems.push('parameter "stun" must be a stun: or stuns: URI (host and optional port)');
  }

  let dtmf: DtmfMode | undefined;
  const dtmfText = params.get('dtmf');
  if (dtmfText !== null) {
    dtmf = DTMF_MODES.find((mode) => mode === dtmfText);
    if (dtmf === undefined) problems.push(`parameter "dtmf" must be one of ${DTMF_MODES.join(', ')}`);
  }

  let iceGatheringTimeoutMs: number | undefined;
  const timeoutText = params.get('iceTimeout');
  if (timeoutText !== null) {
    iceGatheringTimeoutMs = /^[0-9]{1,5}$/.test(timeoutText) ? Number(timeoutText) : NaN;
    if (!(iceGatheringTimeoutMs >= 0 && iceGatheringTimeoutMs <= MAX_ICE_TIMEOUT_MS)) {
      problems.push(`parameter "iceTimeout" must be an integer from 0 to ${MAX_ICE_TIMEOUT_MS}`);
    }
  }

  if (!base.ok || problems.length > 0) return { ok: false, problems };
  const config: CallHarnessConfig = { ...base.config, stun };
  if (dtmf !== undefined) config.dtmf = dtmf;
  if (iceGatheringTimeoutMs !== undefined) config.iceGatheringTimeoutMs = iceGatheringTimeoutMs;
  return { ok: true, config };
}

/** The phone options for a validated configuration (media options left out use the phone's defaults). */
export function phoneOptions(
  config: CallHarnessConfig,
  WebSocketClass: typeof WebSocket,
  logger: HarnessPhoneOptions['logger'],
): HarnessPhoneOptions {
  const account: HarnessPhoneOptions['account'] = {
    servers: config.servers,
    uri: config.uri,
    password: config.password,
  };
  if (config.authorizationUser !== undefined) account.authorizationUser = config.authorizationUser;
  if (config.displayName !== undefined) account.displayName = config.displayName;
  const media: HarnessPhoneOptions['media'] = {};
  if (config.stun.length > 0) media.iceServers = config.stun.map((urls) => ({ urls }));
  if (config.iceGatheringTimeoutMs !== undefined) media.iceGatheringTimeoutMs = config.iceGatheringTimeoutMs;
  if (config.dtmf !== undefined) media.dtmf = config.dtmf;
  // Debug: the page's trace is read when a test fails, and it carries every SIP message.
  return { account, WebSocket: WebSocketClass, media, logger, logLevel: 'debug' };
}

// ---------------------------------------------------------------------------------------------
// What the page shows

// Reason phrases and Reason header texts come off the wire: shown as text, and never a page long.
const MAX_REASON_LENGTH = 200;

/** `ended: <originator> <cause>[ <status>][ (<reason>)]`, e.g. `ended: remote busy 486 (Busy Here)`. */
export function formatEnd(info: HarnessEndInfo): string {
  let text = `ended: ${info.originator} ${info.cause}`;
  if (info.status !== undefined) text += ` ${info.status}`;
  if (info.reason !== undefined && info.reason !== '') {
    text += ` (${info.reason.slice(0, MAX_REASON_LENGTH)})`;
  }
  return text;
}

/**
 * The Call state line: calling / ringing / early-media / connected / on hold / held by remote /
 * ended: …, with a pending hold or resume spelled out (RFC 3261 §14: nothing changes until 2xx).
 */
export function describeCall(state: HarnessCallState, hold: HarnessHold, end?: HarnessEndInfo): string {
  if (state === 'ended') return end ? formatEnd(end) : 'ended';
  if (state !== 'connected') return state;
  let text = 'connected';
  if (hold.local && hold.remote) text = 'on hold, held by remote';
  else if (hold.local) text = 'on hold';
  else if (hold.remote) text = 'held by remote';
  if (hold.pending) text += hold.local ? ' (resume pending)' : ' (hold pending)';
  return text;
}

/** `Alice <sip:alice@ringlet.test>` or just the URI; the caller as plain text. */
export function describeRemote(remote: HarnessCall['remote']): string {
  const name = remote.displayName?.slice(0, MAX_REASON_LENGTH);
  return name ? `${name} <${remote.uri}>` : remote.uri;
}

// ---------------------------------------------------------------------------------------------
// Test hooks

export interface HarnessEvent {
  /** Milliseconds since the epoch, sub-millisecond (timeOrigin + now): comparable across pages. */
  readonly at: number;
  readonly name: string;
  readonly detail: string;
}

export interface WireFrame {
  readonly at: number;
  readonly direction: 'out' | 'in';
  readonly text: string;
}

export interface StatsSnapshot extends HarnessStats {
  readonly at: number;
  readonly state: HarnessCallState;
}

export interface PeerConnectionDump {
  signalingState: string;
  iceGatheringState: string;
  iceConnectionState: string;
  connectionState: string;
  localDescription: string | undefined;
  remoteDescription: string | undefined;
  transceivers: {
    mid: string | null;
    direction: string;
    currentDirection: string | null;
    senderTrack: string | undefined;
  }[];
  stats: Record<string, unknown>[];
}

/** Read-only hooks; every function returns a fresh copy. */
export interface RingletCallHooks {
  events(): HarnessEvent[];
  wire(): WireFrame[];
  /** getStats summary of the current call, or null when there is none. */
  stats(): Promise<StatsSnapshot | null>;
  /** Every RTCPeerConnection the page created, newest last, with its stats (webrtc-internals style). */
  peerConnections(): Promise<PeerConnectionDump[]>;
}

declare global {
  interface Window {
    /** Test hooks read by e2e/calls.spec.ts and e2e/video-call.spec.ts through `page.evaluate`. */
    ringletCall?: RingletCallHooks;
  }
}

export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** `INVITE sip:bob@… SIP/2.0 [CSeq: 1 INVITE]`: enough to tell frames apart in the event list. */
export function summariseFrame(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const cseq = /^CSeq[ \t]*:[ \t]*([^\r\n]*)/im.exec(text)?.[1];
  return cseq === undefined ? firstLine : `${firstLine} [CSeq: ${cseq.trim()}]`;
}

const STATS_TYPES = new Set([
  'inbound-rtp',
  'outbound-rtp',
  'remote-inbound-rtp',
  'candidate-pair',
  'local-candidate',
  'remote-candidate',
  'transport',
  'codec',
]);

async function dumpPeerConnection(pc: RTCPeerConnection): Promise<PeerConnectionDump> {
  const stats: Record<string, unknown>[] = [];
  try {
    const report = await pc.getStats();
    report.forEach((value: Record<string, unknown>) => {
      if (typeof value['type'] === 'string' && STATS_TYPES.has(value['type'])) stats.push({ ...value });
    });
  } catch (error) {
    stats.push({ type: 'error', message: describeError(error) });
  }
  return {
    signalingState: pc.signalingState,
    iceGatheringState: pc.iceGatheringState,
    iceConnectionState: pc.iceConnectionState,
    connectionState: pc.connectionState,
    localDescription: pc.localDescription?.sdp,
    remoteDescription: pc.remoteDescription?.sdp,
    transceivers: pc.getTransceivers().map((t) => ({
      mid: t.mid,
      direction: t.direction,
      currentDirection: t.currentDirection,
      senderTrack: t.sender.track
        ? `${t.sender.track.kind} enabled=${String(t.sender.track.enabled)} ${t.sender.track.readyState}`
        : undefined,
    })),
    stats,
  };
}

/**
 * Replaces `win.RTCPeerConnection` with a subclass that remembers every instance, so the page can
 * dump them on failure. Behaviour is unchanged. Call before the phone is created.
 */
export function trackPeerConnections(win: Window & typeof globalThis): RTCPeerConnection[] {
  const created: RTCPeerConnection[] = [];
  const Native = win.RTCPeerConnection;
  class TrackedPeerConnection extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      created.push(this);
    }
  }
  win.RTCPeerConnection = TrackedPeerConnection;
  return created;
}

// ---------------------------------------------------------------------------------------------
// The page

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function element<T extends HTMLElement>(doc: Document, id: string, type: new () => T): T {
  const found = doc.getElementById(id);
  if (!(found instanceof type)) throw new Error(`call.html is missing #${id}`);
  return found;
}

// The trace is for people reading a failure; a long call must not grow the page without bound.
const MAX_TRACE_LINES = 4000;

/** Wires call.html to a phone made by `createPhone`. */
export function mountCallHarness(
  doc: Document,
  search: string,
  createPhone: CreateHarnessPhone,
  peerConnections: readonly RTCPeerConnection[] = [],
): void {
  const ui = {
    registration: element(doc, 'registration-status', HTMLElement),
    alert: element(doc, 'harness-error', HTMLElement),
    dial: element(doc, 'dial', HTMLFormElement),
    target: element(doc, 'dial-target', HTMLInputElement),
    call: element(doc, 'call', HTMLButtonElement),
    videoCall: element(doc, 'video-call', HTMLButtonElement),
    incoming: element(doc, 'incoming', HTMLElement),
    caller: element(doc, 'caller', HTMLElement),
    answer: element(doc, 'answer', HTMLButtonElement),
    answerVideo: element(doc, 'answer-video', HTMLButtonElement),
    busy: element(doc, 'busy', HTMLButtonElement),
    decline: element(doc, 'decline', HTMLButtonElement),
    callState: element(doc, 'call-state', HTMLElement),
    peer: element(doc, 'call-peer', HTMLElement),
    hangup: element(doc, 'hangup', HTMLButtonElement),
    hold: element(doc, 'hold', HTMLButtonElement),
    resume: element(doc, 'resume', HTMLButtonElement),
    mute: element(doc, 'mute', HTMLButtonElement),
    keypad: element(doc, 'keypad', HTMLElement),
    dtmfList: element(doc, 'received-dtmf-list', HTMLOListElement),
    audio: element(doc, 'remote-audio', HTMLAudioElement),
    video: element(doc, 'remote-video', HTMLVideoElement),
    trace: element(doc, 'sip-trace', HTMLPreElement),
  };
  const keys = [...ui.keypad.querySelectorAll<HTMLButtonElement>('button[data-digit]')];

  const events: HarnessEvent[] = [];
  const frames: WireFrame[] = [];
  const record = (name: string, detail = ''): void => {
    events.push(Object.freeze({ at: now(), name, detail }));
  };
  const showError = (text: string | undefined): void => {
    ui.alert.textContent = text ?? '';
    ui.alert.hidden = text === undefined;
    if (text !== undefined) record('error', text);
  };
  const traceLine = (line: string): void => {
    ui.trace.append(`${line}\n`);
    while (ui.trace.childNodes.length > MAX_TRACE_LINES) ui.trace.firstChild?.remove();
  };

  let current: HarnessCall | undefined;
  const endInfo = new WeakMap<HarnessCall, HarnessEndInfo>();
  let registered = false;
  let answering = false;
  let dtmfQueue: Promise<unknown> = Promise.resolve();

  window.ringletCall = Object.freeze<RingletCallHooks>({
    events: () => events.map((event) => ({ ...event })),
    wire: () => frames.map((frame) => ({ ...frame })),
    stats: async () => {
      const call = current;
      if (!call) return null;
      const stats = await call.getStats();
      return {
        at: now(),
        state: call.state,
        audio: {
          packetsReceived: stats.audio.packetsReceived,
          packetsSent: stats.audio.packetsSent,
          bytesReceived: stats.audio.bytesReceived,
        },
        video: {
          packetsReceived: stats.video.packetsReceived,
          framesDecoded: stats.video.framesDecoded,
          framesEncoded: stats.video.framesEncoded,
        },
      };
    },
    peerConnections: () => Promise.all(peerConnections.map(dumpPeerConnection)),
  });

  const render = (): void => {
    const call = current;
    const state = call?.state;
    const live = call !== undefined && state !== 'ended';
    const hold = call?.holdState() ?? { local: false, remote: false, pending: false };
    const connected = state === 'connected';
    ui.callState.textContent = call && state ? describeCall(state, hold, endInfo.get(call)) : 'idle';
    ui.peer.textContent = call ? describeRemote(call.remote) : '';

    const canDial = registered && !live;
    ui.target.disabled = !canDial;
    ui.call.disabled = !canDial;
    ui.videoCall.disabled = !canDial;

    const ringing = call?.direction === 'incoming' && (state === 'ringing' || state === 'early-media');
    ui.incoming.hidden = !ringing;
    for (const button of [ui.answer, ui.answerVideo, ui.busy, ui.decline]) {
      button.disabled = !ringing || answering;
    }
    ui.caller.textContent = ringing && call ? describeRemote(call.remote) : '';

    ui.hangup.disabled = !live;
    ui.hold.disabled = !connected || hold.local || hold.pending;
    ui.resume.disabled = !connected || !hold.local || hold.pending;
    ui.mute.disabled = !connected;
    ui.mute.setAttribute('aria-pressed', String(connected && call?.muted === true));
    for (const key of keys) key.disabled = !connected;
  };

  // One action at a time per button; every failure ends up on screen, never as an unhandled rejection.
  const run = (label: string, action: () => Promise<unknown>): void => {
    showError(undefined);
    action()
      .catch((error: unknown) => showError(`${label} failed: ${describeError(error)}`))
      .finally(render);
  };

  const seenTracks = new WeakSet<MediaStreamTrack>();
  const attachRemote = (call: HarnessCall): void => {
    const stream = call.remoteStream();
    if (!stream) return;
    for (const track of stream.getTracks()) {
      if (seenTracks.has(track)) continue;
      seenTracks.add(track);
      // Chrome keeps a remote track muted until its first RTP packet arrives.
      if (track.muted) {
        track.addEventListener('unmute', () => record('remote-track-unmuted', track.kind), { once: true });
      } else {
        record('remote-track-unmuted', track.kind);
      }
    }
    if (ui.audio.srcObject !== stream) {
      ui.audio.srcObject = stream;
      ui.audio.play().catch(() => record('remote-audio-play-blocked'));
      stream.addEventListener('addtrack', () => attachRemote(call));
    }
    if (stream.getVideoTracks().length > 0 && ui.video.srcObject !== stream) {
      ui.video.srcObject = stream;
      ui.video.play().catch(() => record('remote-video-play-blocked'));
    }
  };

  /** Records when the first inbound audio packet and the first decoded video frame show in getStats. */
  const watchFirstMedia = (call: HarnessCall): void => {
    const deadline = now() + 15_000;
    let audioSeen = false;
    let videoSeen = false;
    const poll = (): void => {
      if (call.state === 'ended' || now() > deadline || (audioSeen && videoSeen)) return;
      call
        .getStats()
        .then((stats) => {
          if (!audioSeen && stats.audio.packetsReceived > 0) {
            audioSeen = true;
            record('first-inbound-audio', String(stats.audio.packetsReceived));
          }
          if (!videoSeen && stats.video.framesDecoded > 0) {
            videoSeen = true;
            record('first-decoded-video', String(stats.video.framesDecoded));
          }
        })
        .catch(() => undefined)
        .finally(() => setTimeout(poll, 25));
    };
    poll();
  };

  const bindCall = (call: HarnessCall): void => {
    let watching = false;
    call.onState((state) => {
      record('state', state);
      if (state !== 'ended') attachRemote(call);
      if (!watching && (state === 'connected' || state === 'early-media')) {
        watching = true;
        watchFirstMedia(call);
      }
      if (state !== 'ringing') answering = answering && state === 'early-media';
      render();
    });
    call.onProgress((status, reason) => record('progress', `${status} ${reason}`));
    call.onRemoteStream(() => {
      record('remote-stream');
      attachRemote(call);
    });
    call.onHeld((hold) => {
      record('held', JSON.stringify(hold));
      attachRemote(call);
      render();
    });
    call.onDtmf((digit, via) => {
      record('dtmf-received', `${digit} ${via}`);
      const item = doc.createElement('li');
      item.textContent = `${digit} via ${via}`;
      ui.dtmfList.append(item);
    });
    call.onEnded((info) => {
      endInfo.set(call, info);
      record('ended', formatEnd(info));
      if (call === current) answering = false;
      render();
    });
  };

  render();
  const result = readCallConfig(search);
  if (!result.ok) {
    ui.registration.textContent = `not configured: ${result.problems.join('; ')}`;
    return;
  }

  const WireSocket = class TappedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      // Added before the transport's own handlers: the timestamp is the frame's arrival.
      this.addEventListener('message', (event: MessageEvent<unknown>) => {
        if (typeof event.data !== 'string') return;
        frames.push(Object.freeze({ at: now(), direction: 'in' as const, text: event.data }));
        record('sip-in', summariseFrame(event.data));
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      super.send(data);
      if (typeof data !== 'string') return;
      frames.push(Object.freeze({ at: now(), direction: 'out' as const, text: data }));
      let detail = summariseFrame(data);
      // For the ICE-timeout test: was gathering still running when the INVITE left?
      if (data.startsWith('INVITE ')) {
        detail += ` [ice-gathering: ${peerConnections.map((pc) => pc.iceGatheringState).join(',')}]`;
      }
      record('sip-out', detail);
    }
  };

  let phone: HarnessPhone;
  try {
    phone = createPhone(
      phoneOptions(result.config, WireSocket, (entry) =>
        traceLine(`${entry.level} ${entry.category}: ${entry.message}`),
      ),
    );
  } catch (error) {
    ui.registration.textContent = `not configured: ${describeError(error)}`;
    return;
  }

  phone.onRegistration((status) => {
    registered = status.state === 'registered';
    ui.registration.textContent = formatStatus(status);
    record('registration', formatStatus(status));
    render();
  });
  phone.onIncoming((call) => {
    record('incoming', describeRemote(call.remote));
    if (current && current.state !== 'ended') {
      // One call at a time on this page: a second caller hears busy.
      record('incoming-rejected', 'busy: a call is already in progress');
      call.reject(486).catch((error: unknown) => record('error', describeError(error)));
      return;
    }
    current = call;
    answering = false;
    bindCall(call);
    attachRemote(call);
    render();
  });

  const dial = (video: boolean): void => {
    showError(undefined);
    const target = ui.target.value.trim();
    if (target.length === 0 || target.length > 256 || hasControlCharacter(target)) {
      showError('Enter a SIP address or a number (1 to 256 printable characters).');
      return;
    }
    record(video ? 'video-call-clicked' : 'call-clicked', target);
    try {
      const call = phone.call(target, { video });
      current = call;
      ui.dtmfList.replaceChildren();
      bindCall(call);
    } catch (error) {
      showError(`Call failed: ${describeError(error)}`);
    }
    render();
  };
  ui.dial.addEventListener('submit', (event) => {
    event.preventDefault();
    dial(false);
  });
  ui.videoCall.addEventListener('click', () => dial(true));

  const withCall = (label: string, action: (call: HarnessCall) => Promise<unknown>): void =>
    run(label, async () => {
      if (!current) throw new Error('no call');
      await action(current);
    });
  const answer = (video: boolean): void => {
    record('answer-clicked', video ? 'video' : 'audio');
    answering = true;
    render();
    withCall('Answer', async (call) => {
      try {
        await call.answer({ video });
      } finally {
        answering = false;
      }
    });
  };
  ui.answer.addEventListener('click', () => answer(false));
  ui.answerVideo.addEventListener('click', () => answer(true));
  ui.busy.addEventListener('click', () => {
    record('reject-clicked', '486');
    withCall('Busy', (call) => call.reject(486));
  });
  ui.decline.addEventListener('click', () => {
    record('reject-clicked', '603');
    withCall('Decline', (call) => call.reject(603));
  });
  ui.hangup.addEventListener('click', () => {
    record('hangup-clicked');
    withCall('Hang up', (call) => call.hangup());
  });
  ui.hold.addEventListener('click', () => {
    record('hold-clicked');
    withCall('Hold', (call) => call.hold());
  });
  ui.resume.addEventListener('click', () => {
    record('resume-clicked');
    withCall('Resume', (call) => call.resume());
  });
  ui.mute.addEventListener('click', () => {
    withCall('Mute', async (call) => {
      call.mute(!call.muted);
      record('mute', String(call.muted));
    });
  });
  for (const key of keys) {
    key.addEventListener('click', () => {
      const digit = key.dataset['digit'] ?? '';
      const call = current;
      if (!call) return;
      record('dtmf-clicked', digit);
      // Digits go out in the order they were pressed, each after the previous one was sent.
      dtmfQueue = dtmfQueue
        .then(() => call.sendDtmf(digit))
        .then(() => record('dtmf-sent', digit))
        .catch((error: unknown) => showError(`DTMF failed: ${describeError(error)}`));
    });
  }

  ui.registration.textContent = 'registering…';
  phone
    .start()
    .then(() => phone.register())
    .catch((error: unknown) => showError(`Registration failed: ${describeError(error)}`));
}

// ---------------------------------------------------------------------------------------------
// Driver: the Playwright side of the page, shared by e2e/calls.spec.ts and e2e/video-call.spec.ts.
// Type-only Playwright imports, so the page bundle never pulls Playwright in.

/** One harness page in its own browser context (its own cookies, storage and microphone). */
export interface CallPage {
  readonly label: string;
  readonly page: Page;
  readonly context: BrowserContext;
  readonly registration: Locator;
  readonly callState: Locator;
  readonly caller: Locator;
  readonly incoming: Locator;
  readonly error: Locator;
  readonly target: Locator;
  readonly call: Locator;
  readonly videoCall: Locator;
  readonly answer: Locator;
  readonly answerVideo: Locator;
  readonly busy: Locator;
  readonly decline: Locator;
  readonly hangup: Locator;
  readonly hold: Locator;
  readonly resume: Locator;
  readonly mute: Locator;
  /** The items of the Received DTMF log, e.g. `1 via info`. */
  readonly receivedDtmf: Locator;
  readonly remoteVideo: Locator;
  /** Live audio tracks the page's remote `<audio>` element plays (0 when the phone exposed no stream). */
  remoteAudioTracks(): Promise<number>;
  /** Uncaught exceptions and unhandled rejections of the page. */
  readonly pageErrors: string[];
  key(digit: string): Locator;
  /** Fills the dial box and presses Call (or Video call). */
  dial(target: string, options?: { video?: boolean }): Promise<void>;
  stats(): Promise<StatsSnapshot | null>;
  events(): Promise<HarnessEvent[]>;
  wire(): Promise<WireFrame[]>;
  peerConnections(): Promise<PeerConnectionDump[]>;
  /** Everything worth reading when a test fails, as attachments. */
  diagnostics(): Promise<{ name: string; body: string }[]>;
}

export const CALL_HARNESS_PATH = '/e2e/harness/call.html';

/**
 * Loads call.html once without parameters and waits for its "not configured" line. Vite compiles
 * the page's modules on first request (and may reload it after optimising a dependency), which
 * on a busy 2-core machine takes longer than a test should wait for registration.
 */
export async function warmUpCallHarness(browser: Browser, baseURL: string, timeout = 60_000): Promise<void> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(new URL(CALL_HARNESS_PATH, baseURL).href, { timeout });
    await page
      .getByRole('status', { name: 'Registration' })
      .filter({ hasText: /^not configured: / })
      .waitFor({ timeout });
  } finally {
    await context.close();
  }
}

/** Opens call.html with `params` (undefined values are left out) in a new context of `browser`. */
export async function openCallPage(
  browser: Browser,
  baseURL: string,
  label: string,
  params: Record<string, string | undefined>,
): Promise<CallPage> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.append(name, value);
  }
  const context = await browser.newContext();
  // Vite's HMR socket (same origin as the page) would reload the page whenever someone saves a
  // source file, losing the call mid-test: answer it with a silent stand-in. SIP sockets go to
  // Kamailio's own ports and are untouched.
  const origin = new URL(baseURL);
  await context.routeWebSocket(
    (url) => url.host === origin.host && url.searchParams.has('token'),
    () => undefined,
  );
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
  await page.goto(new URL(`${CALL_HARNESS_PATH}?${query.toString()}`, baseURL).href);
  // A reload would silently start a new phone and lose the call: make it a visible error.
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) pageErrors.push(`the page navigated or reloaded (${frame.url()})`);
  });

  const button = (name: string): Locator => page.getByRole('button', { name, exact: true });
  const callPage: CallPage = {
    label,
    page,
    context,
    registration: page.getByRole('status', { name: 'Registration' }),
    callState: page.getByRole('status', { name: 'Call state' }),
    incoming: page.getByRole('region', { name: 'Incoming call' }),
    caller: page.locator('#caller'),
    error: page.getByRole('alert'),
    target: page.getByRole('textbox', { name: 'Call to' }),
    call: button('Call'),
    videoCall: button('Video call'),
    answer: button('Answer'),
    answerVideo: button('Answer with video'),
    busy: button('Busy'),
    decline: button('Decline'),
    hangup: button('Hang up'),
    hold: button('Hold'),
    resume: button('Resume'),
    mute: button('Mute'),
    receivedDtmf: page.getByRole('log', { name: 'Received DTMF' }).getByRole('listitem'),
    remoteVideo: page.locator('#remote-video'),
    remoteAudioTracks: () =>
      page
        .locator('#remote-audio')
        .evaluate((audio: HTMLAudioElement) =>
          audio.srcObject instanceof MediaStream
            ? audio.srcObject.getAudioTracks().filter((track) => track.readyState === 'live').length
            : 0,
        ),
    pageErrors,
    key: (digit) =>
      page.getByRole('group', { name: 'Keypad' }).getByRole('button', { name: digit, exact: true }),
    dial: async (target, options = {}) => {
      await callPage.target.fill(target);
      await (options.video ? callPage.videoCall : callPage.call).click();
    },
    stats: () => page.evaluate(() => window.ringletCall?.stats() ?? null),
    events: () => page.evaluate(() => window.ringletCall?.events() ?? []),
    wire: () => page.evaluate(() => window.ringletCall?.wire() ?? []),
    peerConnections: () => page.evaluate(() => window.ringletCall?.peerConnections() ?? []),
    diagnostics: async () => {
      const safely = async <T>(read: () => Promise<T>, fallback: T): Promise<T> => {
        try {
          return await read();
        } catch {
          return fallback;
        }
      };
      const wire = await safely(callPage.wire, []);
      const trace = await safely(() => page.locator('#sip-trace').textContent({ timeout: 1_000 }), null);
      return [
        {
          name: `${label}-sip-wire`,
          body: wire
            .map((frame) => `--- ${new Date(frame.at).toISOString()} ${frame.direction}\n${frame.text}`)
            .join('\n'),
        },
        { name: `${label}-events`, body: JSON.stringify(await safely(callPage.events, []), null, 1) },
        {
          name: `${label}-peer-connections`,
          body: JSON.stringify(await safely(callPage.peerConnections, []), null, 1),
        },
        { name: `${label}-log`, body: trace ?? '' },
        { name: `${label}-page-errors`, body: pageErrors.join('\n') },
      ];
    },
  };
  return callPage;
}
