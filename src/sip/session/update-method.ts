/**
 * RFC 3311 UPDATE: an opt-in session extension. It adds UPDATE to Allow, which lets
 * `renegotiate({ method: 'UPDATE' })` (with `renegotiation()`) send one and session timers refresh
 * with one, and routes the peer's UPDATE to the session's offer/answer, which it shares with
 * re-INVITE (RFC 3311 §5.2 borrows the §14.2 rules: 491 when our offer is pending, 500 with
 * Retry-After when theirs is). Without it, an UPDATE gets 405 from the UA core (RFC 3261 §8.2.1).
 */
import type { SessionExtension } from './session-extension';

export function updateMethod(): SessionExtension {
  return {
    method: 'UPDATE',
    attach: (context) => ({ receive: (request, respond) => context.answer(request, respond) }),
  };
}
