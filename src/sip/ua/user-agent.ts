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
import type { SipRequest } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import type { SipUri } from '../message/types';
import { parseMessage } from '../parser/parse-message';
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
import type { Transport, TransportState } from '../transport/transport';
import type { WebSocketConstructor } from '../transport/websocket-like';
import { WebSocketTransport } from '../transport/websocket-transport';
import { sendAuthenticated, type RequestOutcome } from './authenticated-request';
import { Registration, type RegistrationStatus } from './registration';
import { inspectRequest, type Answer, type UaCapabilities } from './request-inspection';
import { createResponseTo } from './response-factory';
import { salvageRequest } from './salvage';
import type { UserAgentContext, UserAgentExtension } from './ua-extension';

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

/** What the core implements; extensions add their methods and option tags. */
const CAPABILITIES: UaCapabilities = {
  allowed: ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS'],
  supported: [],
  schemes: ['sip', 'sips', 'tel'],
};

/**
 * How long a new request's From tag, Call-ID and CSeq are remembered for merged-request detection
 * (§8.2.2.2): 64·T1, the longest a non-INVITE server transaction lives.
 */
const MERGE_WINDOW_MS = 32_000;

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
  readonly #sessions: SessionLayer;
  readonly #caps: UaCapabilities;
  /** Our Contact URI: a random user at the transport's `.invalid` host (RFC 7118 §5.2). */
  readonly #contact: SipUri;
  /** Allow, Supported (when any) and User-Agent: of every REGISTER, and of our 200 to OPTIONS. */
  readonly #headers: ReadonlyArray<readonly [string, string]>;
  /** §8.2.2.2: `From tag, Call-ID, CSeq` of recent new requests → their branch and arrival time. */
  readonly #recent = new Map<string, readonly [branch: string | null | undefined, at: number]>();
  readonly #unsubscribe: Array<() => void>;
  #stopped = false;

  constructor(options: UserAgentOptions) {
    const parsed = parseUri(options.uri);
    const aor = parsed.ok && isSipUri(parsed.value) ? parsed.value : undefined;
    if (!aor?.user) throw new InvalidArgumentError(`uri is not sip:user@host: ${options.uri}`);
    const { scheme, user, host } = aor;
    const clock = (this.#clock = options.clock ?? systemClock);
    const random = (this.#random = options.random ?? defaultRandom);
    const log = (this.#log = options.logger);
    this.#events = new Emitter((error, event) => log?.error(`${String(event)} listener: ${String(error)}`));
    const userAgent = options.userAgent ?? 'Ringlet/0.1';

    const context: UserAgentContext = {
      random,
      instanceId: options.instanceId,
      /** Our From (and REGISTER's To): the AOR with the display name. */
      identity: {
        displayName: options.displayName,
        uri: { scheme, user, host, params: {}, headers: {} },
        params: {},
      },
      // §10.2: the registrar's Request-URI: the AOR's domain.
      domain: { scheme, host, params: {}, headers: {} },
      send: (request) => this.sendRequest(request),
    };
    const uaExtensions = options.extensions ?? [];
    const hooks = uaExtensions.map((e) => e.attach(context));

    if (options.transport) this.#transport = options.transport;
    else {
      if (!options.WebSocket) throw new InvalidArgumentError('need servers + WebSocket, or transport');
      // It throws itself when `servers` is empty or not ws:/wss: URLs.
      this.#transport = new WebSocketTransport({
        servers: options.servers ?? [],
        WebSocket: options.WebSocket,
        clock,
        random,
        connectTimeoutMs: options.connectTimeoutMs,
        keepAlive: hooks.find((h) => h.keepAlive)?.keepAlive,
      });
    }
    const transport = this.#transport;
    this.#contact = {
      scheme: 'sip',
      user: random.hex(5),
      host: transport.viaHost,
      params: { transport: 'ws' },
      headers: {},
    };

    this.#layer = new TransactionLayer({
      transport: {
        get viaTransport() {
          return transport.viaTransport;
        },
        viaHost: transport.viaHost,
        send: (text) => this.#send(text),
      },
      clock,
      random,
      logger: log,
    });
    this.#authenticator =
      options.password !== undefined
        ? new DigestAuthenticator({
            username: options.authorizationUser ?? user,
            password: options.password,
            random: () => random.cnonce(),
            algorithms: options.digestAlgorithms,
          })
        : undefined;

    const extensions = options.sessionExtensions ?? [];
    const caps = withExtensions(CAPABILITIES, extensions);
    const supported = [...caps.supported, ...uaExtensions.flatMap((e) => e.tags)];
    this.#caps = { ...caps, supported };
    this.#headers = [
      ['Allow', caps.allowed.join(', ')],
      ...(supported.length ? [['Supported', supported.join(', ')] as const] : []),
      ['User-Agent', userAgent],
    ];
    this.#registration = new Registration(
      {
        ...context,
        clock,
        contact: this.#contact,
        // Merged, so the instance id that outbound() and gruu() both add appears once.
        contactParams: Object.assign({}, ...hooks.map((h) => h.contactParams)),
        headers: this.#headers,
        onStatus: (status) => this.#events.emit('registration', status),
      },
      options.registerExpires,
    );

    this.#sessions = new SessionLayer({
      layer: this.#layer,
      clock,
      random,
      logger: log ?? silentLogger,
      authenticator: this.#authenticator,
      settings: {
        allow: caps.allowed,
        supported: extensions.flatMap((e) => e.tag ?? []),
        extensions,
        userAgent,
        ...DEFAULT_TIMER_SETTINGS,
      },
      // The Contact of dialogs (INVITE, 2xx): an extension's (a GRUU), else the registered one.
      contact: () => {
        const binding = this.#registration.binding;
        let uri: SipUri | undefined;
        for (const h of hooks) uri ??= h.dialogContact?.(binding);
        return { uri: uri ?? this.#contact, params: {} };
      },
      identity: () => context.identity,
      handlerFactory: options.sessionDescriptionHandlerFactory,
      onIncoming: (session) => this.#events.emit('invite', session),
    });

    this.#unsubscribe = [
      transport.on('message', (text) => this.#receive(text)),
      transport.on('state', (state, server) => {
        this.#events.emit('transport', state, server);
        // A WebSocket registrar reaches us only over the connection that registered (RFC 7118
        // §5.3; RFC 5626 §4.2.1 calls it a flow), so a new connection needs a new registration,
        // once the embedder has asked for one.
        if (state === 'connected') this.#registration.onTransportConnected();
      }),
      transport.on('error', ({ code, message }) => log?.warn(`transport ${code}: ${message}`)),
    ];
  }

  /** Current registration status. */
  get registration(): RegistrationStatus {
    return this.#registration.status;
  }

  get transportState(): TransportState {
    return this.#transport.state;
  }

  on<K extends keyof UserAgentEvents>(event: K, listener: (...args: UserAgentEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * Connects the transport. Resolves once connected; rejects with `ConnectError` when every
   * configured server has failed once (the transport keeps retrying with back-off in the
   * background, and a later success re-registers as usual).
   * @throws InvalidStateError after {@link stop}.
   */
  start(): Promise<void> {
    return this.#stopped
      ? Promise.reject(new InvalidStateError('user agent stopped'))
      : this.#transport.connect();
  }

  /** Registers (connecting first if needed); resolves with the resulting status, never rejects. */
  async register(): Promise<RegistrationStatus> {
    // The registration attempt reports a transport failure as its status.
    if (this.#transport.state !== 'connected') await this.start().catch(() => undefined);
    // stop() may have been called meanwhile: a stopped agent never registers again.
    return this.#stopped ? this.#registration.status : this.#registration.register();
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
      // A registrar that does not answer holds the shutdown up for 3 s at most.
      await Promise.race([
        this.#registration.unregister(),
        new Promise<void>((resolve) => this.#clock.setTimeout(resolve, 3000)),
      ]);
    }
    this.#registration.dispose();
    await this.#transport.disconnect();
    this.#layer.dispose();
    for (const off of this.#unsubscribe) off();
  }

  /**
   * Sends an out-of-dialog non-INVITE request (a Via is added), answering digest challenges.
   * Resolves with the final outcome; never rejects for anything the network does.
   */
  sendRequest(request: SipRequest): Promise<RequestOutcome> {
    return sendAuthenticated(this.#layer, this.#authenticator, request);
  }

  #send(text: string): boolean {
    const sent = this.#transport.send(text);
    this.#log?.debug(`${sent ? 'sent' : 'send failed'}\n${text}`);
    return sent;
  }

  #receive(text: string): void {
    this.#log?.debug(`received\n${text}`);
    const parsed = parseMessage(text);
    if (!parsed.ok) {
      // §21.4.1 "400 Bad Request: the request could not be understood due to malformed syntax. The
      // Reason-Phrase SHOULD identify the syntax problem in more detail". Only possible when the
      // head of the request still yields the headers a response copies; otherwise it is dropped.
      const { error } = parsed;
      const salvaged = salvageRequest(text, error.code);
      if (salvaged?.status === 505) this.#respondStateless(salvaged.request, 505);
      else if (salvaged)
        this.#respondStateless(salvaged.request, 400, `Bad Request (${error.message.slice(0, 120)})`);
      return;
    }
    const message = parsed.value;
    if (message.kind === 'response') {
      // §8.1.3.3: "If more than one Via header field value is present in a response, the UAC SHOULD
      // discard the message." §13.2.2.4: a 2xx retransmission that outlived its INVITE transaction
      // is ACKed again by its session.
      const vias = getVias(message);
      if (vias.ok && vias.value.length === 1 && this.#layer.receiveResponse(message).kind === 'stray')
        this.#sessions.receiveStrayResponse(message);
      return;
    }
    const disposition = this.#layer.receiveRequest(message);
    if (disposition.kind === 'new')
      this.#handleRequest(message, disposition.transaction, disposition.cancels);
    else if (disposition.kind === 'malformed') this.#respondStateless(message, 400, disposition.reason);
    // §13.3.1.4: the ACK of a 2xx belongs to the INVITE session that sent the 2xx.
    else if (disposition.kind === 'ack') this.#sessions.receiveAck(disposition.request);
  }

  #handleRequest(
    request: SipRequest,
    transaction: ServerTransaction,
    cancels: InviteServerTransaction | undefined,
  ): void {
    const respond = (...[status, reason, headers]: Answer): void =>
      transaction.respond(createResponseTo(request, status, { toTag: this.#random.tag(), reason, headers }));
    const to = getTo(request);
    const from = getFrom(request);
    const callId = getCallId(request);
    const vias = getVias(request);
    // §8.1.1: To, From and Call-ID are mandatory in every request (a bad Via or CSeq was answered
    // by the transaction layer); §21.4.1: "The Reason-Phrase SHOULD identify the syntax problem".
    if (!to.ok || !from.ok || !callId.ok || !vias.ok)
      return respond(400, `Bad Request (${to.ok ? (from.ok ? 'Call-ID' : 'From') : 'To'})`);
    const rejection = inspectRequest(request, this.#caps);
    if (rejection) return respond(...rejection);
    const { method } = request;
    if (!to.value.params['tag']) {
      // §8.2.2.2: "If the request has no tag in the To header field, the UAS core MUST check the
      // request against ongoing transactions. If the From tag, Call-ID, and CSeq exactly match
      // those associated with an ongoing transaction, but the request does not match that
      // transaction ..., the UAS core SHOULD generate a 482 (Loop Detected) response".
      const now = this.#clock.now();
      for (const [key, [, at]] of this.#recent) if (now - at > MERGE_WINDOW_MS) this.#recent.delete(key);
      const key = `${from.value.params['tag']} ${callId.value} ${request.headers.get('CSeq')}`;
      const branch = vias.value[0]?.params['branch'];
      const seen = this.#recent.get(key);
      if (!seen) this.#recent.set(key, [branch, now]);
      else if (seen[0] !== branch) return respond(482);
    } else if (method !== 'CANCEL') {
      // Requests inside an INVITE dialog (BYE, re-INVITE, UPDATE, INFO, …) go to its session.
      if (this.#sessions.receiveInDialog(request, transaction)) return;
      // §12.2.2: a request inside a dialog we do not know. "If the UAS wishes to reject the request
      // because it does not wish to recreate the dialog, it MUST respond to the request with a
      // 481 (Call/Transaction Does Not Exist) status code".
      return respond(481);
    }

    switch (method) {
      case 'OPTIONS':
        // §11.2: answer as we would an INVITE, listing what we support; Asterisk qualifies WebSocket
        // contacts this way (../shared/PBX-NOTES.md).
        return respond(200, undefined, [...this.#headers, ['Accept', 'application/sdp']]);
      case 'INVITE':
        // §13.3.1: a new call (the To tag check above sent re-INVITEs to their session).
        return this.#sessions.receiveInvite(request, transaction as InviteServerTransaction);
      case 'CANCEL':
        // §9.2: "If the UAS did not find a matching transaction for the CANCEL ..., it SHOULD
        // respond to the CANCEL with a 481". With a match, "the response to the CANCEL is a 200";
        // the session then answers the INVITE with 487 if it had not answered yet.
        respond(cancels ? 200 : 481);
        if (cancels) this.#sessions.receiveCancel(request, cancels);
        return;
    }
    // What is left is allowed only inside a dialog: BYE (§15.1.2: "If the BYE does not match an
    // existing dialog, the UAS core SHOULD generate a 481"), and the PRACK, UPDATE and INFO of
    // session extensions (RFC 3262 §3, RFC 3311 §5.2, RFC 6086 §4.2.2: 481 likewise).
    respond(481);
  }

  /** Answers without a transaction (the request never reached one); an ACK gets no answer. */
  #respondStateless(request: SipRequest, status: number, reason?: string): void {
    if (request.method !== 'ACK' && getVias(request).ok && getTo(request).ok)
      this.#send(serializeMessage(createResponseTo(request, status, { reason, toTag: this.#random.tag() })));
  }
}
