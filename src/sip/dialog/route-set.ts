/**
 * Route sets and in-dialog request targeting, RFC 3261 §12.1.1, §12.1.2 and §12.2.1.1. Pure
 * functions over parsed values: nothing here mutates its input, and nothing mutates what they
 * return (route values are shared with the message they were parsed from).
 */

import { getRecordRoutes } from '../message/headers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { NameAddr, Uri } from '../message/types';
import { isSipUri } from '../message/uri';
import { ok, type ParseResult } from '../parser/parse-result';

/** A route set: the Route header values of every request sent inside a dialog, in order. */
export type RouteSet = readonly NameAddr[];

/**
 * The route set a message gives the dialog it creates (or, for a UAC, confirms).
 *
 * A response, §12.1.2 (UAC): "The route set MUST be set to the list of URIs in the Record-Route
 * header field from the response, taken in reverse order and preserving all URI parameters." Each
 * proxy prepends its Record-Route, so the response lists the path from the callee back to us; we
 * walk it the other way.
 *
 * A request, §12.1.1 (UAS): "The route set MUST be set to the list of URIs in the Record-Route
 * header field from the request, taken in order and preserving all URI parameters."
 *
 * Either way, "If no Record-Route header field is present …, the route set MUST be set to the
 * empty set."
 */
export function routeSetOf(message: SipRequest | SipResponse): ParseResult<RouteSet> {
  const recordRoutes = getRecordRoutes(message);
  return recordRoutes.ok && message.kind === 'response'
    ? ok([...recordRoutes.value].reverse())
    : recordRoutes;
}

/** Request-URI and Route header values of one request sent inside a dialog. */
export type InDialogTarget = readonly [requestUri: Uri, routes: RouteSet];

/**
 * Where an in-dialog request goes (§12.2.1.1), given the dialog's route set and remote target.
 *
 * Deviation, in the safe direction: the Request-URI is always passed through
 * {@link requestUriFrom}, even for the remote target, which the RFC places there verbatim. A
 * well-formed Contact carries neither `method` nor URI headers (§19.1.1 table, "dialog Contact"
 * column), so this only changes what a broken peer sent, and keeps our request line valid.
 */
export function inDialogTarget(routeSet: RouteSet, remoteTarget: Uri): InDialogTarget {
  const [first, ...rest] = routeSet;
  // "If the route set is empty, the UAC MUST place the remote target URI into the Request-URI. The
  // UAC MUST NOT add a Route header field to the request."
  // "If the route set is not empty, and the first URI in the route set contains the lr parameter
  // (see Section 19.1.1), the UAC MUST place the remote target URI into the Request-URI and MUST
  // include a Route header field containing the route set values in order, including all
  // parameters."
  // §19.1.1: a route whose URI carries `lr` is a loose router (RFC 3261 proxy); one without it is
  // a strict router (RFC 2543 proxy) that expects to find itself in the Request-URI.
  if (!first || (isSipUri(first.uri) && 'lr' in first.uri.params))
    return [requestUriFrom(remoteTarget), routeSet];

  // "If the route set is not empty, and its first URI does not contain the lr parameter, the UAC
  // MUST place the first URI from the route set into the Request-URI, stripping any parameters
  // that are not allowed in a Request-URI. The UAC MUST add a Route header field containing the
  // remainder of the route set values in order, including all parameters. The UAC MUST then place
  // the remote target URI into the Route header field as the last value."
  return [requestUriFrom(first.uri), [...rest, { uri: remoteTarget, params: {} }]];
}

/**
 * A copy of `uri` fit for a Request-URI: per the §19.1.1 table, the `method` parameter and URI
 * headers ("?x=y") are not allowed there; every other parameter (`lr`, `transport`, `maddr`,
 * `user`, `ttl`, extensions) is kept.
 */
export function requestUriFrom(uri: Uri): Uri {
  if (!isSipUri(uri)) return uri;
  const { method: _, ...params } = uri.params;
  return { ...uri, params, headers: {} };
}
