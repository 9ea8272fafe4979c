/**
 * The store's {@link CallEngine} on the phone layer (`src/phone`): pjsua's call API over the
 * phone's {@link Call} objects. Call ids are the phone's; every event of a call becomes one plain
 * {@link CallSnapshot} (`callUpdated`), a new incoming call one `incoming` snapshot, and the end of
 * a call exactly one snapshot in state `ended`.
 *
 * Hold (RFC 3264 §8.4) is a state of the port but a flag pair of the phone: a call we hold is
 * `on-hold` whatever the other side did; a call only the other side holds is `held-by-remote`.
 */
import type { Call, CallEndCause as PhoneEndCause, CallEndInfo, RemoteParty } from '../../phone/index';
import { Emitter, InvalidStateError, createLogger, silentLogger, type Logger } from '../../sip/index';
import type { CallEngineContext } from '../create-phone-store';
import {
  appendReceivedDtmf,
  type CallEnd,
  type CallEndCause,
  type CallEngine,
  type CallEngineEvents,
  type CallSnapshot,
  type CallState,
  type CallStreams,
  type Party,
  type SelectedDevices,
} from '../ports/call-engine';
import type { PhoneUserAgent } from './phone-user-agent';

/**
 * The phone's end causes in the port's vocabulary. A `Record` so that a cause added to the phone
 * fails to compile here instead of reaching the store unmapped.
 */
const END_CAUSES: Readonly<Record<PhoneEndCause, CallEndCause>> = {
  bye: 'bye',
  cancel: 'cancel',
  busy: 'busy',
  rejected: 'rejected',
  'completed-elsewhere': 'completed-elsewhere',
  'not-found': 'not-found',
  unavailable: 'unavailable',
  'not-acceptable': 'not-acceptable',
  redirected: 'redirected',
  'request-timeout': 'request-timeout',
  'transport-error': 'transport-error',
  'auth-failed': 'auth-failed',
  'no-ack': 'no-ack',
  'session-expired': 'session-expired',
  'dialog-error': 'dialog-error',
  'media-failed': 'media-error',
  // NOTE: the port has no cause for a dial string that is no address; "not found" is the nearest
  // for the history, and `reason` keeps the phone's sentence ("… cannot be used as a user name").
  'invalid-target': 'not-found',
};

const MISSING_END: CallEnd = { originator: 'system', cause: 'dialog-error' };

/** The port's end of a call from the phone's. Pure. */
export function callEndOf(info: CallEndInfo): CallEnd {
  return {
    originator: info.originator,
    cause: END_CAUSES[info.cause],
    ...(info.status === undefined ? {} : { status: info.status }),
    reason: info.reason,
  };
}

/**
 * The other party as the store shows and redials it: the display name, and as number the user
 * part alone when the party is at the account's domain (or a tel: number), else `user@host`.
 * Pure; the text stays text (the phone already stripped control characters).
 */
export function partyOf(remote: RemoteParty, domain: string): Party {
  const name = remote.displayName ?? '';
  if (remote.user === undefined) return { name, number: remote.uri.replace(/^sips?:/i, '') };
  if (/^tel:/i.test(remote.uri)) return { name, number: remote.user };
  const host = /@([^;?>:]+)/.exec(remote.uri)?.[1]?.toLowerCase();
  return { name, number: host === undefined || host === domain ? remote.user : `${remote.user}@${host}` };
}

/** The port's state of a live call from the phone's state and hold flags. Pure. */
export function callStateOf(call: Pick<Call, 'state' | 'holdState'>): CallState {
  if (call.state !== 'connected') return call.state;
  if (call.holdState.local) return 'on-hold';
  return call.holdState.remote ? 'held-by-remote' : 'connected';
}

/** One call as plain data; `end` only once the call has ended. */
export function snapshotOf(call: Call, domain: string, receivedDtmf = ''): CallSnapshot {
  const state = callStateOf(call);
  return {
    id: call.id,
    direction: call.direction,
    remote: partyOf(call.remote, domain),
    state,
    video: call.video,
    muted: call.muted,
    onHold: call.holdState.local,
    camera: call.camera,
    ...(receivedDtmf ? { receivedDtmf } : {}),
    // The phone sets `end` before its state becomes `ended`, so the fallback is never seen.
    ...(state === 'ended' ? { end: call.end ? callEndOf(call.end) : MISSING_END } : {}),
  };
}

/** The engine of one connected account; see the module comment. */
export class PhoneCallEngine implements CallEngine {
  readonly #ua: PhoneUserAgent;
  readonly #log: Logger;
  readonly #events: Emitter<CallEngineEvents>;
  /** Live calls this engine reports, by id. */
  readonly #calls = new Map<string, Call>();
  /** DTMF digits received per live call; the phone keeps none, so the engine does. */
  readonly #receivedDtmf = new Map<string, string>();
  #disposed = false;

  constructor(context: CallEngineContext<PhoneUserAgent>) {
    this.#ua = context.ua;
    this.#log = context.log
      ? createLogger(context.log, 'ringlet', 'info').child('store.call-engine')
      : silentLogger;
    this.#events = new Emitter((error, event) =>
      this.#log.error(`listener of ${String(event)} threw`, { error: String(error) }),
    );
    this.#ua.useMedia({ iceServers: context.iceServers, devices: context.devices });
    // Kept after dispose(), to turn away calls that arrive while the account goes away; the store
    // stops the phone right after, and a stopped phone reports nothing more.
    const phone = this.#ua.phone;
    phone.on('call', (call) => this.#track(call));
    phone.on('incoming', (call) => {
      if (this.#calls.has(call.id)) this.#events.emit('incoming', this.#snapshot(call));
    });
  }

  on<K extends keyof CallEngineEvents>(
    event: K,
    listener: (...args: CallEngineEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  /** @throws InvalidStateError after {@link dispose}. */
  call(target: string, options: { video: boolean }): string {
    if (this.#disposed) throw new InvalidStateError('call(): the engine was disposed');
    // The phone reports the new call (`call` event) before it returns; a dial string it cannot
    // use ends the call right after, with cause `invalid-target`.
    return this.#ua.phone.call(target, { video: options.video }).id;
  }

  /** Rejects with InvalidStateError for a call that is not ringing here. */
  async answer(id: string, options: { video: boolean }): Promise<void> {
    await this.#require(id, 'answer').answer({ video: options.video });
  }

  /** Rejects with InvalidStateError / InvalidArgumentError as the phone's `reject()`. */
  async reject(id: string, status: number): Promise<void> {
    await this.#require(id, 'reject').reject(status);
  }

  hangup(id: string): Promise<void> {
    // Hanging up a call that has already ended is no error: the person and the network raced.
    return this.#calls.get(id)?.hangup() ?? Promise.resolve();
  }

  async hold(id: string): Promise<void> {
    const outcome = await this.#require(id, 'hold').hold();
    // §14.1: a refused re-INVITE leaves the call as it was; the store logs why.
    if (!outcome.ok) throw new Error(`hold refused: ${outcome.status ?? ''} ${outcome.reason}`.trim());
  }

  async resume(id: string): Promise<void> {
    const outcome = await this.#require(id, 'resume').resume();
    if (!outcome.ok) throw new Error(`resume refused: ${outcome.status ?? ''} ${outcome.reason}`.trim());
  }

  mute(id: string, on: boolean): void {
    this.#require(id, 'mute').mute(on);
  }

  sendDtmf(id: string, digits: string): void {
    this.#require(id, 'sendDtmf')
      .sendDtmf(digits)
      .then(
        (result) => {
          if (!result.ok)
            this.#log.warn('sendDtmf() | refused', { call: id, status: result.status, digit: result.digit });
        },
        (error: unknown) => this.#log.warn('sendDtmf() | failed', { call: id, error: String(error) }),
      );
  }

  /**
   * Moves every live call to the chosen microphone and camera without hanging up (the phone's
   * `selectDevices`: replaceTrack, no re-INVITE), and opens them for the calls to come. A device
   * that cannot be opened leaves that call on its old one (logged). The speaker is the media
   * element's (`setSinkId`), not the engine's.
   */
  selectDevices(devices: SelectedDevices): void {
    this.#ua.useMedia({ devices });
    void this.#ua.phone
      .selectDevices({ microphoneId: devices.microphoneId, cameraId: devices.cameraId })
      .then((failures) => {
        for (const { call, error } of failures)
          this.#log.warn('selectDevices() | the call keeps its device', {
            call: call.id,
            error: String(error),
          });
      });
  }

  /** Rejects with InvalidStateError for an unknown call, or when the call has no video stream. */
  async setCamera(id: string, on: boolean): Promise<void> {
    await this.#require(id, 'setCamera').setCamera(on);
  }

  streams(id: string): CallStreams | undefined {
    const call = this.#calls.get(id);
    if (!call) return undefined;
    return { local: call.localStream ?? null, remote: call.remoteStream ?? null };
  }

  /** Hangs up every call; their `ended` snapshots still follow. New calls are refused. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const call of [...this.#calls.values()]) {
      void call.hangup();
    }
  }

  #require(id: string, method: string): Call {
    const call = this.#calls.get(id);
    if (!call) throw new InvalidStateError(`${method}(): no live call ${JSON.stringify(id)}`);
    return call;
  }

  #snapshot(call: Call): CallSnapshot {
    return snapshotOf(call, this.#ua.domain, this.#receivedDtmf.get(call.id));
  }

  #update(call: Call): void {
    this.#events.emit('callUpdated', this.#snapshot(call));
  }

  #track(call: Call): void {
    if (this.#calls.has(call.id)) return;
    if (this.#disposed) {
      // An INVITE that arrived while the account is going away: nobody will answer it.
      void call.hangup();
      return;
    }
    this.#calls.set(call.id, call);
    const update = (): void => this.#update(call);
    const offs = [
      // `ended` is reported once, by the `ended` event below, which carries the end.
      call.on('state', (state) => {
        if (state !== 'ended') update();
      }),
      call.on('progress', update),
      call.on('held', update),
      call.on('muted', update),
      call.on('camera', update),
      call.on('deviceSwitched', update),
      call.on('deviceSwitchFailed', update),
      call.on('remote', update),
      call.on('remoteStream', update),
      call.on('dtmf', (digit) => {
        // Network text: only a single DTMF digit is kept (a malformed INFO body never reaches here,
        // but the port promises `0-9*#A-D` whatever the phone does).
        const before = this.#receivedDtmf.get(call.id) ?? '';
        const after = appendReceivedDtmf(before, digit);
        if (after === before) return;
        this.#receivedDtmf.set(call.id, after);
        update();
      }),
      call.on('ended', () => {
        for (const off of offs) off();
        this.#calls.delete(call.id);
        this.#update(call);
        this.#receivedDtmf.delete(call.id);
      }),
    ];
    // An outgoing call is the caller's to show at once; an incoming one waits for `incoming`.
    if (call.direction === 'outgoing') update();
  }
}

/** The store's `createCallEngine` dependency, for user agents made by `createPhoneUserAgentFactory`. */
export function createPhoneCallEngine(context: CallEngineContext<PhoneUserAgent>): PhoneCallEngine {
  return new PhoneCallEngine(context);
}
