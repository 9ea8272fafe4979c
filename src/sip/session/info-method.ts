/**
 * RFC 6086 INFO: an opt-in session extension. It adds INFO to Allow, implements {@link sendInfo}
 * (which rejects with UnsupportedError without it), and surfaces the peer's INFO as the session's
 * `info` event. Without it, an INFO gets 405 from the UA core (RFC 3261 §8.2.1).
 */
import { getContentType } from '../message/headers';
import { InvalidArgumentError, InvalidStateError, UnsupportedError } from '../support/errors';
import type { InviteSession } from './invite-session';
import { requestInDialog, type SessionContext, type SessionExtension } from './session-extension';

const bySession = new WeakMap<InviteSession, SessionContext>();

/**
 * Sends INFO (RFC 6086) on the session with an opaque body, e.g. `application/dtmf-relay`.
 * Resolves with the final status (0 on timeout or transport error).
 * Rejects with UnsupportedError without `infoMethod()` installed, with InvalidStateError unless
 * the call is established.
 */
export async function sendInfo(session: InviteSession, contentType: string, body: string): Promise<number> {
  const context = bySession.get(session);
  if (!context) throw new UnsupportedError('infoMethod() not installed');
  if (session.state !== 'established') throw new InvalidStateError(`info() in state ${session.state}`);
  const result = await requestInDialog(context, 'INFO', [['Content-Type', contentType]], body);
  return result.kind === 'final' ? result.response.status : 0;
}

export function infoMethod(): SessionExtension {
  return {
    method: 'INFO',
    attach: (context) => {
      bySession.set(context.session, context);
      return {
        /**
         * RFC 6086 §4.2.2 (UAS behaviour): the INFO goes to the session's user, who knows which bodies
         * it can use and so which answer is right (RFC 3261 §8.2.3: 415 for a body type it does not
         * understand); one it does not answer gets 200.
         */
        receive(request, respond) {
          let answered = false;
          const type = getContentType(request);
          context.events.emit('info', {
            contentType: type.ok && type.value ? `${type.value.type}/${type.value.subtype}` : undefined,
            body: request.body,
            request,
            respond: (status, headers = []) => {
              if (!Number.isInteger(status) || status < 200 || status > 699)
                throw new InvalidArgumentError(`an INFO needs a final status 200–699, got ${status}`);
              if (answered) throw new InvalidStateError('this INFO has already been answered');
              answered = true;
              respond(status, headers);
            },
          });
          if (!answered) {
            answered = true;
            respond(200);
          }
        },
      };
    },
  };
}
