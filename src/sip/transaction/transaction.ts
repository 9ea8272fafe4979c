/**
 * What the four transaction state machines of RFC 3261 §17 share: how they reach the world (the
 * context the transaction layer hands them) and how they talk to their transaction user (TU).
 */

import type { SipResponse } from '../message/sip-message';
import type { Clock } from '../support/clock';
import type { Logger } from '../support/logger';
import { InvalidStateError } from '../support/errors';
import { TimerSet, type TransactionTimers } from './timers';

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

/** Server transaction user callbacks (§17.2); same calling rules as {@link ClientTransactionUser}. */
export interface ServerTransactionUser {
  /** INVITE only: Timer H fired, no ACK arrived for a 3xx–6xx response (§17.2.1). */
  onTimeout?(): void;
  /** The transport refused to send a response. */
  onTransportError?(): void;
  /** Called once, last, whatever the reason. */
  onTerminated?(reason: TerminationReason): void;
}

/** Hook the transaction layer uses to drop a transaction from its table. */
export type TerminationHook = () => void;

/** What a transaction did with a message it was handed. */
export type Absorption = 'delivered' | 'absorbed';

/**
 * Runs one TU callback so that a throwing TU cannot unwind into the state machine (STYLE.md
 * habit 7).
 */
function callUser(logger: Logger, name: string, call: () => void): void {
  try {
    call();
  } catch (error) {
    logger.error(`${name}() | transaction user threw`, { error: String(error) });
  }
}

/** Response classes as the state machines branch on them. */
export function isProvisional(status: number): boolean {
  return status >= 100 && status <= 199;
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status <= 299;
}

export function isFinalFailure(status: number): boolean {
  return status >= 300 && status <= 699;
}

/** The callbacks every transaction user has. */
interface CommonUser {
  onTimeout?(): void;
  onTransportError?(): void;
  onTerminated?(reason: TerminationReason): void;
}

/**
 * The machinery the four state machines share: the current state, the one `transition()` that
 * asserts an edge of the figure, and `dispose()`, which the terminal state calls and which clears
 * every timer. Subclasses hold the RFC behaviour; this class holds none.
 */
export abstract class TransactionStateMachine<
  State extends string,
  TimerName extends string,
  User extends CommonUser,
> {
  /** Short name used in errors and logs, e.g. `invite-client`. */
  abstract readonly kind: string;
  protected readonly context: TransactionContext;
  protected user: User;
  protected readonly timers: TimerSet<TimerName>;
  readonly #edges: Readonly<Record<State, readonly State[]>>;
  readonly #terminated: State;
  readonly #onTerminated: TerminationHook | undefined;
  #state: State;
  #reason: TerminationReason = 'completed';
  #notified = false;

  protected constructor(
    initial: State,
    terminated: State,
    edges: Readonly<Record<State, readonly State[]>>,
    user: User,
    context: TransactionContext,
    onTerminated: TerminationHook | undefined,
  ) {
    this.#state = initial;
    this.#terminated = terminated;
    this.#edges = edges;
    this.user = user;
    this.context = context;
    this.#onTerminated = onTerminated;
    this.timers = new TimerSet(context.clock);
  }

  get state(): State {
    return this.#state;
  }

  /** Why the transaction ended; meaningful once {@link state} is Terminated. */
  get terminationReason(): TerminationReason {
    return this.#reason;
  }

  get isTerminated(): boolean {
    return this.#state === this.#terminated;
  }

  /**
   * Stops every timer; if the transaction was still running it ends at once with reason
   * `disposed` (the one exit not drawn in the figures: the owner shutting down). Idempotent.
   * Entering Terminated calls it, so a terminated transaction never leaves a timer behind.
   */
  dispose(): void {
    this.timers.clear();
    if (this.#state !== this.#terminated) {
      this.#reason = 'disposed';
      this.#state = this.#terminated;
    }
    if (this.#notified) return;
    this.#notified = true;
    this.#onTerminated?.();
    const reason = this.#reason;
    this.callUser('onTerminated', () => this.user.onTerminated?.(reason));
  }

  /**
   * The only way the state changes.
   * @throws InvalidStateError when `to` is not an edge of the figure from the current state.
   */
  protected transition(to: State): void {
    const from = this.#state;
    if (!this.#edges[from].includes(to)) {
      throw new InvalidStateError(`${this.kind} transaction: illegal transition ${from} → ${to}`);
    }
    this.context.logger.debug(`transition() | ${from} → ${to}`);
    this.#state = to;
    if (to === this.#terminated) this.dispose();
  }

  /** Moves to Terminated with a reason, unless already there. */
  protected terminate(reason: TerminationReason): void {
    if (this.isTerminated) return;
    this.#reason = reason;
    this.transition(this.#terminated);
  }

  /**
   * §17.1.4 / §17.2.4: a send failed. The client transaction "SHOULD inform the TU that a transport
   * failure has occurred, and ... SHOULD transition directly to the Terminated state"; the server
   * side informs the TU likewise.
   */
  protected failTransport(): void {
    if (this.isTerminated) return;
    this.context.logger.warn('send() | transport error');
    this.callUser('onTransportError', () => this.user.onTransportError?.());
    this.terminate('transport-error');
  }

  /** Timer B, F or H: inform the TU, then end with reason `timeout`. */
  protected timeOut(): void {
    if (this.isTerminated) return;
    this.callUser('onTimeout', () => this.user.onTimeout?.());
    this.terminate('timeout');
  }

  protected callUser(name: string, call: () => void): void {
    callUser(this.context.logger, name, call);
  }
}
