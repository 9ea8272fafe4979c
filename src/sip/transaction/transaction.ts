/**
 * What the four transaction state machines of RFC 3261 §17 share: how they reach the world (the
 * context the transaction layer hands them), how they talk to their transaction user (TU), and the
 * machinery every figure uses (state transitions, timers, retransmission, termination).
 */

import type { SipRequest, SipResponse } from '../message/sip-message';
import type { Clock, TimerHandle } from '../support/clock';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import type { Logger } from '../support/logger';
import type { TransactionTimers } from './timers';

/**
 * Why a transaction reached Terminated.
 * - `completed`: the normal end (Timer D, I, J, K, L or M, or their zero value on a reliable transport).
 * - `timeout`: Timer B or F (client; the TU synthesises 408, §8.1.3.1) or Timer H (server: no ACK).
 * - `transport-error`: a send failed (§17.1.4 / §17.2.4; the TU treats it as a 503).
 * - `disposed`: torn down from outside, e.g. the transaction layer shutting down.
 */
export type TerminationReason = 'completed' | 'timeout' | 'transport-error' | 'disposed';

/** The world as a transaction sees it; built once by the transaction layer. */
export interface TransactionContext {
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  /** Hands one serialised message to the transport; false when it could not be sent. */
  readonly send: (text: string) => boolean;
  readonly logger: Logger;
}

/**
 * Client transaction user callbacks (§17.1). Every callback is optional and may be called
 * synchronously from inside the call that caused it, including from `start()` when the very first
 * send fails. A throwing callback is logged and never disturbs the state machine.
 */
export interface ClientTransactionUser {
  /** A 1xx response. */
  onProvisional?(response: SipResponse): void;
  /** The first final (2xx–6xx) response. */
  onFinal?(response: SipResponse): void;
  /**
   * INVITE only, RFC 6026 §8.4: a further 2xx received in the Accepted state, a retransmission or a
   * 2xx from another fork. The TU must ACK it (§13.2.2.4); it is not part of the transaction.
   */
  onAdditional2xx?(response: SipResponse): void;
  /** Timer B or F fired before a final response: the TU acts as if a 408 had been received. */
  onTimeout?(): void;
  /** The transport refused a send: the TU acts as if a 503 had been received. */
  onTransportError?(): void;
  /** Called once, last, whatever the reason. */
  onTerminated?(reason: TerminationReason): void;
}

/**
 * Server transaction user callbacks (§17.2); same calling rules as {@link ClientTransactionUser}.
 * `onTimeout` is INVITE only: Timer H fired, no ACK arrived for a 3xx–6xx response (§17.2.1).
 */
export type ServerTransactionUser = Pick<
  ClientTransactionUser,
  'onTimeout' | 'onTransportError' | 'onTerminated'
>;

/** Hook the transaction layer uses to drop a transaction from its table. */
export type TerminationHook = () => void;

/** What an INVITE server transaction did with an ACK: passed it on to the TU, or absorbed it. */
export type Absorption = 'delivered' | 'absorbed';

/** The legal edges of one figure: for each state, the states it may move to. */
export type Edges<State extends string> = Readonly<Record<State, readonly State[]>>;

/**
 * A status a TU may send: 100–699.
 * @throws InvalidArgumentError otherwise.
 */
export function assertStatus(status: number): void {
  if (!(status >= 100 && status <= 699)) throw new InvalidArgumentError(`invalid status ${status}`);
}

/**
 * The machinery the four state machines share: the current state, the one `transition()` that
 * asserts an edge of the figure, the timers of the current state, and `dispose()`, which the
 * terminal state calls. Subclasses hold the RFC behaviour.
 *
 * Every timer of the figures belongs to the state that started it, so leaving a state stops its
 * timers; the one exception (Timers E and F running on from Trying into Proceeding, Figure 6) says
 * so at its `transition()`.
 */
export abstract class Transaction<State extends string> {
  /** The request that created the transaction. */
  readonly request: SipRequest;
  /** The timer values of Table 4 for this transport. */
  protected readonly timers: TransactionTimers;
  readonly #context: TransactionContext;
  protected user: ClientTransactionUser;
  readonly #edges: Edges<State | 'Terminated'>;
  readonly #onTerminated: TerminationHook | undefined;
  #state: State | 'Terminated';
  #reason: TerminationReason = 'completed';
  /** Handles of the current state's timers. */
  #running: TimerHandle[] = [];
  #notified = false;

  /**
   * @param invite whether this is one of the INVITE machines; an ACK never starts a transaction.
   * @throws InvalidArgumentError when the request's method does not fit the machine.
   */
  protected constructor(
    request: SipRequest,
    invite: boolean,
    initial: State,
    edges: Edges<State | 'Terminated'>,
    context: TransactionContext,
    onTerminated: TerminationHook | undefined,
    user: ClientTransactionUser = {},
  ) {
    const { method } = request;
    if ((method === 'INVITE') !== invite || method === 'ACK') {
      throw new InvalidArgumentError(`${method} cannot start this transaction`);
    }
    this.request = request;
    this.#state = initial;
    this.#edges = edges;
    this.#context = context;
    this.timers = context.timers;
    this.#onTerminated = onTerminated;
    this.user = user;
  }

  get state(): State | 'Terminated' {
    return this.#state;
  }

  /** Why the transaction ended; meaningful once {@link state} is Terminated. */
  get terminationReason(): TerminationReason {
    return this.#reason;
  }

  get isTerminated(): boolean {
    return this.#state === 'Terminated';
  }

  /**
   * Sets the TU callbacks. A server transaction's TU learns of it only after it was created.
   */
  setUser(user: ServerTransactionUser): void {
    this.user = user;
  }

  /**
   * Runs the machine's entry actions: the first send and timers of a client transaction, the
   * 100 (Trying) wait of an INVITE server transaction, nothing for a non-INVITE server transaction.
   * The transaction layer calls it once, right after creating the transaction; the TU's callbacks
   * may run before it returns.
   */
  start(): void {}

  /**
   * Stops every timer; if the transaction was still running it ends at once with reason
   * `disposed` (the one exit not drawn in the figures: the owner shutting down). Idempotent.
   * Entering Terminated calls it, so a terminated transaction never leaves a timer behind.
   */
  dispose(): void {
    this.#stopTimers();
    if (!this.isTerminated) {
      this.#reason = 'disposed';
      this.#state = 'Terminated';
    }
    if (this.#notified) return;
    this.#notified = true;
    this.#onTerminated?.();
    this.notify('onTerminated', this.#reason);
  }

  /**
   * The only way the state changes. Stops the timers of the state left unless `keepTimers`.
   * @throws InvalidStateError when `to` is not an edge of the figure from the current state.
   */
  protected transition(to: State | 'Terminated', keepTimers = false): void {
    const from = this.#state;
    if (!this.#edges[from].includes(to)) throw new InvalidStateError(`illegal transition ${from} → ${to}`);
    if (!keepTimers) this.#stopTimers();
    this.#state = to;
    if (to === 'Terminated') this.dispose();
  }

  /** Runs `fire` after `ms` unless the state is left first. */
  protected after(ms: number, fire: () => void): void {
    this.#running.push(this.#context.clock.setTimeout(fire, ms));
  }

  /**
   * The linger of Timers D, I, J, K, L and M: Terminated after `ms`, or at once when it is zero
   * (a reliable transport has no retransmissions to absorb).
   */
  protected endAfter(ms: number): void {
    if (ms === 0) this.terminate('completed');
    else this.after(ms, () => this.terminate('completed'));
  }

  /**
   * Sends `text` and arms the two timers of the states that wait for an answer (Calling, Trying,
   * Completed of an INVITE server transaction): the retransmission timer (A, E or G; `undefined` on
   * a reliable transport, where it never runs), which re-sends `text` and re-arms itself with
   * `next(interval)`; and the timeout (B, F or H), which informs the TU and ends the transaction
   * with reason `timeout`.
   */
  protected sendAndWait(
    text: string,
    interval: number | undefined,
    next: (interval: number) => number,
    timeout: number,
  ): void {
    if (!this.send(text)) return;
    const retransmit = (ms: number): void =>
      this.after(ms, () => {
        if (this.send(text)) retransmit(next(ms));
      });
    if (interval !== undefined) retransmit(interval);
    this.after(timeout, () => {
      this.notify('onTimeout');
      this.terminate('timeout');
    });
  }

  /**
   * Sends one message. §17.1.4 / §17.2.4: on a transport failure the transaction "SHOULD inform the
   * TU that a transport failure has occurred, and ... SHOULD transition directly to the Terminated
   * state", which happens here unless `fail` is false (the caller then handles the failure). A
   * terminated transaction sends nothing.
   */
  protected send(text: string, fail = true): boolean {
    if (this.isTerminated) return false;
    const sent = this.#context.send(text);
    if (!sent && fail) this.failTransport();
    return sent;
  }

  protected failTransport(): void {
    if (this.isTerminated) return;
    this.notify('onTransportError');
    this.terminate('transport-error');
  }

  /** Moves to Terminated with a reason, unless already there. */
  protected terminate(reason: TerminationReason): void {
    if (this.isTerminated) return;
    this.#reason = reason;
    this.transition('Terminated');
  }

  /** Calls one TU callback so that a throwing TU cannot unwind into the state machine (habit 7). */
  protected notify<K extends keyof ClientTransactionUser>(
    name: K,
    ...args: Parameters<NonNullable<ClientTransactionUser[K]>>
  ): void {
    try {
      (this.user[name] as ((...a: typeof args) => void) | undefined)?.(...args);
    } catch (error) {
      this.#context.logger.error(`${name}() | TU threw`, { error: String(error) });
    }
  }

  #stopTimers(): void {
    for (const handle of this.#running) this.#context.clock.clearTimeout(handle);
    this.#running = [];
  }
}
