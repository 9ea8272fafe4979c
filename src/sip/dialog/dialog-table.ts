/**
 * The dialogs of one UA, keyed by dialog id (RFC 3261 §12). Forking (§12.1.2, §13.2.2.4) makes one
 * INVITE create several dialogs — one per To tag — so they are kept apart here and the INVITE
 * session decides which to keep. A dialog leaves the table when it terminates.
 */

import type { SipRequest, SipResponse } from '../message/sip-message';
import { ok, type ParseResult } from '../parser/parse-result';
import { InvalidArgumentError } from '../support/errors';
import { Dialog, type DialogOptions, type ResponseEffect } from './dialog';
import { dialogIdFromRequest, dialogIdFromResponse, dialogKey, type DialogId } from './dialog-id';

/** What {@link DialogTable.receiveUacResponse} did with a response to a dialog-creating request. */
export interface UacResponseOutcome {
  /** The dialog of the response's To tag, or undefined when the response creates none. */
  readonly dialog: Dialog | undefined;
  /** True when this response created the dialog (a new fork, or the first 1xx/2xx). */
  readonly created: boolean;
  readonly effect: ResponseEffect;
}

export class DialogTable {
  readonly #dialogs = new Map<string, Dialog>();
  readonly #unsubscribe = new Map<string, () => void>();
  readonly #options: DialogOptions;

  /** @param options passed to the dialogs this table creates. */
  constructor(options: DialogOptions = {}) {
    this.#options = options;
  }

  get size(): number {
    return this.#dialogs.size;
  }

  /**
   * Adds a live dialog; it is removed again when it terminates.
   * @throws InvalidArgumentError when a dialog with the same id is present or the dialog is terminated.
   */
  add(dialog: Dialog): void {
    if (dialog.state === 'terminated') throw new InvalidArgumentError('cannot add a terminated dialog');
    if (this.#dialogs.has(dialog.key))
      throw new InvalidArgumentError(`dialog ${dialog.key} is already present`);
    this.#dialogs.set(dialog.key, dialog);
    const off = dialog.on('state', (state) => {
      if (state === 'terminated') this.remove(dialog.id);
    });
    this.#unsubscribe.set(dialog.key, off);
  }

  get(id: DialogId): Dialog | undefined {
    return this.#dialogs.get(dialogKey(id));
  }

  /** Removes the dialog of `id` without terminating it; returns whether it was present. */
  remove(id: DialogId): boolean {
    const key = dialogKey(id);
    this.#unsubscribe.get(key)?.();
    this.#unsubscribe.delete(key);
    return this.#dialogs.delete(key);
  }

  /**
   * Every dialog created by one request: same Call-ID and same local tag (our From tag), one per
   * remote tag. The INVITE session uses it to end the other forks once one is chosen.
   */
  forks(callId: string, localTag: string): Dialog[] {
    return [...this.#dialogs.values()].filter((d) => d.id.callId === callId && d.id.localTag === localTag);
  }

  values(): IterableIterator<Dialog> {
    return this.#dialogs.values();
  }

  /**
   * The dialog a request received inside a dialog belongs to (§12.2.2: matched on Call-ID, To tag
   * as local tag, From tag as remote tag), or undefined — the caller then answers 481 (Call/Transaction
   * Does Not Exist) if the To field has a tag.
   */
  findForRequest(request: SipRequest): ParseResult<Dialog | undefined> {
    const id = dialogIdFromRequest(request);
    if (!id.ok) return id;
    return ok(this.get(id.value));
  }

  /** The dialog a response to a request this UA sent belongs to, or undefined. */
  findForResponse(response: SipResponse): ParseResult<Dialog | undefined> {
    const id = dialogIdFromResponse(response);
    if (!id.ok) return id;
    return ok(this.get(id.value));
  }

  /**
   * Routes a response to this UA's dialog-creating request (§12.1.2, §13.2.2.4): a 101–199 with a
   * new To tag creates an early dialog, a 2xx with a known To tag confirms that dialog, and a 2xx
   * with a new To tag creates a confirmed one. Responses with other To tags never touch each
   * other's dialogs.
   *
   * @returns a failure when a header needed does not parse (the response is then dropped).
   */
  receiveUacResponse(request: SipRequest, response: SipResponse): ParseResult<UacResponseOutcome> {
    const existing = this.findForResponse(response);
    if (!existing.ok) return existing;
    if (existing.value) {
      const effect = existing.value.receiveResponse(response);
      if (!effect.ok) return effect;
      return ok({ dialog: existing.value, created: false, effect: effect.value });
    }
    const created = Dialog.fromUacResponse(request, response, this.#options);
    if (!created.ok) return created;
    if (created.value) this.add(created.value);
    return ok({ dialog: created.value, created: created.value !== undefined, effect: 'none' });
  }
}
