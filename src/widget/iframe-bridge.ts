/**
 * The iframe embed's side of the postMessage API (see bridge-messages.ts for the protocol): takes
 * commands only from the allowlisted origins, runs them on the phone through the same functions as
 * the `<ringlet-phone>` element, and posts the phone's events to the embedding page.
 *
 * HTML §9.3.1: "Authors should check the origin attribute to ensure that messages are only
 * accepted from domains that they expect to receive messages from." Everything else is ignored
 * and logged; nothing a page posts can throw out of the listener.
 */
import type { PhoneStore } from '../store/index';
import {
  checkBridgeCommand,
  isAllowedOrigin,
  type AllowList,
  type BridgeCommand,
  type BridgeOutMessage,
} from './bridge-messages';
import { answerCall, applyAccount, hangupCall, placeCall, watchPhoneEvents } from './phone-api';
import { parseWidgetConfig } from './widget-config';

/** The part of a window the bridge posts to (the embedding page: `window.parent`). */
export interface MessageTarget {
  postMessage(message: unknown, targetOrigin: string): void;
}

export interface MessageSource {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface IframeBridgeOptions {
  readonly store: PhoneStore;
  readonly allow: AllowList;
  /** Where messages arrive: the iframe's window. */
  readonly source: MessageSource;
  /** The embedding page, or null when the page is not framed (then nothing is posted). */
  readonly parent: MessageTarget | null;
  readonly log: (line: string) => void;
}

/** Starts listening; returns the function that stops. */
export function startIframeBridge(options: IframeBridgeOptions): () => void {
  const { store, allow, parent, log } = options;

  // Sent once per allowed origin: the browser delivers it only if the parent's origin matches,
  // so events never reach a page that was not allowlisted.
  const post = (message: BridgeOutMessage): void => {
    if (!parent) return;
    for (const origin of allow.origins) {
      try {
        parent.postMessage(message, origin);
      } catch (error) {
        log(`ringlet embed: could not post to ${origin}: ${String(error)}`);
      }
    }
  };

  const reply = (event: MessageEvent, message: BridgeOutMessage): void => {
    const source = event.source as MessageTarget | null;
    try {
      (source ?? parent)?.postMessage(message, event.origin);
    } catch (error) {
      log(`ringlet embed: could not reply to ${event.origin}: ${String(error)}`);
    }
  };

  const run = async (command: BridgeCommand): Promise<{ ok: boolean; reason?: string }> => {
    switch (command.type) {
      case 'ringlet:call': {
        const result = placeCall(store, command.target);
        return result.ok ? { ok: true } : { ok: false, reason: result.reason };
      }
      case 'ringlet:answer':
        return (await answerCall(store)) ? { ok: true } : { ok: false, reason: 'no-ringing-call' };
      case 'ringlet:hangup':
        return (await hangupCall(store)) ? { ok: true } : { ok: false, reason: 'no-call' };
      case 'ringlet:configure': {
        const parsed = parseWidgetConfig({}, command.config);
        if (!parsed.ok) return { ok: false, reason: parsed.problems.join('; ') };
        const problems = applyAccount(store, parsed.config);
        return problems.length === 0 ? { ok: true } : { ok: false, reason: problems.join('; ') };
      }
    }
  };

  const onMessage = (event: MessageEvent): void => {
    if (!isAllowedOrigin(allow, event.origin)) {
      log(`ringlet embed: ignored a message from ${event.origin || '(no origin)'}: origin not allowed`);
      return;
    }
    const checked = checkBridgeCommand(event.data);
    if (!checked.ok) {
      log(`ringlet embed: ignored a message from ${event.origin}: ${checked.reason}`);
      return;
    }
    const { command } = checked;
    void run(command)
      .catch((error: unknown) => ({ ok: false, reason: `failed: ${String(error)}` }))
      .then((result) =>
        reply(event, {
          type: 'ringlet:result',
          requestId: command.requestId,
          command: command.type,
          ...result,
        }),
      );
  };

  options.source.addEventListener('message', onMessage);
  const unwatch = watchPhoneEvents(store, (event) =>
    post({ type: 'ringlet:event', event: event.name, detail: event.detail }),
  );
  post({ type: 'ringlet:ready' });
  return () => {
    options.source.removeEventListener('message', onMessage);
    unwatch();
  };
}
