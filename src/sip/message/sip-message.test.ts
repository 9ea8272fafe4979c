import { describe, expect, it } from 'vitest';
import { SipHeaders, createRequest, createResponse } from './sip-message';
import { canonicalHeaderName } from './header-names';
import { getList } from './header-list';
import { InvalidArgumentError } from '../support/errors';

describe('RFC 3261 §7.3.3 compact forms and canonical names', () => {
  it.each([
    ['i', 'Call-ID'],
    ['m', 'Contact'],
    ['e', 'Content-Encoding'],
    ['l', 'Content-Length'],
    ['c', 'Content-Type'],
    ['f', 'From'],
    ['s', 'Subject'],
    ['k', 'Supported'],
    ['t', 'To'],
    ['v', 'Via'],
    ['o', 'Event'],
    ['u', 'Allow-Events'],
    ['r', 'Refer-To'],
    ['b', 'Referred-By'],
    ['x', 'Session-Expires'],
    // Compact forms of headers nothing here reads keep their one-letter name.
    ['a', 'A'],
    ['y', 'Y'],
    ['V', 'Via'],
    ['call-id', 'Call-ID'],
    ['CSEQ', 'CSeq'],
    ['www-authenticate', 'WWW-Authenticate'],
    ['max-forwards', 'Max-Forwards'],
    ['rseq', 'RSeq'],
    ['rack', 'RAck'],
    ['min-se', 'Min-SE'],
    ['p-asserted-identity', 'P-Asserted-Identity'],
    ['cSeQ', 'CSeq'],
    ['content-id', 'Content-ID'],
    // Only the names we send keep their registered spelling; the rest follow the rule, which is
    // harmless as names compare case-insensitively (§7.3.1).
    ['mime-version', 'Mime-Version'],
    ['p-associated-uri', 'P-Associated-Uri'],
    ['sip-etag', 'Sip-Etag'],
    ['P-CALLED-PARTY-ID', 'P-Called-Party-ID'],
    ['X-Custom-Thing', 'X-Custom-Thing'],
    ['x-custom-thing', 'X-Custom-Thing'],
    ['X-FOO', 'X-Foo'],
    ['q', 'Q'],
    ['X-Constructor-__proto__', 'X-Constructor-__proto__'],
  ])('%s → %s', (name, canonical) => {
    expect(canonicalHeaderName(name)).toBe(canonical);
  });

  it('gives every spelling of a name, known or not, one canonical name', () => {
    expect(canonicalHeaderName('X-Foo')).toBe(canonicalHeaderName('x-FOO'));
    expect(canonicalHeaderName('v')).toBe(canonicalHeaderName('VIA'));
  });
});

describe('§7.3 SipHeaders', () => {
  const h = () =>
    new SipHeaders([
      ['v', 'SIP/2.0/WS a;branch=1, SIP/2.0/WS b;branch=2'],
      ['Subject', 'hello, world'],
      ['Via', 'SIP/2.0/WS c;branch=3'],
      ['X-Custom', 'one'],
      ['x-custom', 'two'],
      ['Contact', '"Doe, J" <sip:a@b;x=1?h=a,b>, <sip:c@d>'],
    ]);

  it('looks names up in any case or compact form', () => {
    expect(h().get('VIA')).toBe('SIP/2.0/WS a;branch=1, SIP/2.0/WS b;branch=2');
    expect(h().get('s')).toBe('hello, world');
    expect(h().get('X-CUSTOM')).toBe('one');
    expect(h().has('m')).toBe(true);
    expect(h().has('Route')).toBe(false);
    expect(h().get('Route')).toBeUndefined();
  });

  it('getAll gives every field row of a name, in order, unsplit', () => {
    expect(h().getAll('Via')).toEqual([
      'SIP/2.0/WS a;branch=1, SIP/2.0/WS b;branch=2',
      'SIP/2.0/WS c;branch=3',
    ]);
    expect(h().getAll('Subject')).toEqual(['hello, world']);
    expect(h().getAll('x-custom')).toEqual(['one', 'two']);
    expect(h().getAll('Route')).toEqual([]);
  });

  it('§7.3.1 getList splits a list header at top-level commas across fields', () => {
    expect(getList(h(), 'Via')).toEqual([
      'SIP/2.0/WS a;branch=1',
      'SIP/2.0/WS b;branch=2',
      'SIP/2.0/WS c;branch=3',
    ]);
    // Never inside a quoted-string or <…>; elements trimmed, empty ones dropped.
    expect(getList(h(), 'Contact')).toEqual(['"Doe, J" <sip:a@b;x=1?h=a,b>', '<sip:c@d>']);
    expect(getList(new SipHeaders([['Route', ' , <sip:a>,, "x\\", y" <sip:b> ,']]), 'Route')).toEqual([
      '<sip:a>',
      '"x\\", y" <sip:b>',
    ]);
    expect(getList(new SipHeaders([['Route', '"unterminated, <sip:a>']]), 'Route')).toEqual([
      '"unterminated, <sip:a>',
    ]);
    expect(getList(h(), 'Route')).toEqual([]);
  });

  it('stores every name in its canonical spelling, unknown names included', () => {
    expect(
      h()
        .fields()
        .map((f) => f.name),
    ).toEqual(['Via', 'Subject', 'Via', 'X-Custom', 'X-Custom', 'Contact']);
  });

  it('set replaces every field at the position of the first', () => {
    const x = h();
    x.set('via', 'SIP/2.0/WS z');
    expect(x.fields().map((f) => f.name)).toEqual(['Via', 'Subject', 'X-Custom', 'X-Custom', 'Contact']);
    expect(x.getAll('Via')).toEqual(['SIP/2.0/WS z']);
    x.set('Route', ['<sip:p1>', '<sip:p2>']);
    expect(x.getAll('Route')).toEqual(['<sip:p1>', '<sip:p2>']);
    expect(x.size).toBe(7);
  });

  it('append, prepend and delete', () => {
    const x = new SipHeaders();
    x.append('Via', 'b');
    x.prepend('v', 'a');
    x.append('Subject', 's');
    expect(x.getAll('Via')).toEqual(['a', 'b']);
    expect(x.delete('VIA')).toBe(true);
    expect(x.delete('Via')).toBe(false);
    expect(x.fields()).toEqual([{ name: 'Subject', value: 's' }]);
  });

  it('builds from a record and clones independently', () => {
    const x = new SipHeaders({ 'Call-ID': 'abc', Route: ['<sip:a>', '<sip:b>'] });
    const y = x.clone();
    y.append('Route', '<sip:c>');
    expect(x.getAll('Route')).toHaveLength(2);
    expect(y.getAll('Route')).toHaveLength(3);
    expect(new SipHeaders(x)).toEqual(x);
  });

  it('compares by content under toEqual', () => {
    expect(new SipHeaders([['To', '<sip:a@b>']])).toEqual(new SipHeaders([['t', '<sip:a@b>']]));
    expect(new SipHeaders([['To', '<sip:a@b>']])).not.toEqual(new SipHeaders([['To', '<sip:c@d>']]));
  });

  it.each([
    ['Bad Name', 'x'],
    ['', 'x'],
    ['X-A', 'line\r\nInjected: yes'],
    ['X-A', 'bare\nLF'],
  ])('throws InvalidArgumentError for name %j / value %j', (name, value) => {
    expect(() => new SipHeaders().append(name, value)).toThrow(InvalidArgumentError);
    expect(() => new SipHeaders().set(name, value)).toThrow(InvalidArgumentError);
    expect(() => new SipHeaders().prepend(name, value)).toThrow(InvalidArgumentError);
  });
});

describe('§7.1 / §7.2 building messages', () => {
  it('createRequest parses a textual URI', () => {
    const r = createRequest('OPTIONS', 'sip:bob@biloxi.com', [['Max-Forwards', '70']]);
    expect(r).toMatchObject({
      kind: 'request',
      method: 'OPTIONS',
      uri: { scheme: 'sip', user: 'bob' },
      body: '',
    });
    expect(r.headers.get('max-forwards')).toBe('70');
  });

  it('createRequest uses a given SipHeaders as is', () => {
    const headers = new SipHeaders();
    expect(createRequest('BYE', 'sip:a@b', headers).headers).toBe(headers);
  });

  it('createRequest throws on misuse', () => {
    expect(() => createRequest('IN VITE', 'sip:a@b')).toThrow(InvalidArgumentError);
    expect(() => createRequest('INVITE', 'sip:')).toThrow(InvalidArgumentError);
  });

  it('createResponse validates status and reason', () => {
    expect(createResponse(180, 'Ringing')).toMatchObject({
      kind: 'response',
      status: 180,
      reason: 'Ringing',
    });
    expect(() => createResponse(99, 'x')).toThrow(InvalidArgumentError);
    expect(() => createResponse(700, 'x')).toThrow(InvalidArgumentError);
    expect(() => createResponse(200.5, 'x')).toThrow(InvalidArgumentError);
    expect(() => createResponse(200, 'O\r\nK')).toThrow(InvalidArgumentError);
  });
});
