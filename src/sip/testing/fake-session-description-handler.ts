/**
 * A session description handler for tests (the media layer's stand-in, as mediasoup-client's
 * FakeHandler): it makes small SDP-looking bodies, records every call in order, and can be told to
 * fail. No media, no timers.
 */
import type { OfferOptions, SessionDescriptionHandler } from '../session/session-description-handler';

export type FakeHandlerCall =
  | { readonly op: 'getOffer'; readonly hold: boolean; readonly result: string }
  | { readonly op: 'getAnswer'; readonly offer: string; readonly result: string }
  | { readonly op: 'setAnswer'; readonly answer: string }
  | { readonly op: 'rollback' }
  | { readonly op: 'close' };

export class FakeSessionDescriptionHandler implements SessionDescriptionHandler {
  readonly name: string;
  readonly calls: FakeHandlerCall[] = [];
  /** Set to make the next offers/answers reject (a media failure). */
  failGetOffer = false;
  failGetAnswer = false;
  #version = 0;
  closed = false;

  constructor(name: string) {
    this.name = name;
  }

  /** The remote bodies applied (answers via setAnswer, offers via getAnswer), in order. */
  get applied(): string[] {
    return this.calls.flatMap((c) =>
      c.op === 'setAnswer' ? [c.answer] : c.op === 'getAnswer' ? [c.offer] : [],
    );
  }

  /** The bodies this handler made (offers and answers), in order. */
  get made(): string[] {
    return this.calls.flatMap((c) => (c.op === 'getOffer' || c.op === 'getAnswer' ? [c.result] : []));
  }

  ops(): string[] {
    return this.calls.map((c) => c.op);
  }

  async getOffer(options: OfferOptions): Promise<string> {
    this.#assertOpen();
    if (this.failGetOffer) throw new Error('fake: getOffer failed');
    const result = this.#body('offer', options.hold ? 'sendonly' : 'sendrecv');
    this.calls.push({ op: 'getOffer', hold: options.hold, result });
    return result;
  }

  async getAnswer(offer: string, options: OfferOptions): Promise<string> {
    this.#assertOpen();
    if (this.failGetAnswer) throw new Error('fake: getAnswer failed');
    const direction = /a=sendonly/.test(offer) ? 'recvonly' : options.hold ? 'sendonly' : 'sendrecv';
    const result = this.#body('answer', direction);
    this.calls.push({ op: 'getAnswer', offer, result });
    return result;
  }

  async setAnswer(answer: string): Promise<void> {
    this.#assertOpen();
    this.calls.push({ op: 'setAnswer', answer });
  }

  async rollback(): Promise<void> {
    this.#assertOpen();
    this.calls.push({ op: 'rollback' });
  }

  close(): void {
    this.#assertOpen();
    this.closed = true;
    this.calls.push({ op: 'close' });
  }

  #assertOpen(): void {
    if (this.closed) throw new Error(`fake handler ${this.name} used after close()`);
  }

  #body(kind: string, direction: string): string {
    this.#version++;
    return `v=0\r\no=${this.name} 1 ${this.#version} IN IP4 0.0.0.0\r\ns=${kind}\r\na=${direction}\r\n`;
  }
}
