/**
 * The user agent: RFC 3261 §8 core behaviour over one transport, plus registration (§10).
 * The embedder's entry point to the SIP core; see README.md "Using the SIP core".
 *
 * Inbound path: transport `message` → {@link parseMessage} → {@link TransactionLayer} (which absorbs
 * retransmissions) → the §8.2 checks of {@link inspectRequest} → the method's handler.
 */
import { DigestAuthenticator } from '../auth/digest-authenticator';
import { getCallId, getFrom, getTo, getVias } from '../message/headers';
import { createRequest, type SipRequest, type SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import type { SipUri } from '../message/types';
import { parseMessage } from '../parser/parse-message';
import type { ParseError } from '../parser/parse-result';
import { parseUri } from '../parser/parse-uri';
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
import { DEFAULT_SESSION_TIMER, type SessionTimerSettings } from '../session/session-timer';
import { DEFAULT_TIMER_SETTINGS } from '../transaction/timers';
import type { Transport, TransportState } from '../transport/transport';
import type { WebSocketConstructor } from '../transport/websocket-like';
import { WebSocketTransport } from '../transport/websocket-transport';
import { sendAuthenticated, type RequestOutcome } from './authenticated-request';
import { MergedRequestDetector } from './merged-request-detector';
import { Registration, type RegistrationStatus } from './registration';
import { inspectRequest, type UaCapabilities } from './request-inspection';
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
  /** RFC 4028 session timers; default enabled, 1800 s, Min-SE 90 s. */
  readonly sessionTimer?: Partial<SessionTimerSettings>;
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

/** Methods the core answers itself today; INVITE and friends arrive with sessions. */
const CAPABILITIES: UaCapabilities = {
  allowed: ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'UPDATE', 'INFO'],
  supported: ['path', 'outbound', 'gruu', 'timer'],
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
  readonly #aor: SipUri;
  readonly #contactUser: string;
  readonly #userAgent: string;
  readonly #unsubscribe: Array<() => void> = [];
  #wasConnected = false;
  #stopped = false;
  readonly #serverCount: number;

  constructor(options: UserAgentOptions) {
    const aor = parseUri(options.uri);
    if (!aor.ok || (aor.value.scheme !== 'sip' && aor.value.scheme !== 'sips') || !('host' in aor.value)) {
      throw new InvalidArgumentError(`uri must be a sip: or sips: URI, got ${JSON.stringify(options.uri)}`);
    }
    const sipAor = aor.value as SipUri;
    if (!sipAor.user) throw new InvalidArgumentError('uri needs a user part (sip:user@domain)');
    this.#aor = { scheme: sipAor.scheme, user: sipAor.user, host: sipAor.host, params: {}, headers: {} };
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? defaultRandom;
    this.#logger = options.logger
      ? createLogger(options.logger, 'ringlet', options.logLevel ?? 'debug')
      : silentLogger;
    this.#trace = this.#logger.child('trace');
    this.#events = new Emitter((error, event) =>
      this.#logger.error(`listener of ${String(event)} threw`, { error: String(error) }),
    );
    this.#userAgent = options.userAgent ?? USER_AGENT;
    this.#contactUser = this.#random.hex(5);

    this.#serverCount = Math.max(1, options.servers?.length ?? 1);
    if (options.transport) this.#transport = options.transport;
    else {
      if (!options.servers?.length || !options.WebSocket) {
        throw new InvalidArgumentError('give servers and a WebSocket constructor, or a transport');
      }
      this.#transport = new WebSocketTransport({
        servers: options.servers,
        WebSocket: options.WebSocket,
        clock: this.#clock,
        random: this.#random,
        logger: this.#logger,
        ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
        ...(options.keepAliveIntervalMs !== undefined
          ? { keepAliveIntervalMs: options.keepAliveIntervalMs }
          : {}),
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
          })
        : undefined;

    this.#registration = new Registration(
      {
        clock: this.#clock,
        logger: this.#logger.child('registration'),
        aor: this.#aor,
        displayName: options.displayName,
        registrar: { scheme: this.#aor.scheme, host: this.#aor.host, params: {}, headers: {} },
        contactUri: () => this.contactUri,
        instanceId: `<${normaliseInstanceId(options.instanceId, this.#random)}>`,
        callId: this.#random.callId(),
        fromTag: () => this.#random.tag(),
        userAgent: this.#userAgent,
        send: (request) => this.sendRequest(request),
      },
      options.registerExpires,
    );
    this.#registration.on('status', (status) => this.#events.emit('registration', status));

    this.#sessions = new SessionLayer({
      layer: this.#layer,
      clock: this.#clock,
      random: this.#random,
      logger: this.#logger,
      authenticator: this.#authenticator,
      settings: {
        allow: CAPABILITIES.allowed,
        // As a UAC we PRACK reliable provisional responses (RFC 3262); as a UAS we never send them.
        supported: ['100rel', 'timer'],
        userAgent: this.#userAgent,
        sessionTimer: { ...DEFAULT_SESSION_TIMER, ...options.sessionTimer },
        t1: DEFAULT_TIMER_SETTINGS.t1,
        t2: DEFAULT_TIMER_SETTINGS.t2,
      },
      contact: () => ({ uri: this.#dialogContactUri(), params: {} }),
      identity: () => ({
        ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
        uri: this.#aor,
        params: {},
      }),
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

  /** The Contact URI of this UA: a random user at the transport's `.invalid` host (RFC 7118 §5.2). */
  /**
   * The Contact for dialogs (INVITE, 2xx): the public GRUU the registrar granted, when it granted
   * one (RFC 5627 §4.2 asks a UA holding a GRUU to use it as the Contact of dialog-forming requests
   * and responses), else the registered contact. REGISTER itself always carries the real contact.
   */
  #dialogContactUri(): SipUri {
    const status = this.#registration.status;
    if (status.state === 'registered' && status.gruu) {
      const gruu = parseUri(status.gruu);
      if (gruu.ok && (gruu.value.scheme === 'sip' || gruu.value.scheme === 'sips'))
        return gruu.value as SipUri;
    }
    return this.contactUri;
  }

  get contactUri(): SipUri {
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

  /** Connects the transport; rejects when no server can be reached. */
  /**
   * Connects the transport. Resolves once connected; rejects with {@link ConnectError} when every
   * configured server has failed once (the transport keeps retrying with back-off in the
   * background, and a later success re-registers as usual).
   * @throws InvalidStateError after {@link stop}.
   */
  start(): Promise<void> {
    if (this.#stopped)
      return Promise.reject(new InvalidStateError('this user agent was stopped; create a new one'));
    if (this.#transport.state === 'connected') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let failures = 0;
      const settle = (error?: Error): void => {
        offError();
        offState();
        if (error) reject(error);
        else resolve();
      };
      const offState = this.#transport.on('state', (state) => {
        if (state === 'connected') settle();
      });
      const offError = this.#transport.on('error', (error) => {
        if (error.code !== 'connect-failed' && error.code !== 'connect-timeout' && error.code !== 'no-server')
          return;
        failures++;
        if (failures >= this.#serverCount || error.code === 'no-server') {
          settle(
            new ConnectError(
              `could not connect to ${this.#serverCount === 1 ? 'the server' : 'any server'}: ${error.message}`,
            ),
          );
        }
      });
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
    const request = createRequest(
      'OPTIONS',
      { scheme: this.#aor.scheme, host: this.#aor.host, params: {}, headers: {} },
      [
        ['Max-Forwards', '70'],
        ['To', `<${this.#aor.scheme}:${this.#aor.host}>`],
        ['From', `<${this.#aor.scheme}:${this.#aor.user}@${this.#aor.host}>;tag=${this.#random.tag()}`],
        ['Call-ID', this.#random.callId()],
        ['CSeq', '1 OPTIONS'],
        ['User-Agent', this.#userAgent],
      ],
    );
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
        this.#respondStateless(message, 400, `Bad Request (${disposition.reason})`);
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
      this.#logger.warn('receiveResponse() | dropped: needs exactly one Via', { status: response.status });
      return;
    }
    const disposition = this.#layer.receiveResponse(response);
    // §13.2.2.4: a 2xx retransmission that outlived its INVITE transaction is ACKed again.
    if (disposition.kind === 'stray' && !this.#sessions.receiveStrayResponse(response))
      this.#logger.debug('receiveResponse() | stray response dropped', { status: response.status });
  }

  #handleRequest(
    request: SipRequest,
    transaction: ServerTransaction,
    cancels: InviteServerTransaction | undefined,
  ): void {
    const cancelsInvite = cancels !== undefined;
    const toTag = this.#random.tag();
    const respond = (
      status: number,
      reason?: string,
      headers?: ReadonlyArray<readonly [string, string]>,
    ): void =>
      transaction.respond(
        createResponseTo(request, status, {
          toTag,
          ...(reason ? { reason } : {}),
          ...(headers ? { headers } : {}),
        }),
      );

    const rejection = inspectRequest(request, CAPABILITIES);
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
        respond(482, 'Loop Detected');
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
          ['Allow', CAPABILITIES.allowed.join(', ')],
          ['Accept', 'application/sdp'],
          ['Supported', CAPABILITIES.supported.join(', ')],
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
        respond(cancelsInvite ? 200 : 481);
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
    if (!salvaged || salvaged.request.method === 'ACK') {
      this.#logger.warn('receive() | dropped an unparseable message', { why: error.message });
      return;
    }
    const reason = salvaged.status === 505 ? 'Version Not Supported' : `Bad Request (${error.message})`;
    this.#respondStateless(salvaged.request, salvaged.status, reason);
  }

  #respondStateless(request: SipRequest, status: number, reason: string): void {
    if (request.method === 'ACK') return;
    const to = getTo(request);
    if (!getVias(request).ok || !to.ok) return;
    const safeReason = reason.replace(/[\r\n]/g, ' ').slice(0, 120);
    this.#send(
      serializeMessage(createResponseTo(request, status, { reason: safeReason, toTag: this.#random.tag() })),
    );
  }
}

/** `urn:uuid:…` from the option, or a fresh version-4 UUID (RFC 4122 §4.4). */
function normaliseInstanceId(given: string | undefined, random: Random): string {
  if (given !== undefined) {
    const bare = given.replace(/^<|>$/g, '');
    if (!/^urn:[a-z0-9][a-z0-9-]{0,31}:[^\s<>"]+$/i.test(bare)) {
      throw new InvalidArgumentError(
        `instanceId must be a URN such as urn:uuid:…, got ${JSON.stringify(given)}`,
      );
    }
    return bare;
  }
  const h = random.hex(16).split('');
  h[12] = '4';
  h[16] = '89ab'[parseInt(h[16] ?? '0', 16) & 3] ?? '8';
  const s = h.join('');
  return `urn:uuid:${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}
