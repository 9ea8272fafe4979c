/**
 * Transaction matching, RFC 3261 §17.1.3 (responses to client transactions) and §17.2.3 (requests
 * to server transactions). Pure functions over parsed messages: a message whose headers do not
 * parse yields `undefined` (no key), never an exception.
 */

import { getCallId, getCSeq, getFrom, getTo, getVias } from '../message/headers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { Via } from '../message/types';
import { uriEquals } from '../message/uri';

/** §8.1.1.7: branches of RFC 3261 implementations "MUST always begin with the characters z9hG4bK". */
export const MAGIC_COOKIE = 'z9hG4bK';

function topVia(message: SipRequest | SipResponse): Via | undefined {
  const vias = getVias(message);
  return vias.ok ? vias.value[0] : undefined;
}

/** The key of a client transaction: branch of the top Via and method (§17.1.3). */
export function clientKey(branch: string, method: string): string {
  return JSON.stringify([branch, method]);
}

/**
 * §17.1.3: a response matches a client transaction "if the response has the same value of the
 * branch parameter in the top Via header field as the branch parameter in the top Via header field
 * of the request that created the transaction" and "if the method parameter in the CSeq header
 * field matches the method of the request that created the transaction. The method is needed since
 * a CANCEL request constitutes a different transaction, but shares the same value of the branch
 * parameter."
 */
export function clientKeyOfResponse(response: SipResponse): string | undefined {
  const branch = topVia(response)?.params['branch'];
  const cseq = getCSeq(response);
  if (branch === undefined || branch === null || !cseq.ok) return undefined;
  return clientKey(branch, cseq.value.method);
}

/** The branch of the top Via when it carries the RFC 3261 magic cookie, else undefined. */
export function rfc3261Branch(request: SipRequest): string | undefined {
  const branch = topVia(request)?.params['branch'];
  return typeof branch === 'string' && branch.startsWith(MAGIC_COOKIE) ? branch : undefined;
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
  if (via === undefined || typeof branch !== 'string' || !branch.startsWith(MAGIC_COOKIE)) return undefined;
  const method = asMethod ?? (request.method === 'ACK' ? 'INVITE' : request.method);
  return JSON.stringify([branch, sentBy(via), method]);
}

function sentBy(via: Via): string {
  // Host names are case-insensitive (§19.1.4); a missing port is compared as written.
  return `${via.host.toLowerCase()}:${via.port ?? ''}`;
}

function tagOf(params: Record<string, string | null>): string {
  return params['tag'] ?? '';
}

/**
 * The RFC 2543 fallback of §17.2.3, for requests without the magic cookie.
 *
 * "The INVITE request matches a transaction if the Request-URI, To tag, From tag, Call-ID, CSeq,
 * and top Via header field match those of the INVITE request which created the transaction."
 * "The ACK request matches a transaction if the Request-URI, From tag, Call-ID, CSeq number (not the
 * method), and top Via header field match those of the INVITE request which created the
 * transaction, and the To tag of the ACK matches the To tag of the response sent by the server
 * transaction." "For all other request methods, a request is matched to a transaction if the
 * Request-URI, To tag, From tag, Call-ID, CSeq (including the method), and top Via header field
 * match those of the request that created the transaction."
 *
 * @param original the request that created the server transaction.
 * @param lastResponse the last response that transaction sent (for the ACK's To tag).
 * @param asMethod compare as if `request` had this method (§9.2, finding a CANCEL's target).
 */
export function matchesRfc2543(
  original: SipRequest,
  lastResponse: SipResponse | undefined,
  request: SipRequest,
  asMethod: string = request.method,
): boolean {
  if (rfc3261Branch(original) !== undefined) return false;
  const isAck = asMethod === 'ACK';
  if (isAck ? original.method !== 'INVITE' : original.method !== asMethod) return false;
  if (!uriEquals(original.uri, request.uri)) return false;

  const [callA, callB] = [getCallId(original), getCallId(request)];
  if (!callA.ok || !callB.ok || callA.value !== callB.value) return false;

  const [fromA, fromB] = [getFrom(original), getFrom(request)];
  if (!fromA.ok || !fromB.ok || tagOf(fromA.value.params) !== tagOf(fromB.value.params)) return false;

  const [cseqA, cseqB] = [getCSeq(original), getCSeq(request)];
  if (!cseqA.ok || !cseqB.ok || cseqA.value.seq !== cseqB.value.seq) return false;
  if (!isAck && cseqB.value.method !== request.method) return false;

  const toB = getTo(request);
  if (!toB.ok) return false;
  let expectedToTag: string;
  if (isAck) {
    if (lastResponse === undefined) return false;
    const sentTo = getTo(lastResponse);
    if (!sentTo.ok) return false;
    expectedToTag = tagOf(sentTo.value.params);
  } else {
    const toA = getTo(original);
    if (!toA.ok) return false;
    expectedToTag = tagOf(toA.value.params);
  }
  if (tagOf(toB.value.params) !== expectedToTag) return false;

  const [viaA, viaB] = [topVia(original), topVia(request)];
  return viaA !== undefined && viaB !== undefined && viaEquals(viaA, viaB);
}

/**
 * Via equality for matching: protocol and transport case-insensitively, sent-by, and the same
 * parameters with the same values (names are already lower-cased by the parser).
 */
export function viaEquals(a: Via, b: Via): boolean {
  if (a.protocol.toUpperCase() !== b.protocol.toUpperCase()) return false;
  if (a.transport.toUpperCase() !== b.transport.toUpperCase()) return false;
  if (sentBy(a) !== sentBy(b)) return false;
  const keysA = Object.keys(a.params);
  const keysB = Object.keys(b.params);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => k in b.params && a.params[k] === b.params[k]);
}
