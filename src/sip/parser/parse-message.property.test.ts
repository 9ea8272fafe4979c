/**
 * Property tests for the message layer (fast-check): the parser is total, serialisation round-trips,
 * and typed accessors never throw.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseMessage } from './parse-message';
import { parseUri } from './parse-uri';
import { serializeMessage } from '../message/serialize';
import { SipHeaders, createRequest, createResponse, type SipMessage } from '../message/sip-message';
import { formatUri, uriEquals } from '../message/uri';
import { parseTelUri } from '../message/tel-uri';
import { getList } from '../message/header-list';
import { percentEncode, utf8ByteLength } from '../message/utf8';
import { HNV, PARAMCHAR_OUT, PASSWORD } from './chars';
import * as headers from '../message/headers';
import type { NameAddr, Params, SipUri, Uri, Via } from '../message/types';

// ---- arbitraries

const lowerToken = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const token = fc.stringMatching(/^[A-Za-z0-9.!%*_+`'~-]{1,16}$/);
/** One character: any code point (no lone surrogates), biased towards SIP's delimiters. */
const char = fc.oneof(
  fc.constantFrom(
    '"',
    '\\',
    ',',
    ';',
    '<',
    '>',
    '%',
    ' ',
    '@',
    ':',
    '=',
    '?',
    '&',
    '[',
    ']',
    'é',
    '😀',
    '\t',
    'a',
    'Z',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
/** Any Unicode text without lone surrogates. */
const text = (maxLength = 24) => fc.string({ unit: char, maxLength });
const noCrLf = (maxLength = 24) => text(maxLength).map((s) => s.replace(/[\r\n]/g, ' '));
/** Header-value safe text: no CR/LF and no surrounding whitespace (the parser trims). */
const fieldText = noCrLf(40).map((s) => s.trim());

const host = fc.oneof(
  fc.domain().map((d) => d.toLowerCase()),
  fc.ipV4(),
  fc.ipV6().map((a) => `[${a.toLowerCase()}]`),
);
// URI components are held as wire text (escapes kept): generate any text, escaped for its place.
const escaped = (t: fc.Arbitrary<string>, allowed: Uint8Array) => t.map((s) => percentEncode(s, allowed));
const params: fc.Arbitrary<Params> = fc.dictionary(
  lowerToken,
  fc.option(
    escaped(
      text(12).filter((s) => s.length > 0),
      PARAMCHAR_OUT,
    ),
    { nil: null },
  ),
  {
    maxKeys: 4,
  },
);
const sipUri: fc.Arbitrary<SipUri> = fc
  .record(
    {
      scheme: fc.constantFrom('sip' as const, 'sips' as const),
      user: escaped(
        text(12).filter((s) => s.length > 0),
        PASSWORD,
      ),
      password: escaped(text(8), PASSWORD),
      host,
      port: fc.integer({ min: 0, max: 65535 }),
      params,
      headers: fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/), escaped(text(12), HNV), {
        maxKeys: 3,
      }),
    },
    { requiredKeys: ['scheme', 'host', 'params', 'headers'] },
  )
  // The userinfo is held whole: user [":" password].
  .map(({ password, ...u }) =>
    u.user === undefined || password === undefined ? u : { ...u, user: `${u.user}:${password}` },
  )
  .map((u) => JSON.parse(JSON.stringify(u)) as SipUri);
// tel: URIs are kept verbatim, like any other scheme (message/tel-uri.ts reads their parts).
const telUri: fc.Arbitrary<Uri> = fc
  .tuple(
    fc.stringMatching(/^\+?[0-9][0-9.()-]{0,14}$/),
    fc.array(fc.stringMatching(/^;[a-z][a-z0-9-]{0,6}(=[a-z0-9]{1,6})?$/), { maxLength: 2 }),
  )
  .map(([number, params]) => ({ scheme: 'tel', raw: `tel:${number}${params.join('')}` }));
const otherUri: fc.Arbitrary<Uri> = fc
  .tuple(fc.constantFrom('urn', 'mailto', 'https'), fc.stringMatching(/^[a-z0-9][a-z0-9:./@-]{0,20}$/))
  .map(([scheme, rest]) => ({ scheme, raw: `${scheme}:${rest}` }));
const anyUri: fc.Arbitrary<Uri> = fc.oneof({ weight: 4, arbitrary: sipUri }, telUri, otherUri);

const headerParams: fc.Arbitrary<Params> = fc.dictionary(
  lowerToken,
  fc.option(
    noCrLf(12).filter((s) => s.length > 0),
    { nil: null },
  ),
  { maxKeys: 3 },
);
const nameAddr: fc.Arbitrary<NameAddr> = fc
  .record({ displayName: noCrLf(16), uri: anyUri, params: headerParams }, { requiredKeys: ['uri', 'params'] })
  .map((n) => JSON.parse(JSON.stringify(n)) as NameAddr);
const via: fc.Arbitrary<Via> = fc
  .record(
    {
      protocol: fc.constant('SIP/2.0'),
      transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'WS', 'WSS'),
      host,
      port: fc.integer({ min: 0, max: 65535 }),
      params: fc.dictionary(
        lowerToken,
        fc.option(fc.stringMatching(/^[A-Za-z0-9.:-]{1,12}$/), { nil: null }),
        {
          maxKeys: 3,
        },
      ),
    },
    { requiredKeys: ['protocol', 'transport', 'host', 'params'] },
  )
  .map((v) => JSON.parse(JSON.stringify(v)) as Via);

const method = fc.oneof(
  fc.constantFrom('INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'MESSAGE'),
  token,
);
// Reason-Phrase excludes control characters other than HTAB.
const reason = text(20).map((s) =>
  Array.from(s, (c) => ((c < ' ' && c !== '\t') || c === '\u007f' ? '?' : c)).join(''),
);
const unknownHeader = fc.tuple(fc.stringMatching(/^X-[A-Za-z0-9-]{1,12}$/), fieldText);

interface Generated {
  message: SipMessage;
  vias: Via[];
  from: NameAddr;
  to: NameAddr;
  contacts: NameAddr[];
}

const generated: fc.Arbitrary<Generated> = fc
  .record({
    request: fc.boolean(),
    method,
    uri: anyUri,
    status: fc.integer({ min: 100, max: 699 }),
    reason,
    vias: fc.array(via, { minLength: 1, maxLength: 3 }),
    from: nameAddr,
    to: nameAddr,
    callId: fc.stringMatching(/^[A-Za-z0-9.!%*_+`'~()<>:\\"/?{}@-]{1,30}$/),
    seq: fc.integer({ min: 0, max: 2147483647 }),
    contacts: fc.array(nameAddr, { maxLength: 2 }),
    unknown: fc.array(unknownHeader, { maxLength: 4 }),
    staleLength: fc.option(fc.nat(), { nil: undefined }),
    body: text(60),
  })
  .map((g) => {
    const h = new SipHeaders();
    for (const v of g.vias) h.append('Via', headers.formatVia(v));
    h.append('From', headers.formatNameAddr(g.from));
    h.append('To', headers.formatNameAddr(g.to));
    h.append('Call-ID', g.callId);
    h.append('CSeq', `${g.seq} ${g.method}`);
    if (g.contacts.length > 0) h.append('Contact', g.contacts.map(headers.formatNameAddr).join(', '));
    for (const [name, value] of g.unknown) h.append(name, value);
    if (g.staleLength !== undefined) h.append('Content-Length', String(g.staleLength));
    const message = g.request
      ? createRequest(g.method, g.uri, h, g.body)
      : createResponse(g.status, g.reason, h, g.body);
    return { message, vias: g.vias, from: g.from, to: g.to, contacts: g.contacts };
  });

/** Compares messages through plain data: SipHeaders holds caches, so compare its fields. */
function normalise(m: SipMessage) {
  const fields = m.headers.fields().filter((f) => f.name !== 'Content-Length');
  return m.kind === 'request'
    ? { kind: m.kind, method: m.method, uri: m.uri, fields, body: m.body }
    : { kind: m.kind, status: m.status, reason: m.reason, fields, body: m.body };
}

const ACCESSORS: Array<(m: headers.HasHeaders) => unknown> = [
  headers.getVias,
  headers.getFrom,
  headers.getTo,
  headers.getCallId,
  headers.getCSeq,
  headers.getContact,
  headers.getRoutes,
  headers.getRecordRoutes,
  headers.getPAssertedIdentities,
  headers.getMaxForwards,
  headers.getContentLength,
  headers.getExpires,
  headers.getMinExpires,
  headers.getRSeq,
  headers.getRAck,
  headers.getContentType,
  headers.getAllow,
  headers.getSupported,
  headers.getRequire,
  (m) => headers.getTokens(m, 'Allow-Events'),
  (m) => headers.getAuthValues(m, 'WWW-Authenticate'),
  (m) => headers.getAuthValues(m, 'Proxy-Authorization'),
  headers.getEvent,
  headers.getSubscriptionState,
  headers.getReferTo,
  headers.getReferredBy,
  headers.getReplaces,
  headers.getSessionExpires,
  headers.getMinSE,
  headers.getReasons,
  headers.getRetryAfter,
];

const HEADER_NAMES = [
  'Via',
  'From',
  'To',
  'Call-ID',
  'CSeq',
  'Contact',
  'Route',
  'Record-Route',
  'P-Asserted-Identity',
  'Max-Forwards',
  'Content-Length',
  'Expires',
  'Min-Expires',
  'RSeq',
  'RAck',
  'Content-Type',
  'Allow',
  'Supported',
  'Require',
  'Allow-Events',
  'WWW-Authenticate',
  'Proxy-Authorization',
  'Event',
  'Subscription-State',
  'Refer-To',
  'Referred-By',
  'Replaces',
  'Session-Expires',
  'Min-SE',
  'Reason',
  'Retry-After',
];

function isResult(r: unknown): boolean {
  return typeof r === 'object' && r !== null && typeof (r as { ok: unknown }).ok === 'boolean';
}

/** Characters that make SIP-shaped noise more likely to reach deep parser states. */
const sipish = fc.string({
  unit: fc.constantFrom(
    '\r\n',
    '\n',
    ' ',
    '\t',
    ':',
    ';',
    ',',
    '<',
    '>',
    '"',
    '\\',
    '=',
    '@',
    '[',
    ']',
    '?',
    '&',
    '%',
    'SIP/2.0',
    'sip:',
    'INVITE ',
    'Via',
    'v',
    'To',
    'From',
    'Call-ID',
    'CSeq',
    'Content-Length',
    'l',
    '0',
    '1',
    '9',
    'a',
    'é',
    '😀',
  ),
  maxLength: 80,
});

describe('parseMessage is total (never throws)', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(text(200), sipish), (s) => {
        const r = parseMessage(s);
        expect(isResult(r)).toBe(true);
        if (r.ok) for (const get of ACCESSORS) expect(isResult(get(r.value))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('on arbitrary mutations of valid messages', () => {
    const mutation = fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.oneof(text(6), sipish));
    fc.assert(
      fc.property(generated, fc.array(mutation, { minLength: 1, maxLength: 4 }), (g, edits) => {
        let s = serializeMessage(g.message);
        for (const [at, del, insert] of edits) {
          const i = at % (s.length + 1);
          s = s.slice(0, i) + insert + s.slice(i + del);
        }
        const r = parseMessage(s, { requireMandatoryHeaders: at0(edits) });
        expect(isResult(r)).toBe(true);
        if (r.ok) for (const get of ACCESSORS) expect(isResult(get(r.value))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

function at0(edits: ReadonlyArray<readonly [number, number, string]>): boolean {
  return (edits[0]?.[0] ?? 0) % 2 === 0;
}

describe('serialisation round-trip', () => {
  it('parseMessage(serializeMessage(m)) equals m for generated valid messages', () => {
    fc.assert(
      fc.property(generated, (g) => {
        const text = serializeMessage(g.message);
        const r = parseMessage(text);
        if (!r.ok) throw new Error(`${r.error.code} ${r.error.message} line ${r.error.line}\n${text}`);
        expect(normalise(r.value)).toEqual(normalise(g.message));
        expect(headers.getContentLength(r.value)).toEqual({
          ok: true,
          value: utf8ByteLength(g.message.body),
        });
        // Typed values come back as generated.
        expect(headers.getVias(r.value)).toEqual({ ok: true, value: g.vias });
        expect(headers.getFrom(r.value)).toEqual({ ok: true, value: g.from });
        expect(headers.getTo(r.value)).toEqual({ ok: true, value: g.to });
        const contact = headers.getContact(r.value);
        expect(contact).toEqual({
          ok: true,
          value: g.contacts.length ? { star: false, contacts: g.contacts } : undefined,
        });
      }),
      { numRuns: 300 },
    );
  });

  it('parseUri(formatUri(u)) equals u', () => {
    fc.assert(
      fc.property(anyUri, (u) => {
        expect(parseUri(formatUri(u))).toEqual({ ok: true, value: u });
        // §19.1.4 equality is reflexive on what the parser gives back.
        expect(uriEquals(u, u)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the opt-in readers never throw', () => {
  it('parseTelUri on arbitrary text, and a tel: URI it accepts formats back verbatim', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          text(30),
          text(30).map((s) => `tel:${s}`),
        ),
        (s) => {
          const r = parseTelUri(s);
          expect(isResult(r)).toBe(true);
          if (r.ok) expect(formatUri(r.value)).toBe(s);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('typed accessors never throw', () => {
  it('on arbitrary header values', () => {
    const value = fc.oneof(
      noCrLf(60),
      sipish.map((s) => s.replace(/[\r\n]/g, ' ')),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...HEADER_NAMES),
        fc.array(value, { minLength: 1, maxLength: 3 }),
        (name, values) => {
          const m = { headers: new SipHeaders(values.map((v) => [name, v] as [string, string])) };
          for (const get of ACCESSORS) expect(isResult(get(m))).toBe(true);
          expect(m.headers.getAll(name)).toEqual(values);
          expect(Array.isArray(getList(m.headers, name))).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
