/**
 * The SIP message parser, RFC 3261 §7 (message format), §7.3.1 (header folding), §18.3 (framing)
 * and RFC 7118 §5 (one message per WebSocket frame).
 *
 * Single pass over the text with `indexOf` and `charCodeAt`: it validates the start line, splits the
 * header section into canonically named raw fields and checks the body length. Header values are
 * parsed lazily, on first access, by the typed accessors of `message/headers.ts`.
 *
 * Pure and total: any string yields a {@link ParseResult}; nothing is thrown.
 */
import { fail, ok, type ParseErrorCode, type ParseResult } from './parse-result';
import { SipHeaders, type SipMessage, type SipRequest } from '../message/sip-message';
import { canonicalHeaderName } from '../message/header-names';
import { utf8ByteLength, utf8Prefix } from '../message/utf8';
import { parseUri } from './parse-uri';
import { TOKEN, skipClass } from './chars';

/** Bounds applied to untrusted input. */
export interface MessageLimits {
  /** Largest accepted message, in bytes (header section counted in UTF-16 units). Default 65536. */
  readonly maxMessageSize: number;
  /** Most header field rows accepted (after unfolding). Default 256. */
  readonly maxHeaders: number;
  /** Longest accepted start line or header line, in characters. Default 16384. */
  readonly maxLineLength: number;
  /**
   * Reject messages missing a header every request and response must carry (§8.1.1, §8.2.6.2:
   * To, From, CSeq, Call-ID, Via). Default true.
   */
  readonly requireMandatoryHeaders: boolean;
  /**
   * RFC 3261 §18.3: "Any additional bytes in the transport packet beyond the end of the body MUST be
   * discarded." Default true (RFC 4475 §3.1.1.8 dblreq); false makes a body longer than
   * Content-Length a `content-length-mismatch`.
   */
  readonly discardExtraOctets: boolean;
}

export const DEFAULT_LIMITS: Readonly<MessageLimits> = {
  maxMessageSize: 65536,
  maxHeaders: 256,
  maxLineLength: 16384,
  requireMandatoryHeaders: true,
  discardExtraOctets: true,
};

const MANDATORY = ['Via', 'From', 'To', 'Call-ID', 'CSeq'] as const;

/**
 * Parses one complete SIP message (one WebSocket frame, §18.3 message-oriented framing).
 *
 * Accepts LF-only line endings and ignores CRLFs before the start line (§7.5). Folded header lines
 * are joined with a single space (§7.3.1). When there is no Content-Length the body is the rest of
 * the text. When there is one, it counts the body's UTF-8 octets: a shorter body is a
 * `content-length-mismatch`; octets beyond it are discarded (§18.3) unless `discardExtraOctets` is
 * false, in which case they are a `content-length-mismatch` too.
 */
export function parseMessage(text: string, limits?: Partial<MessageLimits>): ParseResult<SipMessage> {
  const maxMessageSize = limit(limits, 'maxMessageSize');
  const maxHeaders = limit(limits, 'maxHeaders');
  const maxLineLength = limit(limits, 'maxLineLength');
  if (typeof text !== 'string') return fail('empty', 'not a string');
  const len = text.length;
  const tooLong = 'line too long';
  if (len > maxMessageSize) return fail('too-large', `message over ${maxMessageSize} bytes`);

  // §7.5: "Implementations processing SIP messages over stream-oriented transports MUST ignore any
  // CRLF appearing before the start-line". We do the same for frames (keep-alive pings are CRLFs).
  let pos = 0;
  let line = 1;
  for (; pos < len; pos++) {
    const c = text.charCodeAt(pos);
    if (c === 10) line++;
    else if (c !== 13) break;
  }
  if (pos >= len) return fail('empty', 'empty message');

  // ---- start line (§7.1 Request-Line, §7.2 Status-Line)
  let nl = text.indexOf('\n', pos);
  let lineEnd = endOfLine(text, pos, nl);
  if (lineEnd - pos > maxLineLength) return fail('line-too-long', tooLong, line, maxLineLength + 1);
  const start = parseStartLine(text, pos, lineEnd, line);
  if (!start.ok) return start;
  if (nl < 0) return fail('bad-start-line', 'no header fields', line, lineEnd - pos + 1);

  // ---- header fields (§7.3)
  const headers = new SipHeaders();
  const noEmptyLine = 'no empty line after the headers';
  let count = 0;
  let contentLength = -1;
  let bodyStart = -1;
  pos = nl + 1;
  line++;
  while (pos < len) {
    nl = text.indexOf('\n', pos);
    lineEnd = endOfLine(text, pos, nl);
    if (lineEnd === pos) {
      bodyStart = nl < 0 ? len : nl + 1;
      break;
    }
    if (nl < 0) break;
    if (lineEnd - pos > maxLineLength) return fail('line-too-long', tooLong, line, maxLineLength + 1);
    // header-name = token; HCOLON = *( SP / HTAB ) ":" SWS
    const nameEnd = skipClass(TOKEN, text, pos, lineEnd);
    if (nameEnd === pos) return fail('bad-header-line', 'expected a header name', line, 1);
    let i = skipWsp(text, nameEnd, lineEnd);
    if (text.charCodeAt(i) !== 58 /* : */ || i >= lineEnd)
      return fail('bad-header-line', "expected ':'", line, i - pos + 1);
    i = skipWsp(text, i + 1, lineEnd);
    let value = text.slice(i, trimWspEnd(text, i, lineEnd));
    let next = nl + 1;
    const headerLine = line++;
    // §7.3.1: "Header fields can be extended over multiple lines by preceding each extra line with
    // at least one SP or horizontal tab." Each fold becomes a single SP.
    while (isWsp(text.charCodeAt(next))) {
      const nl2 = text.indexOf('\n', next);
      if (nl2 < 0) return fail('bad-header-line', noEmptyLine, line, 1);
      let e = endOfLine(text, next, nl2);
      if (e - next > maxLineLength) return fail('line-too-long', tooLong, line, maxLineLength + 1);
      const s = skipWsp(text, next, e);
      e = trimWspEnd(text, s, e);
      if (e > s) value = value === '' ? text.slice(s, e) : value + ' ' + text.slice(s, e);
      next = nl2 + 1;
      line++;
    }
    if (++count > maxHeaders) return fail('too-many-headers', `over ${maxHeaders} headers`, headerLine, 1);
    const name = canonicalHeaderName(text.slice(pos, nameEnd));
    headers.pushParsed(name, value);
    if (name === 'Content-Length') {
      // Content-Length = 1*DIGIT; more than 9 digits could not fit the message anyway.
      const n = /^\d{1,9}$/.test(value) ? Number(value) : -1;
      if (n < 0 || (contentLength >= 0 && n !== contentLength))
        return fail('bad-header-value', 'bad Content-Length', headerLine, 1, name);
      contentLength = n;
    }
    pos = next;
  }
  if (bodyStart < 0) return fail('bad-header-line', noEmptyLine, line, 1);

  // ---- body (§7.4, §18.3)
  let body = text.slice(bodyStart);
  // Counted on the message text itself: no second walk over a sliced copy.
  let bodyBytes = utf8ByteLength(text, bodyStart);
  if (contentLength >= 0 && contentLength !== bodyBytes) {
    // Content-Length counts octets. The text is normally the UTF-8 decoding of the frame (RFC 7118
    // §5.1 text frames); a binary frame handed over one char per octet (latin1) is recognised by its
    // length matching exactly with no char above U+00FF.
    const framed =
      body.length === contentLength && !/[\u0100-\uffff]/.test(body)
        ? body
        : // §18.3: "If the transport packet ends before the end of the message body, this is
          // considered an error." / "Any additional bytes in the transport packet beyond the end of
          // the body MUST be discarded."
          contentLength < bodyBytes && limit(limits, 'discardExtraOctets')
          ? utf8Prefix(body, contentLength)
          : undefined;
    if (framed === undefined) {
      return fail(
        'content-length-mismatch',
        `body of ${bodyBytes} bytes, Content-Length ${contentLength}`,
        line,
        0,
        'Content-Length',
      );
    }
    body = framed;
    bodyBytes = contentLength;
  }
  if (bodyStart + bodyBytes > maxMessageSize)
    return fail('too-large', `message over ${maxMessageSize} bytes`);
  if (limit(limits, 'requireMandatoryHeaders')) {
    for (const h of MANDATORY)
      if (headers.indexOf(h, 0) < 0) return fail('missing-header', `missing ${h}`, 0, 0, h);
  }
  return ok({ ...start.value, headers, body });
}

function limit<K extends keyof MessageLimits>(
  limits: Partial<MessageLimits> | undefined,
  name: K,
): MessageLimits[K] {
  return limits?.[name] ?? DEFAULT_LIMITS[name];
}

/** End of the line starting at `pos` whose LF is at `nl` (-1: none), before the CR of a CRLF. */
function endOfLine(text: string, pos: number, nl: number): number {
  return nl < 0 ? text.length : nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
}

/** WSP = SP / HTAB */
function isWsp(c: number): boolean {
  return c === 32 || c === 9;
}

function skipWsp(text: string, i: number, end: number): number {
  while (i < end && isWsp(text.charCodeAt(i))) i++;
  return i;
}

function trimWspEnd(text: string, start: number, end: number): number {
  while (end > start && isWsp(text.charCodeAt(end - 1))) end--;
  return end;
}

type StartLine =
  | { readonly kind: 'request'; readonly method: string; readonly uri: SipRequest['uri'] }
  | { readonly kind: 'response'; readonly status: number; readonly reason: string };

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT   (§25.1; "SIP" is case-insensitive, §7.1) */
const SIP_VERSION = /^SIP\/\d+\.\d+$/i;

/** Undefined when text[at, end) is SIP/2.0, else the failure, reported at `column`. */
function versionError(text: string, at: number, end: number, line: number, column: number) {
  const version = text.slice(at, end);
  if (version.toUpperCase() === 'SIP/2.0') return undefined;
  return SIP_VERSION.test(version)
    ? fail<never>('bad-version', 'unsupported SIP version', line, column)
    : fail<never>('bad-start-line', 'bad SIP-Version', line, column);
}

/**
 * Request-Line = Method SP Request-URI SP SIP-Version   (§7.1, §25.1)
 * Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase   (§7.2)
 */
function parseStartLine(text: string, pos: number, end: number, line: number): ParseResult<StartLine> {
  const bad = (code: ParseErrorCode, message: string, at: number) =>
    fail<never>(code, message, line, at - pos + 1);
  const sp1 = text.indexOf(' ', pos);
  if (sp1 < 0 || sp1 >= end) return bad('bad-start-line', 'bad start line', end);
  if (text.slice(pos, pos + 4).toUpperCase() === 'SIP/') {
    const wrongVersion = versionError(text, pos, sp1, line, 1);
    if (wrongVersion !== undefined) return wrongVersion;
    // Status-Code = 3DIGIT; §21: classes 1xx to 6xx.
    const status = text.slice(sp1 + 1, sp1 + 4);
    if (!/^[1-6]\d\d$/.test(status) || (sp1 + 4 < end && text.charCodeAt(sp1 + 4) !== 32))
      return bad('bad-status', 'bad status code', sp1 + 1);
    // Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP / HTAB)
    const reason = sp1 + 5 < end ? text.slice(sp1 + 5, end) : '';
    const control = reason.search(/[^\t\x20-\x7e\x80-\uffff]/);
    if (control >= 0) return bad('bad-start-line', 'control character', sp1 + 5 + control);
    return ok({ kind: 'response', status: Number(status), reason });
  }
  // Method = token
  const methodEnd = skipClass(TOKEN, text, pos, sp1);
  if (methodEnd < sp1 || sp1 === pos) return bad('bad-method', 'bad method', methodEnd);
  const sp2 = text.indexOf(' ', sp1 + 1);
  if (sp2 < 0 || sp2 >= end) return bad('bad-start-line', 'bad start line', end);
  if (sp2 === sp1 + 1) return bad('bad-start-line', 'empty Request-URI', sp2);
  const wrongVersion = versionError(text, sp2 + 1, end, line, sp2 - pos + 2);
  if (wrongVersion !== undefined) return wrongVersion;
  const uri = parseUri(text.slice(sp1 + 1, sp2));
  if (!uri.ok) return fail('bad-uri', uri.error.message, line, sp1 - pos + 1 + uri.error.column);
  return ok({ kind: 'request', method: text.slice(pos, sp1), uri: uri.value });
}
