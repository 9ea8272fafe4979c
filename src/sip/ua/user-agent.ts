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
import { createLogger, silentLogger, type LogLevel, type LogSink, type Logger } from '../support/logger';
import { defaultRandom, type Random } from '../support/random';
import type { InviteServerTransaction } from '../transaction/invite-server-transaction';
import { TransactionLayer, type ServerTransaction } from '../transaction/transaction-layer';
import type { InviteSession } from '../session/invite-session';
import type { SessionDescriptionHandlerFactory } from '../session/session-description-handler';
import { SessionLayer, type CallOptions } from '../session/session-layer';
import { withExtensions, type SessionExtension } from '../session/session-extension';
import { DEFAULT_TIMER_SETTINGS } from '../transaction/timers';
import type { Transport, TransportState } from '../transport/transport';
import type { WebSocketConstructor } from '../transport/websocket-like';
import { WebSocketTransport } from '../transport/websocket-transport';
import { sendAuthenticated, type RequestOutcome } from './authenticated-request';
import { MergedRequestDetector } from './merged-request-detector';
import { Registration, type RegistrationStatus } from './registration';
import { inspectRequest, type Rejection, type UaCapabilities } from './request-inspection';
import { buildRequest } from './request-builder';
import { createResponseTo } from './response-factory';
import { salvageRequest } from './salvage';

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
  /** `urn:uuid:…`, stable per device (RFC 5626 §4.1 `+sip.instance`); generated when absent. */
  readonly instanceId?: string;
  /** User-Agent header value. */
  readonly userAgent?: string;
  /** Receives log lines and the SIP trace (credentials already masked). */
  readonly logger?: LogSink;
  /** Lowest level passed to `logger`; default `debug`, which includes the SIP trace. */
  readonly logLevel?: LogLevel;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Transport tuning passed to the WebSocket transport. */
  readonly connectTimeoutMs?: number;
  readonly keepAliveIntervalMs?: number;
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

/** {@link UserAgent.start} could not reach any configured server. */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
}
const STOP_UNREGISTER_TIMEOUT_MS = 3000;

/** What the core implements; `sessionExtensions` add their methods and option tags. */
const CAPABILITIES: UaCapabilities = {
  allowed: ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS'],
  supported: ['path', 'outbound', 'gruu'],
  schemes: ['sip', 'sips', 'tel'],
};

/**
 * A SIP user agent for one account.
 * @throws InvalidArgumentError from the constructor when `uri` is not a sip:/sips: URI with a user
 *   and a host, or when neither `transport` nor `servers` + `WebSocket` are given.
 */
export class UserAgent {
  readonly #events: Emitter<UserAgentEvents>;
  readonly #logger: Logger;
  readonly #trace: Logger;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #transport: Transport;
  readonly #layer: TransactionLayer;
  readonly #authenticator: DigestAuthenticator | undefined;
  readonly #registration: Registration;
  readonly #merged: MergedRequestDetector;
  readonly #sessions: SessionLayer;
  readonly #caps: UaCapabilities;
  readonly #domain: SipUri;
  /** Our From (and REGISTER's To): the AOR with the display name. */
  readonly #identity: NameAddr;
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
    // §10.2: the registrar's Request-URI and the OPTIONS ping's target: the AOR's domain.
    this.#domain = { scheme, host, params: {}, headers: {} };
    this.#identity = {
      ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
      uri: { scheme, user, host, params: {}, headers: {} },
      params: {},
    };
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? defaultRandom;
    this.#logger = options.logger
      ? createLogger(options.logger, 'ringlet', options.logLevel ?? 'debug')
      : silentLogger;
    this.#trace = this.#logger.child('trace');
    this.#events = new Emitter((error, event) =>
      this.#logger.error(`${String(event)} listener threw`, { error: String(error) }),
    );
    this.#userAgent = options.userAgent ?? USER_AGENT;
    this.#contactUser = this.#random.hex(5);

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
        random: this.#random,
        logger: this.#logger,
        connectTimeoutMs: options.connectTimeoutMs,
        keepAliveIntervalMs: options.keepAliveIntervalMs,
        optionsPing: () => this.#optionsPing(),
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
      random: this.#random,
      logger: this.#logger,
    });
    this.#merged = new MergedRequestDetector(this.#clock);
    this.#authenticator =
      options.password !== undefined
        ? new DigestAuthenticator({
            username: options.authorizationUser ?? sipAor.user,
            password: options.password,
            random: () => this.#random.cnonce(),
            algorithms: options.digestAlgorithms,
          })
        : undefined;

    const extensions = options.sessionExtensions ?? [];
    this.#caps = withExtensions(CAPABILITIES, extensions);
    this.#registration = new Registration(
      {
        clock: this.#clock,
        logger: this.#logger.child('registration'),
        identity: this.#identity,
        registrar: this.#domain,
        contactUri: () => this.#contactUri(),
        instanceId: `<${normaliseInstanceId(options.instanceId, this.#random)}>`,
        callId: this.#random.callId(),
        fromTag: () => this.#random.tag(),
        headers: [
          ['Allow', this.#caps.allowed.join(', ')],
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
      random: this.#random,
      logger: this.#logger,
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
      identity: () => this.#identity,
      handlerFactory: options.sessionDescriptionHandlerFactory,
      onIncoming: (session) => this.#events.emit('invite', session),
    });

    this.#unsubscribe.push(
      transport.on('message', (text) => this.#receive(text)),
      transport.on('state', (state, server) => this.#onTransportState(state, server)),
    );
  }

  /** Current registration status. */
  get registration(): RegistrationStatus {
    return this.#registration.status;
  }

  get transportState(): TransportState {
    return this.#transport.state;
  }

  /**
   * The Contact for dialogs (INVITE, 2xx): the public GRUU the registrar granted, when it granted
   * one (RFC 5627 §4.2 asks a UA holding a GRUU to use it as the Contact of dialog-forming requests
   * and responses), else the registered contact. REGISTER itself always carries the real contact.
   */
  #dialogContactUri(): SipUri {
    const status = this.#registration.status;
    const gruu = status.state === 'registered' && status.gruu ? parseUri(status.gruu) : undefined;
    return gruu?.ok && isSipUri(gruu.value) ? gruu.value : this.#contactUri();
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
    if (this.#transport.state === 'connected') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let failures = 0;
      const offs = [
        this.#transport.on('state', (state) => state === 'connected' && settle()),
        this.#transport.on('error', ({ code, message }) => {
          const failed = code === 'connect-failed' || code === 'connect-timeout';
          if (code === 'no-server' || (failed && ++failures >= this.#serverCount))
            settle(new ConnectError(`connect failed: ${message}`));
        }),
      ];
      const settle = (error?: Error): void => {
        for (const off of offs) off();
        if (error) reject(error);
        else resolve();
      };
      this.#transport.connect().then(
        () => settle(),
        (error: unknown) => settle(error instanceof Error ? error : new ConnectError(String(error))),
      );
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
    this.#trace.debug(`${sent ? 'sent' : 'send failed'}\n${text}`);
    return sent;
  }

  #onTransportState(state: TransportState, server: string | undefined): void {
    this.#events.emit('transport', state, server);
    if (state !== 'connected') return;
    // RFC 5626 §4.2.1: a new flow needs a new registration; only for reconnections, the first
    // connection registers when the embedder asks.
    if (this.#wasConnected) this.#registration.onTransportReconnected();
    this.#wasConnected = true;
  }

  /** The keep-alive fallback for servers that never answer CRLF pings: any response means alive. */
  #optionsPing(): Promise<boolean> {
    const request = buildRequest('OPTIONS', this.#domain, {
      to: { uri: this.#domain, params: {} },
      from: { uri: this.#identity.uri, params: { tag: this.#random.tag() } },
      callId: this.#random.callId(),
      seq: 1,
      headers: [['User-Agent', this.#userAgent]],
    });
    return new Promise((resolve) => {
      this.#layer.sendRequest(request, {
        onFinal: () => resolve(true),
        onTimeout: () => resolve(false),
        onTransportError: () => resolve(false),
      });
    });
  }

  #receive(text: string): void {
    this.#trace.debug(`received\n${text}`);
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
    if (!vias.ok || vias.value.length !== 1) {
      this.#logger.warn('receiveResponse() | dropped: not one Via', { status: response.status });
      return;
    }
    const disposition = this.#layer.receiveResponse(response);
    // §13.2.2.4: a 2xx retransmission that outlived its INVITE transaction is ACKed again.
    if (disposition.kind === 'stray' && !this.#sessions.receiveStrayResponse(response))
      this.#logger.debug('receiveResponse() | dropped: stray', { status: response.status });
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
        respond(200, 'OK', [
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
    else this.#logger.warn('receive() | dropped: unparseable', { why: error.message });
  }

  /** Answers without a transaction (the request never reached one); an ACK gets no answer. */
  #respondStateless(request: SipRequest, status: number, detail: string): void {
    if (request.method === 'ACK' || !getVias(request).ok || !getTo(request).ok) return;
    const reason =
      status === 400 ? `Bad Request (${detail.replace(/[\r\n]/g, ' ').slice(0, 120)})` : undefined;
    this.#send(serializeMessage(createResponseTo(request, status, { reason, toTag: this.#random.tag() })));
  }
}

/**
 * `urn:uuid:…` from the option, or a fresh version-4 UUID (RFC 4122 §4.4: version nibble 4, variant
 * bits 10).
 * @throws InvalidArgumentError when `given` is not a URN.
 */
function normaliseInstanceId(given: string | undefined, random: Random): string {
  if (given !== undefined) {
    const bare = given.replace(/^<|>$/g, '');
    if (!/^urn:[a-z0-9][a-z0-9-]{0,31}:[^\s<>"]+$/i.test(bare)) {
      throw new InvalidArgumentError(`instanceId is not a URN: ${given}`);
    }
    return bare;
  }
  const h = random.hex(16);
  const variant = '89ab'[parseInt(h[16]!, 16) & 3]!;
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
}
