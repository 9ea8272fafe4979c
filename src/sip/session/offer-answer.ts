/**
 * The offer/answer state of one session, RFC 3264 §4 with the SIP rules of RFC 3261 §13.2.1 and
 * RFC 6337 §2. Bodies are opaque strings; this class only knows who owes whom an answer.
 *
 * ```
 *               setLocalOffer()                 setRemoteAnswer()
 *   stable ─────────────────► have-local-offer ─────────────► stable
 *     │  ▲                          │ rollback()                 ▲
 *     │  └──────────────────────────┘                            │
 *     │ remoteOffer()                       setLocalAnswer()        │
 *     └─────────────────────► have-remote-offer ─────────────────┘
 *                                   │ rollback() (we could not answer)
 *                                   └──────────────────────────► stable
 * ```
 */
import { InvalidStateError } from '../support/errors';

export type OfferAnswerState = 'stable' | 'have-local-offer' | 'have-remote-offer';

/** The states by name (`OfferAnswerState.Stable === 'stable'`). */
export const OfferAnswerState = {
  Stable: 'stable',
  HaveLocalOffer: 'have-local-offer',
  HaveRemoteOffer: 'have-remote-offer',
} as const;

export class OfferAnswer {
  #state: OfferAnswerState = 'stable';
  #remoteOffer: string | undefined;
  /** The last remote answer applied, so a repeat of it (183 then 200) is recognised. */
  #lastRemoteAnswer: string | undefined;

  get state(): OfferAnswerState {
    return this.#state;
  }

  /** The remote offer waiting for our answer, in `have-remote-offer`. */
  get remoteOffer(): string | undefined {
    return this.#remoteOffer;
  }

  get lastRemoteAnswer(): string | undefined {
    return this.#lastRemoteAnswer;
  }

  setLocalOffer(): void {
    this.#transition('stable', 'have-local-offer');
  }

  setRemoteOffer(body: string): void {
    this.#transition('stable', 'have-remote-offer');
    this.#remoteOffer = body;
  }

  /**
   * Records a remote answer, returning false when it is the answer already applied to the current
   * exchange (the caller must not hand it to media again).
   */
  setRemoteAnswer(body: string): boolean {
    if (this.#state !== 'have-local-offer') return false;
    this.#state = 'stable';
    this.#lastRemoteAnswer = body;
    return true;
  }

  setLocalAnswer(): void {
    this.#transition('have-remote-offer', 'stable');
    this.#remoteOffer = undefined;
  }

  /** Abandons the exchange in progress; a no-op when stable. */
  rollback(): void {
    this.#state = 'stable';
    this.#remoteOffer = undefined;
  }

  /**
   * @throws InvalidStateError on an edge not drawn in the class diagram: a second offer before the
   *   first is answered is a programming error of the session (RFC 3264 §4 forbids it on the wire;
   *   the session answers 491 or 500 before it gets here).
   */
  #transition(from: OfferAnswerState, to: OfferAnswerState): void {
    if (this.#state !== from) throw new InvalidStateError(`offer/answer: ${this.#state} → ${to}`);
    this.#state = to;
  }
}
