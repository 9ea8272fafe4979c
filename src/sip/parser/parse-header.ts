/**
 * Pure parsers for header field values, RFC 3261 §20 / §25.1 and the extensions named on each.
 *
 * Every parser takes one raw field value (already unfolded) and returns a {@link ParseResult};
 * errors are `bad-header-value` with the 1-based column inside the value and the header name.
 * List parsers append to an optional `out` array so several fields of one header accumulate.
 */
import { fail, ok, type ParseResult } from './parse-result';
import { emptyRecord, parseUriAt } from './parse-uri';
import { Scanner } from './scanner';
import { HOST, IPV6, TOKEN, inClass, isLws } from './chars';
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
} from '../message/types';

const COMMA = 44;
const SEMI = 59;
const SLASH = 47;
const LAQUOT = 60;
const DQUOTE = 34;
const MAX_DELTA = 4294967295;

// ---------------------------------------------------------------------------------------------
// Readers over a Scanner: return undefined and record `sc.problem` on failure.

/**
 * (name-addr / addr-spec) *( SEMI param )   — §20.10, §20.20, §20.39.
 * "If the URI is not enclosed in angle brackets, any semicolon-delimited parameters are
 * header-parameters, not URI parameters." (§20)
 */
function readNameAddr(sc: Scanner, fast = true): NameAddr | undefined {
  sc.ws();
  const t = sc.text;
  let displayName: string | undefined;
  let c = sc.peek();
  if (c === DQUOTE) {
    displayName = sc.quoted();
    if (displayName === undefined) return sc.bad('unterminated quoted display name');
    sc.ws();
    if (sc.peek() !== LAQUOT) return sc.bad("expected '<' after the display name");
  } else if (c !== LAQUOT) {
    // Either display-name = *(token LWS) before '<', or a bare addr-spec.
    const s = sc.pos;
    let i = s;
    for (; i < t.length; i++) {
      c = t.charCodeAt(i);
      // NOTE: non-ASCII is accepted in an unquoted display name; some UAs send UTF-8 unquoted.
      if (c === LAQUOT || !(c >= 128 || TOKEN[c] === 1 || isLws(c))) break;
    }
    if (i < t.length && c === LAQUOT) {
      let e = i;
      while (e > s && isLws(t.charCodeAt(e - 1))) e--;
      if (e > s) displayName = t.slice(s, e);
      sc.pos = i;
    } else {
      // addr-spec: the URI runs to the first SEMI, COMMA or whitespace.
      i = s;
      while (i < t.length) {
        c = t.charCodeAt(i);
        if (c === SEMI || c === COMMA || isLws(c)) break;
        i++;
      }
      if (i === s) return sc.bad('expected a URI');
      const uri = parseUriAt(t, s, i);
      if (!uri.ok) {
        sc.pos = s + uri.error.column - 1;
        return sc.bad(uri.error.message);
      }
      sc.pos = i;
      const params = headerParams(sc, fast);
      if (params === undefined) return sc.bad('malformed parameter');
      return { uri: uri.value, params };
    }
  }
  // At '<': "<" addr-spec ">"
  const close = t.indexOf('>', sc.pos + 1);
  if (close < 0) return sc.bad("missing '>'");
  const uri = parseUriAt(t, sc.pos + 1, close);
  if (!uri.ok) {
    sc.pos = sc.pos + uri.error.column;
    return sc.bad(uri.error.message);
  }
  sc.pos = close + 1;
  const params = headerParams(sc, fast);
  if (params === undefined) return sc.bad('malformed parameter');
  const na: NameAddr = { uri: uri.value, params };
  if (displayName !== undefined) na.displayName = displayName;
  return na;
}

/**
 * The header parameters at the cursor, or undefined when one is malformed. With no SEMI ahead this
 * is the shared frozen empty record (parsed values are read-only by contract): `Scanner.params`
 * would leave the cursor where it is and fill nothing, so only the allocation is saved.
 */
function headerParams(sc: Scanner, fast: boolean): Params | undefined {
  if (fast) {
    const t = sc.text;
    let i = sc.pos;
    while (i < t.length && isLws(t.charCodeAt(i))) i++;
    if (i >= t.length || t.charCodeAt(i) !== SEMI) return emptyRecord();
  }
  const params: Params = {};
  return sc.params(params) ? params : undefined;
}

/**
 * Calls `read` for each element of a comma-separated list (§7.3.1), skipping empty elements.
 * Returns false on the first bad element or on junk between elements.
 */
function readList<T>(sc: Scanner, out: T[], read: (sc: Scanner) => T | undefined): boolean {
  for (;;) {
    sc.ws();
    while (sc.peek() === COMMA) {
      sc.pos++;
      sc.ws();
    }
    if (sc.atEnd) return true;
    const v = read(sc);
    if (v === undefined) return false;
    out.push(v);
    sc.ws();
    if (sc.atEnd) return true;
    if (sc.peek() !== COMMA) {
      sc.bad("expected ',' or the end of the value");
      return false;
    }
  }
}

/** Reads the whole value as one element: trailing text is an error. */
function readWhole<T>(sc: Scanner, read: (sc: Scanner) => T | undefined): ParseResult<T> {
  const v = read(sc);
  if (v === undefined) return sc.fail();
  sc.ws();
  if (!sc.atEnd) return sc.fail('unexpected text after the value');
  return ok(v);
}

/** delta-seconds = 1*DIGIT; values above 2^32-1 are clamped to it (§20.19, §10.2.1.1). */
function readDelta(sc: Scanner): number | undefined {
  const t = sc.text;
  const s = sc.pos;
  let i = s;
  let v = 0;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) break;
    v = Math.min(v * 10 + c - 48, MAX_DELTA);
    i++;
  }
  if (i === s) return sc.bad('expected a number');
  sc.pos = i;
  return v;
}

/** sent-by host: hostname / IPv4address / IPv6reference, lower-cased. */
function readHost(sc: Scanner): string | undefined {
  const t = sc.text;
  const s = sc.pos;
  let i = s;
  let upper = false;
  if (t.charCodeAt(i) === 91 /* [ */) {
    upper = true;
    i++;
    while (i < t.length && inClass(IPV6, t.charCodeAt(i))) i++;
    if (t.charCodeAt(i) !== 93 /* ] */ || i === s + 1) return sc.bad('malformed IPv6 reference');
    i++;
  } else {
    for (; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c >= 128 || HOST[c] !== 1) break;
      if (c >= 65 && c <= 90) upper = true;
    }
  }
  if (i === s) return sc.bad('expected a host');
  sc.pos = i;
  return upper ? t.slice(s, i).toLowerCase() : t.slice(s, i);
}

/** The transports of §20.42 and RFC 7118 as written in practice (upper case), as shared literals. */
const TRANSPORTS: readonly string[] = ['UDP', 'TCP', 'TLS', 'SCTP', 'TLS-SCTP', 'WS', 'WSS'];

/**
 * sent-protocol in its one common spelling, `SIP/2.0/` and an upper-case transport from
 * {@link TRANSPORTS}, matched in place: the literal transport, with the cursor after it, or
 * undefined (cursor untouched) so the general path reads it. Both paths give the same strings and
 * leave the cursor in the same place, so results and error columns cannot differ.
 */
function sentProtocolFast(sc: Scanner): string | undefined {
  const t = sc.text;
  const start = sc.pos + 8;
  if (!t.startsWith('SIP/2.0/', sc.pos)) return undefined;
  let end = start;
  while (end < t.length) {
    const c = t.charCodeAt(end);
    if (c >= 128 || TOKEN[c] !== 1) break;
    end++;
  }
  const len = end - start;
  for (let k = 0; k < TRANSPORTS.length; k++) {
    const word = TRANSPORTS[k] as string;
    if (word.length === len && t.startsWith(word, start)) {
      sc.pos = end;
      return word;
    }
  }
  return undefined;
}

/** via-parm = sent-protocol LWS sent-by *( SEMI via-params )   (§20.42) */
function readVia(sc: Scanner, fast = true): Via | undefined {
  let protocol: string;
  let transport = fast ? sentProtocolFast(sc) : undefined;
  if (transport !== undefined) protocol = 'SIP/2.0';
  else {
    const name = sc.token();
    if (name === '') return sc.bad('expected a protocol name');
    if (!sc.eat(SLASH)) return sc.bad("expected '/' in sent-protocol");
    const version = sc.token();
    if (version === '') return sc.bad('expected a protocol version');
    if (!sc.eat(SLASH)) return sc.bad("expected '/' in sent-protocol");
    transport = sc.tokenFolded(true);
    if (transport === '') return sc.bad('expected a transport');
    // Reuse one string for the protocol every via-parm carries in practice.
    protocol = name === 'SIP' && version === '2.0' ? 'SIP/2.0' : name + '/' + version;
  }
  if (!isLws(sc.peek())) return sc.bad('expected whitespace before sent-by');
  sc.ws();
  const host = readHost(sc);
  if (host === undefined) return undefined;
  let port = -1;
  if (sc.eat(58 /* : */)) {
    port = sc.digits(5);
    if (port < 0 || port > 65535) return sc.bad('invalid port');
  }
  const params: Params = {};
  if (!sc.params(params)) return sc.bad('malformed Via parameter');
  // Build the object in one shape (port present or not) rather than adding properties later.
  return port < 0 ? { protocol, transport, host, params } : { protocol, transport, host, port, params };
}

/** auth-scheme followed by auth-params or a token68 (§25.1 challenge / credentials, RFC 7235 §2.1). */
function readAuth(sc: Scanner): AuthValue | undefined {
  const scheme = sc.token();
  if (scheme === '') return sc.bad('expected an auth scheme');
  const av: AuthValue = { scheme, params: {} };
  if (sc.atEnd || sc.peek() === COMMA) return av;
  if (!isLws(sc.peek())) return sc.bad('expected whitespace after the auth scheme');
  sc.ws();
  const t = sc.text;
  // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  const t68 = token68End(t, sc.pos);
  if (t68 > sc.pos) {
    let j = t68;
    while (j < t.length && isLws(t.charCodeAt(j))) j++;
    if (j === t.length || t.charCodeAt(j) === COMMA) {
      av.token68 = t.slice(sc.pos, t68);
      sc.pos = t68;
      return av;
    }
  }
  for (;;) {
    const nameAt = sc.pos;
    const name = sc.token();
    if (name === '') return sc.bad('expected an auth parameter');
    if (!sc.eat(61 /* = */)) {
      sc.pos = nameAt;
      return sc.bad("expected '=' after the auth parameter name");
    }
    const value = sc.paramValue();
    if (value === undefined) return sc.bad('malformed auth parameter value');
    const key = name.toLowerCase();
    if (!Object.hasOwn(av.params, key)) setOwn(av.params, key, value);
    // After a comma comes either another auth-param (`name =`) or the next challenge (`scheme …`).
    const save = sc.pos;
    sc.ws();
    if (sc.peek() !== COMMA) {
      sc.pos = save;
      return av;
    }
    while (sc.peek() === COMMA) {
      sc.pos++;
      sc.ws();
    }
    const next = sc.pos;
    sc.token();
    const isParam = sc.eat(61);
    sc.pos = isParam ? next : save;
    if (!isParam) return av;
  }
}

function token68End(t: string, i: number): number {
  const s = i;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!alnum && c !== 45 && c !== 46 && c !== 95 && c !== 126 && c !== 43 && c !== SLASH) break;
    i++;
  }
  if (i === s) return s;
  while (i < t.length && t.charCodeAt(i) === 61) i++;
  return i;
}

function setOwn(o: Record<string, string>, k: string, v: string): void {
  if (k === '__proto__')
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** A token followed by generic params (Event, Subscription-State, Reason, …). */
function readTokenWithParams(sc: Scanner): { token: string; params: Params } | undefined {
  const token = sc.token();
  if (token === '') return sc.bad('expected a token');
  const params: Params = {};
  if (!sc.params(params)) return sc.bad('malformed parameter');
  return { token, params };
}

function readToken(sc: Scanner): string | undefined {
  const t = sc.token();
  return t === '' ? sc.bad('expected a token') : t;
}

// ---------------------------------------------------------------------------------------------
// Public value parsers.

/** One name-addr or addr-spec with its header parameters (From §20.20, To §20.39, Refer-To, …). */
export function parseNameAddr(value: string, header = 'To'): ParseResult<NameAddr> {
  return readWhole(new Scanner(value, header), readNameAddr);
}

/** A comma-separated list of name-addrs (Route §20.34, Record-Route §20.30, P-Asserted-Identity …). */
export function parseNameAddrList(
  value: string,
  header = 'Route',
  out: NameAddr[] = [],
): ParseResult<NameAddr[]> {
  const sc = new Scanner(value, header);
  return readList(sc, out, readNameAddr) ? ok(out) : sc.fail();
}

/**
 * {@link parseNameAddrList} through the general path only. Internal: the property tests pin the
 * fast path to it (same values, same error columns).
 */
export function parseNameAddrListGeneral(value: string, header = 'Route'): ParseResult<NameAddr[]> {
  const sc = new Scanner(value, header);
  const out: NameAddr[] = [];
  return readList(sc, out, readNameAddrGeneral) ? ok(out) : sc.fail();
}

function readNameAddrGeneral(sc: Scanner): NameAddr | undefined {
  return readNameAddr(sc, false);
}

/** Via = ( "Via" / "v" ) HCOLON via-parm *(COMMA via-parm)   (§20.42) */
export function parseVias(value: string, out: Via[] = []): ParseResult<Via[]> {
  const sc = new Scanner(value, 'Via');
  return readList(sc, out, readVia) ? ok(out) : sc.fail();
}

/**
 * {@link parseVias} through the general path only, never a fast path. Internal: the property tests
 * pin every fast path to it (same values, same error columns).
 */
export function parseViasGeneral(value: string, out: Via[] = []): ParseResult<Via[]> {
  const sc = new Scanner(value, 'Via');
  return readList(sc, out, readViaGeneral) ? ok(out) : sc.fail();
}

function readViaGeneral(sc: Scanner): Via | undefined {
  return readVia(sc, false);
}

/** CSeq = 1*DIGIT LWS Method   (§20.16; "MUST be expressible as a 32-bit unsigned integer … less than 2**31") */
export function parseCSeq(value: string): ParseResult<CSeq> {
  const sc = new Scanner(value, 'CSeq');
  sc.ws();
  const seq = sc.digits(10);
  if (seq < 0 || seq > 2147483647) return sc.fail('sequence number must be a number below 2^31');
  if (!isLws(sc.peek())) return sc.fail('expected whitespace before the method');
  sc.ws();
  const method = sc.token();
  if (method === '') return sc.fail('expected a method');
  sc.ws();
  if (!sc.atEnd) return sc.fail('unexpected text after the method');
  return ok({ seq, method });
}

/** Any character outside VCHAR (%x21-7E). Not global or sticky, so `test` keeps no state. */
const NOT_VISIBLE = /[^\x21-\x7e]/;

/** Call-ID = word [ "@" word ]   (§20.8): one run of visible characters. */
export function parseCallId(value: string): ParseResult<string> {
  if (value.length === 0) return fail('bad-header-value', 'Call-ID is empty', 0, 1, 'Call-ID');
  // Call-IDs are long random strings: one native regex scan is cheaper than a charCodeAt loop,
  // which then runs only to find the column of a bad character.
  if (!NOT_VISIBLE.test(value)) return ok(value);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 32 || c >= 127)
      return fail(
        'bad-header-value',
        'Call-ID contains whitespace or a non-ASCII character',
        0,
        i + 1,
        'Call-ID',
      );
  }
  return ok(value);
}

/** 1*DIGIT delta-seconds (Expires §20.19, Min-Expires §20.23, Max-Forwards §20.22, Content-Length, RSeq …). */
export function parseDeltaSeconds(value: string, header: string): ParseResult<number> {
  const sc = new Scanner(value, header);
  sc.ws();
  return readWhole(sc, readDelta);
}

/** Contact = "*" / (contact-param *(COMMA contact-param))   (§20.10) */
export function parseContact(value: string, out?: NameAddr[]): ParseResult<ContactValue> {
  const sc = new Scanner(value, 'Contact');
  sc.ws();
  if (sc.peek() === 42 /* * */) {
    sc.pos++;
    sc.ws();
    if (!sc.atEnd) return sc.fail("unexpected text after '*'");
    return ok({ star: true });
  }
  const contacts = out ?? [];
  return readList(sc, contacts, readNameAddr) ? ok({ star: false, contacts }) : sc.fail();
}

/** Content-Type = media-type = m-type SLASH m-subtype *(SEMI m-parameter)   (§20.15); type and subtype lower-cased. */
export function parseMediaType(value: string, header = 'Content-Type'): ParseResult<MediaType> {
  return readWhole(new Scanner(value, header), (sc) => {
    sc.ws();
    const type = sc.token();
    if (type === '') return sc.bad('expected a media type');
    if (!sc.eat(SLASH)) return sc.bad("expected '/'");
    const subtype = sc.token();
    if (subtype === '') return sc.bad('expected a media subtype');
    const params: Params = {};
    if (!sc.params(params)) return sc.bad('malformed parameter');
    return { type: type.toLowerCase(), subtype: subtype.toLowerCase(), params };
  });
}

/** A comma-separated token list (Allow §20.5, Supported §20.37, Require §20.32, Allow-Events …). */
export function parseTokenList(value: string, header: string, out: string[] = []): ParseResult<string[]> {
  const sc = new Scanner(value, header);
  return readList(sc, out, readToken) ? ok(out) : sc.fail();
}

/**
 * Challenges (WWW-Authenticate §20.44, Proxy-Authenticate §20.27) or credentials (Authorization
 * §20.7, Proxy-Authorization §20.28). Parameters are comma-separated inside one value, and one value
 * may also hold several challenges: `Digest realm="a", nonce="1", Digest realm="b", nonce="2"`.
 */
export function parseAuthValues(
  value: string,
  header: string,
  out: AuthValue[] = [],
): ParseResult<AuthValue[]> {
  const sc = new Scanner(value, header);
  return readList(sc, out, readAuth) ? ok(out) : sc.fail();
}

/** Event = event-type *( SEMI event-param )   (RFC 6665 §8.2.1) */
export function parseEvent(value: string, header = 'Event'): ParseResult<EventValue> {
  const r = readWhole(new Scanner(value, header), readTokenWithParams);
  return r.ok ? ok({ type: r.value.token, params: r.value.params }) : r;
}

/** Subscription-State = substate-value *( SEMI subexp-params )   (RFC 6665 §8.2.3); state lower-cased. */
export function parseSubscriptionState(value: string): ParseResult<SubscriptionStateValue> {
  const r = readWhole(new Scanner(value, 'Subscription-State'), readTokenWithParams);
  return r.ok ? ok({ state: r.value.token.toLowerCase(), params: r.value.params }) : r;
}

/** Replaces = callid *(SEMI replaces-param)   (RFC 3891 §6.1) */
export function parseReplaces(value: string): ParseResult<ReplacesValue> {
  return readWhole(new Scanner(value, 'Replaces'), (sc) => {
    sc.ws();
    const t = sc.text;
    const s = sc.pos;
    let i = s;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === SEMI || c <= 32 || c >= 127) break;
      i++;
    }
    if (i === s) return sc.bad('expected a Call-ID');
    sc.pos = i;
    const params: Params = {};
    if (!sc.params(params)) return sc.bad('malformed parameter');
    return { callId: t.slice(s, i), params };
  });
}

/** Session-Expires = delta-seconds *(SEMI se-params)   (RFC 4028 §4); Min-SE likewise (§5). */
export function parseSessionExpires(
  value: string,
  header = 'Session-Expires',
): ParseResult<SessionExpiresValue> {
  return readWhole(new Scanner(value, header), (sc) => {
    sc.ws();
    const seconds = readDelta(sc);
    if (seconds === undefined) return undefined;
    const params: Params = {};
    if (!sc.params(params)) return sc.bad('malformed parameter');
    return { seconds, params };
  });
}

/** RAck = response-num LWS CSeq-num LWS Method   (RFC 3262 §7.2) */
export function parseRAck(value: string): ParseResult<RAckValue> {
  const sc = new Scanner(value, 'RAck');
  sc.ws();
  const rseq = sc.digits(10);
  if (rseq < 0 || rseq > 4294967295) return sc.fail('expected the response number');
  if (!isLws(sc.peek())) return sc.fail('expected whitespace');
  sc.ws();
  const cseq = sc.digits(10);
  if (cseq < 0 || cseq > 4294967295) return sc.fail('expected the CSeq number');
  if (!isLws(sc.peek())) return sc.fail('expected whitespace');
  sc.ws();
  const method = sc.token();
  if (method === '') return sc.fail('expected a method');
  sc.ws();
  if (!sc.atEnd) return sc.fail('unexpected text after the method');
  return ok({ rseq, cseq, method });
}

/** Reason = reason-value *(COMMA reason-value); reason-value = protocol *(SEMI reason-params)   (RFC 3326 §2) */
export function parseReasons(value: string, out: ReasonValue[] = []): ParseResult<ReasonValue[]> {
  const sc = new Scanner(value, 'Reason');
  const read = (s: Scanner): ReasonValue | undefined => {
    const r = readTokenWithParams(s);
    return r === undefined ? undefined : { protocol: r.token, params: r.params };
  };
  return readList(sc, out, read) ? ok(out) : sc.fail();
}

/** Retry-After = delta-seconds [ comment ] *( SEMI retry-param )   (§20.33) */
export function parseRetryAfter(value: string): ParseResult<RetryAfterValue> {
  return readWhole(new Scanner(value, 'Retry-After'), (sc) => {
    sc.ws();
    const seconds = readDelta(sc);
    if (seconds === undefined) return undefined;
    sc.ws();
    let comment: string | undefined;
    if (sc.peek() === 40 /* ( */) {
      comment = readComment(sc);
      if (comment === undefined) return sc.bad('unterminated comment');
    }
    const params: Params = {};
    if (!sc.params(params)) return sc.bad('malformed parameter');
    const ra: RetryAfterValue = { seconds, params };
    if (comment !== undefined) ra.comment = comment;
    return ra;
  });
}

/** comment = LPAREN *(ctext / quoted-pair / comment) RPAREN; returns the inside, nested parens kept. */
function readComment(sc: Scanner): string | undefined {
  const t = sc.text;
  let depth = 0;
  for (let i = sc.pos; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 40) depth++;
    else if (c === 41 && --depth === 0) {
      const inner = t.slice(sc.pos + 1, i);
      sc.pos = i + 1;
      return inner;
    }
  }
  return undefined;
}
