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
import { canonicalHeaderName } from './header-names';
import { cacheSlot, type SipHeaders } from './sip-message';
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

/** Parses the fields of the header named `name` (canonical). */
type Parser<T> = (headers: SipHeaders, name: string) => ParseResult<T>;

const NONE: ParseResult<undefined> = ok(undefined);

function missing<T = never>(name: string): ParseResult<T> {
  return fail('missing-header', 0, 0, name);
}

/** Parses one raw field value of the header `name`. */
type ValueParser<T> = (value: string, name: string) => ParseResult<T>;

/**
 * A header that must appear at most once (RFC 4475 §3.1.2.19: multiple values in single-value
 * fields): `parse` of its one value; when there is none, `missing-header` if `required`, else
 * undefined; a failure when there are several.
 */
function single<T>(parse: ValueParser<T>, required: true): Parser<T>;
function single<T>(parse: ValueParser<T>): Parser<T | undefined>;
function single<T>(parse: ValueParser<T>, required?: boolean): Parser<T | undefined> {
  return (h, name) => {
    const i = h.indexOf(name, 0);
    if (i < 0) return required ? missing(name) : NONE;
    if (h.indexOf(name, i + 1) >= 0) return fail('bad-header-value', 0, 0, name);
    return parse(h.valueAt(i), name);
  };
}

/**
 * Every field's values in order, accumulated by `parse`; empty when absent, or `missing-header`
 * when `required`.
 */
function list<T>(
  parse: (value: string, name: string, out: T[]) => ParseResult<T[]>,
  required?: boolean,
): Parser<T[]> {
  return (h, name) => {
    const out: T[] = [];
    for (let i = h.indexOf(name, 0); i >= 0; i = h.indexOf(name, i + 1)) {
      const r = parse(h.valueAt(i), name, out);
      if (!r.ok) return r;
    }
    return required && out.length === 0 ? missing(name) : ok(out);
  };
}

// Each factory call is marked side-effect free (`@__PURE__`), so a bundle that never calls an
// accessor drops the accessor, its parser and the value parser behind it.
const viaParser = /* @__PURE__ */ list((v, _name, out: Via[]) => parseVias(v, out), true);
const nameAddrParser = /* @__PURE__ */ single(parseNameAddr, true);
const callIdParser = /* @__PURE__ */ single(parseCallId, true);
const cseqParser = /* @__PURE__ */ single(parseCSeq, true);
const nameAddrListParser = /* @__PURE__ */ list(parseNameAddrList);
const deltaParser = /* @__PURE__ */ single(parseDeltaSeconds);
// §20.22: "The Max-Forwards value is an integer in the range 0-255".
const maxForwardsParser = /* @__PURE__ */ single((v, name) => {
  const r = parseDeltaSeconds(v, name);
  return !r.ok || r.value <= 255 ? r : fail<number>('bad-header-value', 0, 1, name);
});
const mediaTypeParser = /* @__PURE__ */ single(parseMediaType);
const tokenListParser = /* @__PURE__ */ list(parseTokenList);
const authParser = /* @__PURE__ */ list(parseAuthValues);
const eventParser = /* @__PURE__ */ single(parseEvent);
const subStateParser = /* @__PURE__ */ single((v) => parseSubscriptionState(v));
const optionalNameAddrParser = /* @__PURE__ */ single(parseNameAddr);
const replacesParser = /* @__PURE__ */ single((v) => parseReplaces(v));
const sessionExpiresParser = /* @__PURE__ */ single(parseSessionExpires);
const minSeParser = /* @__PURE__ */ single((v, name) => {
  const r = parseSessionExpires(v, name);
  return r.ok ? ok(r.value.seconds) : r;
});
const rackParser = /* @__PURE__ */ single((v) => parseRAck(v));
const reasonParser = /* @__PURE__ */ list((v, _name, out: ReasonValue[]) => parseReasons(v, out));
const retryAfterParser = /* @__PURE__ */ single((v) => parseRetryAfter(v));

const contactParser: Parser<ContactValue | undefined> = (h, name) => {
  const i = h.indexOf(name, 0);
  if (i < 0) return NONE;
  // §10.2.2: "*" … "MUST NOT be used unless … it is the only Contact header field value". Mixed
  // with addresses, it fails as the name-addr it is not.
  if (/^[ \t]*\*[ \t]*$/.test(h.valueAt(i)) && h.indexOf(name, i + 1) < 0) return ok({ star: true });
  const r = nameAddrListParser(h, name);
  return r.ok ? ok({ star: false, contacts: r.value }) : r;
};

/** A typed accessor: the cached parse of one header of a message. */
export type Accessor<T> = (m: HasHeaders) => ParseResult<T>;

function accessor<T>(name: string, parse: Parser<T>): Accessor<T> {
  // A fixed slot per accessor: reading a cached header is one array read, not a search.
  const slot = cacheSlot(name, parse);
  return (m) => m.headers.memo(slot);
}

/** Every via-parm, top first, across all Via fields (§20.42). Missing Via is `missing-header`. */
export const getVias: Accessor<Via[]> = /* @__PURE__ */ accessor('Via', viaParser);

/** From (§20.20); the `tag` is `params.tag`. */
export const getFrom: Accessor<NameAddr> = /* @__PURE__ */ accessor('From', nameAddrParser);

/** To (§20.39); the `tag` is `params.tag`. */
export const getTo: Accessor<NameAddr> = /* @__PURE__ */ accessor('To', nameAddrParser);

/** Call-ID (§20.8). */
export const getCallId: Accessor<string> = /* @__PURE__ */ accessor('Call-ID', callIdParser);

/** CSeq (§20.16). */
export const getCSeq: Accessor<CSeq> = /* @__PURE__ */ accessor('CSeq', cseqParser);

/** Contact (§20.10): undefined when absent, the `*` wildcard, or every address across all fields. */
export const getContact: Accessor<ContactValue | undefined> = /* @__PURE__ */ accessor(
  'Contact',
  contactParser,
);

/** Route (§20.34), in order; empty when absent. */
export const getRoutes: Accessor<NameAddr[]> = /* @__PURE__ */ accessor('Route', nameAddrListParser);

/** Record-Route (§20.30), in order; empty when absent. */
export const getRecordRoutes: Accessor<NameAddr[]> = /* @__PURE__ */ accessor(
  'Record-Route',
  nameAddrListParser,
);

/** P-Asserted-Identity (RFC 3325 §9.1); empty when absent. */
export const getPAssertedIdentities: Accessor<NameAddr[]> = /* @__PURE__ */ accessor(
  'P-Asserted-Identity',
  nameAddrListParser,
);

/** Max-Forwards (§20.22), 0-255. */
export const getMaxForwards: Accessor<number | undefined> = /* @__PURE__ */ accessor(
  'Max-Forwards',
  maxForwardsParser,
);

/** Content-Length (§20.14). */
export const getContentLength: Accessor<number | undefined> = /* @__PURE__ */ accessor(
  'Content-Length',
  deltaParser,
);

/** Expires (§20.19), in seconds. */
export const getExpires: Accessor<number | undefined> = /* @__PURE__ */ accessor('Expires', deltaParser);

/** Min-Expires (§20.23), in seconds. */
export const getMinExpires: Accessor<number | undefined> = /* @__PURE__ */ accessor(
  'Min-Expires',
  deltaParser,
);

/** RSeq (RFC 3262 §7.1). */
export const getRSeq: Accessor<number | undefined> = /* @__PURE__ */ accessor('RSeq', deltaParser);

/** RAck (RFC 3262 §7.2). */
export const getRAck: Accessor<RAckValue | undefined> = /* @__PURE__ */ accessor('RAck', rackParser);

/** Content-Type (§20.15); type and subtype lower-cased. */
export const getContentType: Accessor<MediaType | undefined> = /* @__PURE__ */ accessor(
  'Content-Type',
  mediaTypeParser,
);

/**
 * A token-list header (Allow §20.5, Supported §20.37, Require §20.32, Proxy-Require, Unsupported,
 * Allow-Events …), across all its fields; empty when absent.
 */
export function getTokens(m: HasHeaders, name: string): ParseResult<string[]> {
  return m.headers.memo(cacheSlot(canonicalHeaderName(name), tokenListParser));
}

export const getAllow: Accessor<string[]> = /* @__PURE__ */ accessor('Allow', tokenListParser);

export const getSupported: Accessor<string[]> = /* @__PURE__ */ accessor('Supported', tokenListParser);

export const getRequire: Accessor<string[]> = /* @__PURE__ */ accessor('Require', tokenListParser);

/**
 * Every challenge or credentials value of one authentication header, across fields and across
 * several challenges in one field; empty when absent.
 */
export function getAuthValues(m: HasHeaders, name: AuthHeaderName): ParseResult<AuthValue[]> {
  // AuthHeaderName is a canonical spelling already.
  return m.headers.memo(cacheSlot(name, authParser));
}

/** Event (RFC 6665 §8.2.1). */
export const getEvent: Accessor<EventValue | undefined> = /* @__PURE__ */ accessor('Event', eventParser);

/** Subscription-State (RFC 6665 §8.2.3). */
export const getSubscriptionState: Accessor<SubscriptionStateValue | undefined> = /* @__PURE__ */ accessor(
  'Subscription-State',
  subStateParser,
);

/** Refer-To (RFC 3515 §2.1). */
export const getReferTo: Accessor<NameAddr | undefined> = /* @__PURE__ */ accessor(
  'Refer-To',
  optionalNameAddrParser,
);

/** Referred-By (RFC 3892 §3). */
export const getReferredBy: Accessor<NameAddr | undefined> = /* @__PURE__ */ accessor(
  'Referred-By',
  optionalNameAddrParser,
);

/** Replaces (RFC 3891 §6.1). */
export const getReplaces: Accessor<ReplacesValue | undefined> = /* @__PURE__ */ accessor(
  'Replaces',
  replacesParser,
);

/** Session-Expires (RFC 4028 §4); `params.refresher` is `uac` or `uas`. */
export const getSessionExpires: Accessor<SessionExpiresValue | undefined> = /* @__PURE__ */ accessor(
  'Session-Expires',
  sessionExpiresParser,
);

/** Min-SE (RFC 4028 §5), in seconds. */
export const getMinSE: Accessor<number | undefined> = /* @__PURE__ */ accessor('Min-SE', minSeParser);

/** Reason (RFC 3326 §2), every value; empty when absent. */
export const getReasons: Accessor<ReasonValue[]> = /* @__PURE__ */ accessor('Reason', reasonParser);

/** Retry-After (§20.33). */
export const getRetryAfter: Accessor<RetryAfterValue | undefined> = /* @__PURE__ */ accessor(
  'Retry-After',
  retryAfterParser,
);
