/**
 * The value types of the SIP message model (RFC 3261 §7, §19, §20 and the extensions a softphone
 * meets). Plain data: every type here is structurally comparable, so parse(serialize(m)) can be
 * checked with deep equality.
 *
 * Parameter maps use lower-cased names (parameter names are case-insensitive, §7.3.1) and keep the
 * order they appeared in; a flag parameter such as `;lr` has the value `null`. Values are stored
 * without surrounding quotes and with escapes resolved.
 */

export type Params = Record<string, string | null>;

/** sip: / sips: URI, §19.1. `user` and `password` are stored %-decoded. */
export interface SipUri {
  readonly scheme: 'sip' | 'sips';
  user?: string;
  password?: string;
  /** Hostname, IPv4 address, or IPv6 reference including its brackets (`[::1]`). Lower-cased. */
  host: string;
  port?: number;
  params: Params;
  /** URI headers (`?subject=x`), names as written, values %-decoded. */
  headers: Record<string, string>;
}

/** tel: URI, RFC 3966. `number` keeps visual separators as written. */
export interface TelUri {
  readonly scheme: 'tel';
  number: string;
  params: Params;
}

/** Any other absolute URI (e.g. `urn:`, `mailto:`), kept verbatim. */
export interface OtherUri {
  readonly scheme: string;
  readonly raw: string;
}

export type Uri = SipUri | TelUri | OtherUri;

/** name-addr / addr-spec with header parameters (From, To, Contact, Route, Refer-To, P-Asserted-Identity …). */
export interface NameAddr {
  /** Unquoted, unescaped display name; absent when none was given. */
  displayName?: string;
  uri: Uri;
  params: Params;
}

/** One via-parm, §20.42. */
export interface Via {
  /** e.g. `SIP/2.0` */
  protocol: string;
  /** Upper-cased transport token: UDP, TCP, TLS, WS, WSS, SCTP … */
  transport: string;
  host: string;
  port?: number;
  params: Params;
}

export interface CSeq {
  seq: number;
  method: string;
}

/** Contact header value: either the `*` wildcard (REGISTER only) or a list of name-addrs. */
export type ContactValue = { readonly star: true } | { readonly star: false; readonly contacts: NameAddr[] };

/** WWW-Authenticate / Proxy-Authenticate / Authorization / Proxy-Authorization, §20.44 and RFC 7616. */
export interface AuthValue {
  /** As written (e.g. `Digest`); compare case-insensitively. */
  scheme: string;
  /** Lower-cased names; quoted values unquoted. */
  params: Record<string, string>;
  /** The token68 form (`Bearer mF_9.B5f-4.1JqM`, RFC 7235 §2.1) instead of parameters, when used. */
  token68?: string;
}

export interface MediaType {
  type: string;
  subtype: string;
  params: Params;
}

/** Event (RFC 6665 §8.2.1) */
export interface EventValue {
  type: string;
  params: Params;
}

/** Subscription-State (RFC 6665 §8.2.3) */
export interface SubscriptionStateValue {
  state: string;
  params: Params;
}

/** Session-Expires (RFC 4028 §4) */
export interface SessionExpiresValue {
  seconds: number;
  params: Params;
}

/** RAck (RFC 3262 §7.2) */
export interface RAckValue {
  rseq: number;
  cseq: number;
  method: string;
}

/** Reason (RFC 3326) */
export interface ReasonValue {
  protocol: string;
  params: Params;
}

/** Retry-After, §20.33 */
export interface RetryAfterValue {
  seconds: number;
  comment?: string;
  params: Params;
}

/** Replaces (RFC 3891 §6.1) */
export interface ReplacesValue {
  callId: string;
  params: Params;
}
