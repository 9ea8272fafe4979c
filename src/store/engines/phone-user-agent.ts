/**
 * The store's user agent built on the phone layer (`src/phone`): one {@link Phone} per account,
 * seen by the store as its {@link UserAgentLike} (RFC 3261 §10 registration and the RFC 7118
 * WebSocket transport), and by {@link createPhoneCallEngine} as the phone that places and takes
 * calls (RFC 3261 §13–15).
 *
 * The store creates the user agent before it knows the account's ICE servers and chosen devices
 * (those reach the call engine), so the phone is built with media dependencies that read both at
 * the moment a call needs them: a peer connection is made with the account's ICE servers, a
 * microphone or camera is opened on the chosen device. The engine sets them with
 * {@link PhoneUserAgent.useMedia}.
 *
 * Throwaway user agents of `account.testConnection()` never call: no media is touched for them.
 */
import { browserMediaDependencies, type MediaDependencies } from '../../media/index';
import { createPhone, type Phone, type PhoneMediaConfig, type PhoneOptions } from '../../phone/index';
import {
  Emitter,
  parseUri,
  silentLogger,
  type Clock,
  type Random,
  type RegistrationStatus,
  type Transport,
  type UserAgentEvents,
  type UserAgentOptions,
} from '../../sip/index';
import type { SelectedDevices } from '../ports/call-engine';
import type { UserAgentFactory, UserAgentLike } from '../ports/user-agent';

export interface PhoneUserAgentDeps {
  /**
   * Media defaults of every phone (codecs, DTMF mode, ICE gathering timeout, ICE servers used
   * when the account lists none).
   */
  readonly media?: PhoneMediaConfig;
  /** The WebRTC ports; default the browser's. Tests pass the media layer's fakes. */
  readonly mediaDependencies?: MediaDependencies;
  /** A transport per user agent instead of a WebSocket one (tests use the SIP core's loopback). */
  readonly transport?: (options: UserAgentOptions) => Transport;
  readonly sessionTimer?: PhoneOptions['sessionTimer'];
  /** Default the global timers (tests pass the SIP core's FakeClock). */
  readonly clock?: Clock;
  /** Default `crypto.getRandomValues`. */
  readonly random?: Random;
}

/** What the call engine decides about the media of calls still to come. */
export interface PhoneMediaChoice {
  /** The account's STUN/TURN servers; an empty list keeps the phone's default. */
  readonly iceServers: readonly RTCIceServer[];
  readonly devices: SelectedDevices;
}

const NO_DEVICES: SelectedDevices = { microphoneId: null, speakerId: null, cameraId: null };

/**
 * The configuration a peer connection is made with: the account's ICE servers when it has any,
 * else what the media layer chose. Pure.
 */
export function withIceServers(
  configuration: RTCConfiguration,
  iceServers: readonly RTCIceServer[],
): RTCConfiguration {
  return iceServers.length === 0 ? configuration : { ...configuration, iceServers: [...iceServers] };
}

function onDevice(
  request: boolean | MediaTrackConstraints | undefined,
  deviceId: string | null,
): boolean | MediaTrackConstraints | undefined {
  if (!request || deviceId === null) return request;
  const base = typeof request === 'object' ? request : {};
  // The media layer's own choice of device, if it ever makes one, wins.
  if (base.deviceId !== undefined) return request;
  // `ideal`, not `exact`: a device unplugged since it was chosen must not fail the call
  // (W3C Media Capture §3.2: an unmet `exact` rejects getUserMedia with OverconstrainedError).
  return { ...base, deviceId: { ideal: deviceId } };
}

/** getUserMedia constraints asking for the chosen microphone and camera. Pure. */
export function withDevices(
  constraints: MediaStreamConstraints,
  devices: SelectedDevices,
): MediaStreamConstraints {
  const audio = onDevice(constraints.audio, devices.microphoneId);
  const video = onDevice(constraints.video, devices.cameraId);
  return {
    ...constraints,
    ...(audio === undefined ? {} : { audio }),
    ...(video === undefined ? {} : { video }),
  };
}

/**
 * A {@link Phone} as the store's user agent. `on('invite')` never fires: the phone answers
 * INVITEs itself and reports them as calls to the engine.
 */
export class PhoneUserAgent implements UserAgentLike {
  /** The phone of this account; the call engine's, never the UI's. */
  readonly phone: Phone;
  /** The account's domain, to show same-domain users without it. */
  readonly domain: string;
  readonly #events: Emitter<UserAgentEvents>;
  #media: PhoneMediaChoice = { iceServers: [], devices: NO_DEVICES };

  /** @throws InvalidArgumentError (from the phone) for an account URI or servers it cannot use. */
  constructor(options: UserAgentOptions, deps: PhoneUserAgentDeps = {}) {
    const log = (options.logger ?? silentLogger).child('store.phone-ua');
    this.#events = new Emitter((error, event) =>
      log.error(`listener of ${String(event)} threw`, { error: String(error) }),
    );
    const base = deps.mediaDependencies ?? browserMediaDependencies();
    const mediaDependencies: MediaDependencies = {
      ...base,
      createPeerConnection: (configuration) =>
        base.createPeerConnection(withIceServers(configuration, this.#media.iceServers)),
      getUserMedia: (constraints) => base.getUserMedia(withDevices(constraints, this.#media.devices)),
    };
    const transport = options.transport ?? deps.transport?.(options);
    const sessionTimer = deps.sessionTimer;
    const clock = options.clock ?? deps.clock;
    const random = options.random ?? deps.random;
    this.phone = createPhone({
      account: {
        uri: options.uri,
        ...(options.servers ? { servers: options.servers } : {}),
        ...(options.authorizationUser !== undefined ? { authorizationUser: options.authorizationUser } : {}),
        ...(options.password !== undefined ? { password: options.password } : {}),
        ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
      },
      ...(transport ? { transport } : {}),
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
      ...(deps.media ? { media: deps.media } : {}),
      mediaDependencies,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(clock ? { clock } : {}),
      ...(random ? { random } : {}),
      ...(sessionTimer ? { sessionTimer } : {}),
      ...(options.registerExpires !== undefined ? { registerExpires: options.registerExpires } : {}),
      ...(options.instanceId !== undefined ? { instanceId: options.instanceId } : {}),
      ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
    });
    // NOTE: `connectTimeoutMs` is not a phone option yet: the phone's WebSocket transport uses
    // its default.
    const aor = parseUri(options.uri);
    this.domain = aor.ok && 'host' in aor.value ? aor.value.host.toLowerCase() : '';
    this.phone.on('registration', (status) => this.#events.emit('registration', status));
    this.phone.on('transport', (state, server) => this.#events.emit('transport', state, server));
  }

  /** The ICE servers and devices of the calls placed or answered from now on. */
  get media(): PhoneMediaChoice {
    return this.#media;
  }

  useMedia(choice: Partial<PhoneMediaChoice>): void {
    this.#media = { ...this.#media, ...choice };
  }

  on<K extends keyof UserAgentEvents>(event: K, listener: (...args: UserAgentEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  start(): Promise<void> {
    return this.phone.start();
  }

  register(): Promise<RegistrationStatus> {
    return this.phone.register();
  }

  unregister(): Promise<RegistrationStatus> {
    return this.phone.unregister();
  }

  /** Ends every call, unregisters (bounded wait) and disconnects. */
  stop(): Promise<void> {
    return this.phone.stop();
  }
}

/**
 * The store's `createUserAgent` dependency: each account (and each connection test) gets a
 * {@link PhoneUserAgent}.
 */
export function createPhoneUserAgentFactory(deps: PhoneUserAgentDeps = {}): UserAgentFactory<PhoneUserAgent> {
  return (options) => new PhoneUserAgent(options, deps);
}
