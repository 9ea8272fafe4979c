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

export enum OfferAnswerState {
  Stable = 'stable',
  HaveLocalOffer = 'have-local-offer',
  HaveRemoteOffer = 'have-remote-offer',
}

const S = OfferAnswerState;

const EDGES: Readonly<Record<OfferAnswerState, readonly OfferAnswerState[]>> = {
  [S.Stable]: [S.HaveLocalOffer, S.HaveRemoteOffer],
  [S.HaveLocalOffer]: [S.Stable],
  [S.HaveRemoteOffer]: [S.Stable],
};

export class OfferAnswer {
  #state: OfferAnswerState = S.Stable;
  #remoteOffer: string | undefined;
  /** The last remote answer applied, so a repeat of it (183 then 200) is recognised. */
  #lastRemoteAnswer: string | undefined;
  /** Completed exchanges; 0 until the session has media at all. */
  #completed = 0;

  get state(): OfferAnswerState {
    return this.#state;
  }

  /** The remote offer waiting for our answer, in `have-remote-offer`. */
  get remoteOffer(): string | undefined {
    return this.#remoteOffer;
  }

  /** Whether at least one exchange completed (the session has negotiated media). */
  get negotiated(): boolean {
    return this.#completed > 0;
  }

  get lastRemoteAnswer(): string | undefined {
    return this.#lastRemoteAnswer;
  }

  setLocalOffer(): void {
    this.transition(S.HaveLocalOffer);
  }

  setRemoteOffer(body: string): void {
    this.transition(S.HaveRemoteOffer);
    this.#remoteOffer = body;
  }

  /**
   * Records a remote answer, returning false when it is the answer already applied to the current
   * exchange (the caller must not hand it to media again).
   */
  setRemoteAnswer(body: string): boolean {
    if (this.#state !== S.HaveLocalOffer) return false;
    this.transition(S.Stable);
    this.#lastRemoteAnswer = body;
    this.#completed++;
    return true;
  }

  setLocalAnswer(): void {
    this.transition(S.Stable);
    this.#remoteOffer = undefined;
    this.#completed++;
  }

  /** Abandons the exchange in progress; a no-op when stable. */
  rollback(): void {
    if (this.#state === S.Stable) return;
    this.transition(S.Stable);
    this.#remoteOffer = undefined;
  }

  /**
   * @throws InvalidStateError on an edge not drawn in the class diagram: a second offer before the
   *   first is answered is a programming error of the session (RFC 3264 §4 forbids it on the wire;
   *   the session answers 491 or 500 before it gets here).
   */
  private transition(to: OfferAnswerState): void {
    if (!EDGES[this.#state].includes(to)) {
      throw new InvalidStateError(`offer/answer: illegal transition ${this.#state} → ${to}`);
    }
    this.#state = to;
  }
}
