/**
 * The dev exchange's SIP element: a registrar (RFC 3261 §10.3) and a record-routing stateful
 * forking proxy (§16) between WebSocket clients (RFC 7118), built on Ringlet's own `src/sip`
 * message layer.
 *
 * DEVELOPMENT CONVENIENCE ONLY: one process, everything in memory, no TLS, no NAT, no DNS.
 * Production deployments point Ringlet at Asterisk, FreeSWITCH or Kamailio.
 *
 * WebSocket clients have no reachable address (their Via and Contact hosts are `.invalid`,
 * RFC 7118 §5.2), so the exchange never resolves a URI: a contact is reached over the connection
 * its REGISTER arrived on, an in-dialog request over the connection named in our Record-Route
 * (`;conn=<caller>.<callee>`), and a response over the connection its request came from.
 */
import { randomBytes } from 'node:crypto';
import {
  createRequest,
  getCSeq,
  getCallId,
  getFrom,
  getList,
  getMaxForwards,
  getRoutes,
  getTo,
  getVias,
  isSipUri,
  parseMessage,
  serializeMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  type Uri,
  type Via,
} from '../src/sip/index';
import { hasTag } from '../src/sip/ua/response-factory';
import { replyTo } from './reply';
import { salvageRequest } from '../src/sip/ua/salvage';
import type { Connection, Timers } from './connection';
import type { DigestChallenger } from './digest-challenger';
import type { LocationService } from './location-service';
import type { Registrar } from './registrar';
import { ResponseContext } from './response-context';
import { oneLine, summarize } from './wire-log';

export interface ExchangeOptions {
  /** The SIP domain users register under (`sip:alice@<domain>`). */
  readonly domain: string;
  /** Host and port written in our Via and Record-Route. */
  readonly host: string;
  readonly port: number;
  readonly location: LocationService;
  readonly registrar: Registrar;
  readonly challenger?: DigestChallenger;
  readonly timers: Timers;
  /** Timer B/F: a branch that sends nothing for this long counts as 408. */
  readonly noAnswerMs: number;
  /** Timer C: an INVITE branch ringing this long is cancelled. */
  readonly ringingMs: number;
  readonly log: (line: string) => void;
}

/** Out-of-dialog requests that may create a dialog, so we Record-Route them (§16.6 step 4). */
const DIALOG_CREATING = new Set(['INVITE', 'SUBSCRIBE', 'REFER', 'NOTIFY']);

/** What OPTIONS to the exchange advertises. */
const OWN_ALLOW = 'REGISTER, OPTIONS';
const PROXIED_ALLOW =
  'INVITE, ACK, CANCEL, BYE, MESSAGE, SUBSCRIBE, NOTIFY, REFER, INFO, UPDATE, OPTIONS, PRACK';

/** How long a finished transaction is remembered (64·T1, §17). */
const LINGER_MS = 32_000;

export class Exchange {
  readonly #o: ExchangeOptions;
  readonly #localHosts: ReadonlySet<string>;
  readonly #connections = new Map<string, Connection>();
  /** User last registered on each connection, for log labels. */
  readonly #users = new Map<string, string>();
  /** Server-transaction key (§17.2.3) → response context. */
  readonly #contexts = new Map<string, ResponseContext>();
  /** Our branch id → response context. */
  readonly #branches = new Map<string, ResponseContext>();
  /** INVITEs we rejected ourselves: their ACK is ours to absorb (§17.2.1). */
  readonly #rejectedInvites = new Map<string, unknown>();

  constructor(options: ExchangeOptions) {
    this.#o = options;
    this.#localHosts = new Set(
      [options.domain, options.host, 'localhost', '127.0.0.1'].map((h) => h.toLowerCase()),
    );
  }

  /** True for the hosts naming this exchange or its domain. */
  isLocalHost(host: string): boolean {
    return this.#localHosts.has(host.toLowerCase());
  }

  /** Short random id for a new connection, unique among the open ones. */
  newConnectionId(): string {
    let id: string;
    do id = randomBytes(3).toString('hex');
    while (this.#connections.has(id));
    return id;
  }

  connectionOpened(connection: Connection, remote: string): void {
    this.#connections.set(connection.id, connection);
    this.#o.log(`connection ${connection.id} opened from ${remote}`);
  }

  connectionClosed(connection: Connection): void {
    if (!this.#connections.delete(connection.id)) return;
    const users = this.#o.location.removeConnection(connection.id);
    const lost = users.length > 0 ? `; bindings of ${users.join(', ')} removed` : '';
    this.#o.log(`connection ${this.#label(connection)} closed${lost}`);
    this.#users.delete(connection.id);
    for (const ctx of [...this.#contexts.values()]) ctx.connectionLost(connection);
  }

  /** One SIP message (text of one frame) from `from`. Never throws for wire input. */
  receive(from: Connection, text: string): void {
    const parsed = parseMessage(text);
    if (!parsed.ok) {
      const e = parsed.error;
      this.#o.log(`${this.#label(from)} → unparseable message (${e.code}: ${oneLine(e.message)})`);
      // §21.4.1 400 (Bad Request) — when a request head can be salvaged, so the client learns why.
      const salvaged = salvageRequest(text, e.code);
      if (salvaged !== undefined && salvaged.request.method !== 'ACK') {
        const reason =
          salvaged.status === 505
            ? 'Version Not Supported'
            : `Bad Request (${oneLine(e.message).slice(0, 80)})`;
        this.#respond(from, salvaged.request, salvaged.status, reason);
      }
      return;
    }
    const message = parsed.value;
    this.#o.log(`${this.#label(from)} → ${summarize(message)}`);
    if (message.kind === 'request') this.#receiveRequest(from, message);
    else this.#receiveResponse(from, message);
  }

  /** Stops every timer; the element forgets all transactions. */
  dispose(): void {
    for (const ctx of [...this.#contexts.values()]) ctx.dispose();
    for (const handle of this.#rejectedInvites.values()) this.#o.timers.clearTimeout(handle);
    this.#rejectedInvites.clear();
  }

  // ── requests ───────────────────────────────────────────────────────────────────────────────

  #receiveRequest(from: Connection, req: SipRequest): void {
    // §16.3 step 1: "The request MUST be well-formed enough to be handled with a server
    // transaction."
    const vias = getVias(req);
    const checks = [vias, getFrom(req), getTo(req), getCallId(req)];
    const cseq = getCSeq(req);
    const broken = [...checks, cseq].find((r) => !r.ok);
    if (broken !== undefined && !broken.ok) {
      this.#reject(from, req, 400, `Bad Request (${broken.error.header ?? 'header'}: ${broken.error.code})`);
      return;
    }
    if (!vias.ok || vias.value.length === 0 || !cseq.ok) return; // narrowed above
    if (cseq.value.method !== req.method) {
      this.#reject(from, req, 400, 'Bad Request (CSeq method differs)');
      return;
    }
    const top = vias.value[0] as Via;
    const inviteKey = transactionKey(top, 'INVITE');

    if (req.method === 'CANCEL') {
      this.#receiveCancel(from, req, inviteKey);
      return;
    }
    if (req.method === 'ACK') {
      // §17.2.1: the ACK for a 3xx–6xx response belongs to the INVITE server transaction (same
      // branch) and is absorbed; only the ACK for a 2xx is a request of its own to route.
      const ctx = this.#contexts.get(inviteKey);
      if (this.#rejectedInvites.has(inviteKey) || (ctx?.finalStatus ?? 0) >= 300) return;
    } else {
      const ctx = this.#contexts.get(transactionKey(top, req.method));
      if (ctx !== undefined) {
        ctx.retransmitLast();
        return;
      }
    }
    this.#route(from, req, top);
  }

  /** §16.4 route information preprocessing, §16.5 target determination, §16.6 forwarding. */
  #route(from: Connection, req: SipRequest, top: Via): void {
    const routes = getRoutes(req);
    if (!routes.ok) {
      this.#reject(from, req, 400, 'Bad Request (Route)');
      return;
    }
    let remaining = getList(req.headers, 'Route');
    let flow: readonly [string, string] | undefined;
    const first = routes.value[0];
    // §16.4: "If the first value in the Route header field indicates this proxy, the proxy MUST
    // remove that value from the request."
    if (first !== undefined && this.#isOurs(first.uri)) {
      remaining = remaining.slice(1);
      flow = parseFlow(isSipUri(first.uri) ? first.uri.params['conn'] : undefined);
    }
    if (remaining.length > 0) {
      // NOTE: deviates from RFC 3261 §16.6 step 6 because the exchange is the only hop a WebSocket
      // client can reach: a Route beyond it has nowhere to go.
      this.#reject(from, req, 404, 'Not Found (no route beyond the dev exchange)');
      return;
    }

    const uri = req.uri;
    if (req.method === 'REGISTER') {
      const outcome = this.#o.registrar.register(req, from.id);
      this.#o.log(`registrar: ${outcome.summary}`);
      if (outcome.user !== undefined) this.#users.set(from.id, outcome.user);
      this.#send(from, outcome.response);
      return;
    }
    if (isSipUri(uri) && this.#isLocalHost(uri.host) && !uri.user) {
      this.#answerOwn(from, req);
      return;
    }

    const maxForwards = getMaxForwards(req);
    if (!maxForwards.ok) {
      this.#reject(from, req, 400, 'Bad Request (Max-Forwards)');
      return;
    }
    // §16.3 step 3: "If the request contains a Max-Forwards header field with a field value of
    // zero (0), the element MUST NOT forward the request. If the request was for OPTIONS, the
    // element MAY act as the final recipient and respond per Section 11. Otherwise, the element
    // MUST return a 483 (Too many hops) response."
    if (maxForwards.value === 0) {
      if (req.method === 'OPTIONS') this.#answerOwn(from, req);
      else this.#reject(from, req, 483);
      return;
    }

    const inDialog = hasTag(req.headers.get('To') ?? '');
    if (this.#o.challenger !== undefined && !inDialog && !this.#users.has(from.id)) {
      this.#reject(from, req, 403, 'Forbidden (register first)');
      return;
    }

    const targets = this.#targets(from, req, flow);
    if (typeof targets === 'number') {
      const reason =
        targets === 404 ? 'Not Found' : targets === 430 ? 'Flow Failed' : 'Temporarily Unavailable';
      this.#reject(from, req, targets, reason);
      return;
    }

    const forwarded = (target: { connection: Connection; uri: Uri }): SipRequest => {
      // §16.6 step 1: "Make a copy of the received request"; step 2: "Update the Request-URI".
      const copy = createRequest(req.method, target.uri, req.headers.clone(), req.body);
      copy.headers.set('Route', remaining);
      // §16.6 step 3: "If the copy contains a Max-Forwards header field, the proxy MUST
      // decrement its value by one (1). If the copy does not contain a Max-Forwards header
      // field, the proxy MUST add one with a field value, which SHOULD be 70."
      copy.headers.set('Max-Forwards', String(maxForwards.value === undefined ? 70 : maxForwards.value - 1));
      // §16.6 step 4: "If this proxy wishes to remain on the path of future requests in a dialog
      // created by this request ... it MUST insert a Record-Route header field value".
      if (!inDialog && DIALOG_CREATING.has(req.method)) {
        copy.headers.prepend('Record-Route', this.#recordRoute(from, target.connection));
      }
      return copy;
    };

    if (req.method === 'ACK') {
      // The ACK for a 2xx is end-to-end and gets no response: forwarded statelessly (§16.11).
      const target = targets[0];
      if (targets.length !== 1 || target === undefined) return;
      const copy = forwarded(target);
      copy.headers.prepend('Via', this.#via(newBranchId()));
      this.#send(target.connection, copy);
      return;
    }

    const key = transactionKey(top, req.method);
    const ctx = new ResponseContext(req, from, key, {
      send: (to, message) => this.#send(to, message),
      timers: this.#o.timers,
      noAnswerMs: this.#o.noAnswerMs,
      ringingMs: this.#o.ringingMs,
      lingerMs: LINGER_MS,
      newBranchId,
      viaFor: (branch) => this.#via(branch),
      localTag: newTag(),
      onBranch: (branch, c) => this.#branches.set(branch, c),
      onDisposed: (c) => {
        if (this.#contexts.get(c.key) === c) this.#contexts.delete(c.key);
        for (const branch of c.branchIds()) this.#branches.delete(branch);
      },
    });
    this.#contexts.set(key, ctx);
    // §17.2.1: the INVITE server transaction answers 100 (Trying) at once, which stops the
    // caller's retransmissions; §16.7 step 5 never forwards the callees' own 100s.
    if (req.method === 'INVITE') this.#send(from, replyTo(req, 100));
    for (const target of targets) ctx.fork(target.connection, forwarded(target));
  }

  /**
   * §16.5: the targets of a request. In-dialog requests follow our Record-Route's connection
   * pair; `sip:user@<our domain>` goes to every live contact of the user (parallel forking,
   * §16.6 and §16.7); a Request-URI equal to a registered contact goes to that contact.
   */
  #targets(
    from: Connection,
    req: SipRequest,
    flow: readonly [string, string] | undefined,
  ): { connection: Connection; uri: Uri }[] | 404 | 430 | 480 {
    const uri = req.uri;
    if (flow !== undefined) {
      const other = from.id === flow[0] ? flow[1] : from.id === flow[1] ? flow[0] : undefined;
      let target = other !== undefined ? this.#connections.get(other) : undefined;
      if (target === undefined) {
        const binding = this.#o.location.findByContactUri(uri);
        if (binding !== undefined) target = this.#connections.get(binding.connectionId);
      }
      // RFC 5626 §5.3: a request for a flow that has failed gets 430 (Flow Failed).
      if (target === undefined || !target.isOpen()) return 430;
      return [{ connection: target, uri }];
    }
    if (isSipUri(uri) && uri.user !== undefined && this.#isLocalHost(uri.host)) {
      const all = this.#o.location.lookup(uri.user);
      const live = all.flatMap((b) => {
        const connection = this.#connections.get(b.connectionId);
        // Never fork back to the sender: calling your own AOR rings your other devices only.
        return connection !== undefined && connection !== from && connection.isOpen()
          ? [{ connection, uri: b.contact.uri }]
          : [];
      });
      if (live.length > 0) return live;
      const known =
        all.length > 0 ||
        this.#o.location.hasEverRegistered(uri.user) ||
        (this.#o.challenger?.knows(uri.user) ?? false);
      return known ? 480 : 404;
    }
    const binding = this.#o.location.findByContactUri(uri);
    const connection = binding !== undefined ? this.#connections.get(binding.connectionId) : undefined;
    if (connection !== undefined && connection.isOpen()) return [{ connection, uri }];
    return 404;
  }

  /** OPTIONS (§11.2) and anything else addressed to the exchange itself. */
  #answerOwn(from: Connection, req: SipRequest): void {
    if (req.method === 'ACK') return;
    if (req.method === 'OPTIONS') {
      this.#respond(from, req, 200, undefined, [
        ['Allow', `${OWN_ALLOW}, ${PROXIED_ALLOW}`],
        ['Accept', 'application/sdp'],
        ['Server', 'Ringlet dev exchange'],
      ]);
      return;
    }
    this.#reject(from, req, 405, undefined, [['Allow', OWN_ALLOW]]);
  }

  /**
   * §16.10: "If a matching response context is found, the element MUST immediately return a 200
   * (OK) response to the CANCEL request."
   */
  #receiveCancel(from: Connection, req: SipRequest, inviteKey: string): void {
    const ctx = this.#contexts.get(inviteKey);
    if (ctx === undefined || ctx.source !== from) {
      // NOTE: deviates from RFC 3261 §16.10 ("It MUST statelessly forward the CANCEL request")
      // because a WebSocket peer is only reachable through a transaction we know.
      this.#reject(from, req, 481);
      return;
    }
    this.#send(from, replyTo(req, 200, { toTag: ctx.localTag }));
    ctx.cancel(req.headers.get('Reason'));
  }

  // ── responses ──────────────────────────────────────────────────────────────────────────────

  /** §16.7: find the response context by our branch, strip our Via, hand it over. */
  #receiveResponse(from: Connection, res: SipResponse): void {
    const vias = getVias(res);
    const branch = vias.ok ? vias.value[0]?.params['branch'] : undefined;
    const ctx = typeof branch === 'string' ? this.#branches.get(branch) : undefined;
    if (ctx === undefined || branch === undefined || branch === null) {
      this.#o.log(`dropped response: no transaction of ours (${summarize(res)})`);
      return;
    }
    const cseq = getCSeq(res);
    // Responses to the CANCELs and ACKs we generated end here (hop-by-hop).
    if (!cseq.ok || cseq.value.method !== ctx.request.method) return;
    // §16.7 step 3: "The proxy removes the topmost Via header field value from the response. If
    // no Via header field values remain in the response, the response was meant for this element
    // and MUST NOT be forwarded."
    const rest = getList(res.headers, 'Via').slice(1);
    if (rest.length === 0) return;
    res.headers.set('Via', rest);
    ctx.receiveResponse(branch, from, res);
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────────────

  #isLocalHost(host: string): boolean {
    return this.isLocalHost(host);
  }

  /** A Route URI naming this exchange (our Record-Route, or a preloaded outbound-proxy route). */
  #isOurs(uri: Uri): boolean {
    return (
      isSipUri(uri) && this.#isLocalHost(uri.host) && (uri.port === undefined || uri.port === this.#o.port)
    );
  }

  #via(branch: string): string {
    return `SIP/2.0/WS ${this.#o.host}:${this.#o.port};branch=${branch}`;
  }

  #recordRoute(caller: Connection, callee: Connection): string {
    return `<sip:${this.#o.host}:${this.#o.port};transport=ws;lr;conn=${caller.id}.${callee.id}>`;
  }

  #label(connection: Connection): string {
    const user = this.#users.get(connection.id);
    return user !== undefined ? `${user}/${connection.id}` : connection.id;
  }

  /** A final error response; for an INVITE, remembers it so the ACK that follows is absorbed. */
  #reject(
    from: Connection,
    req: SipRequest,
    status: number,
    reason?: string,
    headers: [string, string][] = [],
  ): void {
    if (req.method === 'ACK') return; // §17: an ACK is never answered.
    if (req.method === 'INVITE') {
      const vias = getVias(req);
      const top = vias.ok ? vias.value[0] : undefined;
      if (top !== undefined) {
        const key = transactionKey(top, 'INVITE');
        this.#o.timers.clearTimeout(this.#rejectedInvites.get(key));
        this.#rejectedInvites.set(
          key,
          this.#o.timers.setTimeout(() => this.#rejectedInvites.delete(key), LINGER_MS),
        );
      }
    }
    this.#respond(from, req, status, reason, headers);
  }

  #respond(
    to: Connection,
    req: SipRequest,
    status: number,
    reason?: string,
    headers: [string, string][] = [],
  ): void {
    const response = replyTo(req, status, {
      toTag: newTag(),
      headers,
      ...(reason !== undefined ? { reason } : {}),
    });
    this.#send(to, response);
  }

  #send(to: Connection, message: SipMessage): void {
    const line = `→ ${this.#label(to)} ${summarize(message)}`;
    if (!to.isOpen() || !to.sendText(serializeMessage(message))) {
      this.#o.log(`${line} [not sent: connection closed]`);
      return;
    }
    this.#o.log(line);
  }
}

/** §17.2.3: branch + sent-by + method (ACK and CANCEL match their INVITE). */
function transactionKey(via: Via, method: string): string {
  const branch = via.params['branch'] ?? '';
  return `${branch}|${via.host}:${via.port ?? ''}|${method}`;
}

/** `caller.callee` from our Record-Route's `conn` parameter. */
function parseFlow(value: string | null | undefined): readonly [string, string] | undefined {
  const m = /^([0-9a-f]+)\.([0-9a-f]+)$/.exec(value ?? '');
  return m !== null ? [m[1] ?? '', m[2] ?? ''] : undefined;
}

/**
 * §8.1.1.7: "The branch ID inserted by an element compliant with this specification MUST always
 * begin with the characters "z9hG4bK"."
 */
function newBranchId(): string {
  return `z9hG4bK-dx${randomBytes(8).toString('hex')}`;
}

function newTag(): string {
  return randomBytes(6).toString('hex');
}
