/**
 * RFC 4475, "SIP Torture Test Messages": every message of §3, run through the message layer the way
 * the UA core uses it (parseMessage, then the typed accessors of headers.ts).
 *
 * Where the RFC says a message is valid, the tests assert the values a parser must extract. Where it
 * says an element should answer with an error (400, 505, …) or drop a response, the tests accept
 * either layer reporting it: parseMessage rejecting the message with a fitting code, or parseMessage
 * succeeding and the accessor the UA core consults returning `{ ok: false }`. Where the RFC allows an
 * element to be liberal, the liberal reading is accepted only if it is the unambiguous one the RFC
 * describes. Where the answer is a UA-core decision (416, 420, 501 …), the tests assert that the
 * parser hands the UA what it needs to decide.
 *
 * Fixtures (`__fixtures__/rfc4475/<name>.sip`) are the RFC's messages byte for byte. They are decoded
 * as UTF-8, which is what a WebSocket text frame carries (RFC 7118 §5.1). The one exception is
 * mpart01, whose body is binary: it could only arrive in a binary frame, and the only lossless way to
 * hand arbitrary octets to a string API is one char per octet (latin1).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMessage } from './parse-message';
import type { ParseErrorCode, ParseResult } from './parse-result';
import type { SipMessage, SipRequest, SipResponse } from '../message/sip-message';
import type { NameAddr, SipUri, Uri } from '../message/types';
import {
  getAuthValues,
  getCSeq,
  getCallId,
  getContact,
  getContentLength,
  getContentType,
  getExpires,
  getFrom,
  getMaxForwards,
  getRecordRoutes,
  getRoutes,
  getTo,
  getTokens,
  getVias,
} from '../message/headers';
import { formatUri, parseUri, uriEquals } from '../message/uri';
import { getList } from '../message/header-list';
import { percentDecode } from '../message/utf8';

const FIXTURES = new URL('./__fixtures__/rfc4475/', import.meta.url);

function octets(name: string): Buffer {
  return readFileSync(new URL(`${name}.sip`, FIXTURES));
}

/** The message as a WebSocket text frame delivers it: its octets decoded as UTF-8. */
function load(name: string): string {
  return new TextDecoder('utf-8').decode(octets(name));
}

function parsed(r: ParseResult<SipMessage>, name: string): SipMessage {
  if (!r.ok) {
    const e = r.error;
    throw new Error(`${name} rejected: ${e.code} at ${e.line}:${e.column} ${e.header ?? ''} – ${e.message}`);
  }
  return r.value;
}

function request(name: string, text = load(name)): SipRequest {
  const m = parsed(parseMessage(text), name);
  if (m.kind !== 'request') throw new Error(`${name} parsed as a ${m.kind}`);
  return m;
}

function response(name: string): SipResponse {
  const m = parsed(parseMessage(load(name)), name);
  if (m.kind !== 'response') throw new Error(`${name} parsed as a ${m.kind}`);
  return m;
}

/** The value of an accessor that must succeed. */
function value<T>(r: ParseResult<T>): T {
  if (!r.ok) throw new Error(`accessor failed: ${r.error.code} ${r.error.header ?? ''} – ${r.error.message}`);
  return r.value;
}

function sip(u: Uri): SipUri {
  expect(['sip', 'sips']).toContain(u.scheme);
  return u as SipUri;
}

function contacts(m: SipMessage): NameAddr[] {
  const c = value(getContact(m));
  if (c === undefined || c.star) throw new Error('expected a list of contacts');
  return c.contacts;
}

type Accessor = (m: SipMessage) => ParseResult<unknown>;

/**
 * The RFC wants the element to answer 400 (or to drop a response). Passes when parseMessage rejects
 * with one of `codes`, or when it parses and the accessors report the bad headers: at least one of
 * them (`'any'`), or every one (`'all'`).
 */
function expectMalformed(
  text: string,
  codes: ParseErrorCode[],
  accessors: Accessor[],
  mode: 'any' | 'all' = 'any',
) {
  const r = parseMessage(text);
  if (!r.ok) {
    expect(codes).toContain(r.error.code);
    return;
  }
  const rejected = accessors.map((a) => !a(r.value).ok);
  if (mode === 'all') expect(rejected).toEqual(accessors.map(() => true));
  else expect(rejected).toContain(true);
}

/**
 * The RFC allows either rejecting the message or a liberal reading. Passes when parseMessage rejects
 * with one of `codes`, when an accessor reports the bad header, or when the liberal reading checked by
 * `liberal` is what came out.
 */
function expectRejectedOrLiberal(
  text: string,
  codes: ParseErrorCode[],
  accessors: Accessor[],
  liberal: (m: SipMessage) => void,
) {
  const r = parseMessage(text);
  if (!r.ok) {
    expect(codes).toContain(r.error.code);
    return;
  }
  if (accessors.some((a) => !a(r.value).ok)) return;
  liberal(r.value);
}

const SDP_START = 'v=0\r\no=mhandley 29739 7272939 IN IP4 ';

describe('RFC 4475 §3.1.1 Valid Messages', () => {
  it('3.1.1.1 wsinv: a short tortuous INVITE parses with folding, LWS and compact forms resolved', () => {
    const m = request('wsinv');
    expect(m.method).toBe('INVITE');
    expect(sip(m.uri)).toMatchObject({ user: 'vivekg', host: 'chair-dnrc.example.com' });
    expect(sip(m.uri).params).toEqual({ unknownparam: null });

    const to = value(getTo(m));
    expect(to.displayName).toBeUndefined();
    expect(sip(to.uri)).toMatchObject({ user: 'vivekg', host: 'chair-dnrc.example.com' });
    expect(to.params).toEqual({ tag: '1918181833n' });

    // quoted-string "J Rosenberg \\\"" holds the quoted-pairs \\ and \"
    const from = value(getFrom(m));
    expect(from.displayName).toBe('J Rosenberg \\"');
    expect(sip(from.uri)).toMatchObject({ user: 'jdrosen', host: 'example.com' });
    expect(from.params).toEqual({ tag: '98asjd8' });

    expect(value(getMaxForwards(m))).toBe(68);
    expect(value(getCallId(m))).toBe('wsinv.ndaksdj@192.0.2.1');
    expect(value(getCSeq(m))).toEqual({ seq: 9, method: 'INVITE' });
    expect(value(getContentLength(m))).toBe(150);
    expect(m.body).toHaveLength(150);
    expect(m.body.startsWith(SDP_START)).toBe(true);
    expect(value(getContentType(m))).toMatchObject({ type: 'application', subtype: 'sdp' });

    // "Via" and its compact form "v" form one list, the second field holding two values.
    expect(value(getVias(m))).toEqual([
      { protocol: 'SIP/2.0', transport: 'UDP', host: '192.0.2.2', params: { branch: '390skdjuw' } },
      {
        protocol: 'SIP/2.0',
        transport: 'TCP',
        host: 'spindle.example.com',
        params: { branch: 'z9hG4bK9ikj8' },
      },
      { protocol: 'SIP/2.0', transport: 'UDP', host: '192.168.255.111', params: { branch: 'z9hG4bK30239' } },
    ]);

    // An empty Subject (compact form "s").
    expect(m.headers.get('Subject')).toBe('');
    // §7.3.1: a line break plus the whitespace that follows it is one SP.
    expect(m.headers.get('NewFangledHeader')).toBe('newfangled value continued newfangled value');
    // Unknown to us, so a single opaque value even though it is full of commas and semicolons.
    expect(m.headers.getAll('UnknownHeaderWithUnusualValue')).toEqual([';;,,;;,;']);

    const routes = value(getRoutes(m));
    expect(routes).toHaveLength(1);
    expect(sip(routes[0]!.uri).host).toBe('services.example.com');
    expect(sip(routes[0]!.uri).params).toEqual({ lr: null, unknownwith: 'value', 'unknown-no-value': null });

    const [contact, ...more] = contacts(m);
    expect(more).toEqual([]);
    expect(contact!.displayName).toBe('Quoted string ""');
    expect(sip(contact!.uri)).toMatchObject({ user: 'jdrosen', host: 'example.com' });
    expect(contact!.params).toEqual({ newparam: 'newvalue', secondparam: null, q: '0.33' });
  });

  it('3.1.1.2 intmeth: a wide range of valid characters in method, URI, tokens and words', () => {
    const method = "!interesting-Method0123456789_*+`.%indeed'~";
    const m = request('intmeth');
    // % is not an escape in a method: this is an extension method (the UA answers 501).
    expect(m.method).toBe(method);
    // The userinfo, user ":" password, is held whole.
    expect(sip(m.uri)).toMatchObject({
      user: "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)",
      host: 'example.com',
    });
    expect(value(getVias(m))).toEqual([
      {
        protocol: 'SIP/2.0',
        transport: 'TCP',
        host: 'host1.example.com',
        params: { branch: "z9hG4bK-.!%66*_+`'~" },
      },
    ]);

    // quoted-pairs may quote control characters, NUL included
    const to = value(getTo(m));
    expect(to.displayName).toBe('BEL:\u0007 NUL:\u0000 DEL:\u007f');
    expect(sip(to.uri).user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");

    const from = value(getFrom(m));
    expect(from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(sip(from.uri)).toMatchObject({ user: 'mundane', host: 'example.com' });
    expect(from.params).toEqual({ "fromparam''~+*_!.-%": 'работающий', tag: "_token~1'+`*%!-." });

    // In a word, % is not an escape and quotes and brackets need not balance.
    expect(value(getCallId(m))).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(value(getCSeq(m))).toEqual({ seq: 139122385, method });
    expect(value(getMaxForwards(m))).toBe(255);
    // UTF8-NONASCII kept as is, the leading U+FEFF included (SIP's LWS is only SP and HTAB).
    expect(m.headers.get("extensionHeader-!.%*+_`'~")).toBe('\ufeff大停電');
    expect(value(getContentLength(m))).toBe(0);
    expect(m.body).toBe('');
  });

  it('3.1.1.3 esc01: % HEX HEX escapes are resolved in URI user parts and parameters, once', () => {
    const m = request('esc01');
    expect(m.method).toBe('INVITE');
    // The escaped user part is a user part, not a sips: URI inside the URI. Components are held as
    // wire text; percentDecode resolves the escapes.
    expect(sip(m.uri)).toMatchObject({
      scheme: 'sip',
      user: 'sips%3Auser%40example.com',
      host: 'example.net',
    });
    expect(percentDecode(sip(m.uri).user ?? '')).toBe('sips:user@example.com');
    const to = sip(value(getTo(m)).uri);
    expect(to).toMatchObject({ user: '%75se%72', host: 'example.com' });
    expect(uriEquals(to, value(parseUri('sip:user@example.com')))).toBe(true);
    const from = value(getFrom(m));
    expect(sip(from.uri)).toMatchObject({ host: 'example.net' });
    expect(percentDecode(sip(from.uri).user ?? '')).toBe('I have spaces');
    expect(from.params).toEqual({ tag: '938' });
    expect(value(getCallId(m))).toBe('esc01.239409asdfakjkn23onasd0-3234');
    expect(value(getContentType(m))).toMatchObject({ type: 'application', subtype: 'sdp' });
    expect(value(getCSeq(m))).toEqual({ seq: 234234, method: 'INVITE' });

    const [contact] = contacts(m);
    const uri = sip(contact!.uri);
    expect(uri).toMatchObject({ user: 'cal%6Cer', host: 'host5.example.net' });
    expect(percentDecode(uri.user ?? '')).toBe('caller');
    // "value%25%34%31" is "value%41", which is NOT "valueA": unescaping is never recursive.
    // Escaped parameter names are resolved (they are looked up: `lr`); values are held as written.
    expect(uri.params).toEqual({ lr: null, name: 'v%61lue%25%34%31' });
    expect(percentDecode(uri.params['name'] ?? '')).toBe('value%41');
    expect(formatUri(uri)).toBe('sip:cal%6Cer@host5.example.net;lr;name=v%61lue%25%34%31');
    expect(uriEquals(uri, value(parseUri('sip:caller@host5.example.net;lr;name=value%2541')))).toBe(true);
    expect(uriEquals(uri, value(parseUri('sip:caller@host5.example.net;lr;name=valueA')))).toBe(false);
    expect(m.body).toHaveLength(150);
  });

  it('3.1.1.4 escnull: escaped NULs do not shorten user parts, and the two contacts stay distinct', () => {
    const m = request('escnull');
    expect(m.method).toBe('REGISTER');
    expect(sip(m.uri).host).toBe('example.com');
    expect(percentDecode(sip(value(getTo(m)).uri).user ?? '')).toBe('null-\u0000-null');
    const from = value(getFrom(m));
    expect(percentDecode(sip(from.uri).user ?? '')).toBe('null-\u0000-null');
    expect(from.params).toEqual({ tag: '839923423' });
    const [a, b, ...rest] = contacts(m);
    expect(rest).toEqual([]);
    expect(sip(a!.uri)).toMatchObject({ user: '%00', host: 'host5.example.com' });
    expect(sip(b!.uri)).toMatchObject({ user: '%00%00', host: 'host5.example.com' });
    expect(uriEquals(a!.uri, b!.uri)).toBe(false);
    expect(value(getContentLength(m))).toBe(0);
  });

  it('3.1.1.5 esc02: % is not an escape in a method, a display name, a branch or a header name', () => {
    const m = request('esc02');
    // Not REGISTER: an unknown method (a UA answers 501).
    expect(m.method).toBe('RE%47IST%45R');
    expect(value(getCSeq(m))).toEqual({ seq: 29344, method: 'RE%47IST%45R' });
    expect(value(getTo(m)).displayName).toBe('%Z%45');
    const from = value(getFrom(m));
    expect(from.displayName).toBe('%Z%45');
    expect(from.params).toEqual({ tag: 'f232jadfj23' });
    expect(value(getVias(m))[0]!.params).toEqual({ branch: 'z9hG4bK209%fzsnel234' });
    // Two Contact values, not three: "C%6Fntact" is an unknown header.
    expect(contacts(m).map((c) => sip(c.uri).user)).toEqual(['alias1', 'alias3']);
    expect(m.headers.get('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    expect(value(getMaxForwards(m))).toBe(70);
  });

  it('3.1.1.6 lwsdisp: a display name token directly followed by "<" is accepted', () => {
    const m = request('lwsdisp');
    expect(m.method).toBe('OPTIONS');
    const from = value(getFrom(m));
    expect(from.displayName).toBe('caller');
    expect(sip(from.uri)).toMatchObject({ user: 'caller', host: 'example.com' });
    expect(from.params).toEqual({ tag: '323' });
    expect(value(getCSeq(m))).toEqual({ seq: 60, method: 'OPTIONS' });
  });

  it('3.1.1.7 longreq: long values and 34 Via values parse intact', () => {
    const m = request('longreq');
    const to = value(getTo(m));
    expect(to.displayName).toBe(`I have a user name of ${'extreme'.repeat(10)} proportion`);
    expect(sip(to.uri)).toMatchObject({ user: 'user', host: 'example.com', port: 6000 });
    expect(sip(to.uri).params).toEqual({
      unknownparam1: `very${'long'.repeat(20)}value`,
      [`longparam${'name'.repeat(25)}`]: 'shortvalue',
      // parameter names are case-insensitive, so they are stored lower-cased
      [`very${'long'.repeat(25)}parameternamewithnovalue`]: null,
    });

    const from = value(getFrom(m));
    expect(sip(from.uri).user).toBe('amazinglylongcallername'.repeat(5));
    expect(from.params).toEqual({
      tag: `1${'298'.repeat(50)}2424`,
      [`unknownheaderparam${'name'.repeat(20)}`]: `unknowheaderparam${'value'.repeat(15)}`,
      [`unknownvaluelessparamname${'paramname'.repeat(9)}`]: null,
    });

    expect(value(getCallId(m))).toBe(`longreq.one${'really'.repeat(20)}longcallid`);
    expect(value(getCSeq(m))).toEqual({ seq: 3882340, method: 'INVITE' });
    const long = `unknown-${'long'.repeat(20)}`;
    expect(m.headers.get(`Unknown-${'Long'.repeat(20)}-Name`)).toBe(
      `${long}-value; ${long}-parameter-name = ${long}-parameter-value`,
    );

    const vias = value(getVias(m));
    expect(vias).toHaveLength(34);
    expect(vias.slice(0, 33).map((v) => v.host)).toEqual(
      Array.from({ length: 33 }, (_, i) => `sip${33 - i}.example.com`),
    );
    expect(vias.every((v) => v.transport === 'TCP')).toBe(true);
    expect(vias[33]).toEqual({
      protocol: 'SIP/2.0',
      transport: 'TCP',
      host: 'host.example.com',
      params: { received: '192.0.2.5', branch: `very${'long'.repeat(50)}branchvalue` },
    });
    expect(sip(contacts(m)[0]!.uri).user).toBe('amazinglylongcallername'.repeat(5));
    expect(value(getContentLength(m))).toBe(150);
    expect(m.body).toHaveLength(150);
  });

  it('3.1.1.8 dblreq: octets after Content-Length are not part of the message (§18.3)', () => {
    const m = request('dblreq');
    expect(m.method).toBe('REGISTER');
    expect(value(getCallId(m))).toBe('dblreq.0ha0isndaksdj99sdfafnl3lk233412');
    expect(value(getContentLength(m))).toBe(0);
    expect(m.body).toBe('');
    // The INVITE glued behind it contributes nothing.
    expect(value(getVias(m))).toHaveLength(1);
    expect(m.headers.getAll('Call-ID')).toHaveLength(1);
    expect(m.headers.has('Content-Type')).toBe(false);
  });

  it('3.1.1.9 semiuri: a ";" in the user part belongs to the user, not to the URI parameters', () => {
    const m = request('semiuri');
    const uri = sip(m.uri);
    expect(uri).toMatchObject({ user: 'user;par=u%40example.net', host: 'example.com' });
    expect(percentDecode(uri.user ?? '')).toBe('user;par=u@example.net');
    expect(uri.params).toEqual({});
    // A folded list header: one field row, six elements.
    expect(m.headers.getAll('Accept')).toHaveLength(1);
    expect(getList(m.headers, 'Accept')).toEqual([
      'application/sdp',
      'application/pkcs7-mime',
      'multipart/mixed',
      'multipart/signed',
      'message/sip',
      'message/sipfrag',
    ]);
    expect(value(getMaxForwards(m))).toBe(3);
  });

  it('3.1.1.10 transports: known and unknown Via transports are all accepted', () => {
    const m = request('transports');
    expect(value(getCallId(m))).toBe('transports.kijh4akdnaqjkwendsasfdj');
    const vias = value(getVias(m));
    expect(vias.map((v) => [v.transport, v.host, v.params['branch']])).toEqual([
      ['UDP', 't1.example.com', 'z9hG4bKkdjuw'],
      ['SCTP', 't2.example.com', 'z9hG4bKklasjdhf'],
      ['TLS', 't3.example.com', 'z9hG4bK2980unddj'],
      ['UNKNOWN', 't4.example.com', 'z9hG4bKasd0f3en'],
      ['TCP', 't5.example.com', 'z9hG4bK0a9idfnee'],
    ]);
  });

  it('3.1.1.11 mpart01: a multipart body with binary octets (NULs included) is framed by Content-Length', () => {
    // One char per octet: see the file comment.
    const m = request('mpart01', octets('mpart01').toString('latin1'));
    expect(m.method).toBe('MESSAGE');
    expect(value(getVias(m))).toEqual([
      {
        protocol: 'SIP/2.0',
        transport: 'UDP',
        host: '127.0.0.1',
        port: 5070,
        params: { branch: 'z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-', rport: null },
      },
    ]);
    expect(sip(value(getRoutes(m))[0]!.uri)).toMatchObject({ host: '127.0.0.1', port: 5080 });
    expect(value(getContentType(m))).toEqual({
      type: 'multipart',
      subtype: 'mixed',
      params: { boundary: '7a9cbec02ceef655' },
    });
    expect(m.headers.get('Date')).toBe('Sat, 15 Oct 2005 04:44:56 GMT');
    expect(m.headers.get('Identity')).toMatch(/^r5mwreLuyDRYBi\/0TiPwEsY3rEVsk.*MWYUA=$/);
    expect(value(getContentLength(m))).toBe(553);
    expect(m.body).toHaveLength(553);
    expect(m.body.startsWith('--7a9cbec02ceef655\r\nContent-Type: text/plain\r\n')).toBe(true);
    expect(m.body).toContain('\u0000');
    expect(m.body.endsWith('\r\n--7a9cbec02ceef655--\r\n')).toBe(true);
  });

  it('3.1.1.12 unreason: a reason phrase with UTF-8 and unreserved characters is kept as sent', () => {
    const m = response('unreason');
    expect(m.status).toBe(200);
    expect(m.reason).toBe('= 2**3 * 5**2 но сто девяносто девять - простое');
    expect(value(getCSeq(m))).toEqual({ seq: 35, method: 'INVITE' });
    expect(value(getTo(m)).params).toEqual({ tag: '2229' });
    expect(m.body).toHaveLength(154);
  });

  it('3.1.1.13 noreason: an empty reason phrase is accepted', () => {
    const m = response('noreason');
    expect(m.status).toBe(100);
    expect(m.reason).toBe('');
    expect(value(getVias(m))[0]!.params).toEqual({ branch: 'z9hG4bK2398ndaoe' });
    expect(value(getTo(m)).params).toEqual({ tag: '902jndnke3' });
  });
});

describe('RFC 4475 §3.1.2 Invalid Messages', () => {
  it('3.1.2.1 badinv01: empty Via and Contact parameters are rejected (UA answers 400)', () => {
    expectMalformed(load('badinv01'), ['bad-header-value'], [getVias, getContact]);
  });

  it('3.1.2.2 clerr: a Content-Length larger than the message is rejected (400)', () => {
    // One WebSocket message is one SIP message (RFC 7118 §5.1), so, as with UDP, no more octets will come.
    const r = parseMessage(load('clerr'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('content-length-mismatch');
  });

  it('3.1.2.3 ncl: a negative Content-Length is rejected (400)', () => {
    expectMalformed(load('ncl'), ['bad-header-value', 'content-length-mismatch'], [getContentLength]);
  });

  it('3.1.2.4 scalar02: a CSeq above 2**32-1 is rejected (400); other overlarge scalars are never taken as valid', () => {
    expectMalformed(load('scalar02'), ['bad-header-value'], [getCSeq]);
    const r = parseMessage(load('scalar02'));
    if (r.ok) {
      // "could process the request as if the field were absent" / "treat them as the default":
      // either way, never as the overlarge number.
      const mf = getMaxForwards(r.value);
      expect(mf.ok ? mf.value : 'rejected', 'Max-Forwards is 0-255 (RFC 3261 §20.22)').not.toBe(300);
      const expires = getExpires(r.value);
      expect(expires.ok ? (expires.value ?? 0) : 0, 'Expires is 0 to 2**32-1 (§20.19)').toBeLessThanOrEqual(
        2 ** 32 - 1,
      );
    }
  });

  it('3.1.2.5 scalarlg: a response with a CSeq above 2**32-1 is rejected (the UA drops it)', () => {
    expectMalformed(load('scalarlg'), ['bad-header-value'], [getCSeq]);
  });

  it('3.1.2.6 quotbal: an unterminated quoted display name is rejected (400)', () => {
    expectMalformed(load('quotbal'), ['bad-header-value'], [getTo]);
  });

  it('3.1.2.7 ltgtruri: a Request-URI in <> is rejected (400), or read without the brackets', () => {
    expectRejectedOrLiberal(load('ltgtruri'), ['bad-uri', 'bad-start-line'], [], (m) => {
      expect(sip((m as SipRequest).uri)).toMatchObject({ user: 'user', host: 'example.com' });
    });
  });

  it('3.1.2.8 lwsruri: LWS inside the Request-URI is rejected (400), or ignored', () => {
    expectRejectedOrLiberal(load('lwsruri'), ['bad-uri', 'bad-start-line', 'bad-version'], [], (m) => {
      const uri = sip((m as SipRequest).uri);
      expect(uri).toMatchObject({ user: 'user', host: 'example.com' });
      expect(uri.params).toEqual({ lr: null });
    });
  });

  it('3.1.2.9 lwsstart: several SP between Request-Line elements are rejected, or ignored', () => {
    expectRejectedOrLiberal(load('lwsstart'), ['bad-start-line', 'bad-uri', 'bad-version'], [], (m) => {
      expect((m as SipRequest).method).toBe('INVITE');
      expect(sip((m as SipRequest).uri)).toMatchObject({ user: 'user', host: 'example.com' });
    });
  });

  it('3.1.2.10 trws: SP after the SIP-Version is rejected, or ignored', () => {
    expectRejectedOrLiberal(load('trws'), ['bad-start-line', 'bad-version'], [], (m) => {
      expect((m as SipRequest).method).toBe('OPTIONS');
      expect(sip((m as SipRequest).uri)).toMatchObject({ user: 'remote-target', host: 'example.com' });
    });
  });

  it('3.1.2.11 escruri: escaped headers in the Request-URI are rejected (400), or never turned into headers', () => {
    expectRejectedOrLiberal(load('escruri'), ['bad-uri', 'bad-start-line'], [], (m) => {
      expect(sip((m as SipRequest).uri)).toMatchObject({ user: 'user', host: 'example.com' });
      expect(m.headers.has('Route')).toBe(false);
    });
  });

  it('3.1.2.12 baddate: a non-GMT Date is kept as text: a UA that does not use Date must not reject', () => {
    const m = request('baddate');
    expect(m.headers.get('Date')).toBe('Fri, 01 Jan 2010 16:00:00 EST');
    expect(value(getCSeq(m))).toEqual({ seq: 1392934, method: 'INVITE' });
    expect(m.body).toHaveLength(150);
  });

  it('3.1.2.13 regbadct: an addr-spec Contact with URI headers is rejected (400), or read unambiguously', () => {
    expectRejectedOrLiberal(load('regbadct'), ['bad-header-value'], [getContact], (m) => {
      const uri = sip(contacts(m)[0]!.uri);
      expect(uri).toMatchObject({ user: 'user', host: 'example.com' });
      expect(uri.headers).toEqual({ Route: '%3Csip:sip.example.com%3E' });
    });
  });

  it('3.1.2.14 badaspec: spaces inside <addr-spec> do not break the parser (400, or ignored)', () => {
    expectRejectedOrLiberal(load('badaspec'), ['bad-header-value'], [getTo], (m) => {
      const to = value(getTo(m));
      expect(to.displayName).toBe('Watson, Thomas');
      expect(sip(to.uri)).toMatchObject({ user: 't.watson', host: 'example.org' });
    });
  });

  it('3.1.2.15 baddn: unquoted display names with non-token characters are rejected (400), or quoted', () => {
    const names = (m: SipMessage) => {
      expect(value(getFrom(m)).displayName).toBe('Bell, Alexander');
      expect(value(getTo(m)).displayName).toBe('Watson, Thomas');
    };
    // As published, the message also lacks the empty line that ends the header section (§7) …
    expectRejectedOrLiberal(load('baddn'), ['bad-header-value', 'bad-header-line'], [getFrom, getTo], names);
    // … so the display names are judged again with that line added.
    expectRejectedOrLiberal(`${load('baddn')}\r\n`, ['bad-header-value'], [getFrom, getTo], names);
  });

  it('3.1.2.16 badvers: SIP/7.0 is reported as a version problem (UA answers 505)', () => {
    const r = parseMessage(load('badvers'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('bad-version');
  });

  it('3.1.2.17 mismatch01: start line and CSeq methods both reach the UA, which answers 400', () => {
    const m = request('mismatch01');
    expect(m.method).toBe('OPTIONS');
    expect(value(getCSeq(m))).toEqual({ seq: 8, method: 'INVITE' });
  });

  it('3.1.2.18 mismatch02: an unknown method with a mismatched CSeq reaches the UA, which answers 501', () => {
    const m = request('mismatch02');
    expect(m.method).toBe('NEWMETHOD');
    expect(value(getCSeq(m))).toEqual({ seq: 8, method: 'INVITE' });
    expect(m.body).toHaveLength(138);
  });

  it('3.1.2.19 bigcode: a status code above 699 is rejected (the UA drops the response)', () => {
    const r = parseMessage(load('bigcode'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('bad-status');
  });
});

describe('RFC 4475 §3.2 Transaction Layer Semantics', () => {
  it('3.2.1 badbranch: a branch of only the magic cookie parses; the UA sees the bare cookie', () => {
    const m = request('badbranch');
    expect(value(getVias(m))).toEqual([
      { protocol: 'SIP/2.0', transport: 'UDP', host: '192.0.2.1', params: { branch: 'z9hG4bK' } },
    ]);
    expect(value(getCSeq(m))).toEqual({ seq: 8, method: 'OPTIONS' });
  });
});

describe('RFC 4475 §3.3 Application-Layer Semantics', () => {
  it('3.3.1 insuf: missing Call-ID, From and To are reported, not crashed on (UA answers 400)', () => {
    expectMalformed(load('insuf'), ['missing-header'], [getCallId, getFrom, getTo], 'all');
  });

  it('3.3.2 unkscm: a Request-URI with an unknown scheme parses; the UA sees the scheme (416)', () => {
    const m = request('unkscm');
    expect(m.uri.scheme).toBe('nobodyknowsthisscheme');
    expect(m.uri).toEqual({
      scheme: 'nobodyknowsthisscheme',
      raw: 'nobodyKnowsThisScheme:totallyopaquecontent',
    });
  });

  it('3.3.3 novelsc: a known but atypical Request-URI scheme parses; the UA sees the scheme (416)', () => {
    const m = request('novelsc');
    expect(m.uri).toEqual({ scheme: 'soap.beep', raw: 'soap.beep://192.0.2.103:3002' });
  });

  it('3.3.4 unksm2: unknown schemes in To, From and Contact parse', () => {
    const m = request('unksm2');
    expect(value(getTo(m)).uri).toEqual({ scheme: 'isbn', raw: 'isbn:2983792873' });
    const from = value(getFrom(m));
    expect(from.uri).toEqual({ scheme: 'http', raw: 'http://www.example.com' });
    expect(from.params).toEqual({ tag: '3234233' });
    expect(contacts(m).map((c) => c.uri)).toEqual([{ scheme: 'name', raw: 'name:John_Smith' }]);
  });

  it('3.3.5 bext01: Require and Proxy-Require option tags reach the UA (420 listing the Require tags)', () => {
    const m = request('bext01');
    expect(value(getTokens(m, 'Require'))).toEqual(['nothingSupportsThis', 'nothingSupportsThisEither']);
    expect(value(getTokens(m, 'Proxy-Require'))).toEqual([
      'noProxiesSupportThis',
      'norDoAnyProxiesSupportThis',
    ]);
    expect(value(getVias(m))[0]).toMatchObject({ transport: 'TLS', host: 'fold-and-staple.example.com' });
  });

  it('3.3.6 invut: an unknown Content-Type reaches the UA with its body (415)', () => {
    const m = request('invut');
    expect(value(getContentType(m))).toEqual({ type: 'application', subtype: 'unknownformat', params: {} });
    expect(m.body).toBe('<audio>\r\n <pcmu port="443"/>\r\n</audio>\r\n');
  });

  it('3.3.7 regaut01: an unknown authorization scheme parses as an opaque credential', () => {
    const m = request('regaut01');
    expect(value(getAuthValues(m, 'Authorization'))).toEqual([
      { scheme: 'NoOneKnowsThisScheme', params: { 'opaque-data': 'here' } },
    ]);
    expect(value(getContentLength(m))).toBe(0);
  });

  it('3.3.8 multi01: repeated single-value headers are all reported (UA answers 400)', () => {
    expectMalformed(
      load('multi01'),
      ['bad-header-value'],
      [getCSeq, getCallId, getFrom, getTo, getMaxForwards],
      'all',
    );
  });

  it('3.3.9 mcl01: two Content-Length values are rejected (400)', () => {
    expectMalformed(load('mcl01'), ['bad-header-value', 'content-length-mismatch'], [getContentLength]);
  });

  it('3.3.10 bcast: a 200 with a broadcast second Via parses; only the top Via concerns the UA', () => {
    const m = response('bcast');
    expect(m.status).toBe(200);
    const vias = value(getVias(m));
    expect(vias.map((v) => [v.host, v.params['branch']])).toEqual([
      ['192.0.2.198', 'z9hG4bK1324923'],
      ['255.255.255.255', 'z9hG4bK1saber23'],
    ]);
  });

  it('3.3.11 zeromf: Max-Forwards 0 parses as 0 (a UAS still answers the OPTIONS)', () => {
    const m = request('zeromf');
    expect(value(getMaxForwards(m))).toBe(0);
  });

  it('3.3.12 cparam01: in an addr-spec Contact, ";unknownparam" is a header parameter', () => {
    const [c, ...rest] = contacts(request('cparam01'));
    expect(rest).toEqual([]);
    expect(sip(c!.uri)).toMatchObject({ user: '+19725552222', host: 'gw1.example.net' });
    expect(sip(c!.uri).params).toEqual({});
    expect(c!.params).toEqual({ unknownparam: null });
  });

  it('3.3.13 cparam02: inside <>, ";unknownparam" is a URI parameter', () => {
    const [c] = contacts(request('cparam02'));
    expect(sip(c!.uri).params).toEqual({ unknownparam: null });
    expect(c!.params).toEqual({});
  });

  it('3.3.14 regescrt: an escaped header in a Contact URI is kept in the URI (as written)', () => {
    const m = request('regescrt');
    const [c] = contacts(m);
    expect(sip(c!.uri)).toMatchObject({ user: 'user', host: 'example.com' });
    expect(sip(c!.uri).headers).toEqual({ Route: '%3Csip:sip.example.com%3E' });
    expect(percentDecode(sip(c!.uri).headers['Route'] ?? '')).toBe('<sip:sip.example.com>');
    expect(m.headers.has('Route')).toBe(false);
    expect(value(getContentLength(m))).toBe(0);
  });

  it('3.3.15 sdp01: an Accept the UA cannot satisfy reaches it intact (406)', () => {
    const m = request('sdp01');
    expect(m.headers.getAll('Accept')).toEqual(['text/nobodyKnowsThis']);
    expect(value(getContentType(m))).toMatchObject({ type: 'application', subtype: 'sdp' });
    expect(m.body).toHaveLength(150);
  });
});

describe('RFC 4475 §3.4 Backward Compatibility', () => {
  it('3.4.1 inv2543: an RFC 2543 INVITE (no branch, tag, Max-Forwards or Content-Length) is accepted', () => {
    const m = request('inv2543');
    expect(m.method).toBe('INVITE');
    expect(sip(m.uri)).toMatchObject({ user: 'UserB', host: 'example.com' });
    expect(value(getVias(m))).toEqual([
      { protocol: 'SIP/2.0', transport: 'UDP', host: 'iftgw.example.com', params: {} },
    ]);
    const from = value(getFrom(m));
    expect(from.params).toEqual({});
    expect(sip(from.uri).params).toEqual({ user: 'phone' });
    // addr-spec form: ";user=phone" is a To header parameter here
    const to = value(getTo(m));
    expect(sip(to.uri)).toMatchObject({ user: '+16505552222', host: 'ss1.example.net' });
    expect(to.params).toEqual({ user: 'phone' });
    expect(sip(value(getRecordRoutes(m))[0]!.uri).params).toEqual({ maddr: 'ss1.example.com' });
    expect(value(getMaxForwards(m))).toBeUndefined();
    // Without Content-Length, the body is everything after the empty line.
    expect(m.body.startsWith(SDP_START)).toBe(true);
    expect(m.body.endsWith('m=audio 49217 RTP/AVP 0\r\n')).toBe(true);
  });
});

describe('RFC 4475 fixtures', () => {
  it('holds the 49 messages of §3, every line ending in CRLF', () => {
    const names = readdirSync(FIXTURES).filter((f) => f.endsWith('.sip'));
    expect(names).toHaveLength(49);
    // mpart01 is left out: its binary part holds 0x0A octets of its own.
    for (const file of names.filter((f) => f !== 'mpart01.sip')) {
      const text = readFileSync(new URL(file, FIXTURES), 'latin1');
      expect(text.replace(/\r\n/g, ''), file).not.toContain('\n');
    }
  });
});
