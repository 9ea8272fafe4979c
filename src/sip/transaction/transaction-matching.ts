/**
 * Transaction matching, RFC 3261 §17.1.3 (responses to client transactions) and §17.2.3 (requests
 * to server transactions). Pure functions over parsed messages: a message whose headers do not
 * parse yields `undefined` (no key), never an exception.
 *
 * NOTE: deviates from RFC 3261 §17.2.3 on purpose: a request whose top Via branch lacks the magic
 * cookie gets no key, so it matches no transaction (each one is new) instead of being matched by the
 * RFC 2543 procedure. Over RFC 7118 the top Via of every request we receive is written by the
 * WebSocket server, an RFC 3261 implementation that "MUST always begin [the branch] with the
 * characters z9hG4bK" (§8.1.1.7, §16.6); and the transport is reliable, so no peer retransmits.
 */

import { getCSeq, getVias } from '../message/headers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { Via } from '../message/types';

/** §8.1.1.7: branches of RFC 3261 implementations "MUST always begin with the characters z9hG4bK". */
export const MAGIC_COOKIE = 'z9hG4bK';

function topVia(message: SipRequest | SipResponse): Via | undefined {
  const vias = getVias(message);
  return vias.ok ? vias.value[0] : undefined;
}

/**
 * The key of a client transaction: the branch of the top Via and the CSeq method. §17.1.3: a
 * response matches a client transaction "if the response has the same value of the branch parameter
 * in the top Via header field as the branch parameter in the top Via header field of the request
 * that created the transaction" and "if the method parameter in the CSeq header field matches the
 * method of the request that created the transaction. The method is needed since a CANCEL request
 * constitutes a different transaction, but shares the same value of the branch parameter."
 *
 * Applies to the outgoing request (whose CSeq method is its method) and to its responses.
 */
export function clientKey(message: SipRequest | SipResponse): string | undefined {
  const branch = topVia(message)?.params['branch'];
  const cseq = getCSeq(message);
  return branch && cseq.ok ? JSON.stringify([branch, cseq.value.method]) : undefined;
}

/**
 * §17.2.3, for a request whose top Via branch carries the magic cookie: "1. the branch parameter in
 * the request is equal to the one in the top Via header field of the request that created the
 * transaction, and 2. the sent-by value in the top Via of the request is equal to the one in the
 * request that created the transaction, and 3. the method of the request matches the one that
 * created the transaction, except for ACK, where the method of the request that created the
 * transaction is INVITE."
 *
 * `asMethod` lets the caller ask for another method's transaction with the same branch, as §9.2 does
 * to find the INVITE a CANCEL targets.
 */
export function serverKey(request: SipRequest, asMethod?: string): string | undefined {
  const via = topVia(request);
  const branch = via?.params['branch'];
  if (!via || !branch?.startsWith(MAGIC_COOKIE)) return undefined;
  const method = asMethod ?? (request.method === 'ACK' ? 'INVITE' : request.method);
  // Host names are case-insensitive (§19.1.4); a missing port is compared as written.
  return JSON.stringify([branch, via.host.toLowerCase(), via.port, method]);
}
