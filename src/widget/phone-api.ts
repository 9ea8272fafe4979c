/**
 * What an embedding page can do with a phone and hear from it, shared by the `<ringlet-phone>`
 * element and the iframe bridge: `call`, `answer`, `hangup` (through the registered call commands,
 * the same ones the buttons and shortcuts run) and four events derived from store changes.
 */
import {
  registrationSelectors,
  type CallEndCause,
  type CallEntry,
  type DialResult,
  type PhoneState,
  type PhoneStore,
} from '../store/index';
import { answerCommand, hangupCommand } from '../ui/commands/call-commands';
import type { Command } from '../ui/commands/index';
import type { WidgetConfig } from './widget-config';

export type PhoneEventName = 'registered' | 'incoming' | 'call-started' | 'call-ended';

export const PHONE_EVENT_NAMES: readonly PhoneEventName[] = [
  'registered',
  'incoming',
  'call-started',
  'call-ended',
];

export interface CallDetail {
  readonly callId: string;
  readonly direction: CallEntry['direction'];
  /** Plain text from the network (the store already stripped control characters). */
  readonly remote: { readonly name: string; readonly number: string };
  readonly video: boolean;
}

export interface CallEndedDetail extends CallDetail {
  readonly cause: CallEndCause;
  readonly originator: 'local' | 'remote' | 'system';
  /** The SIP status that ended it, when there was one (486, 404…). */
  readonly status: number | null;
  /** Whether the call was ever established. */
  readonly answered: boolean;
}

export type PhoneEvent =
  | { readonly name: 'registered'; readonly detail: { readonly uri: string } }
  | { readonly name: 'incoming'; readonly detail: CallDetail }
  | { readonly name: 'call-started'; readonly detail: CallDetail }
  | { readonly name: 'call-ended'; readonly detail: CallEndedDetail };

function callDetail(call: CallEntry): CallDetail {
  return {
    callId: call.id,
    direction: call.direction,
    remote: { name: call.remote.name, number: call.remote.number },
    video: call.video,
  };
}

/** The events one store change means, in order. Pure. */
export function phoneEventsBetween(prev: PhoneState, next: PhoneState): PhoneEvent[] {
  const events: PhoneEvent[] = [];
  if (registrationSelectors.isRegistered(next) && !registrationSelectors.isRegistered(prev)) {
    events.push({ name: 'registered', detail: { uri: next.account.saved?.uri ?? '' } });
  }
  if (next.calls.byId === prev.calls.byId) return events;
  for (const id of next.calls.order) {
    const call = next.calls.byId[id];
    if (!call) continue;
    const before = prev.calls.byId[id];
    if (call.direction === 'incoming' && call.state === 'ringing' && before?.state !== 'ringing') {
      events.push({ name: 'incoming', detail: callDetail(call) });
    }
    // Started = established for the first time; holds and resumes are not new starts.
    if (call.answeredAt !== null && (before?.answeredAt ?? null) === null) {
      events.push({ name: 'call-started', detail: callDetail(call) });
    }
    if (call.state === 'ended' && before?.state !== 'ended') {
      events.push({
        name: 'call-ended',
        detail: {
          ...callDetail(call),
          cause: call.end?.cause ?? 'dialog-error',
          originator: call.end?.originator ?? 'system',
          status: call.end?.status ?? null,
          answered: call.answeredAt !== null,
        },
      });
    }
  }
  return events;
}

/** Calls `emit` for each phone event from now on; returns the unsubscribe function. */
export function watchPhoneEvents(store: PhoneStore, emit: (event: PhoneEvent) => void): () => void {
  return store.subscribe((next, prev) => {
    for (const event of phoneEventsBetween(prev, next)) emit(event);
  });
}

export type CallResult = DialResult;

/** Calls `target` (a number, user name or SIP address). Never throws: the result says why not. */
export function placeCall(store: PhoneStore, target: unknown): CallResult {
  if (typeof target !== 'string') return { ok: false, reason: 'invalid-target' };
  try {
    return store.getState().calls.dial(target);
  } catch {
    return { ok: false, reason: 'failed' };
  }
}

async function runIfEnabled(command: Command, store: PhoneStore): Promise<boolean> {
  if (!command.enabled(store.getState())) return false;
  try {
    await command.perform(store, {});
    return true;
  } catch {
    // The call's state changed between the check and the action (it ended meanwhile).
    return false;
  }
}

/** Answers the ringing call; false when nothing rings. Never rejects. */
export function answerCall(store: PhoneStore): Promise<boolean> {
  return runIfEnabled(answerCommand, store);
}

/** Ends the call in front, or declines the ringing one; false when there is none. Never rejects. */
export function hangupCall(store: PhoneStore): Promise<boolean> {
  return runIfEnabled(hangupCommand, store);
}

/**
 * Saves the config's account and, when asked, connects it. Returns the problems the store found
 * (none when the widget's own validation passed, which uses the same rules).
 */
export function applyAccount(store: PhoneStore, config: WidgetConfig): string[] {
  const account = store.getState().account;
  account.editDraft({ ...config.account, rememberPassword: false });
  const saved = store.getState().account.save();
  if (!saved.ok) return Object.entries(saved.errors).map(([path, error]) => `${path}: ${error.message}`);
  if (config.autoConnect) void store.getState().account.connect();
  return [];
}

/**
 * Calls `target` as soon as the phone is registered (now, if it is). For `?call=` on load, where
 * the account connects in the background. Gives up after `timeoutMs`; returns the function that
 * cancels.
 */
export function callWhenRegistered(
  store: PhoneStore,
  target: string,
  options: { timeoutMs?: number; onResult?: (result: CallResult) => void } = {},
): () => void {
  let done = false;
  const finish = (): void => {
    done = true;
    unsubscribe();
    clearTimeout(timer);
  };
  const attempt = (): void => {
    if (done || !registrationSelectors.isRegistered(store.getState())) return;
    finish();
    options.onResult?.(placeCall(store, target));
  };
  const timer = setTimeout(() => {
    if (done) return;
    finish();
    options.onResult?.({ ok: false, reason: 'not-connected' });
  }, options.timeoutMs ?? 30_000);
  const unsubscribe = store.subscribe(attempt);
  attempt();
  return finish;
}
