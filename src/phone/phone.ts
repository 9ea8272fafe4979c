/**
 * The phone: one account, its user agent (RFC 3261 §8 + §10 registration) and its calls, each a
 * {@link Call} binding an INVITE session to a media session. Framework-free; the store wraps it.
 * See contract.md for the API.
 */
import {
  browserMediaDependencies,
  createMediaSessionFactory,
  type DeviceSelection,
  type MediaDependencies,
  type MediaSession,
  type MediaSessionConfig,
} from '../media/index';
import {
  Emitter,
  InvalidArgumentError,
  UserAgent,
  createRandom,
  gruu,
  infoMethod,
  outbound,
  parseUri,
  reliableProvisionals,
  renegotiation,
  sessionTimers,
  sha512_256,
  digestVariants,
  updateMethod,
  silentLogger,
  type Clock,
  type InviteSession,
  type Logger,
  type Random,
  type RegistrationStatus,
  type SessionTimerSettings,
  type Transport,
  type TransportState,
  type WebSocketConstructor,
} from '../sip/index';
import { Call } from './call';
import type { DtmfMode } from './dtmf';
import { partyFromTarget } from './remote-identity';
import { parseTarget, type TargetResult } from './target';

export interface AccountConfig {
  /** `ws:`/`wss:` server URLs, in failover order. */
  readonly servers?: readonly string[];
  /** The address of record, `sip:alice@example.com`. */
  readonly uri: string;
  /** Digest user name; defaults to the AOR's user part. */
  readonly authorizationUser?: string;
  readonly password?: string;
  readonly displayName?: string;
  /** DTMF mode for this account's server; overrides `media.dtmf`. */
  readonly dtmf?: DtmfMode;
}

export interface PhoneMediaConfig {
  /** STUN/TURN servers. */
  readonly iceServers?: readonly RTCIceServer[];
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
  /** The INVITE leaves after this long even when gathering is not finished (default 500 ms). */
  readonly iceGatheringTimeoutMs?: number;
  /** Audio codec names, most wanted first (default Opus, PCMU, PCMA). */
  readonly codecs?: readonly string[];
  readonly videoCodecs?: readonly string[];
  /** `auto` (RFC 4733 when negotiated, else INFO), `rfc4733` or `info`. Default `auto`. */
  readonly dtmf?: DtmfMode;
}

export interface PhoneOptions {
  readonly account: AccountConfig;
  /** The WebSocket class; defaults to `globalThis.WebSocket`. */
  readonly WebSocket?: WebSocketConstructor;
  /** A ready transport instead of a WebSocket one (tests use the SIP core's loopback). */
  readonly transport?: Transport;
  readonly media?: PhoneMediaConfig;
  /** The WebRTC ports; defaults to the browser's (`browserMediaDependencies`). */
  readonly mediaDependencies?: MediaDependencies;
  /** Log lines and the SIP trace: `createLogger(sink, category, level)` from the SIP core masks credentials. */
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly sessionTimer?: Partial<SessionTimerSettings>;
  readonly registerExpires?: number;
  readonly instanceId?: string;
  readonly userAgent?: string;
}

export type PhoneEvents = {
  registration: [status: RegistrationStatus];
  transport: [state: TransportState, server: string | undefined];
  /** A new incoming call, ringing (180 already sent). */
  incoming: [call: Call];
  /** Any new call, outgoing or incoming. */
  call: [call: Call];
};

export interface PlaceCallOptions {
  /** Offer video (opens the camera). */
  readonly video?: boolean;
  /** Extra INVITE header fields. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

function cryptoRandom(): Random {
  return createRandom((n) => globalThis.crypto.getRandomValues(new Uint8Array(n)));
}

export class Phone {
  readonly #options: PhoneOptions;
  readonly #events: Emitter<PhoneEvents>;
  readonly #log: Logger;
  readonly #random: Random;
  readonly #ua: UserAgent;
  readonly #domain: string;
  readonly #newMedia: (overrides?: MediaSessionConfig) => MediaSession;
  readonly #calls = new Map<string, Call>();
  readonly #unsubscribe: Array<() => void> = [];
  #nextId = 1;
  /** The microphone and camera of every call (null: the browser's default). */
  #devices: { microphoneId: string | null; cameraId: string | null } = { microphoneId: null, cameraId: null };
  /** The call whose handler the user agent just asked for, until its `invite` event. */
  #incoming: Call | undefined;

  /**
   * @throws InvalidArgumentError when the account URI is not a sip:/sips: URI with a user, or when
   *   neither a transport nor servers and a WebSocket class are available.
   */
  constructor(options: PhoneOptions) {
    this.#options = options;
    const aor = parseUri(options.account.uri);
    if (!aor.ok || !('host' in aor.value) || !aor.value.user)
      throw new InvalidArgumentError(
        `account.uri must be sip:user@domain, got ${JSON.stringify(options.account.uri)}`,
      );
    this.#domain = aor.value.host;
    this.#log = (options.logger ?? silentLogger).child('phone');
    this.#events = new Emitter((error, event) =>
      this.#log.error(`listener of ${String(event)} threw`, { error: String(error) }),
    );
    this.#random = options.random ?? cryptoRandom();

    // Without a ready transport the user agent makes its WebSocket one, with its own OPTIONS
    // keep-alive fallback (RFC 7118 §6 leaves keep-alive to the client).
    const WebSocketClass =
      options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor | undefined);
    if (!options.transport && (!options.account.servers?.length || !WebSocketClass))
      throw new InvalidArgumentError('give account.servers and a WebSocket class, or a transport');

    const media = options.media ?? {};
    const deps = options.mediaDependencies ?? browserMediaDependencies(this.#log.child('media'));
    const config: MediaSessionConfig = {
      ...(media.iceServers ? { iceServers: media.iceServers } : {}),
      ...(media.iceTransportPolicy ? { iceTransportPolicy: media.iceTransportPolicy } : {}),
      ...(media.iceGatheringTimeoutMs !== undefined
        ? { iceGatheringTimeoutMs: media.iceGatheringTimeoutMs }
        : {}),
      ...(media.codecs ? { audioCodecs: media.codecs } : {}),
      ...(media.videoCodecs ? { videoCodecs: media.videoCodecs } : {}),
    };
    this.#newMedia = createMediaSessionFactory(deps, config);

    const account = options.account;
    this.#ua = new UserAgent({
      uri: account.uri,
      ...(options.transport
        ? { transport: options.transport }
        : {
            servers: options.account.servers ?? [],
            ...(WebSocketClass ? { WebSocket: WebSocketClass } : {}),
          }),
      random: this.#random,
      ...(account.authorizationUser !== undefined ? { authorizationUser: account.authorizationUser } : {}),
      ...(account.password !== undefined ? { password: account.password } : {}),
      // RFC 8760's strongest algorithm and the rare Digest variants (-sess, auth-int, userhash):
      // opt-in in the core, always on in the app.
      digestAlgorithms: { 'SHA-512-256': sha512_256, ...digestVariants() },
      ...(account.displayName !== undefined ? { displayName: account.displayName } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      // Every call extension the app relies on (hold and re-offers, DTMF via INFO, PRACK, UPDATE,
      // session timers).
      sessionExtensions: [
        renegotiation(),
        reliableProvisionals(),
        updateMethod(),
        sessionTimers(options.sessionTimer),
        infoMethod(),
      ],
      // RFC 5626 keep-alive and flow identity, RFC 5627 GRUU: opt-in in the core, on in the app.
      extensions: [outbound(), gruu()],
      ...(options.registerExpires !== undefined ? { registerExpires: options.registerExpires } : {}),
      ...(options.instanceId !== undefined ? { instanceId: options.instanceId } : {}),
      ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
      sessionDescriptionHandlerFactory: () => {
        // Only incoming INVITEs reach the factory: outgoing calls bring their own handler.
        const call = this.#newCall('incoming', partyFromTarget(''));
        this.#incoming = call;
        return call.descriptionHandler;
      },
    });
    this.#unsubscribe.push(
      this.#ua.on('registration', (status) => this.#events.emit('registration', status)),
      this.#ua.on('transport', (state, server) => this.#events.emit('transport', state, server)),
      this.#ua.on('invite', (session) => this.#onInvite(session)),
    );
  }

  get registration(): RegistrationStatus {
    return this.#ua.registration;
  }

  get transportState(): TransportState {
    return this.#ua.transportState;
  }

  /** Live calls, oldest first. */
  get calls(): readonly Call[] {
    return [...this.#calls.values()];
  }

  /** A live call by id. */
  getCall(id: string): Call | undefined {
    return this.#calls.get(id);
  }

  on<K extends keyof PhoneEvents>(event: K, listener: (...args: PhoneEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /** The microphone and camera chosen with {@link selectDevices} (null: the browser's default). */
  get devices(): { readonly microphoneId: string | null; readonly cameraId: string | null } {
    return this.#devices;
  }

  /**
   * Chooses the microphone and/or camera (`null`: the browser's default; absent: unchanged) for new
   * calls and moves every live call to them without hanging up (see {@link Call.switchDevices}).
   * Resolves once every call has switched, with the calls that could not (they keep their device);
   * never rejects.
   */
  async selectDevices(
    selection: DeviceSelection,
  ): Promise<ReadonlyArray<{ readonly call: Call; readonly error: unknown }>> {
    this.#devices = {
      microphoneId:
        selection.microphoneId === undefined ? this.#devices.microphoneId : selection.microphoneId,
      cameraId: selection.cameraId === undefined ? this.#devices.cameraId : selection.cameraId,
    };
    const calls = this.calls.filter((call) => call.state !== 'ended');
    const outcomes = await Promise.allSettled(calls.map((call) => call.switchDevices(selection)));
    const failures: Array<{ call: Call; error: unknown }> = [];
    outcomes.forEach((outcome, index) => {
      const call = calls[index];
      if (outcome.status === 'fulfilled' || !call) return;
      this.#log.warn('selectDevices() | the call keeps its device', {
        call: call.id,
        error: String(outcome.reason),
      });
      failures.push({ call, error: outcome.reason });
    });
    return failures;
  }

  /** Connects to the server; rejects when no server can be reached. */
  start(): Promise<void> {
    return this.#ua.start();
  }

  /** Registers (connecting first if needed); resolves with the status, never rejects. */
  register(): Promise<RegistrationStatus> {
    return this.#ua.register();
  }

  unregister(): Promise<RegistrationStatus> {
    return this.#ua.unregister();
  }

  /** Ends every call, unregisters (bounded wait) and disconnects. */
  async stop(): Promise<void> {
    await this.#ua.stop();
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  /** What {@link call} would dial for `input`, for a dial box to validate as the user types. */
  parseTarget(input: string): TargetResult {
    return parseTarget(input, this.#domain);
  }

  /**
   * Places a call to a SIP URI, a user at the account's domain, or a number (see `target.ts`).
   * Returns at once; the call's events tell the rest. A dial string that is not an address gives
   * a call that ends (cause `invalid-target`) right after this returns.
   */
  call(target: string, options: PlaceCallOptions = {}): Call {
    const parsed = this.parseTarget(target);
    const call = this.#newCall(
      'outgoing',
      partyFromTarget(parsed.ok ? parsed.uri : target.trim()),
      options.video,
    );
    this.#events.emit('call', call);
    if (!parsed.ok) {
      const error = parsed.error;
      queueMicrotask(() =>
        call.failBeforeSession({ originator: 'local', cause: 'invalid-target', reason: error.message }),
      );
      return call;
    }
    let session: InviteSession;
    try {
      session = this.#ua.call(parsed.uri, {
        sessionDescriptionHandler: call.descriptionHandler,
        ...(options.headers ? { headers: options.headers } : {}),
      });
    } catch (error) {
      this.#log.warn('call() | the user agent refused the target', { error: String(error) });
      queueMicrotask(() =>
        call.failBeforeSession({ originator: 'local', cause: 'invalid-target', reason: String(error) }),
      );
      return call;
    }
    call.attachSession(session);
    return call;
  }

  #newCall(
    direction: 'outgoing' | 'incoming',
    remote: ReturnType<typeof partyFromTarget>,
    video?: boolean,
  ): Call {
    const id = `call-${this.#nextId++}`;
    const call = new Call({
      id,
      direction,
      media: this.#newMedia({ devices: this.#devices }),
      dtmf: this.#options.account.dtmf ?? this.#options.media?.dtmf ?? 'auto',
      logger: this.#log.child('call'),
      remote,
      ...(video === undefined ? {} : { video }),
    });
    this.#calls.set(id, call);
    call.on('ended', () => this.#calls.delete(id));
    return call;
  }

  #onInvite(session: InviteSession): void {
    const call = this.#incoming;
    this.#incoming = undefined;
    if (!call) {
      // Cannot happen: the factory runs right before the event. Refuse rather than ring silently.
      session.reject(480);
      return;
    }
    call.attachSession(session);
    // RFC 3261 §13.3.1.1: the UAS alerts the user and tells the caller with 180 Ringing.
    session
      .progress()
      .catch((error: unknown) => this.#log.warn('180 not sent', { call: call.id, error: String(error) }));
    this.#events.emit('call', call);
    this.#events.emit('incoming', call);
  }
}

/** Creates a phone for one account; see contract.md. */
export function createPhone(options: PhoneOptions): Phone {
  return new Phone(options);
}
