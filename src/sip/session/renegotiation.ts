/**
 * Our own changes to an established session, RFC 3261 §14.1 (and RFC 3311 §5.1 with
 * `updateMethod()`): an opt-in session extension. It gives `hold()`, `unhold()` and `renegotiate()`
 * their meaning and sends the refreshes of `sessionTimers()`, which pulls it in. Without it those
 * methods reject with UnsupportedError; the core still answers the peer's re-INVITE (§14.2), so a
 * peer may hold or re-offer to us.
 *
 * Changes run one at a time from a queue, never interleaved with a remote offer. A change is
 * visible as `session.pending` and takes effect only on its 2xx (and ACK): a failure leaves the
 * session exactly as it was (§14.1: "as if no re-INVITE had been issued").
 */
import type { SipResponse } from '../message/sip-message';
import { InvalidStateError, UnsupportedError } from '../support/errors';
import type { ChangeOutcome, InviteSession, PendingChange } from './invite-session';
import { hasSdp, sdpType } from './session-description-handler';
import {
  requestInDialog,
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

export type LocalChanges = SessionHooks & Required<Pick<SessionHooks, 'change'>>;

const ENDED: ChangeOutcome = { ok: false, reason: 'ended' };

/** One queue per session, whichever extensions asked for it. */
const bySession = new WeakMap<InviteSession, LocalChanges>();

/** Hold, resume, re-offers and session refreshes of ours (see the module comment). */
export function renegotiation(): SessionExtension {
  return { attach: localChanges };
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
  const { session, events, handler, oa } = context;
  const queue: LocalOperation[] = [];
  /** A change is on the wire (a remote offer crossing it gets 491, §14.2). */
  let busy = false;
  /** The §14.1 back-off after a 491 is running. */
  let glare = false;

  /** Runs the next change when nothing else is negotiating. */
  const pump = (): void => {
    if (busy || glare || session.state !== 'established' || session.pending?.kind === 'remote-offer') return;
    const op = queue.shift();
    if (!op) return;
    busy = true;
    context.pending(op.change);
    void run(op);
  };

  const run = async (op: LocalOperation): Promise<void> => {
    const finish = (outcome: ChangeOutcome): void => {
      busy = false;
      context.pending(undefined);
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
        context.abandon();
        finish(ENDED);
        return;
      }
    }
    const fields = [...context.changeFields(), ...sdpType(offer)];
    const result = await requestInDialog(context, op.change.method, fields, offer);
    if (session.state === 'terminated') {
      finish(ENDED);
      return;
    }
    if (result.kind !== 'final') {
      context.abandon();
      finish({ ok: false, reason: result.kind });
      // §12.2.1.2: a 408 (or a timeout, treated as one) "SHOULD terminate the dialog".
      context.bye(result.kind === 'timeout' ? 'request-timeout' : 'transport-error');
      return;
    }
    const { response } = result;
    const status = response.status;
    if (status < 300) {
      await committed(op, response);
      finish({ ok: true });
      return;
    }
    context.abandon();
    if (status === 491) {
      // §14.1: "If a UAC receives a 491 response to a re-INVITE, it SHOULD start a timer with a
      // value T chosen as follows: 1. If the UAC is the owner of the Call-ID of the dialog ID
      // (meaning it generated the value), T has a randomly chosen value between 2.1 and 4 seconds
      // in units of 10 ms. 2. If the UAC is not the owner of the Call-ID of the dialog ID, T has a
      // randomly chosen value of between 0 and 2 seconds in units of 10 ms. When the timer fires,
      // the UAC SHOULD attempt the re-INVITE once more". RFC 3311 §5.1 applies it to UPDATE.
      const delay =
        session.direction === 'outgoing' ? 2100 + context.random(191) * 10 : context.random(201) * 10;
      queue.unshift(op);
      busy = false;
      glare = true;
      context.timer('glare', delay, () => {
        glare = false;
        pump();
      });
      return;
    }
    finish({ ok: false, status, reason: `${status} ${response.reason}` });
    // §12.2.1.2: "If the response for a request within a dialog is a 481 (Call/Transaction Does
    // Not Exist) or a 408 (Request Timeout), the UAC SHOULD terminate the dialog."
    if (status === 481) context.end('remote', 'dialog-error', { status, reason: response.reason, response });
    if (status === 408) context.bye('request-timeout');
  };

  /** The 2xx of a change: complete the exchange, ACK a re-INVITE, commit the change. */
  const committed = async (op: LocalOperation, response: SipResponse): Promise<void> => {
    let ackBody: string | undefined;
    const sdp = hasSdp(response);
    if (oa.state === 'have-local-offer') {
      if (!sdp) context.abandon();
      else {
        oa.setRemoteAnswer(response.body);
        await context.apply(() => handler.setAnswer(response.body));
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
    context.commit(response);
    const kind = op.change.kind;
    if (kind !== 'renegotiate' && kind !== 'refresh' && session.held !== op.hold) {
      context.held(op.hold);
      events.emit('hold', op.hold);
    }
    if (kind !== 'refresh') events.emit('renegotiated', 'local');
  };

  // The session is free to negotiate once confirmed, and again when a remote offer settled.
  events.on('confirmed', pump);
  events.on('pending', (change) => change || pump());
  events.on('ended', () => {
    for (const op of queue.splice(0)) op.resolve(ENDED);
  });

  return {
    busy: () => busy,
    change(change, offer, hold) {
      if (!context.allows(change.method)) throw new UnsupportedError(`${change.method} not installed`);
      const state = session.state;
      if (state !== 'established' && state !== 'answering')
        throw new InvalidStateError(`${change.kind}() in state ${state}`);
      return new Promise((resolve) => {
        queue.push({ change, offer, hold, resolve });
        pump();
      });
    },
  };
}
