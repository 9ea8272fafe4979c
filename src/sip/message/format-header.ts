/**
 * Formatters for typed header values: the inverse of `parser/parse-header.ts` (RFC 3261 §20,
 * §25.1), used by the serializer's callers and by UA code building messages. For every valid value
 * `v`, parsing `formatX(v)` gives back `v`.
 */
import { PARAM_VALUE, TOKEN, skipClass } from '../parser/chars';
import { formatUri } from './uri';
import type {
  AuthValue,
  CSeq,
  ContactValue,
  EventValue,
  MediaType,
  NameAddr,
  Params,
  RAckValue,
  ReasonValue,
  ReplacesValue,
  RetryAfterValue,
  SessionExpiresValue,
  SubscriptionStateValue,
  Via,
} from './types';

function allIn(s: string, t: Uint8Array): boolean {
  return s !== '' && skipClass(t, s, 0) === s.length;
}

/** quoted-string = DQUOTE *(qdtext / quoted-pair) DQUOTE, escaping `"` and `\` (§25.1). */
export function quoteString(s: string): string {
  return '"' + s.replace(/["\\]/g, '\\$&') + '"';
}

/** `;name[=value]` for each parameter; values that are not token/host text are quoted. */
export function formatParams(params: Params): string {
  let s = '';
  for (const name of Object.keys(params)) {
    const v = params[name];
    s += ';' + name;
    if (v !== null && v !== undefined) s += '=' + (allIn(v, PARAM_VALUE) ? v : quoteString(v));
  }
  return s;
}

/** name-addr with header parameters: `"Display" <uri>;tag=x` (§20.10, §20.20). */
export function formatNameAddr(n: NameAddr): string {
  const display = n.displayName !== undefined ? quoteString(n.displayName) + ' ' : '';
  return display + '<' + formatUri(n.uri) + '>' + formatParams(n.params);
}

/** via-parm: `SIP/2.0/WSS host:port;branch=z9hG4bK…` (§20.42). */
export function formatVia(v: Via): string {
  return (
    v.protocol +
    '/' +
    v.transport +
    ' ' +
    v.host +
    (v.port !== undefined ? ':' + v.port : '') +
    formatParams(v.params)
  );
}

/** `seq METHOD` (§20.16). */
export function formatCSeq(c: CSeq): string {
  return c.seq + ' ' + c.method;
}

/** `*` or the contacts joined by `, ` (§20.10). */
export function formatContact(c: ContactValue): string {
  return c.star ? '*' : c.contacts.map(formatNameAddr).join(', ');
}

/** Comma-separated tokens (Allow, Supported, Require, …). */
export function formatTokenList(tokens: readonly string[]): string {
  return tokens.join(', ');
}

// RFC 7616 §3.3/§3.4 and RFC 3261 §25.1 give these a token grammar; every other parameter (realm,
// nonce, opaque, username, uri, response, cnonce, nextnonce, rspauth, unknown ones) is written as a
// quoted-string, which generic auth-params allow too.
const BARE_AUTH = ['algorithm', 'stale', 'nc', 'userhash', 'charset'];
/**
 * A challenge or credentials value (§20.7, §20.27, §20.28, §20.44). `qop` is quoted in a challenge
 * (`qop="auth,auth-int"`) and bare in credentials (`qop=auth`); a value carrying `response` is
 * credentials.
 */
export function formatAuthValue(a: AuthValue): string {
  const credentials = Object.hasOwn(a.params, 'response');
  const parts: string[] = [];
  for (const name of Object.keys(a.params)) {
    const v = a.params[name] ?? '';
    const bare = BARE_AUTH.includes(name) || (name === 'qop' && credentials);
    const quote = !bare || !allIn(v, TOKEN);
    parts.push(name + '=' + (quote ? quoteString(v) : v));
  }
  return parts.length === 0 ? a.scheme : a.scheme + ' ' + parts.join(', ');
}

/** `type/subtype;params` (§20.15). */
export function formatMediaType(m: MediaType): string {
  return m.type + '/' + m.subtype + formatParams(m.params);
}

/** Event (RFC 6665 §8.2.1). */
export function formatEvent(e: EventValue): string {
  return e.type + formatParams(e.params);
}

/** Subscription-State (RFC 6665 §8.2.3). */
export function formatSubscriptionState(s: SubscriptionStateValue): string {
  return s.state + formatParams(s.params);
}

/** Session-Expires / Min-SE (RFC 4028 §4, §5). */
export function formatSessionExpires(s: SessionExpiresValue): string {
  return s.seconds + formatParams(s.params);
}

/** RAck (RFC 3262 §7.2). */
export function formatRAck(r: RAckValue): string {
  return r.rseq + ' ' + r.cseq + ' ' + r.method;
}

/** One Reason value (RFC 3326 §2), e.g. `SIP;cause=200;text="Call completed elsewhere"`. */
export function formatReason(r: ReasonValue): string {
  return r.protocol + formatParams(r.params);
}

/** Replaces (RFC 3891 §6.1). */
export function formatReplaces(r: ReplacesValue): string {
  return r.callId + formatParams(r.params);
}

/** Retry-After (§20.33). */
export function formatRetryAfter(r: RetryAfterValue): string {
  return r.seconds + (r.comment !== undefined ? ' (' + r.comment + ')' : '') + formatParams(r.params);
}
