import { describe, expect, it } from 'vitest';
import { serializeMessage } from './serialize';
import { createRequest, createResponse } from './sip-message';
import { parseMessage } from '../parser/parse-message';
import { percentDecode, percentEncode, utf8ByteLength, utf8Prefix } from './utf8';
import { USERINFO } from '../parser/chars';

const BASE: Array<[string, string]> = [
  ['Via', 'SIP/2.0/WSS client.invalid;branch=z9hG4bK1'],
  ['From', '<sip:a@b>;tag=1'],
  ['To', '<sip:c@d>'],
  ['Call-ID', 'x'],
  ['CSeq', '1 MESSAGE'],
];

describe('RFC 3261 §7 serialisation', () => {
  it('writes the Request-Line, fields, CRLFs and a computed Content-Length', () => {
    const m = createRequest('MESSAGE', 'sip:bob@biloxi.com', BASE, 'hi');
    expect(serializeMessage(m)).toBe(
      'MESSAGE sip:bob@biloxi.com SIP/2.0\r\n' +
        'Via: SIP/2.0/WSS client.invalid;branch=z9hG4bK1\r\n' +
        'From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 MESSAGE\r\n' +
        'Content-Length: 2\r\n\r\nhi',
    );
  });

  it('writes the Status-Line', () => {
    expect(serializeMessage(createResponse(180, 'Ringing', BASE))).toMatch(/^SIP\/2\.0 180 Ringing\r\n/);
  });

  it('§20.14 replaces a stale Content-Length in place with the UTF-8 byte length', () => {
    const m = createRequest(
      'MESSAGE',
      'sip:bob@biloxi.com',
      [...BASE.slice(0, 2), ['l', '999'], ['Content-Length', '3'], ...BASE.slice(2)],
      'héllo😀',
    );
    const text = serializeMessage(m);
    expect(text).toContain('From: <sip:a@b>;tag=1\r\nContent-Length: 10\r\nTo:');
    expect(text.match(/Content-Length/g)).toHaveLength(1);
    const back = parseMessage(text);
    expect(back.ok && back.value.body).toBe('héllo😀');
  });

  it('round-trips through parseMessage', () => {
    const m = createRequest(
      'INVITE',
      'sips:alice@[2001:db8::1]:5061;transport=tls?subject=a%20b',
      [...BASE, ['X-Unknown', 'kept verbatim ,;<>']],
      'v=0\r\n',
    );
    const back = parseMessage(serializeMessage(m));
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.value.kind === 'request' && back.value.uri).toEqual(m.uri);
    expect(back.value.headers.fields().filter((f) => f.name !== 'Content-Length')).toEqual(
      m.headers.fields(),
    );
  });
});

describe('UTF-8 and %-escapes (§19.1.2)', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['\ud800', 3],
    ['a\udc00b', 5],
  ])('utf8ByteLength(%j) = %i', (s, n) => {
    expect(utf8ByteLength(s)).toBe(n);
  });

  it.each([
    ['héllo wörld', 0, 13],
    ['héllo wörld', 2, 10],
    ['ab😀cd', 2, 6],
    ['abc', 3, 0],
    ['abc', 7, 0],
    ['abc', -1, 3],
  ])('utf8ByteLength(%j, %i) counts only from that index: %i', (s, from, n) => {
    expect(utf8ByteLength(s, from)).toBe(n);
  });

  it('counts a long ASCII run followed by wide characters exactly', () => {
    const s = 'v=0\r\n'.repeat(500) + 'é€😀';
    expect(utf8ByteLength(s)).toBe(2500 + 2 + 3 + 4);
    expect(utf8ByteLength(s, 2499)).toBe(1 + 2 + 3 + 4);
  });

  it.each([
    ['%61lice', 'alice'],
    ['%C3%A9', 'é'],
    ['%F0%9F%98%80', '😀'],
    ['100%', '100%'],
    ['%zz', '%zz'],
    ['%C3', '%C3'],
    ['%C3%28', '%C3('],
    ['%ED%A0%80', '%ED%A0%80'],
    ['%C0%AF', '%C0%AF'],
    ['%e2%82%ac', '€'],
    ['%80%E2%82', '%80%E2%82'],
    ['%F4%90%80%80', '%F4%90%80%80'],
    // A run that is not UTF-8 as a whole keeps its non-ASCII bytes escaped.
    ['a%C3%A9%FFb%25', 'a%C3%A9%FFb%'],
    ['%61%FF%62', 'a%FFb'],
  ])('percentDecode(%j) = %j', (s, out) => {
    expect(percentDecode(s)).toBe(out);
  });

  it('percentEncode escapes outside the class, as UTF-8', () => {
    expect(percentEncode('a b%é😀', USERINFO)).toBe('a%20b%25%C3%A9%F0%9F%98%80');
    expect(percentEncode('plain', USERINFO)).toBe('plain');
    expect(percentEncode('\n\ud800x', USERINFO)).toBe('%0A%EF%BF%BDx');
  });

  it.each([
    ['abc', 2, 'ab'],
    ['é€😀x', 9, 'é€😀'],
    ['é€😀x', 5, 'é€'],
    ['é€', 1, undefined],
    ['a😀', 3, undefined],
  ])('utf8Prefix(%j, %i) = %j', (s, bytes, out) => {
    expect(utf8Prefix(s, bytes)).toBe(out);
  });
});
