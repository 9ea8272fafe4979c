/**
 * The SIP core's {@link SessionDescriptionHandler} port (RFC 3264 offer/answer over opaque bodies)
 * implemented with one {@link MediaSession}: the seam pjsip draws between the INVITE session,
 * which "does not manage media", and the media.
 *
 * - `getOffer({ hold })` becomes the media layer's hold/resume re-offer when the hold intent
 *   changes (RFC 3264 §8.4: hold is a direction rewrite), a plain offer otherwise.
 * - `setAnswer()` applies an answer received in a provisional response (183 Session Progress,
 *   RFC 3960 early media) as a W3C WebRTC "pranswer", and the final one as "answer": a 200 whose
 *   body repeats the 183's turns the provisional answer final once the call is confirmed.
 * - A media failure rejects: the session answers 488 to a remote offer, or gives up a local
 *   change. The failure is reported through `onMediaError` so the call can say why.
 */
import type { MediaSession } from '../media/index';
import type { OfferOptions, SessionDescriptionHandler } from '../sip/index';

export interface SessionDescriptionAdapterOptions {
  /**
   * True while the initial INVITE of an outgoing call has no final response: an answer then came
   * in a provisional response. Read after the session finished handling the response.
   */
  readonly isEarly: () => boolean;
  /** Video wanted for the first offer or answer of the call (`true`/`false`; absent: receive only). */
  readonly video: () => boolean | undefined;
  /** Every media failure, before the rejection reaches the session. */
  readonly onMediaError: (error: unknown) => void;
}

export class SessionDescriptionAdapter implements SessionDescriptionHandler {
  readonly media: MediaSession;
  readonly #options: SessionDescriptionAdapterOptions;
  /** The first offer/answer of the call is done: later ones never reopen the camera. */
  #negotiated = false;
  /** An answer applied as provisional, waiting for the call to be confirmed. */
  #earlyAnswer: string | undefined;

  constructor(media: MediaSession, options: SessionDescriptionAdapterOptions) {
    this.media = media;
    this.#options = options;
  }

  async getOffer(options: OfferOptions): Promise<string> {
    return this.#guard(async () => {
      const held = this.media.holdState.local;
      if (options.hold && !held) return this.media.hold();
      if (!options.hold && held) return this.media.resume();
      const video = this.#negotiated ? undefined : this.#options.video();
      this.#negotiated = true;
      return this.media.getOffer(video ? { video: true } : {});
    });
  }

  async getAnswer(offer: string, _options: OfferOptions): Promise<string> {
    // The media layer keeps its own hold intent, committed with the same 2xx as the session's,
    // so the `hold` the session passes is already what it will answer with.
    return this.#guard(async () => {
      const video = this.#negotiated ? undefined : this.#options.video();
      this.#negotiated = true;
      return this.media.getAnswer(offer, video === undefined ? {} : { video });
    });
  }

  async setAnswer(answer: string): Promise<void> {
    // The session hands the answer over before it finishes handling the response that carried it
    // (a 2xx moves the session to established right after): one turn later we know which it was.
    await Promise.resolve();
    return this.#guard(async () => {
      if (this.#options.isEarly()) {
        this.#earlyAnswer = answer;
        await this.media.setAnswer(answer, { provisional: true });
        return;
      }
      this.#earlyAnswer = undefined;
      await this.media.setAnswer(answer);
    });
  }

  /**
   * The call is confirmed (2xx + ACK): an answer that was applied as provisional and that the 2xx
   * only repeated becomes final (RFC 3261 §13.2.1: "That same exact answer MAY also be placed in
   * any provisional responses sent prior to the answer").
   */
  async confirmEarlyAnswer(): Promise<void> {
    const answer = this.#earlyAnswer;
    this.#earlyAnswer = undefined;
    if (answer === undefined || this.media.closed) return;
    await this.#guard(() => this.media.setAnswer(answer));
  }

  async rollback(): Promise<void> {
    if (this.media.closed) return;
    await this.media.rollback();
  }

  close(): void {
    this.media.close();
  }

  async #guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.#options.onMediaError(error);
      throw error;
    }
  }
}
