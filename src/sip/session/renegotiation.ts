/**
 * Our own changes to an established session, RFC 3261 §14.1 (and RFC 3311 §5.1 with
 * `updateMethod()`): an opt-in session extension, with the functions that drive it ({@link hold},
 * {@link unhold}, {@link renegotiate}; they live here, not on the session, so that an application
 * without them does not ship them). It also sends the refreshes of `sessionTimers()`, which pulls
 * it in. Without it those functions reject with UnsupportedError; the core still answers the
 * peer's re-INVITE (§14.2), so a peer may hold or re-offer to us.
 *
 * Changes run one at a time from a queue, never interleaved with a remote offer. A change is
 * announced by the session's `pending` event and takes effect only on its 2xx (and ACK): a failure
 * leaves the session exactly as it was (§14.1: "as if no re-INVITE had been issued").
 */
import type { SipResponse } from '../message/sip-message';
import { InvalidStateError, UnsupportedError } from '../support/errors';
import type { ChangeOutcome, InviteSession, PendingChange } from './invite-session';
import { hasSdp, sdpType } from './session-description-handler';
import {
  abandon,
  commit,
  hookFields,
  randomBelow,
  requestInDialog,
  sessionFields,
  restartableTimer,
  settle,
  type SessionContext,
  type SessionExtension,
  type SessionHooks,
} from './session-extension';

interface LocalOperation {
  readonly change: PendingChange;
  /** Whether the request carries an offer (false: offerless re-INVITE or plain UPDATE). */
  readonly offer: boolean;
  /** The hold state the operation asks for. */
  readonly hold: boolean;
  readonly resolve: (outcome: ChangeOutcome) => void;
}

/** What {@link renegotiate} asks for. */
export interface RenegotiateOptions {
  /** INVITE (default) or UPDATE (RFC 3311, needs `updateMethod()`; always with an offer). */
  readonly method?: 'INVITE' | 'UPDATE';
  /** False for an offerless re-INVITE: the peer offers in its 2xx, we answer in the ACK. */
  readonly offer?: boolean;
}

export interface LocalChanges extends SessionHooks {
  /**
   * Queues a change (session timers queue their refreshes here): `offer` says whether the request
   * carries one, `hold` the hold state it asks for.
   */
  queue(change: PendingChange, offer: boolean, hold: boolean): Promise<ChangeOutcome>;
  /** Runs {@link hold} (`hold`), {@link unhold} (`resume`) and {@link renegotiate}. */
  change(kind: 'hold' | 'resume' | 'renegotiate', options?: RenegotiateOptions): Promise<ChangeOutcome>;
}

const ENDED: ChangeOutcome = { ok: false, reason: 'ended' };

/** One queue per session, whichever extensions asked for it. */
const bySession = new WeakMap<InviteSession, LocalChanges>();

/** Hold, resume, re-offers and session refreshes of ours (see the module comment). */
export function renegotiation(): SessionExtension {
  return { attach: localChanges };
}

/**
 * Holds the call: a re-INVITE with a hold offer; committed on its 2xx.
 * Rejects with UnsupportedError without `renegotiation()` (or `sessionTimers()`) installed, with
 * InvalidStateError unless the call is answering or established.
 */
export async function hold(session: InviteSession): Promise<ChangeOutcome> {
  return changesOf(session).change('hold');
}

/** Resumes a held call; committed on the 2xx. Rejects as {@link hold} does. */
export async function unhold(session: InviteSession): Promise<ChangeOutcome> {
  return changesOf(session).change('resume');
}

/**
 * A new offer/answer exchange keeping the hold state: by re-INVITE (with an offer, or offerless
 * so that the peer offers in its 2xx) or by UPDATE (RFC 3311, with an offer). Rejects as
 * {@link hold} does, and with UnsupportedError for UPDATE without `updateMethod()` installed.
 */
export async function renegotiate(
  session: InviteSession,
  options?: RenegotiateOptions,
): Promise<ChangeOutcome> {
  return changesOf(session).change('renegotiate', options);
}

/** @throws UnsupportedError when the session's user agent has no `renegotiation()`. */
function changesOf(session: InviteSession): LocalChanges {
  const changes = bySession.get(session);
  if (!changes) throw new UnsupportedError('renegotiation() not installed');
  return changes;
}

/**
 * The local change queue of a session, made on first use: an extension that needs it (session
 * timers) spreads these hooks into its own, and shares the queue with `renegotiation()` when both
 * are installed.
 */
export function localChanges(context: SessionContext): LocalChanges {
  let hooks = bySession.get(context.session);
  if (!hooks) bySession.set(context.session, (hooks = createQueue(context)));
  return hooks;
}

function createQueue(context: SessionContext): LocalChanges {
  const { session, events, handler, oa, host } = context;
  const queue: LocalOperation[] = [];
  /** A change is on the wire (a remote offer crossing it gets 491, §14.2). */
  let busy = false;
  /** The §14.1 back-off after a 491 is running. */
  let glare = false;
  /** The session is answering a remote offer (it announces that as `pending`). */
  let remote = false;
  const glareTimer = restartableTimer(context);

  /** Runs the next change when nothing else is negotiating. */
  const pump = (): void => {
    if (busy || glare || remote || session.state !== 'established') return;
    const op = queue.shift();
    if (!op) return;
    busy = true;
    events.emit('pending', op.change);
    void run(op);
  };

  const run = async (op: LocalOperation): Promise<void> => {
    const finish = (outcome: ChangeOutcome): void => {
      busy = false;
      events.emit('pending', undefined);
      op.resolve(outcome);
      pump();
    };
    let offer: string | undefined;
    if (op.offer) {
      try {
        offer = await handler.getOffer({ hold: op.hold });
      } catch (error) {
        finish({ ok: false, reason: `media: ${String(error)}` });
        return;
      }
      oa.setLocalOffer();
      if (session.state !== 'established') {
        abandon(context);
        finish(ENDED);
        return;
      }
    }
    const fields = [
      ...sessionFields(host.settings),
      ...hookFields(context.hooks, 'change'),
      ...sdpType(offer),
    ];
    const result = await requestInDialog(context, op.change.method, fields, offer);
    if (session.state === 'terminated') {
      finish(ENDED);
      return;
    }
    if (result.kind !== 'final') {
      abandon(context);
      finish({ ok: false, reason: result.kind });
      // §12.2.1.2: a 408 (or a timeout, treated as one) "SHOULD terminate the dialog".
      context.end(result.kind === 'timeout' ? 'request-timeout' : 'transport-error');
      return;
    }
    const { response } = result;
    const status = response.status;
    if (status < 300) {
      await committed(op, response);
      finish({ ok: true });
      return;
    }
    abandon(context);
    if (status === 491) {
      // §14.1: "If a UAC receives a 491 response to a re-INVITE, it SHOULD start a timer with a
      // value T chosen as follows: 1. If the UAC is the owner of the Call-ID of the dialog ID
      // (meaning it generated the value), T has a randomly chosen value between 2.1 and 4 seconds
      // in units of 10 ms. 2. If the UAC is not the owner of the Call-ID of the dialog ID, T has a
      // randomly chosen value of between 0 and 2 seconds in units of 10 ms. When the timer fires,
      // the UAC SHOULD attempt the re-INVITE once more". RFC 3311 §5.1 applies it to UPDATE.
      const delay =
        session.direction === 'outgoing' ? 2100 + randomBelow(host, 191) * 10 : randomBelow(host, 201) * 10;
      queue.unshift(op);
      busy = false;
      glare = true;
      glareTimer(delay, () => {
        glare = false;
        pump();
      });
      return;
    }
    finish({ ok: false, status, reason: `${status} ${response.reason}` });
    // §12.2.1.2: "If the response for a request within a dialog is a 481 (Call/Transaction Does
    // Not Exist) or a 408 (Request Timeout), the UAC SHOULD terminate the dialog."
    if (status === 481) context.end('dialog-error', { status, reason: response.reason, response });
    if (status === 408) context.end('request-timeout');
  };

  /** The 2xx of a change: complete the exchange, ACK a re-INVITE, commit the change. */
  const committed = async (op: LocalOperation, response: SipResponse): Promise<void> => {
    let ackBody: string | undefined;
    const sdp = hasSdp(response);
    if (oa.state === 'have-local-offer') {
      if (!sdp) abandon(context);
      else {
        oa.setRemoteAnswer(response.body);
        await settle(host, () => handler.setAnswer(response.body));
      }
    } else if (!op.offer && sdp) {
      // Offerless re-INVITE: the 2xx offers, our ACK answers.
      oa.setRemoteOffer(response.body);
      try {
        ackBody = await handler.getAnswer(response.body, { hold: op.hold });
        oa.setLocalAnswer();
      } catch {
        oa.rollback();
      }
    }
    if (op.change.method === 'INVITE' && session.dialog?.state !== 'terminated')
      context.ack(response, ackBody);
    commit(context.hooks, response);
    const kind = op.change.kind;
    if (kind !== 'renegotiate' && kind !== 'refresh' && session.held !== op.hold) {
      context.held(op.hold);
      events.emit('hold', op.hold);
    }
  };

  // The session is free to negotiate once confirmed, and again when a remote offer settled.
  events.on('confirmed', pump);
  events.on('pending', (change) => {
    remote = change?.kind === 'remote-offer';
    if (!change) pump();
  });
  events.on('ended', () => {
    for (const op of queue.splice(0)) op.resolve(ENDED);
  });

  const enqueue = (change: PendingChange, offer: boolean, hold: boolean): Promise<ChangeOutcome> => {
    if (!host.settings.allow.includes(change.method))
      throw new UnsupportedError(`${change.method} not installed`);
    const state = session.state;
    if (state !== 'established' && state !== 'answering')
      throw new InvalidStateError(`${change.kind}() in state ${state}`);
    return new Promise((resolve) => {
      queue.push({ change, offer, hold, resolve });
      pump();
    });
  };

  return {
    busy: () => busy,
    queue: enqueue,
    change(kind, { method = 'INVITE', offer = true } = {}) {
      // hold() and unhold() re-offer by re-INVITE; renegotiate() keeps the hold state, and an
      // UPDATE always carries an offer (RFC 3311 §5.1: an UPDATE without one only refreshes).
      if (kind !== 'renegotiate') return enqueue({ kind, method: 'INVITE' }, true, kind === 'hold');
      return enqueue({ kind, method }, offer || method === 'UPDATE', session.held);
    },
  };
}
