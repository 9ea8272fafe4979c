import { describe, expect, it } from 'vitest';
import { parseMessage, type MessageLimits } from './parse-message';
import type { ParseErrorCode } from './parse-result';
import type { SipMessage } from '../message/sip-message';

const HEADERS = [
  'Via: SIP/2.0/WSS client.invalid;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.example.com>',
  'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 314159 INVITE',
];

function wire(startLine: string, headers: string[] = HEADERS, body = '', eol = '\r\n'): string {
  return [startLine, ...headers].join(eol) + eol + eol + body;
}

function parsed(text: string): SipMessage {
  const r = parseMessage(text);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} (line ${r.error.line})`);
  return r.value;
}

function expectError(
  text: string,
  code: ParseErrorCode,
  where?: { line?: number; column?: number; header?: string },
  limits?: Partial<MessageLimits>,
) {
  const r = parseMessage(text, limits);
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error.code).toBe(code);
  if (where?.line !== undefined) expect(r.error.line).toBe(where.line);
  if (where?.column !== undefined) expect(r.error.column).toBe(where.column);
  if (where?.header !== undefined) expect(r.error.header).toBe(where.header);
}

describe('RFC 3261 §7.1 requests', () => {
  it('parses the Request-Line, header fields and body', () => {
    const m = parsed(
      wire('INVITE sip:bob@biloxi.example.com SIP/2.0', [...HEADERS, 'Content-Length: 4'], 'v=0\n'),
    );
    expect(m.kind).toBe('request');
    if (m.kind !== 'request') return;
    expect(m.method).toBe('INVITE');
    expect(m.uri).toEqual({
      scheme: 'sip',
      user: 'bob',
      host: 'biloxi.example.com',
      params: {},
      headers: {},
    });
    expect(m.headers.get('call-id')).toBe('a84b4c76e66710');
    expect(m.headers.size).toBe(7);
    expect(m.body).toBe('v=0\n');
  });

  it('keeps an extension method as written (methods are case-sensitive)', () => {
    const m = parsed(wire('NewMethod sip:a@b SIP/2.0'));
    expect(m.kind === 'request' && m.method).toBe('NewMethod');
  });

  it('accepts the SIP-Version in any case', () => {
    expect(parseMessage(wire('OPTIONS sip:a@b sip/2.0')).ok).toBe(true);
  });

  it('keeps a Request-URI of an unknown scheme as an OtherUri', () => {
    const m = parsed(wire('OPTIONS urn:service:sos SIP/2.0'));
    expect(m.kind === 'request' && m.uri).toEqual({ scheme: 'urn', raw: 'urn:service:sos' });
  });

  it.each<[string, ParseErrorCode, number]>([
    ['INVITE sip:a@b SIP/3.0', 'bad-version', 16],
    ['INVITE sip:a@b HTTP/1.1', 'bad-start-line', 16],
    ['INVITE sip:a@b', 'bad-start-line', 15],
    ['INVITE  sip:a@b SIP/2.0', 'bad-start-line', 8],
    ['INVITE sip:a@b SIP/2.0 ', 'bad-start-line', 16],
    ['INV@TE sip:a@b SIP/2.0', 'bad-method', 4],
    ['INVITE sip:a@b:99999 SIP/2.0', 'bad-uri', 16],
    ['INVITE sip:@b SIP/2.0', 'bad-uri', 12],
    ['INVITE nonsense SIP/2.0', 'bad-uri', 8],
    ['INVITE', 'bad-start-line', 7],
  ])('rejects the Request-Line %j with %s at column %i', (line, code, column) => {
    expectError(wire(line), code, { line: 1, column });
  });
});

describe('RFC 3261 §7.2 responses', () => {
  it('parses the Status-Line with a reason phrase containing spaces and UTF-8', () => {
    const m = parsed(wire('SIP/2.0 486 Busy Here — ocupado'));
    expect(m.kind === 'response' && [m.status, m.reason]).toEqual([486, 'Busy Here — ocupado']);
  });

  it('accepts an empty reason phrase', () => {
    const m = parsed(wire('SIP/2.0 200 '));
    expect(m.kind === 'response' && m.reason).toBe('');
    const bare = parsed(wire('SIP/2.0 200'));
    expect(bare.kind === 'response' && bare.status).toBe(200);
  });

  it.each<[string, ParseErrorCode]>([
    ['SIP/2.0 099 Too Low', 'bad-status'],
    ['SIP/2.0 700 Too High', 'bad-status'],
    ['SIP/2.0 20 OK', 'bad-status'],
    ['SIP/2.0 2000 OK', 'bad-status'],
    ['SIP/2.0 2x0 OK', 'bad-status'],
    ['SIP/1.0 200 OK', 'bad-version'],
    ['SIP/2 200 OK', 'bad-start-line'],
    ['SIP/2.0 200 O\u0001K', 'bad-start-line'],
  ])('rejects %j with %s', (line, code) => {
    expectError(wire(line), code, { line: 1 });
  });
});

describe('RFC 3261 §7.3 header fields', () => {
  it('canonicalises compact forms and the casing of every name, unknown ones included', () => {
    const m = parsed(
      wire('OPTIONS sip:a@b SIP/2.0', [
        'v: SIP/2.0/WS x.invalid;branch=z9hG4bK1',
        't: <sip:b@b>',
        'f: <sip:a@a>;tag=1',
        'i: abc',
        'cseq: 1 OPTIONS',
        'MAX-FORWARDS: 70',
        'x-WEIRD-case: yes',
      ]),
    );
    expect(m.headers.fields().map((f) => f.name)).toEqual([
      'Via',
      'To',
      'From',
      'Call-ID',
      'CSeq',
      'Max-Forwards',
      'X-Weird-Case',
    ]);
    expect(m.headers.get('x-weird-case')).toBe('yes');
  });

  it('trims whitespace around the colon and the value', () => {
    const m = parsed(wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, 'Subject  :   hello there  \t']));
    expect(m.headers.get('Subject')).toBe('hello there');
  });

  it('keeps repeated header fields in order', () => {
    const m = parsed(
      wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, 'Route: <sip:p1;lr>', 'X-A: 1', 'Route: <sip:p2;lr>']),
    );
    expect(m.headers.getAll('Route')).toEqual(['<sip:p1;lr>', '<sip:p2;lr>']);
  });

  it('§7.3.1 unfolds continuation lines into one SP', () => {
    const m = parsed(
      wire('OPTIONS sip:a@b SIP/2.0', [
        ...HEADERS,
        "Subject: I know you're there,",
        '   pick up the phone',
        '\t and talk to me!',
      ]),
    );
    expect(m.headers.get('Subject')).toBe("I know you're there, pick up the phone and talk to me!");
  });

  it('unfolds a value that starts on the continuation line', () => {
    const m = parsed(wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, 'Subject:', '  folded']));
    expect(m.headers.get('Subject')).toBe('folded');
  });

  it('keeps an empty value', () => {
    const m = parsed(wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, 'Subject:']));
    expect(m.headers.get('Subject')).toBe('');
  });

  it('reports a header line without a colon with line and column', () => {
    expectError(wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, 'Subject hello']), 'bad-header-line', {
      line: 8,
      column: 9,
    });
  });

  it('reports a header name that is not a token', () => {
    expectError(wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, 'Sub[ject: x']), 'bad-header-line', {
      line: 8,
      column: 4,
    });
    expectError(wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, ': x']), 'bad-header-line', {
      line: 8,
      column: 1,
    });
  });

  it('rejects a continuation line right after the start line', () => {
    expectError(wire('OPTIONS sip:a@b SIP/2.0', [' Via: x', ...HEADERS]), 'bad-header-line', {
      line: 2,
      column: 1,
    });
  });

  it('rejects a message with no empty line after the headers', () => {
    expectError('OPTIONS sip:a@b SIP/2.0\r\n' + HEADERS.join('\r\n'), 'bad-header-line', { line: 7 });
    expectError('OPTIONS sip:a@b SIP/2.0\r\n' + HEADERS.join('\r\n') + '\r\n', 'bad-header-line');
    expectError('OPTIONS sip:a@b SIP/2.0\r\nSubject: a\r\n b', 'bad-header-line');
  });

  it.each(['Via', 'From', 'To', 'Call-ID', 'CSeq'])('§8.1.1 rejects a message without %s', (name) => {
    const headers = HEADERS.filter((h) => !h.startsWith(name + ':'));
    expectError(wire('OPTIONS sip:a@b SIP/2.0', headers), 'missing-header', { header: name });
  });

  it('can be told not to require the mandatory headers', () => {
    expect(parseMessage(wire('OPTIONS sip:a@b SIP/2.0', []), { requireMandatoryHeaders: false }).ok).toBe(
      true,
    );
  });

  it('keeps header values verbatim without parsing them', () => {
    const m = parsed(
      wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, 'X-Junk: <<<"unbalanced', 'Expires: soon']),
    );
    expect(m.headers.get('X-Junk')).toBe('<<<"unbalanced');
    expect(m.headers.get('Expires')).toBe('soon');
  });
});

describe('§7.5 / §18.3 framing', () => {
  it('ignores CRLFs before the start line (and counts them as lines)', () => {
    expect(parsed('\r\n\r\n' + wire('OPTIONS sip:a@b SIP/2.0')).kind).toBe('request');
    expectError('\r\n\r\n' + wire('OPTIONS sip:a@b SIP/3.0'), 'bad-version', { line: 3 });
  });

  it('tolerates LF-only line endings', () => {
    const m = parsed(wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, 'Subject: a,', ' b'], 'body\n', '\n'));
    expect(m.headers.get('Subject')).toBe('a, b');
    expect(m.body).toBe('body\n');
  });

  it('takes the rest of the frame as the body when there is no Content-Length', () => {
    expect(parsed(wire('MESSAGE sip:a@b SIP/2.0', HEADERS, 'hello\r\n\r\nworld')).body).toBe(
      'hello\r\n\r\nworld',
    );
  });

  it('counts Content-Length in UTF-8 bytes', () => {
    const m = parsed(wire('MESSAGE sip:a@b SIP/2.0', [...HEADERS, 'l: 10'], 'héllo😀'));
    expect(m.body).toBe('héllo😀');
  });

  it.each([
    ['a body shorter than Content-Length', 'Content-Length: 50', 'hello'],
    ['a body shorter in UTF-8 octets', 'Content-Length: 7', 'héllo'],
    ['a Content-Length ending inside a UTF-8 character', 'Content-Length: 2', 'héllo'],
  ])('§18.3 rejects %s with content-length-mismatch', (_why, header, body) => {
    expectError(wire('MESSAGE sip:a@b SIP/2.0', [...HEADERS, header], body), 'content-length-mismatch', {
      header: 'Content-Length',
      line: 9,
    });
  });

  it.each([
    ['Content-Length: 2', 'hello', 'he'],
    ['Content-Length: 0', 'x', ''],
    ['Content-Length: 3', 'héllo', 'hé'],
    ['Content-Length: 4', '😀😀', '😀'],
  ])('§18.3 discards octets beyond %s', (header, body, kept) => {
    expect(parsed(wire('MESSAGE sip:a@b SIP/2.0', [...HEADERS, header], body)).body).toBe(kept);
  });

  it('rejects octets beyond Content-Length when discardExtraOctets is false', () => {
    const text = wire('MESSAGE sip:a@b SIP/2.0', [...HEADERS, 'Content-Length: 2'], 'hello');
    expectError(text, 'content-length-mismatch', { header: 'Content-Length' }, { discardExtraOctets: false });
  });

  it('accepts a body handed over one char per octet (latin1) whose length is the Content-Length', () => {
    const octets = '\u00ff\u0000\u00e9\u0080';
    expect(parsed(wire('MESSAGE sip:a@b SIP/2.0', [...HEADERS, 'Content-Length: 4'], octets)).body).toBe(
      octets,
    );
  });

  it('rejects a non-numeric or conflicting Content-Length', () => {
    expectError(wire('MESSAGE sip:a@b SIP/2.0', [...HEADERS, 'Content-Length: x']), 'bad-header-value', {
      header: 'Content-Length',
      line: 8,
    });
    expectError(
      wire('MESSAGE sip:a@b SIP/2.0', [...HEADERS, 'Content-Length: 0', 'l: 1'], 'x'),
      'bad-header-value',
      {
        header: 'Content-Length',
      },
    );
    expect(
      parseMessage(wire('MESSAGE sip:a@b SIP/2.0', [...HEADERS, 'Content-Length: 1', 'l: 1'], 'x')).ok,
    ).toBe(true);
  });

  it('rejects empty input and CRLF-only input', () => {
    expectError('', 'empty');
    expectError('\r\n\r\n', 'empty');
  });
});

describe('limits on untrusted input', () => {
  const text = wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, 'X-A: 1', 'X-B: 2']);

  it('rejects a message above maxMessageSize (default 64 KiB)', () => {
    expectError(wire('MESSAGE sip:a@b SIP/2.0', HEADERS, 'x'.repeat(65536)), 'too-large', { line: 0 });
    expect(parseMessage(text, { maxMessageSize: text.length }).ok).toBe(true);
    expectError(text, 'too-large', {}, { maxMessageSize: text.length - 1 });
  });

  it('counts the body in UTF-8 bytes against maxMessageSize', () => {
    const m = wire('MESSAGE sip:a@b SIP/2.0', HEADERS, 'é'.repeat(10));
    expectError(m, 'too-large', {}, { maxMessageSize: m.length });
    expect(parseMessage(m, { maxMessageSize: m.length + 10 }).ok).toBe(true);
  });

  it('rejects more header fields than maxHeaders (default 256)', () => {
    expect(parseMessage(text, { maxHeaders: 8 }).ok).toBe(true);
    expectError(text, 'too-many-headers', { line: 9 }, { maxHeaders: 7 });
    const many = Array.from({ length: 251 }, (_, i) => `X-${i}: ${i}`);
    expectError(wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, ...many]), 'too-many-headers', { line: 258 });
    expect(parseMessage(wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, ...many.slice(1)])).ok).toBe(true);
  });

  it('rejects a line longer than maxLineLength (default 16 KiB)', () => {
    expectError(text, 'line-too-long', { line: 1 }, { maxLineLength: 20 });
    expectError(
      wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, 'X-Long: ' + 'a'.repeat(16384)]),
      'line-too-long',
      {
        line: 8,
      },
    );
    const folded = wire('OPTIONS sip:a@b SIP/2.0', [...HEADERS, 'X-Long: a', ' ' + 'a'.repeat(70)]);
    expectError(folded, 'line-too-long', { line: 9 }, { maxLineLength: 64 });
  });
});
