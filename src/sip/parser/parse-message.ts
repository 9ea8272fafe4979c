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
import { SipHeaders, type SipMessage, type SipRequest, type SipResponse } from '../message/sip-message';
import { hashStep, knownHeaderAt } from '../message/header-names';
import { utf8ByteLength } from '../message/utf8';
import { parseUri } from './parse-uri';
import { CR, HTAB, LF, SP, TOKEN, isDigit } from './chars';

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
  const maxSize = limits?.maxMessageSize ?? DEFAULT_LIMITS.maxMessageSize;
  const maxHeaders = limits?.maxHeaders ?? DEFAULT_LIMITS.maxHeaders;
  const maxLine = limits?.maxLineLength ?? DEFAULT_LIMITS.maxLineLength;
  const requireMandatory = limits?.requireMandatoryHeaders ?? DEFAULT_LIMITS.requireMandatoryHeaders;
  const discardExtra = limits?.discardExtraOctets ?? DEFAULT_LIMITS.discardExtraOctets;
  if (typeof text !== 'string') return fail('empty', 'message is not a string');
  const len = text.length;
  if (len > maxSize) return fail('too-large', `message exceeds ${maxSize} bytes`);

  // §7.5: "Implementations processing SIP messages over stream-oriented transports MUST ignore any
  // CRLF appearing before the start-line". We do the same for frames (keep-alive pings are CRLFs).
  let pos = 0;
  let line = 1;
  for (; pos < len; pos++) {
    const c = text.charCodeAt(pos);
    if (c === LF) line++;
    else if (c !== CR) break;
  }
  if (pos >= len) return fail('empty', 'message is empty');

  // ---- start line (§7.1 Request-Line, §7.2 Status-Line)
  let nl = text.indexOf('\n', pos);
  let lineEnd = nl < 0 ? len : nl > pos && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
  if (lineEnd - pos > maxLine) return fail('line-too-long', 'start line too long', line, maxLine + 1);
  const start = parseStartLine(text, pos, lineEnd, line);
  if (!start.ok) return start;
  if (nl < 0) return fail('bad-start-line', 'message ends after the start line', line, lineEnd - pos + 1);

  // ---- header fields (§7.3)
  const headers = new SipHeaders();
  let count = 0;
  let contentLength = -1;
  let seen = 0;
  let bodyStart = -1;
  pos = nl + 1;
  line++;
  while (pos < len) {
    const lineStart = pos;
    nl = text.indexOf('\n', pos);
    lineEnd = nl < 0 ? len : nl > pos && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
    if (lineEnd === pos) {
      bodyStart = nl < 0 ? len : nl + 1;
      break;
    }
    if (nl < 0) break;
    if (lineEnd - pos > maxLine) return fail('line-too-long', 'header line too long', line, maxLine + 1);
    // header-name = token
    let i = pos;
    let hash = 0;
    for (; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128 || TOKEN[c] !== 1) break;
      hash = hashStep(hash, c);
    }
    const nameEnd = i;
    if (nameEnd === pos) {
      const c = text.charCodeAt(pos);
      const why =
        c === SP || c === HTAB ? 'continuation line without a header to continue' : 'expected a header name';
      return fail('bad-header-line', why, line, 1);
    }
    // HCOLON = *( SP / HTAB ) ":" SWS
    while (i < lineEnd && isWspAt(text, i)) i++;
    if (i >= lineEnd || text.charCodeAt(i) !== 58 /* : */) {
      return fail('bad-header-line', "expected ':' after the header name", line, i - lineStart + 1);
    }
    i++;
    while (i < lineEnd && isWspAt(text, i)) i++;
    let valueEnd = lineEnd;
    while (valueEnd > i && isWspAt(text, valueEnd - 1)) valueEnd--;
    let value = text.slice(i, valueEnd);
    let next = nl + 1;
    const headerLine = line;
    line++;
    // §7.3.1: "Header fields can be extended over multiple lines by preceding each extra line with
    // at least one SP or horizontal tab." Each fold becomes a single SP.
    while (next < len && isWspAt(text, next)) {
      const nl2 = text.indexOf('\n', next);
      if (nl2 < 0) return fail('bad-header-line', 'message ends inside a folded header', line, 1);
      let e = nl2 > next && text.charCodeAt(nl2 - 1) === CR ? nl2 - 1 : nl2;
      if (e - next > maxLine) return fail('line-too-long', 'header line too long', line, maxLine + 1);
      let s = next;
      while (s < e && isWspAt(text, s)) s++;
      while (e > s && isWspAt(text, e - 1)) e--;
      if (e > s) value = value.length === 0 ? text.slice(s, e) : value + ' ' + text.slice(s, e);
      next = nl2 + 1;
      line++;
    }
    if (++count > maxHeaders)
      return fail('too-many-headers', `more than ${maxHeaders} header fields`, headerLine, 1);
    const header = knownHeaderAt(text, pos, nameEnd, hash);
    let known: string | undefined;
    if (header !== undefined) {
      known = header.name;
      headers.pushParsed(known, known, value, header.tracked);
    } else {
      // Unknown names are kept as written and matched through their lower-cased key (§7.3.1).
      const rawName = text.slice(pos, nameEnd);
      headers.pushParsed(rawName, rawName.toLowerCase(), value, -1);
    }
    switch (known) {
      case 'Content-Length': {
        const n = parseLength(value);
        if (n < 0)
          return fail('bad-header-value', 'Content-Length is not a number', headerLine, 1, 'Content-Length');
        if (contentLength >= 0 && n !== contentLength) {
          return fail(
            'bad-header-value',
            'conflicting Content-Length values',
            headerLine,
            1,
            'Content-Length',
          );
        }
        contentLength = n;
        break;
      }
      case 'Via':
        seen |= 1;
        break;
      case 'From':
        seen |= 2;
        break;
      case 'To':
        seen |= 4;
        break;
      case 'Call-ID':
        seen |= 8;
        break;
      case 'CSeq':
        seen |= 16;
        break;
    }
    pos = next;
  }
  if (bodyStart < 0) {
    return fail(
      'bad-header-line',
      'message ends before the empty line that closes the header section',
      line,
      1,
    );
  }

  // ---- body (§7.4, §18.3)
  let body = bodyStart >= len ? '' : text.slice(bodyStart);
  // Counted on the message text itself: no second walk over a sliced copy.
  let bodyBytes = utf8ByteLength(text, bodyStart);
  if (contentLength >= 0 && contentLength !== bodyBytes) {
    const framed = frameBody(body, bodyBytes, contentLength, discardExtra);
    if (framed === undefined) {
      return fail(
        'content-length-mismatch',
        `Content-Length is ${contentLength} but the body has ${bodyBytes} bytes`,
        line,
        0,
        'Content-Length',
      );
    }
    body = framed;
    bodyBytes = contentLength;
  }
  if (bodyStart + bodyBytes > maxSize) return fail('too-large', `message exceeds ${maxSize} bytes`);
  if (requireMandatory && seen !== 31) {
    for (let b = 0; b < MANDATORY.length; b++) {
      if ((seen & (1 << b)) === 0) {
        const h = MANDATORY[b] ?? '';
        return fail('missing-header', `missing mandatory ${h} header`, 0, 0, h);
      }
    }
  }

  const sl = start.value;
  if (sl.kind === 'request') {
    const req: SipRequest = { kind: 'request', method: sl.method, uri: sl.uri, headers, body };
    return ok(req);
  }
  const res: SipResponse = { kind: 'response', status: sl.status, reason: sl.reason, headers, body };
  return ok(res);
}

/**
 * The body `Content-Length` describes, or undefined when the frame cannot hold it.
 *
 * Content-Length counts octets. The text is normally the UTF-8 decoding of the frame (RFC 7118 §5.1
 * text frames); a binary frame handed over one char per octet (latin1) is recognised by its length
 * matching exactly with no char above U+00FF.
 */
function frameBody(
  body: string,
  bytes: number,
  contentLength: number,
  discardExtra: boolean,
): string | undefined {
  if (body.length === contentLength && isOctetString(body)) return body;
  // §18.3: "If the transport packet ends before the end of the message body, this is considered an
  // error."
  if (contentLength > bytes || !discardExtra) return undefined;
  // §18.3: "Any additional bytes in the transport packet beyond the end of the body MUST be discarded."
  let n = 0;
  let i = 0;
  while (n < contentLength) {
    const c = body.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < body.length) {
      const d = body.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
    i++;
  }
  // A Content-Length that ends inside a multi-byte character frames nothing sensible.
  return n === contentLength ? body.slice(0, i) : undefined;
}

function isOctetString(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

function isWspAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === SP || c === HTAB;
}

/** Content-Length = 1*DIGIT; returns -1 for anything else (or more than 9 digits). */
function parseLength(v: string): number {
  if (v.length === 0 || v.length > 9) return -1;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + c - 48;
  }
  return n;
}

type StartLine =
  | { readonly kind: 'request'; readonly method: string; readonly uri: SipRequest['uri'] }
  | { readonly kind: 'response'; readonly status: number; readonly reason: string };

/** Whether text[at, at+7) is `SIP/2.0`, case-insensitively (§7.1: "SIP-Version … case-insensitive"). */
function isSip20(text: string, at: number, end: number): boolean {
  return (
    end - at === 7 &&
    (text.charCodeAt(at) | 0x20) === 115 &&
    (text.charCodeAt(at + 1) | 0x20) === 105 &&
    (text.charCodeAt(at + 2) | 0x20) === 112 &&
    text.charCodeAt(at + 3) === 47 &&
    text.charCodeAt(at + 4) === 50 &&
    text.charCodeAt(at + 5) === 46 &&
    text.charCodeAt(at + 6) === 48
  );
}

/** Whether text[at, end) looks like some SIP-Version (`SIP/` 1*DIGIT "." 1*DIGIT). */
function looksLikeVersion(text: string, at: number, end: number): boolean {
  if (end - at < 7 || !startsWithSip(text, at, end)) return false;
  let i = at + 4;
  const d1 = i;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  if (i === d1 || i >= end || text.charCodeAt(i) !== 46) return false;
  const d2 = ++i;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  return i === end && i > d2;
}

function startsWithSip(text: string, at: number, end: number): boolean {
  return (
    end - at >= 4 &&
    (text.charCodeAt(at) | 0x20) === 115 &&
    (text.charCodeAt(at + 1) | 0x20) === 105 &&
    (text.charCodeAt(at + 2) | 0x20) === 112 &&
    text.charCodeAt(at + 3) === 47
  );
}

/**
 * Request-Line = Method SP Request-URI SP SIP-Version   (§7.1, §25.1)
 * Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase   (§7.2)
 */
function parseStartLine(text: string, pos: number, end: number, line: number): ParseResult<StartLine> {
  const sp1 = text.indexOf(' ', pos);
  if (sp1 < 0 || sp1 >= end) return fail('bad-start-line', 'start line has no SP', line, end - pos + 1);
  if (startsWithSip(text, pos, sp1)) {
    if (!isSip20(text, pos, sp1)) {
      return looksLikeVersion(text, pos, sp1)
        ? fail('bad-version', 'unsupported SIP version', line, 1)
        : fail('bad-start-line', 'malformed SIP-Version', line, 1);
    }
    // Status-Code = 3DIGIT; §21: classes 1xx to 6xx.
    const s = sp1 + 1;
    if (
      s + 3 > end ||
      !isDigit(text.charCodeAt(s)) ||
      !isDigit(text.charCodeAt(s + 1)) ||
      !isDigit(text.charCodeAt(s + 2)) ||
      (s + 3 < end && text.charCodeAt(s + 3) !== SP)
    ) {
      return fail('bad-status', 'status code is not three digits', line, s - pos + 1);
    }
    const status =
      (text.charCodeAt(s) - 48) * 100 + (text.charCodeAt(s + 1) - 48) * 10 + text.charCodeAt(s + 2) - 48;
    if (status < 100 || status > 699)
      return fail('bad-status', 'status code outside 100-699', line, s - pos + 1);
    // Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP / HTAB)
    for (let i = s + 4; i < end; i++) {
      const c = text.charCodeAt(i);
      if ((c < 32 && c !== HTAB) || c === 127)
        return fail('bad-start-line', 'control character in reason phrase', line, i - pos + 1);
    }
    const reason = s + 4 < end ? text.slice(s + 4, end) : '';
    return ok({ kind: 'response', status, reason });
  }
  // Method = token
  for (let i = pos; i < sp1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || TOKEN[c] !== 1) return fail('bad-method', 'method is not a token', line, i - pos + 1);
  }
  if (sp1 === pos) return fail('bad-method', 'empty method', line, 1);
  const sp2 = text.indexOf(' ', sp1 + 1);
  if (sp2 < 0 || sp2 >= end)
    return fail(
      'bad-start-line',
      'request line needs Method SP Request-URI SP SIP-Version',
      line,
      end - pos + 1,
    );
  if (sp2 === sp1 + 1) return fail('bad-start-line', 'empty Request-URI', line, sp2 - pos + 1);
  if (!isSip20(text, sp2 + 1, end)) {
    return looksLikeVersion(text, sp2 + 1, end)
      ? fail('bad-version', 'unsupported SIP version', line, sp2 - pos + 2)
      : fail('bad-start-line', 'malformed SIP-Version', line, sp2 - pos + 2);
  }
  const uri = parseUri(text.slice(sp1 + 1, sp2));
  if (!uri.ok) return fail('bad-uri', uri.error.message, line, sp1 - pos + 1 + uri.error.column);
  return ok({ kind: 'request', method: text.slice(pos, sp1), uri: uri.value });
}
