/**
 * One forwarded request and its branches: the "response context" of a stateful proxy, RFC 3261
 * §16.6 (forwarding), §16.7 (response processing), §16.8 (Timer C) and §16.10 (CANCEL).
 *
 * DEVELOPMENT CONVENIENCE ONLY. WebSocket is reliable and ordered, so no retransmission timers are
 * run; only the "nobody answers" timers (B/F and C) exist.
 *
 * Branch states (a simplified client transaction, §17.1):
 * ```
 *  calling ──1xx──▶ proceeding ──1xx──▶ proceeding
 *     │                  │
 *     └──final / timeout─┴──final / timeout / connection lost──▶ completed
 * ```
 * Context states:
 * ```
 *  forking ──2xx forwarded──▶ answered ──last branch completed──▶ done ──linger──▶ disposed
 *     └────────────last branch completed (best response sent)──────▶ done
 *  any ──dispose()──▶ disposed
 * ```
 */
import {
  createRequest,
  createResponse,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../src/sip/index';
import { replyTo } from './reply';
import { chooseBestResponse } from './best-response';
import type { Connection, Timers } from './connection';

export type BranchState = 'calling' | 'proceeding' | 'completed';
export type ContextState = 'forking' | 'answered' | 'done' | 'disposed';

const BRANCH_EDGES: Readonly<Record<BranchState, readonly BranchState[]>> = {
  calling: ['proceeding', 'completed'],
  proceeding: ['proceeding', 'completed'],
  completed: [],
};

const CONTEXT_EDGES: Readonly<Record<ContextState, readonly ContextState[]>> = {
  forking: ['answered', 'done', 'disposed'],
  answered: ['done', 'disposed'],
  done: ['disposed'],
  disposed: [],
};

/** RFC 3326 Reason put on the CANCELs sent when another branch answered. */
export const COMPLETED_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
}

interface Branch {
  readonly id: string;
  /** The request as forwarded, our Via on top. */
  readonly request: SipRequest;
  readonly target: Connection;
  state: BranchState;
  /** §9.1: a CANCEL waits for a provisional response, so it may be pending. */
  cancel: 'none' | 'pending' | 'sent';
  cancelReason: string | undefined;
  timer: unknown;
  final: SipResponse | undefined;
}

export interface ResponseContextDeps {
  /** Serialises, logs and sends (a closed connection drops the message with a log line). */
  readonly send: (to: Connection, message: SipMessage) => void;
  readonly timers: Timers;
  /** Timer B / F: how long a branch may stay silent. */
  readonly noAnswerMs: number;
  /** Timer C (§16.6 step 11): how long an INVITE branch may ring. */
  readonly ringingMs: number;
  /** How long a finished context stays to absorb the ACK and forward 2xx retransmissions. */
  readonly lingerMs: number;
  readonly newBranchId: () => string;
  /** Our Via value for a branch id. */
  readonly viaFor: (branchId: string) => string;
  /** To-tag of the responses we generate ourselves (408, 480, the 200 to CANCEL). */
  readonly localTag: string;
  readonly onBranch: (branchId: string, context: ResponseContext) => void;
  readonly onDisposed: (context: ResponseContext) => void;
}

export class ResponseContext {
  readonly request: SipRequest;
  readonly source: Connection;
  /** Server-transaction key of `request` (§17.2.3). */
  readonly key: string;
  readonly #deps: ResponseContextDeps;
  readonly #branches = new Map<string, Branch>();
  #state: ContextState = 'forking';
  #finalStatus: number | undefined;
  #last: SipResponse | undefined;
  #lingerTimer: unknown;

  constructor(request: SipRequest, source: Connection, key: string, deps: ResponseContextDeps) {
    this.request = request;
    this.source = source;
    this.key = key;
    this.#deps = deps;
  }

  get state(): ContextState {
    return this.#state;
  }

  /** Status of the final response sent upstream, if any. */
  get finalStatus(): number | undefined {
    return this.#finalStatus;
  }

  get localTag(): string {
    return this.#deps.localTag;
  }

  get #isInvite(): boolean {
    return this.request.method === 'INVITE';
  }

  /**
   * Forwards `request` (already retargeted, Max-Forwards and Route/Record-Route done) to `target`
   * as a new branch. §16.6 step 8: "The proxy MUST insert a Via header field value into the copy
   * before the existing Via header field values."
   */
  fork(target: Connection, request: SipRequest): void {
    const id = this.#deps.newBranchId();
    request.headers.prepend('Via', this.#deps.viaFor(id));
    const branch: Branch = {
      id,
      request,
      target,
      state: 'calling',
      cancel: 'none',
      cancelReason: undefined,
      timer: undefined,
      final: undefined,
    };
    this.#branches.set(id, branch);
    this.#deps.onBranch(id, this);
    this.#arm(branch, this.#deps.noAnswerMs);
    this.#deps.send(target, request);
  }

  /** A response whose top Via (ours) has been removed, received on `from` for branch `branchId`. */
  receiveResponse(branchId: string, from: Connection, response: SipResponse): void {
    const b = this.#branches.get(branchId);
    if (b === undefined || b.target !== from || this.#state === 'disposed') return;
    const status = response.status;
    if (b.state === 'completed') {
      // §16.7 step 5: "After a final response has been sent on the server transaction, the
      // following responses MUST be forwarded immediately: Any 2xx response to an INVITE request".
      // This covers the 2xx retransmissions a UAS sends until it sees the ACK.
      if (this.#isInvite && status >= 200 && status < 300) this.#upstream(response);
      return;
    }
    if (status < 200) {
      const first = b.state === 'calling';
      this.#transitionBranch(b, 'proceeding');
      // Any provisional response ends Timer B (§17.1.1.2); from then on Timer C runs, and
      // §16.7 step 2: "if the response is a provisional response with status codes 101 to 199
      // inclusive (i.e., anything but 100), the proxy MUST reset timer C for that client
      // transaction."
      if (this.#isInvite && (first || status > 100)) this.#arm(b, this.#deps.ringingMs);
      // §9.1: "If no provisional response has been received, the CANCEL request MUST NOT be sent;
      // rather, the client MUST wait for the arrival of a provisional response".
      if (b.cancel === 'pending') this.#sendCancel(b, b.cancelReason);
      // §16.7 step 5: "Any provisional response other than 100 (Trying)" MUST be forwarded
      // immediately until a final response has been sent.
      if (status > 100 && this.#finalStatus === undefined) this.#upstream(response);
      return;
    }
    this.#complete(b, response, true);
  }

  /**
   * The caller's CANCEL (§16.10): "the element MUST generate CANCEL requests for all pending
   * client transactions in the context as described in Section 16.7 step 10."
   */
  cancel(reason: string | undefined): void {
    if (this.#isInvite) this.#cancelPending(reason);
  }

  /** A WebSocket closed: its branches cannot answer, and a vanished caller needs no more ringing. */
  connectionLost(connection: Connection): void {
    if (this.#state === 'disposed') return;
    if (connection === this.source && this.#finalStatus === undefined) this.cancel(undefined);
    for (const b of this.#branches.values()) {
      if (b.target === connection && b.state !== 'completed') {
        this.#complete(b, this.#generated(480), false);
      }
    }
  }

  /** A retransmitted request (§17.2.1/§17.2.2): resend the latest response we sent, if any. */
  retransmitLast(): void {
    if (this.#last !== undefined) this.#deps.send(this.source, this.#last);
  }

  /** Clears every timer; the context forgets its branches. Idempotent. */
  dispose(): void {
    if (this.#state === 'disposed') return;
    for (const b of this.#branches.values()) this.#deps.timers.clearTimeout(b.timer);
    this.#deps.timers.clearTimeout(this.#lingerTimer);
    this.#transition('disposed');
    this.#deps.onDisposed(this);
  }

  /** Branch ids, for the caller's bookkeeping. */
  branchIds(): string[] {
    return [...this.#branches.keys()];
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  #complete(b: Branch, response: SipResponse, fromWire: boolean): void {
    this.#deps.timers.clearTimeout(b.timer);
    this.#transitionBranch(b, 'completed');
    b.final = response;
    const status = response.status;
    // §17.1.1.3: a client transaction acknowledges every 300–699 final response itself; a proxy
    // never forwards that ACK (3xx–6xx are hop-by-hop).
    if (fromWire && this.#isInvite && status >= 300) this.#sendAck(b, response);
    if (status >= 200 && status < 300) {
      // §16.7 step 5: until a final response has been sent, "Any 2xx response" MUST be forwarded
      // immediately; afterwards only 2xx to INVITE.
      if (this.#isInvite || this.#finalStatus === undefined) this.#upstream(response);
      // §16.7 step 10: "If the forwarded response was a final response, the proxy MUST generate a
      // CANCEL request for all pending client transactions associated with this response context."
      if (this.#isInvite) this.#cancelPending(COMPLETED_ELSEWHERE);
    } else if (status >= 600 && this.#isInvite) {
      // §16.7 step 5: "If a 6xx response is received, it is not immediately forwarded, but the
      // stateful proxy SHOULD cancel all client pending transactions".
      this.#cancelPending(undefined);
    }
    this.#maybeFinish();
  }

  #maybeFinish(): void {
    for (const b of this.#branches.values()) if (b.state !== 'completed') return;
    if (this.#state === 'done' || this.#state === 'disposed') return;
    if (this.#finalStatus === undefined) {
      // §16.7 step 6: "A stateful proxy MUST send a final response to a response context's server
      // transaction if no final responses have been immediately forwarded by the above rules and
      // all client transactions in this response context have been terminated."
      const finals = [...this.#branches.values()].flatMap((b) => (b.final ? [b.final] : []));
      let best = chooseBestResponse(finals) ?? this.#generated(408);
      // §16.7 step 6: "A proxy which receives a 503 (Service Unavailable) response SHOULD NOT
      // forward it upstream unless it can determine that any subsequent requests it might proxy
      // will also generate a 503." We cannot, so the caller gets a 500.
      if (best.status === 503) {
        best = createResponse(500, 'Server Internal Error', best.headers.clone(), best.body);
        best.headers.delete('Retry-After');
      }
      this.#upstream(best);
    }
    this.#transition('done');
    this.#lingerTimer = this.#deps.timers.setTimeout(() => this.dispose(), this.#deps.lingerMs);
  }

  #upstream(response: SipResponse): void {
    if (response.status >= 200 && this.#finalStatus === undefined) {
      this.#finalStatus = response.status;
      if (response.status < 300) this.#transition('answered');
    }
    this.#last = response;
    this.#deps.send(this.source, response);
  }

  #cancelPending(reason: string | undefined): void {
    for (const b of this.#branches.values()) {
      if (b.state === 'completed' || b.cancel === 'sent') continue;
      if (b.state === 'proceeding') this.#sendCancel(b, reason);
      else {
        b.cancel = 'pending';
        b.cancelReason = reason;
      }
    }
  }

  /**
   * §9.1: "The Request-URI, Call-ID, To, the numeric part of CSeq, and From header fields in the
   * CANCEL request MUST be identical to those in the request being cancelled, including tags. A
   * CANCEL constructed by a client MUST have only a single Via header field value matching the top
   * Via value in the request being cancelled." … "If the request being cancelled contains a Route
   * header field, the CANCEL request MUST include that Route header field's values."
   */
  #sendCancel(b: Branch, reason: string | undefined): void {
    b.cancel = 'sent';
    const cancel = this.#hopByHop('CANCEL', b, b.request.headers.get('To') ?? '');
    if (reason !== undefined) cancel.headers.append('Reason', reason);
    this.#deps.send(b.target, cancel);
  }

  /**
   * §17.1.1.3: "The To header field in the ACK MUST equal the To header field in the response
   * being acknowledged", the rest as for CANCEL.
   */
  #sendAck(b: Branch, response: SipResponse): void {
    this.#deps.send(b.target, this.#hopByHop('ACK', b, response.headers.get('To') ?? ''));
  }

  #hopByHop(method: 'CANCEL' | 'ACK', b: Branch, to: string): SipRequest {
    const h = b.request.headers;
    const seq = (h.get('CSeq') ?? '').trim().split(/\s+/)[0] ?? '';
    const req = createRequest(method, b.request.uri, [
      ['Via', h.getAll('Via')[0] ?? ''],
      ['Max-Forwards', '70'],
      ['From', h.get('From') ?? ''],
      ['To', to],
      ['Call-ID', h.get('Call-ID') ?? ''],
      ['CSeq', `${seq} ${method}`],
    ]);
    const routes = h.getAll('Route');
    if (routes.length > 0) req.headers.set('Route', routes);
    return req;
  }

  #arm(b: Branch, ms: number): void {
    this.#deps.timers.clearTimeout(b.timer);
    b.timer = this.#deps.timers.setTimeout(() => this.#timedOut(b), ms);
  }

  #timedOut(b: Branch): void {
    if (b.state === 'completed' || this.#state === 'disposed') return;
    if (this.#isInvite && b.state === 'proceeding' && b.cancel !== 'sent') {
      // §16.8: "If the client transaction has received a provisional response, the proxy MUST
      // generate a CANCEL request matching that transaction." The 487 that follows completes
      // the branch; if even that never comes, the next expiry gives up.
      this.#sendCancel(b, undefined);
      this.#arm(b, this.#deps.noAnswerMs);
      return;
    }
    // §16.8: "If the client transaction has not received a provisional response, the proxy MUST
    // behave as if the transaction received a 408 (Request Timeout) response."
    this.#complete(b, this.#generated(408), false);
  }

  /** A response we make up for the caller (never sent downstream). */
  #generated(status: number): SipResponse {
    return replyTo(this.request, status, { toTag: this.#deps.localTag });
  }

  #transitionBranch(b: Branch, to: BranchState): void {
    if (!BRANCH_EDGES[b.state].includes(to)) {
      throw new IllegalTransitionError(`branch ${b.id}: ${b.state} → ${to}`);
    }
    b.state = to;
  }

  #transition(to: ContextState): void {
    if (!CONTEXT_EDGES[this.#state].includes(to)) {
      throw new IllegalTransitionError(`response context ${this.key}: ${this.#state} → ${to}`);
    }
    this.#state = to;
  }
}
