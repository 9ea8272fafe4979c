/**
 * Typed header accessors, RFC 3261 §20 and extensions. Each accessor parses the raw fields of its
 * header on first use and caches the result on the message's {@link SipHeaders}; mutating that
 * header (set / append / prepend / delete) drops the cache entry. Accessors never alter or delete
 * the raw fields, and never throw: a bad value is a `bad-header-value` {@link ParseResult}.
 *
 * Returned values are shared with the cache: treat them as read-only (copy before changing).
 */
import { fail, ok, type ParseResult } from '../parser/parse-result';
import {
  parseAuthValues,
  parseCSeq,
  parseCallId,
  parseContact,
  parseDeltaSeconds,
  parseEvent,
  parseMediaType,
  parseNameAddr,
  parseNameAddrList,
  parseRAck,
  parseReasons,
  parseReplaces,
  parseRetryAfter,
  parseSessionExpires,
  parseSubscriptionState,
  parseTokenList,
  parseVias,
} from '../parser/parse-header';
import { headerKey, trackedHeaderIndex } from './header-names';
import type { SipHeaders } from './sip-message';
import type {
  AuthValue,
  CSeq,
  ContactValue,
  EventValue,
  MediaType,
  NameAddr,
  RAckValue,
  ReasonValue,
  ReplacesValue,
  RetryAfterValue,
  SessionExpiresValue,
  SubscriptionStateValue,
  Via,
} from './types';

export * from './format-header';

/** Anything carrying headers: a {@link SipMessage} or a hand-built `{ headers }`. */
export interface HasHeaders {
  readonly headers: SipHeaders;
}

/** The four authentication header names of §20.7, §20.27, §20.28 and §20.44. */
export type AuthHeaderName =
  'WWW-Authenticate' | 'Proxy-Authenticate' | 'Authorization' | 'Proxy-Authorization';

/**
 * Parses the fields of header `key`. `tracked` is the key's tracked index (see
 * `trackedHeaderIndex`), which lets the lookup answer "absent" from a bitmask, or -1.
 */
type Parser<T> = (headers: SipHeaders, key: string, tracked: number) => ParseResult<T>;

const NONE: ParseResult<undefined> = ok(undefined);

function missing<T>(key: string): ParseResult<T> {
  return fail('missing-header', `missing ${key} header`, 0, 0, key);
}

/**
 * For a header that must appear at most once: the one value, undefined when absent, or a failure
 * when several fields are present (RFC 4475 §3.1.2.19: multiple values in single-value fields).
 */
function oneValue(h: SipHeaders, key: string, tracked: number): string | undefined | ParseResult<never> {
  const i = firstIndex(h, key, tracked);
  if (i < 0) return undefined;
  if (h.indexOfKey(key, i + 1) >= 0)
    return fail('bad-header-value', `more than one ${key} header`, 0, 0, key);
  return h.valueAt(i);
}

/** Index of the first field of `key`, or -1. */
function firstIndex(h: SipHeaders, key: string, tracked: number): number {
  return tracked >= 0 ? h.firstIndexOfTracked(tracked, key) : h.indexOfKey(key, 0);
}

/** The tracked index of a header an accessor below reads; every one of them is tracked. */
function slotOf(name: string): number {
  const i = trackedHeaderIndex(name);
  if (i < 0) throw new Error(`header ${name} has no tracked index`);
  return i;
}

function required<T>(parse: (value: string, key: string) => ParseResult<T>): Parser<T> {
  return (h, key, tracked) => {
    const v = oneValue(h, key, tracked);
    if (v === undefined) return missing(key);
    return typeof v === 'string' ? parse(v, key) : v;
  };
}

function optional<T>(parse: (value: string, key: string) => ParseResult<T>): Parser<T | undefined> {
  return (h, key, tracked) => {
    const v = oneValue(h, key, tracked);
    if (v === undefined) return NONE;
    return typeof v === 'string' ? parse(v, key) : v;
  };
}

function list<T>(parse: (value: string, key: string, out: T[]) => ParseResult<T[]>): Parser<T[]> {
  return (h, key, tracked) => {
    const out: T[] = [];
    for (let i = firstIndex(h, key, tracked); i >= 0; i = h.indexOfKey(key, i + 1)) {
      const r = parse(h.valueAt(i), key, out);
      if (!r.ok) return r;
    }
    return ok(out);
  };
}

const viaParser: Parser<Via[]> = (h, key, tracked) => {
  const out: Via[] = [];
  for (let i = firstIndex(h, key, tracked); i >= 0; i = h.indexOfKey(key, i + 1)) {
    const r = parseVias(h.valueAt(i), out);
    if (!r.ok) return r;
  }
  return out.length === 0 ? missing(key) : ok(out);
};
const nameAddrParser = required(parseNameAddr);
const callIdParser = required(parseCallId);
const cseqParser = required(parseCSeq);
const nameAddrListParser = list(parseNameAddrList);
const deltaParser = optional(parseDeltaSeconds);
// §20.22: "The Max-Forwards value is an integer in the range 0-255".
const maxForwardsParser = optional((v, key) => {
  const r = parseDeltaSeconds(v, key);
  return !r.ok || r.value <= 255 ? r : fail<number>('bad-header-value', 'Max-Forwards above 255', 0, 1, key);
});
const mediaTypeParser = optional(parseMediaType);
const tokenListParser = list(parseTokenList);
const authParser = list(parseAuthValues);
const eventParser = optional(parseEvent);
const subStateParser = optional((v) => parseSubscriptionState(v));
const optionalNameAddrParser = optional(parseNameAddr);
const replacesParser = optional((v) => parseReplaces(v));
const sessionExpiresParser = optional(parseSessionExpires);
const minSeParser = optional((v, key) => {
  const r = parseSessionExpires(v, key);
  return r.ok ? ok(r.value.seconds) : r;
});
const rackParser = optional((v) => parseRAck(v));
const reasonParser = list((v, _key, out: ReasonValue[]) => parseReasons(v, out));
const retryAfterParser = optional((v) => parseRetryAfter(v));

const contactParser: Parser<ContactValue | undefined> = (h, key, tracked) => {
  let i = firstIndex(h, key, tracked);
  if (i < 0) return NONE;
  const contacts: NameAddr[] = [];
  let star = false;
  for (; i >= 0; i = h.indexOfKey(key, i + 1)) {
    const r = parseContact(h.valueAt(i), contacts);
    if (!r.ok) return r;
    if (r.value.star) star = true;
  }
  // §10.2.2: "*" … "MUST NOT be used unless … it is the only Contact header field value".
  if (star && contacts.length > 0)
    return fail('bad-header-value', "Contact '*' mixed with addresses", 0, 0, key);
  return ok(star ? { star: true } : { star: false, contacts });
};

// Tracked indices of the headers read below (see `trackedHeaderIndex`).
const VIA = slotOf('Via');
const FROM = slotOf('From');
const TO = slotOf('To');
const CALL_ID = slotOf('Call-ID');
const CSEQ = slotOf('CSeq');
const CONTACT = slotOf('Contact');
const ROUTE = slotOf('Route');
const RECORD_ROUTE = slotOf('Record-Route');
const MAX_FORWARDS = slotOf('Max-Forwards');
const CONTENT_LENGTH = slotOf('Content-Length');
const EXPIRES = slotOf('Expires');
const MIN_EXPIRES = slotOf('Min-Expires');
const RSEQ = slotOf('RSeq');
const RACK = slotOf('RAck');
const CONTENT_TYPE = slotOf('Content-Type');
const ALLOW = slotOf('Allow');
const SUPPORTED = slotOf('Supported');
const REQUIRE = slotOf('Require');
const EVENT = slotOf('Event');
const SUBSCRIPTION_STATE = slotOf('Subscription-State');
const REFER_TO = slotOf('Refer-To');
const REFERRED_BY = slotOf('Referred-By');
const REPLACES = slotOf('Replaces');
const SESSION_EXPIRES = slotOf('Session-Expires');
const MIN_SE = slotOf('Min-SE');
const REASON = slotOf('Reason');

/** Caches through the header's fixed slot when it is tracked, else through the general cache. */
function memoByKey<T>(h: SipHeaders, key: string, parse: Parser<T>): ParseResult<T> {
  const tracked = trackedHeaderIndex(key);
  return tracked >= 0 ? h.memoTracked(tracked, key, parse) : h.memo(key, parse);
}

/** The key of an authentication header: the canonical names skip the general name lookup. */
function authKey(name: AuthHeaderName): string {
  switch (name) {
    case 'WWW-Authenticate':
    case 'Proxy-Authenticate':
    case 'Authorization':
    case 'Proxy-Authorization':
      return name;
    default:
      // Only reachable from untyped callers passing another spelling.
      return headerKey(name);
  }
}

/** Every via-parm, top first, across all Via fields (§20.42). Missing Via is `missing-header`. */
export function getVias(m: HasHeaders): ParseResult<Via[]> {
  return m.headers.memoTracked(VIA, 'Via', viaParser);
}

/** From (§20.20); the `tag` is `params.tag`. */
export function getFrom(m: HasHeaders): ParseResult<NameAddr> {
  return m.headers.memoTracked(FROM, 'From', nameAddrParser);
}

/** To (§20.39); the `tag` is `params.tag`. */
export function getTo(m: HasHeaders): ParseResult<NameAddr> {
  return m.headers.memoTracked(TO, 'To', nameAddrParser);
}

/** Call-ID (§20.8). */
export function getCallId(m: HasHeaders): ParseResult<string> {
  return m.headers.memoTracked(CALL_ID, 'Call-ID', callIdParser);
}

/** CSeq (§20.16). */
export function getCSeq(m: HasHeaders): ParseResult<CSeq> {
  return m.headers.memoTracked(CSEQ, 'CSeq', cseqParser);
}

/** Contact (§20.10): undefined when absent, the `*` wildcard, or every address across all fields. */
export function getContact(m: HasHeaders): ParseResult<ContactValue | undefined> {
  return m.headers.memoTracked(CONTACT, 'Contact', contactParser);
}

/** Route (§20.34), in order; empty when absent. */
export function getRoutes(m: HasHeaders): ParseResult<NameAddr[]> {
  return m.headers.memoTracked(ROUTE, 'Route', nameAddrListParser);
}

/** Record-Route (§20.30), in order; empty when absent. */
export function getRecordRoutes(m: HasHeaders): ParseResult<NameAddr[]> {
  return m.headers.memoTracked(RECORD_ROUTE, 'Record-Route', nameAddrListParser);
}

/** P-Asserted-Identity (RFC 3325 §9.1); empty when absent. */
export function getPAssertedIdentities(m: HasHeaders): ParseResult<NameAddr[]> {
  return m.headers.memo('P-Asserted-Identity', nameAddrListParser);
}

/** Max-Forwards (§20.22), 0-255. */
export function getMaxForwards(m: HasHeaders): ParseResult<number | undefined> {
  return m.headers.memoTracked(MAX_FORWARDS, 'Max-Forwards', maxForwardsParser);
}

/** Content-Length (§20.14). */
export function getContentLength(m: HasHeaders): ParseResult<number | undefined> {
  return m.headers.memoTracked(CONTENT_LENGTH, 'Content-Length', deltaParser);
}

/** Expires (§20.19), in seconds. */
export function getExpires(m: HasHeaders): ParseResult<number | undefined> {
  return m.headers.memoTracked(EXPIRES, 'Expires', deltaParser);
}

/** Min-Expires (§20.23), in seconds. */
export function getMinExpires(m: HasHeaders): ParseResult<number | undefined> {
  return m.headers.memoTracked(MIN_EXPIRES, 'Min-Expires', deltaParser);
}

/** RSeq (RFC 3262 §7.1). */
export function getRSeq(m: HasHeaders): ParseResult<number | undefined> {
  return m.headers.memoTracked(RSEQ, 'RSeq', deltaParser);
}

/** RAck (RFC 3262 §7.2). */
export function getRAck(m: HasHeaders): ParseResult<RAckValue | undefined> {
  return m.headers.memoTracked(RACK, 'RAck', rackParser);
}

/** Content-Type (§20.15); type and subtype lower-cased. */
export function getContentType(m: HasHeaders): ParseResult<MediaType | undefined> {
  return m.headers.memoTracked(CONTENT_TYPE, 'Content-Type', mediaTypeParser);
}

/**
 * A token-list header (Allow §20.5, Supported §20.37, Require §20.32, Proxy-Require, Unsupported,
 * Allow-Events …), across all its fields; empty when absent.
 */
export function getTokens(m: HasHeaders, name: string): ParseResult<string[]> {
  return memoByKey(m.headers, headerKey(name), tokenListParser);
}

export function getAllow(m: HasHeaders): ParseResult<string[]> {
  return m.headers.memoTracked(ALLOW, 'Allow', tokenListParser);
}

export function getSupported(m: HasHeaders): ParseResult<string[]> {
  return m.headers.memoTracked(SUPPORTED, 'Supported', tokenListParser);
}

export function getRequire(m: HasHeaders): ParseResult<string[]> {
  return m.headers.memoTracked(REQUIRE, 'Require', tokenListParser);
}

/**
 * Every challenge or credentials value of one authentication header, across fields and across
 * several challenges in one field; empty when absent.
 */
export function getAuthValues(m: HasHeaders, name: AuthHeaderName): ParseResult<AuthValue[]> {
  return memoByKey(m.headers, authKey(name), authParser);
}

/** Event (RFC 6665 §8.2.1). */
export function getEvent(m: HasHeaders): ParseResult<EventValue | undefined> {
  return m.headers.memoTracked(EVENT, 'Event', eventParser);
}

/** Subscription-State (RFC 6665 §8.2.3). */
export function getSubscriptionState(m: HasHeaders): ParseResult<SubscriptionStateValue | undefined> {
  return m.headers.memoTracked(SUBSCRIPTION_STATE, 'Subscription-State', subStateParser);
}

/** Refer-To (RFC 3515 §2.1). */
export function getReferTo(m: HasHeaders): ParseResult<NameAddr | undefined> {
  return m.headers.memoTracked(REFER_TO, 'Refer-To', optionalNameAddrParser);
}

/** Referred-By (RFC 3892 §3). */
export function getReferredBy(m: HasHeaders): ParseResult<NameAddr | undefined> {
  return m.headers.memoTracked(REFERRED_BY, 'Referred-By', optionalNameAddrParser);
}

/** Replaces (RFC 3891 §6.1). */
export function getReplaces(m: HasHeaders): ParseResult<ReplacesValue | undefined> {
  return m.headers.memoTracked(REPLACES, 'Replaces', replacesParser);
}

/** Session-Expires (RFC 4028 §4); `params.refresher` is `uac` or `uas`. */
export function getSessionExpires(m: HasHeaders): ParseResult<SessionExpiresValue | undefined> {
  return m.headers.memoTracked(SESSION_EXPIRES, 'Session-Expires', sessionExpiresParser);
}

/** Min-SE (RFC 4028 §5), in seconds. */
export function getMinSE(m: HasHeaders): ParseResult<number | undefined> {
  return m.headers.memoTracked(MIN_SE, 'Min-SE', minSeParser);
}

/** Reason (RFC 3326 §2), every value; empty when absent. */
export function getReasons(m: HasHeaders): ParseResult<ReasonValue[]> {
  return m.headers.memoTracked(REASON, 'Reason', reasonParser);
}

/** Retry-After (§20.33). */
export function getRetryAfter(m: HasHeaders): ParseResult<RetryAfterValue | undefined> {
  return m.headers.memo('Retry-After', retryAfterParser);
}
