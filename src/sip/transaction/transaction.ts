/**
 * What the four transaction state machines of RFC 3261 §17 share: how they reach the world (the
 * context the transaction layer hands them), how they talk to their transaction user (TU), and the
 * machinery every figure uses (state transitions, the state's timer, sending, termination).
 *
 * Every transport is reliable (RFC 7118, see timers.ts), so no message is ever retransmitted by a
 * transaction and each state runs at most one timer.
 */

import type { SipRequest, SipResponse } from '../message/sip-message';
import type { Clock, TimerHandle } from '../support/clock';
import { InvalidStateError } from '../support/errors';
import type { Logger } from '../support/logger';
import { TIMER_64T1_MS } from './timers';

/**
 * Why a transaction reached Terminated.
 * - `completed`: the normal end (a final response or ACK handled; Timer L or M).
 * - `timeout`: Timer B or F (client; the TU synthesises 408, §8.1.3.1) or Timer H (server: no ACK).
 * - `transport-error`: a send failed (§17.1.4 / §17.2.4; the TU treats it as a 503).
 * - `disposed`: torn down from outside, e.g. the transaction layer shutting down.
 */
export type TerminationReason = 'completed' | 'timeout' | 'transport-error' | 'disposed';

/** The world as a transaction sees it; built once by the transaction layer. */
export interface TransactionContext {
  readonly clock: Clock;
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
  /** Called once, last, whatever the reason; the transaction is already Terminated. */
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

/**
 * The edges of one figure between its non-terminal states: for each state, the states it may move
 * to. Terminated is left out: every state can end (a timer, a transport error, or `dispose()`).
 */
export type Edges<State extends string> = Partial<Readonly<Record<State, readonly State[]>>>;

/** Figures 6 and 8 (non-INVITE client and server) draw the same edges between the same states. */
export const NON_INVITE_EDGES: Edges<'Trying' | 'Proceeding' | 'Completed'> = {
  Trying: ['Proceeding', 'Completed'],
  Proceeding: ['Completed'],
};

/**
 * The machinery the four state machines share: the current state, the one `transition()` that
 * asserts an edge of the figure, the current state's timer, and `terminate()`, the way into
 * Terminated. Subclasses hold the RFC behaviour.
 *
 * The timer belongs to the state that started it, so leaving a state stops it; the one exception
 * (Timer F running on from Trying into Proceeding, Figure 6) says so at its `transition()`.
 */
export abstract class Transaction<State extends string> {
  /** The request that created the transaction. */
  readonly request: SipRequest;
  protected user: ClientTransactionUser;
  readonly #context: TransactionContext;
  readonly #edges: Edges<State>;
  readonly #onTerminated: TerminationHook | undefined;
  #state: State | 'Terminated';
  #timer: TimerHandle | undefined;

  protected constructor(
    request: SipRequest,
    initial: State,
    edges: Edges<State>,
    context: TransactionContext,
    onTerminated: TerminationHook | undefined,
    user: ClientTransactionUser = {},
  ) {
    this.request = request;
    this.#state = initial;
    this.#edges = edges;
    this.#context = context;
    this.#onTerminated = onTerminated;
    this.user = user;
  }

  get state(): State | 'Terminated' {
    return this.#state;
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
   * Runs the machine's entry actions: the send and timeout of a client transaction, the 100
   * (Trying) wait of an INVITE server transaction, nothing for a non-INVITE server transaction.
   * The transaction layer calls it once, right after creating the transaction; the TU's callbacks
   * may run before it returns.
   */
  start(): void {}

  /**
   * Ends a live transaction at once with reason `disposed` (the one exit not drawn in the figures:
   * the owner shutting down). Idempotent.
   */
  dispose(): void {
    this.terminate('disposed');
  }

  /**
   * The only way between non-terminal states. Stops the timer of the state left unless `keepTimer`.
   * @throws InvalidStateError when `to` is not an edge of the figure from the current state.
   */
  protected transition(to: State, keepTimer = false): void {
    const from = this.#state;
    if (!this.#edges[from as State]?.includes(to)) throw new InvalidStateError(`${from} → ${to}`);
    if (!keepTimer) this.#stopTimer();
    this.#state = to;
  }

  /** Runs `fire` after `ms` unless the state is left first. */
  protected after(ms: number, fire: () => void): void {
    this.#timer = this.#context.clock.setTimeout(fire, ms);
  }

  /**
   * Sends `text` and starts the timeout of a state that waits for an answer: Timer B (Calling),
   * F (Trying) or H (Completed of an INVITE server transaction), all 64*T1. When it fires the TU is
   * informed and the transaction ends with reason `timeout`.
   */
  protected sendAndWait(text: string): void {
    if (this.send(text)) this.after(TIMER_64T1_MS, () => this.terminate('timeout'));
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
    if (!sent && fail) this.terminate('transport-error');
    return sent;
  }

  /**
   * Moves to Terminated, unless already there: stops the timer, lets the layer forget the
   * transaction, then tells the TU why (`onTimeout` / `onTransportError`) and that it ended.
   */
  protected terminate(reason: TerminationReason): void {
    if (this.isTerminated) return;
    this.#stopTimer();
    this.#state = 'Terminated';
    this.#onTerminated?.();
    if (reason === 'timeout') this.notify('onTimeout');
    if (reason === 'transport-error') this.notify('onTransportError');
    this.notify('onTerminated', reason);
  }

  /** Calls one TU callback so that a throwing TU cannot unwind into the state machine (habit 7). */
  protected notify<K extends keyof ClientTransactionUser>(
    name: K,
    ...args: Parameters<NonNullable<ClientTransactionUser[K]>>
  ): void {
    try {
      (this.user[name] as ((...a: typeof args) => void) | undefined)?.(...args);
    } catch (error) {
      this.#context.logger.error(`${name} threw`, { error: String(error) });
    }
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) this.#context.clock.clearTimeout(this.#timer);
  }
}
