import { describe, expect, it } from 'vitest';
import { formatUri, isSipUri, parseUri, uriEquals } from './uri';
import { parseUriAt } from '../parser/parse-uri';
import type { Uri } from './types';
import { percentDecode, percentEncode } from './utf8';
import { HNV, PARAMCHAR_OUT, PASSWORD } from '../parser/chars';

function uri(text: string): Uri {
  const r = parseUri(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.value;
}

describe('RFC 3261 §19.1.1 SIP and SIPS URI components', () => {
  it.each([
    ['sip:alice@atlanta.com', { scheme: 'sip', user: 'alice', host: 'atlanta.com', params: {}, headers: {} }],
    [
      'sip:alice:secretword@atlanta.com;transport=tcp',
      {
        scheme: 'sip',
        user: 'alice:secretword',
        host: 'atlanta.com',
        params: { transport: 'tcp' },
        headers: {},
      },
    ],
    [
      'sips:alice@atlanta.com?subject=project%20x&priority=urgent',
      {
        scheme: 'sips',
        user: 'alice',
        host: 'atlanta.com',
        params: {},
        headers: { subject: 'project%20x', priority: 'urgent' },
      },
    ],
    [
      'sip:+1-212-555-1212:1234@gateway.com;user=phone',
      {
        scheme: 'sip',
        user: '+1-212-555-1212:1234',
        host: 'gateway.com',
        params: { user: 'phone' },
        headers: {},
      },
    ],
    ['sips:1212@gateway.com', { scheme: 'sips', user: '1212', host: 'gateway.com', params: {}, headers: {} }],
    ['sip:alice@192.0.2.4', { scheme: 'sip', user: 'alice', host: '192.0.2.4', params: {}, headers: {} }],
    [
      'sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com',
      {
        scheme: 'sip',
        host: 'atlanta.com',
        params: { method: 'REGISTER' },
        headers: { to: 'alice%40atlanta.com' },
      },
    ],
    [
      'sip:alice;day=tuesday@atlanta.com',
      { scheme: 'sip', user: 'alice;day=tuesday', host: 'atlanta.com', params: {}, headers: {} },
    ],
    [
      'SIP:Bob@Biloxi.COM:5061;LR',
      { scheme: 'sip', user: 'Bob', host: 'biloxi.com', port: 5061, params: { lr: null }, headers: {} },
    ],
    [
      'sip:[2001:db8::10]:5070',
      { scheme: 'sip', host: '[2001:db8::10]', port: 5070, params: {}, headers: {} },
    ],
    // Components are wire text: escapes are kept (§19.1.2), for percentDecode to resolve.
    [
      'sip:%61lice@atlanta.com',
      { scheme: 'sip', user: '%61lice', host: 'atlanta.com', params: {}, headers: {} },
    ],
    [
      'sip:j%C3%BCrgen@example.com',
      { scheme: 'sip', user: 'j%C3%BCrgen', host: 'example.com', params: {}, headers: {} },
    ],
    [
      'sip:a@b;maddr=[::1];x=%41',
      { scheme: 'sip', user: 'a', host: 'b', params: { maddr: '[::1]', x: '%41' }, headers: {} },
    ],
  ])('parses %s', (text, expected) => {
    expect(parseUri(text)).toEqual({ ok: true, value: expected });
  });

  // The column is the 1-based position of the offending character.
  it.each([
    ['sip:', 5], // missing host
    ['sip:@host', 5], // empty user part
    ['sip:alice@', 11], // missing host
    ['sip:alice@host:99999', 16], // port above 65535
    ['sip:alice@host:', 16], // empty port
    ['sip:alice@[::1', 11], // malformed IPv6 reference
    ['sip:alice@host;', 16], // empty parameter
    ['sip:alice@host;=x', 16], // parameter without a name
    ['sip:alice@host?x', 17], // URI header without "="
    ['sip:alice@ho st', 13],
    ['sip:al ice@host', 7],
    ['sip:alice:pa ss@host', 13],
    ['no-scheme', 1],
    [':x', 1],
    ['1sip:x', 1],
    ['urn:', 5], // nothing after the scheme
    ['mailto:a b', 9],
  ])('rejects %s at column %i', (text, column) => {
    expect(parseUri(text)).toEqual({
      ok: false,
      error: { code: 'bad-uri', message: 'bad-uri', line: 0, column },
    });
  });

  it('reports the column of the offending character', () => {
    const r = parseUri('sip:alice@host:99999');
    expect(r.ok ? 0 : r.error.column).toBe(16);
  });
});

describe('tel: and other schemes', () => {
  it('keeps a tel: URI verbatim (parseTelUri reads its parts, opt-in)', () => {
    expect(parseUri('tel:+1-201-555-0123;ext=1234')).toEqual({
      ok: true,
      value: { scheme: 'tel', raw: 'tel:+1-201-555-0123;ext=1234' },
    });
  });

  it('keeps other schemes verbatim', () => {
    expect(parseUri('urn:service:sos')).toEqual({
      ok: true,
      value: { scheme: 'urn', raw: 'urn:service:sos' },
    });
    expect(parseUri('HTTPS://example.com/a')).toEqual({
      ok: true,
      value: { scheme: 'https', raw: 'HTTPS://example.com/a' },
    });
  });

  it('narrows with isSipUri', () => {
    expect(isSipUri(uri('sips:a@b'))).toBe(true);
    expect(isSipUri(uri('tel:1'))).toBe(false);
  });
});

describe('formatUri (§25.1)', () => {
  it.each([
    'sip:alice@atlanta.com',
    'sip:alice:secretword@atlanta.com;transport=tcp',
    'sips:alice@atlanta.com?subject=project%20x&priority=urgent',
    'sip:+1-212-555-1212:1234@gateway.com;user=phone',
    'sip:[2001:db8::10]:5070;lr',
    'sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com',
    'tel:+1-201-555-0123;ext=1234',
    'urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
  ])('writes %s back unchanged', (text) => {
    expect(formatUri(uri(text))).toBe(text);
  });

  it('writes components as held, so a URI built from escaped text is valid', () => {
    const u = uri('sip:x@example.com');
    expect(
      formatUri({
        ...u,
        user: percentEncode('a b@c', PASSWORD) + ':' + percentEncode('p:w', PASSWORD),
        params: { k: percentEncode('v w', PARAMCHAR_OUT) },
        headers: { h: percentEncode('x&y=z', HNV) },
      } as Uri),
    ).toBe('sip:a%20b%40c:p%3Aw@example.com;k=v%20w?h=x%26y%3Dz');
  });

  it('keeps non-ASCII escaped as UTF-8 on the way through; percentDecode reads it', () => {
    const text = formatUri({
      scheme: 'sip',
      user: percentEncode('jürgen', PASSWORD),
      host: 'example.com',
      params: {},
      headers: {},
    });
    expect(text).toBe('sip:j%C3%BCrgen@example.com');
    const u = uri(text);
    expect(formatUri(u)).toBe(text);
    expect(isSipUri(u) && percentDecode(u.user ?? '')).toBe('jürgen');
  });
});

describe('RFC 3261 §19.1.4 URI comparison', () => {
  it.each([
    ['sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;security=on'],
    ['sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on'],
    [
      'sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com',
      'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com',
    ],
    [
      'sip:alice@atlanta.com?subject=project%20x&priority=urgent',
      'sip:alice@atlanta.com?priority=urgent&subject=project%20x',
    ],
    ['tel:+1-201-555-0123', 'tel:+1-201-555-0123'],
    ['urn:a', 'urn:a'],
    ['sip:a@b?Subject=Hi', 'sip:a@b?subject=hi'],
    ['sip:a@b;lr;x=1', 'sip:a@b;LR'],
  ])('%s equals %s', (a, b) => {
    expect(uriEquals(uri(a), uri(b))).toBe(true);
    expect(uriEquals(uri(b), uri(a))).toBe(true);
  });

  it.each([
    ['SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting'],
    ['sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4'],
    ['sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off'],
    ['sip:alice@atlanta.com', 'sips:alice@atlanta.com'],
    ['sip:alice:a@atlanta.com', 'sip:alice:b@atlanta.com'],
    ['sip:a@b;maddr=x', 'sip:a@b'],
    ['sip:a@b', 'tel:123'],
    // tel: URIs compare as text in the core; telUriEquals applies RFC 3966 §4.
    ['tel:+1-201-555-0123', 'tel:+1.201.555.0123'],
    ['tel:123', 'tel:123;ext=1'],
    ['urn:a', 'urn:b'],
    ['urn:a', 'sip:a@b'],
    ['sip:a@b?subject=x', 'sip:a@b?subject=x&priority=1'],
    ['sip:a@b;lr', 'sip:a@b;lr=1'],
    ['sip:a@b;user=phone', 'sip:a@b;user=ip'],
  ])('%s does not equal %s', (a, b) => {
    expect(uriEquals(uri(a), uri(b))).toBe(false);
    expect(uriEquals(uri(b), uri(a))).toBe(false);
  });
});

describe('parseUriAt: a URI read in place inside a longer text', () => {
  it('gives the same URI as parsing the slice', () => {
    const text = '"Bob" <sips:Bob%20B:pw@EXAMPLE.com:5061;Transport=TLS;LR;maddr=%31.2.3.4?subject=hi>;tag=1';
    const start = text.indexOf('<') + 1;
    const end = text.indexOf('>');
    expect(parseUriAt(text, start, end)).toEqual(parseUri(text.slice(start, end)));
    expect(uri(text.slice(start, end))).toMatchObject({
      user: 'Bob%20B:pw',
      host: 'example.com',
      port: 5061,
      params: { transport: 'TLS', lr: null, maddr: '%31.2.3.4' },
    });
  });

  it('never reads past the end of the range', () => {
    const text = '<sip:alice.example.com>;x@y.invalid';
    expect(parseUriAt(text, 1, text.indexOf('>'))).toEqual(parseUri('sip:alice.example.com'));
    expect(parseUriAt('sip:a.invalid', 0, 3)).toMatchObject({ ok: false });
  });

  it.each(['sip:a b', 'sip:@x', 'sip:x;=1', 'tel:', 'x:', ':x', 'sip:h:99999', 'tel:a b'])(
    'reports errors of %j with columns counted from the start of the range',
    (bad) => {
      const text = 'Header: <' + bad + '>';
      const start = text.indexOf('<') + 1;
      expect(parseUriAt(text, start, text.lastIndexOf('>'))).toEqual(parseUri(bad));
    },
  );
});
