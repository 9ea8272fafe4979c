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
import { fail, ok, type ParseResult } from './parse-result';
import { SipHeaders, type SipMessage } from '../message/sip-message';
import { headerNameAt } from '../message/header-names';
import { utf8ByteLength, utf8Prefix } from '../message/utf8';
import { parseUri } from './parse-uri';
import { TOKEN, skipClass, skipLws, trimLwsEnd } from './chars';

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
export function parseMessage(text: string, limits: Partial<MessageLimits> = {}): ParseResult<SipMessage> {
  const maxMessageSize = limits.maxMessageSize ?? 65536;
  const maxLineLength = limits.maxLineLength ?? 16384;
  if (typeof text !== 'string') return fail('empty');
  const len = text.length;
  if (len > maxMessageSize) return fail('too-large');

  // §7.5: "Implementations processing SIP messages over stream-oriented transports MUST ignore any
  // CRLF appearing before the start-line". We do the same for frames (keep-alive pings are CRLFs).
  let pos = 0;
  let line = 1;
  for (; pos < len; pos++) {
    const c = text.charCodeAt(pos);
    if (c === 10) line++;
    else if (c !== 13) break;
  }
  if (pos >= len) return fail('empty');

  // ---- start line (§7.1 Request-Line, §7.2 Status-Line)
  let nl = text.indexOf('\n', pos);
  let lineEnd = endOfLine(text, pos, nl);
  if (lineEnd - pos > maxLineLength) return fail('line-too-long', line, maxLineLength + 1);
  const headers = new SipHeaders();
  const start = parseStartLine(text, pos, lineEnd, line, headers);
  if (!start.ok) return start;
  if (nl < 0) return fail('bad-start-line', line, lineEnd - pos + 1);

  // ---- header fields (§7.3), one physical line per turn
  // The field being read: its canonical name ('' before the first one), value and first line.
  let name = '';
  let value = '';
  let headerLine = 0;
  let contentLength = -1;
  for (;;) {
    // No empty line after the header fields.
    if (nl < 0) return fail('bad-header-line', line, 1);
    pos = nl + 1;
    line++;
    nl = text.indexOf('\n', pos);
    lineEnd = endOfLine(text, pos, nl);
    if (lineEnd - pos > maxLineLength) return fail('line-too-long', line, maxLineLength + 1);
    // §7.3.1: "Header fields can be extended over multiple lines by preceding each extra line with
    // at least one SP or horizontal tab." Each fold becomes a single SP.
    const first = text.charCodeAt(pos);
    if (name !== '' && (first === 32 || first === 9)) {
      const s = skipLws(text, pos, lineEnd);
      const e = trimLwsEnd(text, s, lineEnd);
      if (e > s) value = value === '' ? text.slice(s, e) : value + ' ' + text.slice(s, e);
      continue;
    }
    // The field read so far is complete.
    if (name !== '') {
      if (headers.size >= (limits.maxHeaders ?? 256)) return fail('too-many-headers', headerLine, 1);
      headers.pushParsed(name, value);
      if (name === 'Content-Length') {
        // Content-Length = 1*DIGIT; more than 9 digits could not fit the message anyway.
        const n = /^\d{1,9}$/.test(value) ? Number(value) : -1;
        if (n < 0 || (contentLength >= 0 && n !== contentLength))
          return fail('bad-header-value', headerLine, 1, name);
        contentLength = n;
      }
    }
    // The empty line that ends the header section (a line: the text does not just end).
    if (lineEnd === pos && nl >= 0) break;
    // header-name = token; HCOLON = *( SP / HTAB ) ":" SWS
    const nameEnd = skipClass(TOKEN, text, pos, lineEnd);
    let i = nameEnd === pos ? pos : skipLws(text, nameEnd, lineEnd);
    if (i === pos || text.charCodeAt(i) !== 58 /* : */ || i >= lineEnd)
      return fail('bad-header-line', line, i - pos + 1);
    i = skipLws(text, i + 1, lineEnd);
    name = headerNameAt(text, pos, nameEnd);
    value = text.slice(i, trimLwsEnd(text, i, lineEnd));
    headerLine = line;
  }

  // ---- body (§7.4, §18.3)
  const bodyStart = nl + 1;
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
          contentLength < bodyBytes && limits.discardExtraOctets !== false
          ? utf8Prefix(body, contentLength)
          : undefined;
    if (framed === undefined) return fail('content-length-mismatch', line, 0, 'Content-Length');
    body = framed;
    bodyBytes = contentLength;
  }
  if (bodyStart + bodyBytes > maxMessageSize) return fail('too-large');
  if (limits.requireMandatoryHeaders !== false) {
    for (const h of MANDATORY) if (headers.indexOf(h, 0) < 0) return fail('missing-header', 0, 0, h);
  }
  start.value.body = body;
  return start;
}

/** End of the line starting at `pos` whose LF is at `nl` (-1: none), before the CR of a CRLF. */
function endOfLine(text: string, pos: number, nl: number): number {
  return nl < 0 ? text.length : nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
}

/**
 * Undefined when text[at, end) is SIP/2.0, else `bad-version` for another well-formed
 * SIP-Version (`"SIP" "/" 1*DIGIT "." 1*DIGIT`, §25.1; "SIP" is case-insensitive, §7.1) and
 * `bad-start-line` for anything else, reported at `column`.
 */
function versionError(text: string, at: number, end: number, line: number, column: number) {
  const version = text.slice(at, end);
  if (version.toUpperCase() === 'SIP/2.0') return undefined;
  return fail<never>(/^SIP\/\d+\.\d+$/i.test(version) ? 'bad-version' : 'bad-start-line', line, column);
}

/**
 * Request-Line = Method SP Request-URI SP SIP-Version   (§7.1, §25.1)
 * Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase   (§7.2)
 *
 * Returns the message itself, with `headers` and an empty body: built once, in its final shape.
 * (No local error closure: it would be allocated on every call.)
 */
function parseStartLine(
  text: string,
  pos: number,
  end: number,
  line: number,
  headers: SipHeaders,
): ParseResult<SipMessage> {
  const sp1 = text.indexOf(' ', pos);
  if (sp1 < 0 || sp1 >= end) return fail('bad-start-line', line, end - pos + 1);
  if (text.slice(pos, pos + 4).toUpperCase() === 'SIP/') {
    const wrongVersion = versionError(text, pos, sp1, line, 1);
    if (wrongVersion !== undefined) return wrongVersion;
    // Status-Code = 3DIGIT; §21: classes 1xx to 6xx.
    const status = text.slice(sp1 + 1, sp1 + 4);
    if (!/^[1-6]\d\d$/.test(status) || (sp1 + 4 < end && text.charCodeAt(sp1 + 4) !== 32))
      return fail('bad-status', line, sp1 - pos + 2);
    // Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP / HTAB)
    const reason = sp1 + 5 < end ? text.slice(sp1 + 5, end) : '';
    const control = reason.search(/[^\t\x20-\x7e\x80-\uffff]/);
    if (control >= 0) return fail('bad-start-line', line, sp1 + control - pos + 6);
    return ok({ kind: 'response', status: Number(status), reason, headers, body: '' });
  }
  // Method = token
  const methodEnd = skipClass(TOKEN, text, pos, sp1);
  if (methodEnd < sp1 || sp1 === pos) return fail('bad-method', line, methodEnd - pos + 1);
  const sp2 = text.indexOf(' ', sp1 + 1);
  // No second SP, or an empty Request-URI.
  if (sp2 < 0 || sp2 >= end) return fail('bad-start-line', line, end - pos + 1);
  if (sp2 === sp1 + 1) return fail('bad-start-line', line, sp2 - pos + 1);
  const wrongVersion = versionError(text, sp2 + 1, end, line, sp2 - pos + 2);
  if (wrongVersion !== undefined) return wrongVersion;
  const uri = parseUri(text.slice(sp1 + 1, sp2));
  if (!uri.ok) return fail('bad-uri', line, sp1 - pos + 1 + uri.error.column);
  return ok({ kind: 'request', method: text.slice(pos, sp1), uri: uri.value, headers, body: '' });
}
