/**
 * The value types of the SIP message model (RFC 3261 §7, §19, §20 and the extensions a softphone
 * meets). Plain data: every type here is structurally comparable, so parse(serialize(m)) can be
 * checked with deep equality.
 *
 * Parameter maps use lower-cased names (parameter names are case-insensitive, §7.3.1) and keep the
 * order they appeared in; a flag parameter such as `;lr` has the value `null`. Header parameter
 * values are stored without surrounding quotes; URI parameters as written (see {@link SipUri}).
 */

export type Params = Record<string, string | null>;

/**
 * sip: / sips: URI, §19.1. Every component holds its wire text, %-escapes kept (§19.1.2): a URI
 * goes back on the wire exactly as it came, which a Route, a Contact or a digest-uri needs, and
 * formatting never has to escape. Decode with `percentDecode` where the characters matter
 * (display); `uriEquals` resolves escapes itself (§19.1.4). Whoever builds a SipUri by hand must
 * give valid component text (`percentEncode` escapes a string for a component).
 */
export interface SipUri {
  readonly scheme: 'sip' | 'sips';
  /** The userinfo: user [":" password] (§25.1), compared whole (§19.1.4). */
  user?: string;
  /** Hostname, IPv4 address, or IPv6 reference including its brackets (`[::1]`). Lower-cased. */
  host: string;
  port?: number;
  /** uri-parameters, names lower-cased. */
  params: Params;
  /** URI headers (`?subject=x`), as written. */
  headers: Record<string, string>;
}

/** Any other absolute URI (e.g. `tel:`, `urn:`, `mailto:`), kept verbatim; `scheme` lower-cased. */
export interface OtherUri {
  readonly scheme: string;
  readonly raw: string;
}

/**
 * tel: URI, RFC 3966, as `parseTelUri` (message/tel-uri.ts, opt-in) reads one: an {@link OtherUri}
 * (formatted as its `raw` text) with its parts. `number` keeps visual separators as written.
 */
export interface TelUri extends OtherUri {
  readonly scheme: 'tel';
  readonly number: string;
  readonly params: Params;
}

export type Uri = SipUri | OtherUri;

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

/**
 * WWW-Authenticate / Proxy-Authenticate / Authorization / Proxy-Authorization, §20.44 and RFC 7616.
 * RFC 7235's token68 form (`Bearer mF_9.B5f-4`) is not modelled: RFC 3261's grammar has none.
 */
export interface AuthValue {
  /** As written (e.g. `Digest`); compare case-insensitively. */
  scheme: string;
  /** Lower-cased names; quoted values unquoted. */
  params: Record<string, string>;
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
