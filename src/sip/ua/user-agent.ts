/**
 * The user agent: RFC 3261 §8 core behaviour over one transport, plus registration (§10).
 * The embedder's entry point to the SIP core; see README.md "Using the SIP core".
 *
 * Inbound path: transport `message` → {@link parseMessage} → {@link TransactionLayer} (which absorbs
 * retransmissions) → the §8.2 checks of {@link inspectRequest} → the method's handler.
 */
import { DigestAuthenticator } from '../auth/digest-authenticator';
import type { DigestAlgorithms } from '../auth/digest';
import { getCallId, getFrom, getTo, getVias } from '../message/headers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import type { NameAddr, SipUri } from '../message/types';
import { parseMessage } from '../parser/parse-message';
import type { ParseError } from '../parser/parse-result';
import { parseUri } from '../parser/parse-uri';
import { isSipUri } from '../message/uri';
import { systemClock, type Clock } from '../support/clock';
import { Emitter } from '../support/emitter';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import { silentLogger, type Logger } from '../support/logger';
import { defaultRandom, type Random } from '../support/random';
import type { InviteServerTransaction } from '../transaction/invite-server-transaction';
import { TransactionLayer, type ServerTransaction } from '../transaction/transaction-layer';
import type { InviteSession } from '../session/invite-session';
import type { SessionDescriptionHandlerFactory } from '../session/session-description-handler';
import { SessionLayer, type CallOptions } from '../session/session-layer';
import { withExtensions, type SessionExtension } from '../session/session-extension';
import { DEFAULT_TIMER_SETTINGS } from '../transaction/timers';
import { ConnectError, type Transport, type TransportState } from '../transport/transport';
import type { WebSocketConstructor } from '../transport/websocket-like';
import { WebSocketTransport } from '../transport/websocket-transport';
import { sendAuthenticated, type RequestOutcome } from './authenticated-request';
import { MergedRequestDetector } from './merged-request-detector';
import { Registration, type RegistrationStatus } from './registration';
import { inspectRequest, type Rejection, type UaCapabilities } from './request-inspection';
import { createResponseTo } from './response-factory';
import { salvageRequest } from './salvage';
import type { UserAgentContext, UserAgentExtension, UserAgentHooks } from './ua-extension';

export interface UserAgentOptions {
  /** `ws:`/`wss:` server URLs, tried in order (failover). Required unless `transport` is given. */
  readonly servers?: readonly string[];
  /** The address of record, e.g. `sip:alice@example.com`. */
  readonly uri: string;
  /** Digest user name; defaults to the AOR's user part. */
  readonly authorizationUser?: string;
  /** Never logged, never traced. Without one, a challenge ends registration as `auth-failed`. */
  readonly password?: string;
  /** Digest hashes beyond the built-in MD5 and SHA-256, e.g. `{ 'SHA-512-256': sha512_256 }`. */
  readonly digestAlgorithms?: DigestAlgorithms;
  readonly displayName?: string;
  /** The WebSocket constructor (the browser's, or the `ws` package's in Node). */
  readonly WebSocket?: WebSocketConstructor;
  /** A ready transport instead of a WebSocket one (tests use the loopback transport). */
  readonly transport?: Transport;
  /** Seconds asked for in REGISTER; the server's grant is what counts. Default 600. */
  readonly registerExpires?: number;
  /**
   * `urn:uuid:…`, stable per device: the `+sip.instance` of the `outbound()` and `gruu()`
   * extensions (RFC 5626 §4.1), which generate one when absent.
   */
  readonly instanceId?: string;
  /** User-Agent header value. */
  readonly userAgent?: string;
  /**
   * Log lines and the SIP trace at debug level: make it with `createLogger(sink, level)`, which
   * masks credentials before the sink. Default silent (nothing is formatted).
   */
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly random?: Random;
  /** The WebSocket transport's connect timeout (ms). */
  readonly connectTimeoutMs?: number;
  /** Opt-in extensions of the user agent, e.g. `[outbound(), gruu()]`. Default none. */
  readonly extensions?: readonly UserAgentExtension[];
  /** Builds the media handler of each call (RFC 3264 offer/answer); required to place or take calls. */
  readonly sessionDescriptionHandlerFactory?: SessionDescriptionHandlerFactory;
  /**
   * Opt-in extensions of calls, e.g. `[reliableProvisionals(), updateMethod(), sessionTimers(),
   * infoMethod()]`; Allow and Supported list what is installed. Default none (RFC 3261 alone).
   */
  readonly sessionExtensions?: readonly SessionExtension[];
}

export type UserAgentEvents = {
  registration: [status: RegistrationStatus];
  transport: [state: TransportState, server: string | undefined];
  /** A new incoming call (RFC 3261 §13.3); answer, reject or ring it through the session. */
  invite: [session: InviteSession];
};

const USER_AGENT = 'Ringlet/0.1';

const STOP_UNREGISTER_TIMEOUT_MS = 3000;

/** What the core implements; extensions add their methods and option tags. */
const CAPABILITIES: UaCapabilities = {
  allowed: ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS'],
  supported: [],
  schemes: ['sip', 'sips', 'tel'],
};

/**
 * A SIP user agent for one account.
 * @throws InvalidArgumentError from the constructor when `uri` is not a sip:/sips: URI with a user
 *   and a host, or when neither `transport` nor `servers` + `WebSocket` are given.
 */
export class UserAgent {
  readonly #events: Emitter<UserAgentEvents>;
  readonly #log: Logger | undefined;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #transport: Transport;
  readonly #layer: TransactionLayer;
  readonly #authenticator: DigestAuthenticator | undefined;
  readonly #registration: Registration;
  readonly #merged: MergedRequestDetector;
  readonly #sessions: SessionLayer;
  readonly #caps: UaCapabilities;
  readonly #hooks: UserAgentHooks[];
  readonly #contactUser: string;
  readonly #userAgent: string;
  readonly #unsubscribe: Array<() => void> = [];
  #wasConnected = false;
  #stopped = false;
  readonly #serverCount: number;

  constructor(options: UserAgentOptions) {
    const parsed = parseUri(options.uri);
    const sipAor = parsed.ok && isSipUri(parsed.value) ? parsed.value : undefined;
    if (!sipAor?.user) throw new InvalidArgumentError(`uri is not sip:user@host: ${options.uri}`);
    const { scheme, user, host } = sipAor;
    // §10.2: the registrar's Request-URI: the AOR's domain.
    const domain: SipUri = { scheme, host, params: {}, headers: {} };
    /** Our From (and REGISTER's To): the AOR with the display name. */
    const identity: NameAddr = {
      ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
      uri: { scheme, user, host, params: {}, headers: {} },
      params: {},
    };
    this.#clock = options.clock ?? systemClock;
    const random = (this.#random = options.random ?? defaultRandom);
    const log = (this.#log = options.logger);
    this.#events = new Emitter((error, event) =>
      log?.error(`${String(event)} listener threw: ${String(error)}`),
    );
    this.#userAgent = options.userAgent ?? USER_AGENT;
    this.#contactUser = random.hex(5);

    const context: UserAgentContext = {
      random,
      instanceId: options.instanceId,
      identity,
      domain,
      send: (request) => this.sendRequest(request),
    };
    const uaExtensions = options.extensions ?? [];
    this.#hooks = uaExtensions.map((e) => e.attach(context));
    const tags = uaExtensions.flatMap((e) => e.tags);

    this.#serverCount = Math.max(1, options.servers?.length ?? 1);
    if (options.transport) this.#transport = options.transport;
    else {
      if (!options.servers?.length || !options.WebSocket) {
        throw new InvalidArgumentError('need servers + WebSocket, or transport');
      }
      this.#transport = new WebSocketTransport({
        servers: options.servers,
        WebSocket: options.WebSocket,
        clock: this.#clock,
        random,
        ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
        keepAlive: this.#hooks.find((h) => h.keepAlive)?.keepAlive,
      });
    }

    const transport = this.#transport;
    this.#layer = new TransactionLayer({
      transport: {
        get viaTransport() {
          return transport.viaTransport;
        },
        get viaHost() {
          return transport.viaHost;
        },
        send: (text) => this.#send(text),
      },
      clock: this.#clock,
      random,
      logger: log ?? silentLogger,
    });
    this.#merged = new MergedRequestDetector(this.#clock);
    this.#authenticator =
      options.password !== undefined
        ? new DigestAuthenticator({
            username: options.authorizationUser ?? sipAor.user,
            password: options.password,
            random: () => random.cnonce(),
            algorithms: options.digestAlgorithms,
          })
        : undefined;

    const extensions = options.sessionExtensions ?? [];
    const caps = withExtensions(CAPABILITIES, extensions);
    this.#caps = { ...caps, supported: [...caps.supported, ...tags] };
    this.#registration = new Registration(
      {
        clock: this.#clock,
        identity,
        registrar: domain,
        contactUri: () => this.#contactUri(),
        // Merged, so the instance id that outbound() and gruu() both add appears once.
        contactParams: Object.assign({}, ...this.#hooks.map((h) => h.contactParams)),
        callId: random.callId(),
        fromTag: () => random.tag(),
        headers: [
          ['Allow', this.#caps.allowed.join(', ')],
          ...(tags.length ? [['Supported', tags.join(', ')] as const] : []),
          ['User-Agent', this.#userAgent],
        ],
        send: (request) => this.sendRequest(request),
        onStatus: (status) => this.#events.emit('registration', status),
      },
      options.registerExpires,
    );

    this.#sessions = new SessionLayer({
      layer: this.#layer,
      clock: this.#clock,
      random,
      logger: log ?? silentLogger,
      authenticator: this.#authenticator,
      settings: {
        allow: this.#caps.allowed,
        supported: extensions.flatMap((e) => e.tag ?? []),
        extensions,
        userAgent: this.#userAgent,
        t1: DEFAULT_TIMER_SETTINGS.t1,
        t2: DEFAULT_TIMER_SETTINGS.t2,
      },
      contact: () => ({ uri: this.#dialogContactUri(), params: {} }),
      identity: () => identity,
      handlerFactory: options.sessionDescriptionHandlerFactory,
      onIncoming: (session) => this.#events.emit('invite', session),
    });

    this.#unsubscribe.push(
      transport.on('message', (text) => this.#receive(text)),
      transport.on('state', (state, server) => this.#onTransportState(state, server)),
      transport.on('error', ({ code, message }) => log?.warn(`transport ${code}: ${message}`)),
    );
  }

  /** Current registration status. */
  get registration(): RegistrationStatus {
    return this.#registration.status;
  }

  get transportState(): TransportState {
    return this.#transport.state;
  }

  /** The Contact for dialogs (INVITE, 2xx): an extension's (a GRUU), else the registered one. */
  #dialogContactUri(): SipUri {
    const binding = this.#registration.binding;
    for (const hooks of this.#hooks) {
      const uri = hooks.dialogContact?.(binding);
      if (uri) return uri;
    }
    return this.#contactUri();
  }

  /** The Contact URI of this UA: a random user at the transport's `.invalid` host (RFC 7118 §5.2). */
  #contactUri(): SipUri {
    return {
      scheme: 'sip',
      user: this.#contactUser,
      host: this.#transport.viaHost,
      params: { transport: 'ws' },
      headers: {},
    };
  }

  on<K extends keyof UserAgentEvents>(event: K, listener: (...args: UserAgentEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * Connects the transport. Resolves once connected; rejects with {@link ConnectError} when every
   * configured server has failed once (the transport keeps retrying with back-off in the
   * background, and a later success re-registers as usual).
   * @throws InvalidStateError after {@link stop}.
   */
  start(): Promise<void> {
    if (this.#stopped) return Promise.reject(new InvalidStateError('user agent stopped'));
    return new Promise<void>((resolve, reject) => {
      let failures = 0;
      const off = this.#transport.on('error', ({ code }) => {
        if (code.startsWith('connect-') && ++failures >= this.#serverCount)
          reject(new ConnectError('no-server'));
      });
      this.#transport.connect().then(resolve, reject).finally(off);
    });
  }

  /** Registers (connecting first if needed); resolves with the resulting status, never rejects. */
  async register(): Promise<RegistrationStatus> {
    if (this.#stopped) return this.#registration.status;
    if (this.#transport.state !== 'connected') {
      try {
        await this.start();
      } catch {
        // The registration attempt below reports the transport failure as its status.
      }
      // stop() may have been called while connecting: a stopped agent never registers again.
      if (this.#stopped) return this.#registration.status;
    }
    return this.#registration.register();
  }

  /** Removes this device's binding; resolves with the resulting status. */
  unregister(): Promise<RegistrationStatus> {
    return this.#registration.unregister();
  }

  /**
   * Places a call (RFC 3261 §13.2). The session's `state`, `progress`, `confirmed` and `ended`
   * events tell how it goes.
   * @throws InvalidArgumentError when `target` is not a sip:, sips: or tel: URI.
   * @throws InvalidStateError when there is no session description handler for the call.
   */
  call(target: string, options: CallOptions = {}): InviteSession {
    return this.#sessions.call(target, options);
  }

  /** Live calls. */
  get sessions(): readonly InviteSession[] {
    return this.#sessions.sessions;
  }

  /** Unregisters (bounded wait), then closes the transport and every timer. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#sessions.dispose();
    if (this.#registration.status.state === 'registered' && this.#transport.state === 'connected') {
      await Promise.race([
        this.#registration.unregister(),
        new Promise<void>((resolve) => this.#clock.setTimeout(resolve, STOP_UNREGISTER_TIMEOUT_MS)),
      ]);
    }
    this.#registration.dispose();
    await this.#transport.disconnect();
    this.#layer.dispose();
    this.#merged.dispose();
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  /**
   * Sends an out-of-dialog non-INVITE request (a Via is added), answering digest challenges.
   * Resolves with the final outcome; never rejects for anything the network does.
   */
  sendRequest(request: SipRequest): Promise<RequestOutcome> {
    return sendAuthenticated({ layer: this.#layer, authenticator: this.#authenticator }, request);
  }

  #send(text: string): boolean {
    const sent = this.#transport.send(text);
    this.#log?.debug(`${sent ? 'sent' : 'send failed'}\n${text}`);
    return sent;
  }

  #onTransportState(state: TransportState, server: string | undefined): void {
    this.#events.emit('transport', state, server);
    if (state !== 'connected') return;
    // A WebSocket registrar reaches us only over the connection that registered (RFC 7118 §5.3;
    // RFC 5626 §4.2.1 calls it a flow), so a new one needs a new registration; only for
    // reconnections, the first connection registers when the embedder asks.
    if (this.#wasConnected) this.#registration.onTransportReconnected();
    this.#wasConnected = true;
  }

  #receive(text: string): void {
    this.#log?.debug(`received\n${text}`);
    const parsed = parseMessage(text);
    if (!parsed.ok) {
      this.#rejectUnparseable(text, parsed.error);
      return;
    }
    const message = parsed.value;
    if (message.kind === 'response') {
      this.#receiveResponse(message);
      return;
    }
    const disposition = this.#layer.receiveRequest(message);
    switch (disposition.kind) {
      case 'new':
        this.#handleRequest(message, disposition.transaction, disposition.cancels);
        return;
      case 'malformed':
        this.#respondStateless(message, 400, disposition.reason);
        return;
      case 'absorbed':
        return;
      case 'ack':
        // §13.3.1.4: the ACK of a 2xx belongs to the INVITE session that sent the 2xx.
        this.#sessions.receiveAck(disposition.request);
        return;
    }
  }

  #receiveResponse(response: SipResponse): void {
    // §8.1.3.3: "If more than one Via header field value is present in a response, the UAC SHOULD
    // discard the message."
    const vias = getVias(response);
    if (!vias.ok || vias.value.length !== 1) return this.#log?.warn('dropped response: not one Via');
    // §13.2.2.4: a 2xx retransmission that outlived its INVITE transaction is ACKed again.
    if (this.#layer.receiveResponse(response).kind === 'stray') this.#sessions.receiveStrayResponse(response);
  }

  #handleRequest(
    request: SipRequest,
    transaction: ServerTransaction,
    cancels: InviteServerTransaction | undefined,
  ): void {
    const toTag = this.#random.tag();
    const respond = (status: number, reason?: string, headers?: Rejection['headers']): void =>
      transaction.respond(createResponseTo(request, status, { toTag, reason, headers }));

    const rejection = inspectRequest(request, this.#caps);
    if (rejection) {
      respond(rejection.status, rejection.reason, rejection.headers);
      return;
    }
    const to = getTo(request);
    const from = getFrom(request);
    const callId = getCallId(request);
    const vias = getVias(request);
    // inspectRequest() has already answered 400 to a request whose To, From, Call-ID or Via do not
    // parse; this only narrows the types.
    if (!to.ok || !from.ok || !callId.ok || !vias.ok) return;
    if (!to.value.params['tag']) {
      const branch = vias.value[0]?.params['branch'] ?? '';
      const cseq = request.headers.get('CSeq') ?? '';
      if (this.#merged.isMerged(from.value.params['tag'] ?? '', callId.value, cseq, branch)) {
        respond(482);
        return;
      }
    } else if (request.method !== 'CANCEL') {
      // Requests inside an INVITE dialog (BYE, re-INVITE, UPDATE, INFO, …) go to its session.
      if (this.#sessions.receiveInDialog(request, transaction)) return;
      // §12.2.2: a request inside a dialog we do not know. "If the UAS wishes to reject the request
      // because it does not wish to recreate the dialog, it MUST respond to the request with a
      // 481 (Call/Transaction Does Not Exist) status code".
      respond(481);
      return;
    }

    switch (request.method) {
      case 'OPTIONS':
        // §11.2: answer as we would an INVITE, listing what we support; Asterisk qualifies WebSocket
        // contacts this way (../shared/PBX-NOTES.md).
        respond(200, undefined, [
          ['Allow', this.#caps.allowed.join(', ')],
          ['Accept', 'application/sdp'],
          ['Supported', this.#caps.supported.join(', ')],
          ['User-Agent', this.#userAgent],
        ]);
        return;
      case 'BYE':
        // §15.1.2: "If the BYE does not match an existing dialog, the UAS core SHOULD generate a
        // 481 (Call/Transaction Does Not Exist) response".
        respond(481);
        return;
      case 'CANCEL':
        // §9.2: "If the UAS did not find a matching transaction for the CANCEL ..., it SHOULD
        // respond to the CANCEL with a 481". With a match, "the response to the CANCEL is a 200";
        // the session then answers the INVITE with 487 if it had not answered yet.
        respond(cancels ? 200 : 481);
        if (cancels) this.#sessions.receiveCancel(request, cancels);
        return;
      case 'INVITE':
        // §13.3.1: a new call (the To tag check above sent re-INVITEs to their session).
        this.#sessions.receiveInvite(request, transaction as InviteServerTransaction);
        return;
      default:
        respond(501);
    }
  }

  /**
   * §21.4.1 "400 Bad Request: the request could not be understood due to malformed syntax. The
   * Reason-Phrase SHOULD identify the syntax problem in more detail". Only possible when the head
   * of the request still yields the headers a response copies; otherwise the message is dropped.
   */
  #rejectUnparseable(text: string, error: ParseError): void {
    const salvaged = salvageRequest(text, error.code);
    if (salvaged) this.#respondStateless(salvaged.request, salvaged.status, error.message);
    else this.#log?.warn(`dropped unparseable: ${error.message}`);
  }

  /** Answers without a transaction (the request never reached one); an ACK gets no answer. */
  #respondStateless(request: SipRequest, status: number, detail: string): void {
    if (request.method === 'ACK' || !getVias(request).ok || !getTo(request).ok) return;
    const reason =
      status === 400 ? `Bad Request (${detail.replace(/[\r\n]/g, ' ').slice(0, 120)})` : undefined;
    this.#send(serializeMessage(createResponseTo(request, status, { reason, toTag: this.#random.tag() })));
  }
}
