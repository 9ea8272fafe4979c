/**
 * Route sets and in-dialog request targeting, RFC 3261 §12.1.1, §12.1.2 and §12.2.1.1. Pure
 * functions over parsed values: nothing here mutates its input.
 */

import { getRecordRoutes } from '../message/headers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { NameAddr, Params, Uri } from '../message/types';
import { isSipUri } from '../message/uri';
import { ok, type ParseResult } from '../parser/parse-result';

/** A route set: the Route header values of every request sent inside a dialog, in order. */
export type RouteSet = readonly NameAddr[];

/**
 * §12.1.2 (UAC): "The route set MUST be set to the list of URIs in the Record-Route header field
 * from the response, taken in reverse order and preserving all URI parameters." Each proxy prepends
 * its Record-Route, so the response lists the path from the callee back to us; we walk it the other
 * way.
 */
export function uacRouteSet(recordRoutes: readonly NameAddr[]): RouteSet {
  return recordRoutes.map(cloneNameAddr).reverse();
}

/**
 * §12.1.1 (UAS): "The route set MUST be set to the list of URIs in the Record-Route header field
 * from the request, taken in order and preserving all URI parameters."
 */
export function uasRouteSet(recordRoutes: readonly NameAddr[]): RouteSet {
  return recordRoutes.map(cloneNameAddr);
}

/**
 * {@link uacRouteSet} from a dialog-creating response. "If no Record-Route header field is present
 * in the response, the route set MUST be set to the empty set."
 */
export function routeSetFromResponse(response: SipResponse): ParseResult<RouteSet> {
  const recordRoutes = getRecordRoutes(response);
  if (!recordRoutes.ok) return recordRoutes;
  return ok(uacRouteSet(recordRoutes.value));
}

/**
 * {@link uasRouteSet} from a dialog-creating request. "If no Record-Route header field is present in
 * the request, the route set MUST be set to the empty set."
 */
export function routeSetFromRequest(request: SipRequest): ParseResult<RouteSet> {
  const recordRoutes = getRecordRoutes(request);
  if (!recordRoutes.ok) return recordRoutes;
  return ok(uasRouteSet(recordRoutes.value));
}

/**
 * §19.1.1: a route entry whose URI carries `lr` belongs to a loose router (RFC 3261 proxy); one
 * without it is a strict router (RFC 2543 proxy) that expects to find itself in the Request-URI.
 */
export function isLooseRoute(route: NameAddr): boolean {
  const uri = route.uri;
  return isSipUri(uri) && Object.prototype.hasOwnProperty.call(uri.params, 'lr');
}

/** Request-URI and Route header values of one request sent inside a dialog. */
export interface InDialogTarget {
  readonly requestUri: Uri;
  readonly routes: readonly NameAddr[];
}

/**
 * Where an in-dialog request goes (§12.2.1.1), given the dialog's route set and remote target.
 *
 * Deviation, in the safe direction: the Request-URI is always passed through
 * {@link requestUriFrom}, even for the remote target, which the RFC places there verbatim. A
 * well-formed Contact carries neither `method` nor URI headers (§19.1.1 table, "dialog Contact"
 * column), so this only changes what a broken peer sent, and keeps our request line valid.
 */
export function inDialogTarget(routeSet: RouteSet, remoteTarget: Uri): InDialogTarget {
  const first = routeSet[0];
  // "If the route set is empty, the UAC MUST place the remote target URI into the Request-URI. The
  // UAC MUST NOT add a Route header field to the request."
  if (first === undefined) return { requestUri: requestUriFrom(remoteTarget), routes: [] };

  // "If the route set is not empty, and the first URI in the route set contains the lr parameter
  // (see Section 19.1.1), the UAC MUST place the remote target URI into the Request-URI and MUST
  // include a Route header field containing the route set values in order, including all
  // parameters."
  if (isLooseRoute(first)) {
    return { requestUri: requestUriFrom(remoteTarget), routes: routeSet.map(cloneNameAddr) };
  }

  // "If the route set is not empty, and its first URI does not contain the lr parameter, the UAC
  // MUST place the first URI from the route set into the Request-URI, stripping any parameters
  // that are not allowed in a Request-URI. The UAC MUST add a Route header field containing the
  // remainder of the route set values in order, including all parameters. The UAC MUST then place
  // the remote target URI into the Route header field as the last value."
  return {
    requestUri: requestUriFrom(first.uri),
    routes: [...routeSet.slice(1).map(cloneNameAddr), { uri: cloneUri(remoteTarget), params: {} }],
  };
}

/** URI parameters the §19.1.1 table marks "-" (not allowed) in the Request-URI column. */
const NOT_IN_REQUEST_URI: readonly string[] = ['method'];

/**
 * A copy of `uri` fit for a Request-URI: per the §19.1.1 table, the `method` parameter and URI
 * headers ("?x=y") are not allowed there; every other parameter (`lr`, `transport`, `maddr`,
 * `user`, `ttl`, extensions) is kept.
 */
export function requestUriFrom(uri: Uri): Uri {
  if (!isSipUri(uri)) return cloneUri(uri);
  const params: Params = {};
  for (const [name, value] of Object.entries(uri.params)) {
    if (!NOT_IN_REQUEST_URI.includes(name)) params[name] = value;
  }
  return { ...uri, params, headers: {} };
}

function cloneUri(uri: Uri): Uri {
  if (isSipUri(uri)) return { ...uri, params: { ...uri.params }, headers: { ...uri.headers } };
  if ('params' in uri) return { ...uri, params: { ...uri.params } };
  return { ...uri };
}

function cloneNameAddr(address: NameAddr): NameAddr {
  return { ...address, uri: cloneUri(address.uri), params: { ...address.params } };
}
