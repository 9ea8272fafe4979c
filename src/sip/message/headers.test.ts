import { describe, expect, it } from 'vitest';
import {
  formatAuthValue,
  formatCSeq,
  formatContact,
  formatEvent,
  formatMediaType,
  formatNameAddr,
  formatRAck,
  formatReason,
  formatReplaces,
  formatRetryAfter,
  formatSessionExpires,
  formatSubscriptionState,
  formatVia,
  getAllow,
  getAuthValues,
  getCSeq,
  getCallId,
  getContact,
  getContentLength,
  getContentType,
  getEvent,
  getExpires,
  getFrom,
  getMaxForwards,
  getMinExpires,
  getMinSE,
  getPAssertedIdentities,
  getRAck,
  getRSeq,
  getReasons,
  getRecordRoutes,
  getReferTo,
  getReferredBy,
  getReplaces,
  getRequire,
  getRetryAfter,
  getRoutes,
  getSessionExpires,
  getSubscriptionState,
  getSupported,
  getTo,
  getTokens,
  getVias,
  type HasHeaders,
} from './headers';
import { SipHeaders } from './sip-message';
import type { ParseResult } from '../parser/parse-result';
import type { Params, SipUri } from './types';

function m(...fields: Array<[string, string]>): HasHeaders {
  return { headers: new SipHeaders(fields) };
}

function value<T>(r: ParseResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function errorOf<T>(r: ParseResult<T>) {
  expect(r.ok).toBe(false);
  return r.ok ? undefined : r.error;
}

const sip = (user: string | undefined, host: string, params: Params = {}, port?: number): SipUri => ({
  scheme: 'sip',
  ...(user === undefined ? {} : { user }),
  host,
  ...(port === undefined ? {} : { port }),
  params,
  headers: {},
});

describe('§20.42 Via', () => {
  it('reads every via-parm across values and fields, with all parameters', () => {
    const vias = value(
      getVias(
        m(
          [
            'Via',
            'SIP/2.0/WSS a.invalid;branch=z9hG4bK1;rport, SIP / 2.0 / udp [2001:db8::1]:5060 ;received=2001:db8::9;ttl=1',
          ],
          [
            'v',
            'SIP/2.0/TCP b.example.com:5070;branch=z9hG4bK2;maddr=224.2.0.1;rport=5070;received=192.0.2.1',
          ],
        ),
      ),
    );
    expect(vias).toEqual([
      {
        protocol: 'SIP/2.0',
        transport: 'WSS',
        host: 'a.invalid',
        params: { branch: 'z9hG4bK1', rport: null },
      },
      {
        protocol: 'SIP/2.0',
        transport: 'UDP',
        host: '[2001:db8::1]',
        port: 5060,
        params: { received: '2001:db8::9', ttl: '1' },
      },
      {
        protocol: 'SIP/2.0',
        transport: 'TCP',
        host: 'b.example.com',
        port: 5070,
        params: { branch: 'z9hG4bK2', maddr: '224.2.0.1', rport: '5070', received: '192.0.2.1' },
      },
    ]);
  });

  // The column points at the problem: the cursor where the reader gave up.
  it.each([
    ['SIP/2.0 a.invalid', 8], // sent-protocol without its transport
    ['SIP/2.0/UDP', 12], // no whitespace before sent-by
    ['SIP/2.0/UDP host:70000', 23], // port above 65535
    ['SIP/2.0/UDP host;branch', 0], // a flag parameter is legal
    ['SIP/2.0/UDP host;=x', 18], // parameter without a name
    ['SIP/2.0/UDP host junk', 18], // junk instead of ','
    ['SIP/2.0/UDP [::1', 13], // malformed IPv6 reference
  ])('rejects %j at column %i', (v, column) => {
    if (column === 0) {
      expect(value(getVias(m(['Via', v])))[0]?.params).toEqual({ branch: null });
      return;
    }
    const e = errorOf(getVias(m(['Via', v])));
    expect(e).toEqual({
      code: 'bad-header-value',
      message: 'Via: bad-header-value',
      line: 0,
      column,
      header: 'Via',
    });
  });

  it('reports a missing Via as missing-header', () => {
    expect(errorOf(getVias(m()))).toMatchObject({ code: 'missing-header', header: 'Via' });
  });

  it('formats a Via that parses back to itself', () => {
    const via = {
      protocol: 'SIP/2.0',
      transport: 'WSS',
      host: 'h.invalid',
      port: 443,
      params: { branch: 'z9hG4bK1', rport: null },
    };
    expect(formatVia(via)).toBe('SIP/2.0/WSS h.invalid:443;branch=z9hG4bK1;rport');
    expect(value(getVias(m(['Via', formatVia(via)])))).toEqual([via]);
  });
});

describe('§20.20 From / §20.39 To (name-addr and addr-spec)', () => {
  it.each<[string, object]>([
    ['<sip:alice@atlanta.com>;tag=88sja8x', { uri: sip('alice', 'atlanta.com'), params: { tag: '88sja8x' } }],
    [
      '"A. G. Bell" <sip:agb@bell-telephone.com> ;tag=a48s',
      { displayName: 'A. G. Bell', uri: sip('agb', 'bell-telephone.com'), params: { tag: 'a48s' } },
    ],
    [
      'Anonymous <sip:c8oqz84zk7z@privacy.org>;tag=hyh8',
      { displayName: 'Anonymous', uri: sip('c8oqz84zk7z', 'privacy.org'), params: { tag: 'hyh8' } },
    ],
    [
      'sip:+12125551212@phone2net.com;tag=887s',
      { uri: sip('+12125551212', 'phone2net.com'), params: { tag: '887s' } },
    ],
    ['sip:bob@biloxi.com;transport=tcp', { uri: sip('bob', 'biloxi.com'), params: { transport: 'tcp' } }],
    [
      '<sip:bob@biloxi.com;transport=tcp>',
      { uri: sip('bob', 'biloxi.com', { transport: 'tcp' }), params: {} },
    ],
    [
      '"Say \\"hi\\", \\\\ bye" <sip:a@b>',
      { displayName: 'Say "hi", \\ bye', uri: sip('a', 'b'), params: {} },
    ],
    ['""<sip:a@b>', { displayName: '', uri: sip('a', 'b'), params: {} }],
    [
      'Lee M. Foote <sips:lee.foote@example.com>',
      {
        displayName: 'Lee M. Foote',
        uri: { ...sip('lee.foote', 'example.com'), scheme: 'sips' },
        params: {},
      },
    ],
    ['Jürgen <sip:j@example.com>', { displayName: 'Jürgen', uri: sip('j', 'example.com'), params: {} }],
    // tel: URIs are kept verbatim by the core (message/tel-uri.ts parses them, opt-in).
    [
      '<tel:+1-212-555-0101>;tag=1',
      { uri: { scheme: 'tel', raw: 'tel:+1-212-555-0101' }, params: { tag: '1' } },
    ],
    ['<urn:uuid:abc>', { uri: { scheme: 'urn', raw: 'urn:uuid:abc' }, params: {} }],
  ])('reads %j', (text, expected) => {
    expect(value(getFrom(m(['From', text])))).toEqual(expected);
    expect(value(getTo(m(['t', text])))).toEqual(expected);
  });

  it.each([
    ['"unterminated <sip:a@b>', 24],
    ['<sip:a@b', 1], // no '>'
    ['<sip:a b@c>', 7], // the URI's bad character
    ['"x" sip:a@b', 5], // a quoted display name needs '<'
    ['<sip:a@b>;tag=1, <sip:c@d>', 16], // From is not a list
    ['<sip:a@b> junk', 11],
    ['', 1], // no URI
    ['alice@atlanta.com', 1], // no scheme
  ])('rejects %j at column %i', (text, column) => {
    const e = errorOf(getFrom(m(['From', text])));
    expect(e).toMatchObject({ code: 'bad-header-value', header: 'From', column });
  });

  it('rejects a second From field (single-value header)', () => {
    expect(errorOf(getFrom(m(['From', '<sip:a@b>'], ['f', '<sip:c@d>'])))).toMatchObject({
      code: 'bad-header-value',
    });
  });

  it('reports a missing To as missing-header', () => {
    expect(errorOf(getTo(m()))).toMatchObject({ code: 'missing-header', header: 'To' });
  });

  it('formats a name-addr that parses back to itself', () => {
    const n = {
      displayName: 'Say "hi"',
      uri: sip('a', 'b', { lr: null }),
      params: { tag: 'x', '+sip.instance': '<urn:uuid:1>' },
    };
    expect(formatNameAddr(n)).toBe('"Say \\"hi\\"" <sip:a@b;lr>;tag=x;+sip.instance="<urn:uuid:1>"');
    expect(value(getFrom(m(['From', formatNameAddr(n)])))).toEqual(n);
  });
});

describe('§20.8 Call-ID and §20.16 CSeq', () => {
  it('reads Call-ID in its compact form', () => {
    expect(value(getCallId(m(['i', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com'])))).toBe(
      'f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com',
    );
  });

  it.each(['', 'a b', 'ä'])('rejects Call-ID %j', (v) => {
    expect(errorOf(getCallId(m(['Call-ID', v])))).toMatchObject({
      code: 'bad-header-value',
      header: 'Call-ID',
    });
  });

  it('reads CSeq and formats it back', () => {
    const c = value(getCSeq(m(['CSeq', '4711   INVITE'])));
    expect(c).toEqual({ seq: 4711, method: 'INVITE' });
    expect(formatCSeq(c)).toBe('4711 INVITE');
  });

  it.each(['INVITE', '1', '1INVITE', '-1 INVITE', '2147483648 INVITE', '1 INVITE x', '99999999999 INVITE'])(
    'rejects CSeq %j',
    (v) => {
      expect(errorOf(getCSeq(m(['CSeq', v])))).toMatchObject({ code: 'bad-header-value', header: 'CSeq' });
    },
  );
});

describe('§20.10 Contact', () => {
  it('reads several contacts across fields with expires, q, +sip.instance and reg-id', () => {
    const c = value(
      getContact(
        m(
          [
            'Contact',
            '"Mr. Watson" <sip:watson@worcester.bell-telephone.com>;q=0.7; expires=3600, <sip:a@b;transport=ws;ob>;reg-id=1;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"',
          ],
          ['m', 'sip:c@d;expires=0'],
        ),
      ),
    );
    expect(c).toEqual({
      star: false,
      contacts: [
        {
          displayName: 'Mr. Watson',
          uri: sip('watson', 'worcester.bell-telephone.com'),
          params: { q: '0.7', expires: '3600' },
        },
        {
          uri: sip('a', 'b', { transport: 'ws', ob: null }),
          params: { 'reg-id': '1', '+sip.instance': '<urn:uuid:00000000-0000-1000-8000-000A95A0E128>' },
        },
        { uri: sip('c', 'd'), params: { expires: '0' } },
      ],
    });
    expect(c && formatContact(c)).toContain(
      '"Mr. Watson" <sip:watson@worcester.bell-telephone.com>;q=0.7;expires=3600, <sip:a@b;transport=ws;ob>',
    );
  });

  it('splits only at top-level commas (not inside quotes or <…>)', () => {
    const c = value(getContact(m(['Contact', '"Doe, John" <sip:a,b@c;x=1>, <sip:c@d>'])));
    expect(c?.star === false && c.contacts.map((x) => x.displayName)).toEqual(['Doe, John', undefined]);
  });

  it('reads the * wildcard', () => {
    expect(value(getContact(m(['Contact', ' * '])))).toEqual({ star: true });
    expect(formatContact({ star: true })).toBe('*');
  });

  it('rejects * mixed with addresses', () => {
    expect(errorOf(getContact(m(['Contact', '*'], ['Contact', '<sip:a@b>'])))).toMatchObject({
      code: 'bad-header-value',
    });
    expect(errorOf(getContact(m(['Contact', '*, <sip:a@b>'])))).toMatchObject({ code: 'bad-header-value' });
  });

  it('is undefined when absent', () => {
    expect(value(getContact(m()))).toBeUndefined();
  });
});

describe('§20.34 Route / §20.30 Record-Route / RFC 3325 P-Asserted-Identity', () => {
  it('reads routes in order across fields', () => {
    const routes = value(
      getRoutes(
        m(
          ['Route', '<sip:p1.example.com;lr>, <sip:p2.example.com;lr>'],
          ['Route', '<sip:p3.example.com;lr>'],
        ),
      ),
    );
    expect(routes.map((r) => (r.uri as { host: string }).host)).toEqual([
      'p1.example.com',
      'p2.example.com',
      'p3.example.com',
    ]);
    expect(routes[0]?.uri).toEqual(sip(undefined, 'p1.example.com', { lr: null }));
  });

  it('is empty when absent and fails on a bad element', () => {
    expect(value(getRecordRoutes(m()))).toEqual([]);
    expect(errorOf(getRecordRoutes(m(['Record-Route', '<sip:p1;lr>, <bad>'])))).toMatchObject({
      header: 'Record-Route',
    });
  });

  it('reads P-Asserted-Identity values', () => {
    const ids = value(
      getPAssertedIdentities(
        m(['P-Asserted-Identity', '"Cullen Jennings" <sip:fluffy@cisco.com>, <tel:+14085264000>']),
      ),
    );
    expect(ids.map((i) => i.uri.scheme)).toEqual(['sip', 'tel']);
  });
});

describe('numeric headers: Max-Forwards, Content-Length, Expires, Min-Expires, RSeq, Min-SE', () => {
  it('reads the numbers', () => {
    const msg = m(
      ['Max-Forwards', '70'],
      ['l', '0'],
      ['Expires', '3600'],
      ['Min-Expires', '60'],
      ['RSeq', '988789'],
      ['Min-SE', '90;x=y'],
    );
    expect(
      [getMaxForwards, getContentLength, getExpires, getMinExpires, getRSeq, getMinSE].map((g) =>
        value(g(msg)),
      ),
    ).toEqual([70, 0, 3600, 60, 988789, 90]);
  });

  it('clamps delta-seconds to 2^32-1', () => {
    expect(value(getExpires(m(['Expires', '99999999999999'])))).toBe(4294967295);
  });

  it('is undefined when absent', () => {
    expect(value(getExpires(m()))).toBeUndefined();
  });

  it.each(['', 'abc', '-1', '1.5', '10 s', '256'])('rejects Max-Forwards %j', (v) => {
    expect(errorOf(getMaxForwards(m(['Max-Forwards', v])))).toMatchObject({
      code: 'bad-header-value',
      header: 'Max-Forwards',
    });
  });

  it('rejects two Expires fields', () => {
    expect(errorOf(getExpires(m(['Expires', '1'], ['Expires', '2'])))).toMatchObject({
      code: 'bad-header-value',
    });
  });
});

describe('§20.15 Content-Type', () => {
  it('reads type, subtype and parameters (compact form c)', () => {
    const t = value(getContentType(m(['c', 'Multipart/Mixed; boundary="unique-boundary-1"; charset=UTF-8'])));
    expect(t).toEqual({
      type: 'multipart',
      subtype: 'mixed',
      params: { boundary: 'unique-boundary-1', charset: 'UTF-8' },
    });
    expect(t && formatMediaType(t)).toBe('multipart/mixed;boundary=unique-boundary-1;charset=UTF-8');
  });

  it.each(['application', 'application/', '/sdp', 'application/sdp;'])('rejects %j', (v) => {
    expect(errorOf(getContentType(m(['Content-Type', v])))).toMatchObject({ header: 'Content-Type' });
  });
});

describe('token lists: Allow, Supported (k), Require, Allow-Events (u)', () => {
  it('reads across fields, skipping empty elements', () => {
    const msg = m(
      ['Allow', 'INVITE, ACK,CANCEL'],
      ['Allow', 'BYE'],
      ['k', 'timer, 100rel,,replaces'],
      ['Require', ''],
      ['u', 'presence, dialog'],
    );
    expect(value(getAllow(msg))).toEqual(['INVITE', 'ACK', 'CANCEL', 'BYE']);
    expect(value(getSupported(msg))).toEqual(['timer', '100rel', 'replaces']);
    expect(value(getRequire(msg))).toEqual([]);
    expect(value(getTokens(msg, 'allow-events'))).toEqual(['presence', 'dialog']);
    expect(value(getTokens(msg, 'Unsupported'))).toEqual([]);
  });

  it('rejects a non-token element', () => {
    expect(errorOf(getSupported(m(['Supported', 'timer, "x"'])))).toMatchObject({
      header: 'Supported',
      column: 8,
    });
  });
});

describe('§22 / RFC 7616 authentication headers', () => {
  it('reads several challenges in one field and across fields', () => {
    const msg = m(
      [
        'WWW-Authenticate',
        'Digest realm="atlanta.com, inc", domain="sip:boxesbybob.com", qop="auth,auth-int", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5, Digest realm="b", nonce="2", algorithm=SHA-256',
      ],
      ['WWW-Authenticate', 'Bearer realm="x", Basic realm="y"'],
    );
    const auth = value(getAuthValues(msg, 'WWW-Authenticate'));
    expect(auth).toEqual([
      {
        scheme: 'Digest',
        params: {
          realm: 'atlanta.com, inc',
          domain: 'sip:boxesbybob.com',
          qop: 'auth,auth-int',
          nonce: 'f84f1cec41e6cbe5aea9c8e88d359',
          opaque: '',
          stale: 'FALSE',
          algorithm: 'MD5',
        },
      },
      { scheme: 'Digest', params: { realm: 'b', nonce: '2', algorithm: 'SHA-256' } },
      { scheme: 'Bearer', params: { realm: 'x' } },
      { scheme: 'Basic', params: { realm: 'y' } },
    ]);
  });

  it('reads credentials with every digest parameter, names case-insensitive', () => {
    const msg = m([
      'Authorization',
      'Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", RESPONSE="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41", algorithm=MD5, userhash=false',
    ]);
    const [cred] = value(getAuthValues(msg, 'Authorization'));
    expect(cred?.params).toEqual({
      username: 'bob',
      realm: 'biloxi.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      uri: 'sip:bob@biloxi.com',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
      response: '6629fae49393a05397450978507c4ef1',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      algorithm: 'MD5',
      userhash: 'false',
    });
    expect(cred && formatAuthValue(cred)).toBe(
      'Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41", algorithm=MD5, userhash=false',
    );
  });

  it('quotes qop in a challenge and round-trips it', () => {
    const ch = {
      scheme: 'Digest',
      params: { realm: 'r', nonce: 'n', qop: 'auth', algorithm: 'SHA-256', stale: 'true' },
    };
    expect(formatAuthValue(ch)).toBe(
      'Digest realm="r", nonce="n", qop="auth", algorithm=SHA-256, stale=true',
    );
    expect(
      value(getAuthValues(m(['Proxy-Authenticate', formatAuthValue(ch)]), 'Proxy-Authenticate')),
    ).toEqual([ch]);
  });

  it('rejects the token68 form of RFC 7235, which RFC 3261 grammar does not have', () => {
    expect(
      errorOf(getAuthValues(m(['Authorization', 'Bearer mF_9.B5f-4.1JqM==']), 'Authorization')),
    ).toMatchObject({ code: 'bad-header-value', header: 'Authorization' });
  });

  it.each([
    'Digest realm="x" junk',
    'Digest realm="x',
    'Digest realm=, nonce=1',
    '"Digest" realm=x',
    'Digest realm=x nonce=y',
  ])('rejects %j', (v) => {
    expect(errorOf(getAuthValues(m(['Proxy-Authorization', v]), 'Proxy-Authorization'))).toMatchObject({
      code: 'bad-header-value',
      header: 'Proxy-Authorization',
    });
  });

  it('is empty when absent', () => {
    expect(value(getAuthValues(m(), 'WWW-Authenticate'))).toEqual([]);
  });
});

describe('RFC 6665 Event / Subscription-State', () => {
  it('reads Event (compact o) and Subscription-State', () => {
    const msg = m(
      ['o', 'presence.winfo;id=1234'],
      ['Subscription-State', 'Terminated;reason=timeout;retry-after=30'],
    );
    const ev = value(getEvent(msg));
    expect(ev).toEqual({ type: 'presence.winfo', params: { id: '1234' } });
    const st = value(getSubscriptionState(msg));
    expect(st).toEqual({ state: 'terminated', params: { reason: 'timeout', 'retry-after': '30' } });
    expect(ev && formatEvent(ev)).toBe('presence.winfo;id=1234');
    expect(st && formatSubscriptionState(st)).toBe('terminated;reason=timeout;retry-after=30');
  });

  it.each([';id=1', 'presence;', 'a b'])('rejects Event %j', (v) => {
    expect(errorOf(getEvent(m(['Event', v])))).toMatchObject({ header: 'Event' });
  });
});

describe('RFC 3515 Refer-To, RFC 3892 Referred-By, RFC 3891 Replaces', () => {
  it('reads Refer-To (compact r) with an embedded Replaces header', () => {
    const r = value(
      getReferTo(
        m([
          'r',
          '<sip:bob@biloxi.example.com?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994>',
        ]),
      ),
    );
    expect(r?.uri).toMatchObject({
      user: 'bob',
      headers: { Replaces: '12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994' },
    });
  });

  it('reads Referred-By (compact b) with cid', () => {
    expect(
      value(
        getReferredBy(
          m(['b', '<sip:referrer@referrer.example>;cid="20398823.2UWQFN309shb3@referrer.example"']),
        ),
      ),
    ).toEqual({
      uri: sip('referrer', 'referrer.example'),
      params: { cid: '20398823.2UWQFN309shb3@referrer.example' },
    });
  });

  it('reads Replaces and formats it back', () => {
    const r = value(
      getReplaces(m(['Replaces', '98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff;early-only'])),
    );
    expect(r).toEqual({
      callId: '98732@sip.example.com',
      params: { 'from-tag': 'r33th4x0r', 'to-tag': 'ff87ff', 'early-only': null },
    });
    expect(r && formatReplaces(r)).toBe('98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff;early-only');
  });

  it('rejects an empty Replaces', () => {
    expect(errorOf(getReplaces(m(['Replaces', ';to-tag=1'])))).toMatchObject({ header: 'Replaces' });
  });
});

describe('RFC 4028 Session-Expires, RFC 3262 RAck, RFC 3326 Reason, §20.33 Retry-After', () => {
  it('reads Session-Expires (compact x) with refresher', () => {
    const se = value(getSessionExpires(m(['x', '1800;refresher=uac'])));
    expect(se).toEqual({ seconds: 1800, params: { refresher: 'uac' } });
    expect(se && formatSessionExpires(se)).toBe('1800;refresher=uac');
  });

  it('reads RAck', () => {
    const r = value(getRAck(m(['RAck', '776656 1 INVITE'])));
    expect(r).toEqual({ rseq: 776656, cseq: 1, method: 'INVITE' });
    expect(r && formatRAck(r)).toBe('776656 1 INVITE');
  });

  it.each(['776656 1', '1 INVITE', 'a 1 INVITE', '1 2 INVITE x'])('rejects RAck %j', (v) => {
    expect(errorOf(getRAck(m(['RAck', v])))).toMatchObject({ header: 'RAck' });
  });

  it('reads several Reason values with quoted text containing commas', () => {
    const r = value(
      getReasons(
        m([
          'Reason',
          'SIP ;cause=200 ;text="Call completed elsewhere, thanks", Q.850;cause=16;text="Terminated"',
        ]),
      ),
    );
    expect(r).toEqual([
      { protocol: 'SIP', params: { cause: '200', text: 'Call completed elsewhere, thanks' } },
      { protocol: 'Q.850', params: { cause: '16', text: 'Terminated' } },
    ]);
    expect(r[0] && formatReason(r[0])).toBe('SIP;cause=200;text="Call completed elsewhere, thanks"');
  });

  it('reads Retry-After with a comment and duration', () => {
    const r = value(getRetryAfter(m(['Retry-After', '18000 (I am in a (long) meeting);duration=3600'])));
    expect(r).toEqual({ seconds: 18000, comment: 'I am in a (long) meeting', params: { duration: '3600' } });
    expect(r && formatRetryAfter(r)).toBe('18000 (I am in a (long) meeting);duration=3600');
    expect(errorOf(getRetryAfter(m(['Retry-After', '5 (open'])))).toMatchObject({ header: 'Retry-After' });
  });
});

describe('accessor caching', () => {
  it('returns the cached value until the header is mutated', () => {
    const msg = m(['Via', 'SIP/2.0/WS a.invalid;branch=z9hG4bK1']);
    const first = getVias(msg);
    expect(getVias(msg)).toBe(first);
    msg.headers.append('Via', 'SIP/2.0/WS b.invalid;branch=z9hG4bK2');
    const second = value(getVias(msg));
    expect(second).toHaveLength(2);
    msg.headers.set('v', 'SIP/2.0/WS c.invalid');
    expect(value(getVias(msg)).map((v) => v.host)).toEqual(['c.invalid']);
    msg.headers.delete('VIA');
    expect(errorOf(getVias(msg))).toMatchObject({ code: 'missing-header' });
  });

  it('keeps the cache of other headers when one header changes', () => {
    const msg = m(['From', '<sip:a@b>;tag=1'], ['To', '<sip:c@d>']);
    const from = getFrom(msg);
    msg.headers.set('To', '<sip:e@f>');
    expect(getFrom(msg)).toBe(from);
  });

  it('keeps the typed value of a header apart from a token-list read of the same header', () => {
    const msg = m(['Via', 'SIP/2.0/WS a.invalid;branch=z9hG4bK1']);
    const vias = getVias(msg);
    expect(errorOf(getTokens(msg, 'Via'))).toMatchObject({ code: 'bad-header-value' });
    expect(getVias(msg)).toBe(vias);
    expect(getTokens(msg, 'v')).toBe(getTokens(msg, 'Via'));
  });

  it('sees headers added, replaced or removed after a lookup found none', () => {
    const msg = m(['To', '<sip:c@d>']);
    expect(value(getSupported(msg))).toEqual([]);
    msg.headers.prepend('k', 'timer');
    expect(value(getSupported(msg))).toEqual(['timer']);
    msg.headers.delete('Supported');
    expect(value(getSupported(msg))).toEqual([]);
    msg.headers.set('supported', ['path', 'gruu']);
    expect(value(getSupported(msg))).toEqual(['path', 'gruu']);
    const copy = { headers: msg.headers.clone() };
    expect(value(getSupported(copy))).toEqual(['path', 'gruu']);
    msg.headers.set('Supported', []);
    expect(value(getSupported(msg))).toEqual([]);
    expect(value(getSupported(copy))).toEqual(['path', 'gruu']);
  });

  it('never alters or deletes the raw fields, even on a parse error', () => {
    const msg = m(['Via', 'garbage'], ['CSeq', 'x']);
    expect(getVias(msg).ok).toBe(false);
    expect(getCSeq(msg).ok).toBe(false);
    expect(msg.headers.fields()).toEqual([
      { name: 'Via', value: 'garbage' },
      { name: 'CSeq', value: 'x' },
    ]);
  });
});
