/**
 * Pure parsers for header field values, RFC 3261 §20 / §25.1 and the extensions named on each.
 *
 * Every parser takes one raw field value (already unfolded) and returns a {@link ParseResult};
 * errors are `bad-header-value` with the 1-based column inside the value and the header name.
 * List parsers append to an optional `out` array so several fields of one header accumulate.
 */
import { fail, ok, type ParseResult } from './parse-result';
import { hostEnd, parseUriAt, setParam } from './parse-uri';
import { Scanner } from './scanner';
import { TOKEN, isLws, trimLwsEnd } from './chars';
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
const MAX_DELTA = 4294967295;

// ---------------------------------------------------------------------------------------------
// Readers over a Scanner: return undefined on failure, with the cursor at the problem.

/**
 * (name-addr / addr-spec) *( SEMI param )   — §20.10, §20.20, §20.39.
 * "If the URI is not enclosed in angle brackets, any semicolon-delimited parameters are
 * header-parameters, not URI parameters." (§20)
 */
function readNameAddr(sc: Scanner): NameAddr | undefined {
  sc.ws();
  const t = sc.text;
  let displayName: string | undefined;
  let c = sc.peek();
  if (c === 34 /* " */) {
    displayName = sc.quoted();
    sc.ws();
    if (displayName === undefined || sc.peek() !== LAQUOT) return undefined;
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
      const e = trimLwsEnd(t, s, i);
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
      return readUri(sc, s, i, i);
    }
  }
  // At '<': "<" addr-spec ">"
  const close = t.indexOf('>', sc.pos + 1);
  if (close < 0) return undefined;
  const na = readUri(sc, sc.pos + 1, close, close + 1);
  if (na !== undefined && displayName !== undefined) na.displayName = displayName;
  return na;
}

/** The URI at `text[start, end)` and the header parameters from `after` on, as a name-addr. */
function readUri(sc: Scanner, start: number, end: number, after: number): NameAddr | undefined {
  const uri = parseUriAt(sc.text, start, end);
  if (!uri.ok) {
    sc.pos = start + uri.error.column - 1;
    return undefined;
  }
  sc.pos = after;
  const params = readParams(sc);
  return params && { uri: uri.value, params };
}

/** `*( SEMI generic-param )` at the cursor, or undefined when one is malformed. */
function readParams(sc: Scanner): Params | undefined {
  const params: Params = {};
  return sc.params(params) ? params : undefined;
}

/**
 * Calls `read` for each element of a comma-separated list (§7.3.1), skipping empty elements.
 * Returns false on the first bad element or on junk between elements.
 */
function readList<T>(sc: Scanner, out: T[], read: (sc: Scanner) => T | undefined): boolean {
  for (;;) {
    // Empty elements (`a,,b`) are skipped.
    while (sc.eat(COMMA));
    sc.ws();
    if (sc.atEnd) return true;
    const v = read(sc);
    if (v === undefined) return false;
    out.push(v);
    sc.ws();
    if (!sc.atEnd && sc.peek() !== COMMA) return false;
  }
}

/** `value` as a comma-separated list of `read` elements, appended to `out` (§7.3.1). */
function parseList<T>(
  value: string,
  header: string,
  out: T[],
  read: (sc: Scanner) => T | undefined,
): ParseResult<T[]> {
  const sc = new Scanner(value, header);
  return readList(sc, out, read) ? ok(out) : sc.fail();
}

/** `value` as one `read` element, with optional whitespace around it. */
function parseWhole<T>(value: string, header: string, read: (sc: Scanner) => T | undefined): ParseResult<T> {
  const sc = new Scanner(value, header);
  sc.ws();
  const v = read(sc);
  if (v !== undefined) sc.ws();
  return v !== undefined && sc.atEnd ? ok(v) : sc.fail();
}

/** delta-seconds = 1*DIGIT; values above 2^32-1 are clamped to it (§20.19, §10.2.1.1). */
function readDelta(sc: Scanner): number | undefined {
  const n = sc.number();
  return n < 0 ? undefined : Math.min(n, MAX_DELTA);
}

/** via-parm = sent-protocol LWS sent-by *( SEMI via-params )   (§20.42) */
function readVia(sc: Scanner): Via | undefined {
  // sent-protocol = protocol-name SLASH protocol-version SLASH transport
  let protocol = 'SIP/2.0';
  // Nearly every Via reads `SIP/2.0/`: take the constant rather than slicing and joining it again.
  if (sc.text.startsWith('SIP/2.0/', sc.pos)) sc.pos += 7;
  else {
    const name = sc.token();
    if (name === '' || !sc.eat(SLASH)) return undefined;
    const version = sc.token();
    if (version === '') return undefined;
    protocol = name + '/' + version;
  }
  if (!sc.eat(SLASH)) return undefined;
  const transport = sc.token().toUpperCase();
  if (transport === '' || !isLws(sc.peek())) return undefined;
  sc.ws();
  const hostStart = sc.pos;
  sc.pos = hostEnd(sc.text, hostStart, sc.text.length);
  if (sc.pos === hostStart) return undefined;
  const host = sc.text.slice(hostStart, sc.pos).toLowerCase();
  let port = -1;
  if (sc.eat(58 /* : */)) {
    port = sc.number();
    if (port < 0 || port > 65535) return undefined;
  }
  const params = readParams(sc);
  // Build the object in one shape (port present or not) rather than adding properties later.
  return (
    params && (port < 0 ? { protocol, transport, host, params } : { protocol, transport, host, port, params })
  );
}

/**
 * challenge / credentials = auth-scheme LWS auth-param *(COMMA auth-param)   (§25.1, RFC 7616).
 * NOTE: the token68 form of RFC 7235 §2.1 (`Bearer mF_9.B5f-4`) is a parse error: RFC 3261's
 * grammar has none, and a user agent would only ever send it (RFC 8898 credentials).
 */
function readAuth(sc: Scanner): AuthValue | undefined {
  const scheme = sc.token();
  if (scheme === '') return undefined;
  const av: AuthValue = { scheme, params: {} };
  if (sc.atEnd || sc.peek() === COMMA) return av;
  if (!isLws(sc.peek())) return undefined;
  sc.ws();
  for (;;) {
    // auth-param = token EQUAL ( token / quoted-string ); the first of a repeated name counts.
    const name = sc.name();
    const value = name !== '' && sc.eat(61 /* = */) ? sc.paramValue() : undefined;
    if (value === undefined) return undefined;
    if (!Object.hasOwn(av.params, name)) setParam(av.params, name, value);
    // After a comma comes either another auth-param (`name =`) or the next challenge (`scheme …`).
    const save = sc.pos;
    let comma = false;
    while (sc.eat(COMMA)) comma = true;
    const next = sc.pos;
    sc.token();
    if (!comma || !sc.eat(61)) {
      sc.pos = save;
      return av;
    }
    sc.pos = next;
  }
}

/** A token followed by generic params (Event, Subscription-State, Reason, …). */
function readTokenWithParams(sc: Scanner): { token: string; params: Params } | undefined {
  const token = sc.token();
  const params = token === '' ? undefined : readParams(sc);
  return params && { token, params };
}

function readToken(sc: Scanner): string | undefined {
  return sc.token() || undefined;
}

// ---------------------------------------------------------------------------------------------
// Public value parsers.

/** One name-addr or addr-spec with its header parameters (From §20.20, To §20.39, Refer-To, …). */
export function parseNameAddr(value: string, header = 'To'): ParseResult<NameAddr> {
  return parseWhole(value, header, readNameAddr);
}

/** A comma-separated list of name-addrs (Route §20.34, Record-Route §20.30, P-Asserted-Identity …). */
export function parseNameAddrList(
  value: string,
  header = 'Route',
  out: NameAddr[] = [],
): ParseResult<NameAddr[]> {
  return parseList(value, header, out, readNameAddr);
}

/** Via = ( "Via" / "v" ) HCOLON via-parm *(COMMA via-parm)   (§20.42) */
export function parseVias(value: string, out: Via[] = []): ParseResult<Via[]> {
  return parseList(value, 'Via', out, readVia);
}

/** CSeq = 1*DIGIT LWS Method   (§20.16; "MUST be expressible as a 32-bit unsigned integer … less than 2**31") */
export function parseCSeq(value: string): ParseResult<CSeq> {
  return parseWhole(value, 'CSeq', (sc) => {
    const seq = sc.number();
    if (seq < 0 || seq > 2147483647) return undefined;
    const method = readMethod(sc);
    return method === undefined ? undefined : { seq, method };
  });
}

/** LWS Method, as CSeq and RAck end. */
function readMethod(sc: Scanner): string | undefined {
  if (!isLws(sc.peek())) return undefined;
  sc.ws();
  return readToken(sc);
}

/** Any character outside VCHAR (%x21-7E). Not global or sticky, so `search` keeps no state. */
const NOT_VISIBLE = /[^\x21-\x7e]/;

/** Call-ID = word [ "@" word ]   (§20.8): one run of visible characters. */
export function parseCallId(value: string): ParseResult<string> {
  // Call-IDs are long random strings: one native regex scan is cheaper than a charCodeAt loop.
  const bad = value.search(NOT_VISIBLE);
  return value !== '' && bad < 0 ? ok(value) : fail('bad-header-value', 0, Math.max(bad, 0) + 1, 'Call-ID');
}

/** 1*DIGIT delta-seconds (Expires §20.19, Min-Expires §20.23, Max-Forwards §20.22, Content-Length, RSeq …). */
export function parseDeltaSeconds(value: string, header: string): ParseResult<number> {
  return parseWhole(value, header, readDelta);
}

/** Contact = "*" / (contact-param *(COMMA contact-param))   (§20.10) */
export function parseContact(value: string, out: NameAddr[] = []): ParseResult<ContactValue> {
  if (/^[ \t]*\*[ \t]*$/.test(value)) return ok({ star: true });
  const r = parseList(value, 'Contact', out, readNameAddr);
  return r.ok ? ok({ star: false, contacts: r.value }) : r;
}

/** Content-Type = media-type = m-type SLASH m-subtype *(SEMI m-parameter)   (§20.15); type and subtype lower-cased. */
export function parseMediaType(value: string, header = 'Content-Type'): ParseResult<MediaType> {
  return parseWhole(value, header, (sc) => {
    const type = sc.token().toLowerCase();
    const subtype = type !== '' && sc.eat(SLASH) ? sc.token().toLowerCase() : '';
    if (subtype === '') return undefined;
    const params = readParams(sc);
    return params && { type, subtype, params };
  });
}

/** A comma-separated token list (Allow §20.5, Supported §20.37, Require §20.32, Allow-Events …). */
export function parseTokenList(value: string, header: string, out: string[] = []): ParseResult<string[]> {
  return parseList(value, header, out, readToken);
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
  return parseList(value, header, out, readAuth);
}

/** Event = event-type *( SEMI event-param )   (RFC 6665 §8.2.1) */
export function parseEvent(value: string, header = 'Event'): ParseResult<EventValue> {
  const r = parseWhole(value, header, readTokenWithParams);
  return r.ok ? ok({ type: r.value.token, params: r.value.params }) : r;
}

/** Subscription-State = substate-value *( SEMI subexp-params )   (RFC 6665 §8.2.3); state lower-cased. */
export function parseSubscriptionState(value: string): ParseResult<SubscriptionStateValue> {
  const r = parseWhole(value, 'Subscription-State', readTokenWithParams);
  return r.ok ? ok({ state: r.value.token.toLowerCase(), params: r.value.params }) : r;
}

/** Replaces = callid *(SEMI replaces-param)   (RFC 3891 §6.1) */
export function parseReplaces(value: string): ParseResult<ReplacesValue> {
  return parseWhole(value, 'Replaces', (sc) => {
    const t = sc.text;
    const s = sc.pos;
    let i = s;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === SEMI || c <= 32 || c >= 127) break;
      i++;
    }
    if (i === s) return undefined;
    sc.pos = i;
    const params = readParams(sc);
    return params && { callId: t.slice(s, i), params };
  });
}

/** Session-Expires = delta-seconds *(SEMI se-params)   (RFC 4028 §4); Min-SE likewise (§5). */
export function parseSessionExpires(
  value: string,
  header = 'Session-Expires',
): ParseResult<SessionExpiresValue> {
  return parseWhole(value, header, (sc) => {
    const seconds = readDelta(sc);
    const params = seconds === undefined ? undefined : readParams(sc);
    return params && { seconds: seconds ?? 0, params };
  });
}

/** RAck = response-num LWS CSeq-num LWS Method   (RFC 3262 §7.2) */
export function parseRAck(value: string): ParseResult<RAckValue> {
  return parseWhole(value, 'RAck', (sc) => {
    const rseq = sc.number();
    if (rseq < 0 || rseq > MAX_DELTA || !isLws(sc.peek())) return undefined;
    sc.ws();
    const cseq = sc.number();
    if (cseq < 0 || cseq > MAX_DELTA) return undefined;
    const method = readMethod(sc);
    return method === undefined ? undefined : { rseq, cseq, method };
  });
}

/** Reason = reason-value *(COMMA reason-value); reason-value = protocol *(SEMI reason-params)   (RFC 3326 §2) */
export function parseReasons(value: string, out: ReasonValue[] = []): ParseResult<ReasonValue[]> {
  return parseList(value, 'Reason', out, (sc) => {
    const protocol = sc.token();
    const params = protocol === '' ? undefined : readParams(sc);
    return params && { protocol, params };
  });
}

/** Retry-After = delta-seconds [ comment ] *( SEMI retry-param )   (§20.33) */
export function parseRetryAfter(value: string): ParseResult<RetryAfterValue> {
  return parseWhole(value, 'Retry-After', (sc) => {
    const seconds = readDelta(sc);
    if (seconds === undefined) return undefined;
    sc.ws();
    const comment = sc.peek() === 40 /* ( */ ? (readComment(sc) ?? null) : undefined;
    if (comment === null) return undefined;
    const params = readParams(sc);
    const ra: RetryAfterValue | undefined = params && { seconds, params };
    if (ra && comment !== undefined) ra.comment = comment;
    return ra;
  });
}

/** comment = LPAREN *(ctext / quoted-pair / comment) RPAREN; returns the inside, nested parens kept. */
function readComment(sc: Scanner): string | undefined {
  const t = sc.text;
  let depth = 0;
  for (let i = sc.pos; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 40) depth++;
    else if (c === 41 && --depth === 0) {
      const inner = t.slice(sc.pos + 1, i);
      sc.pos = i + 1;
      return inner;
    }
  }
  return undefined;
}
