import { describe, expect, it } from 'vitest';
import type { NameAddr } from '../message/types';
import { parseUri } from '../parser/parse-uri';
import { buildRequest } from './request-builder';

function nameAddr(text: string, params: Record<string, string> = {}, displayName?: string): NameAddr {
  const uri = parseUri(text);
  if (!uri.ok) throw new Error(`bad fixture ${text}`);
  return { ...(displayName === undefined ? {} : { displayName }), uri: uri.value, params };
}

describe('RFC 3261 §8.1.1 the header fields of a request a UAC originates', () => {
  const registrar = nameAddr('sip:ringlet.test').uri;

  it('carries Max-Forwards 70, To, From with its tag, Call-ID and CSeq with the method, then the extras', () => {
    const request = buildRequest('REGISTER', registrar, {
      to: nameAddr('sip:alice@ringlet.test', {}, 'Alice "A"'),
      from: nameAddr('sip:alice@ringlet.test', { tag: 'f1' }, 'Alice "A"'),
      callId: 'c1',
      seq: 7,
      headers: [['Expires', '600']],
    });
    expect(request.method).toBe('REGISTER');
    expect(request.uri).toBe(registrar);
    expect([...Array(request.headers.size).keys()].map((i) => request.headers.nameAt(i))).toEqual([
      'Max-Forwards',
      'To',
      'From',
      'Call-ID',
      'CSeq',
      'Expires',
    ]);
    expect(request.headers.get('Max-Forwards')).toBe('70');
    expect(request.headers.get('To')).toBe('"Alice \\"A\\"" <sip:alice@ringlet.test>');
    expect(request.headers.get('From')).toBe('"Alice \\"A\\"" <sip:alice@ringlet.test>;tag=f1');
    expect(request.headers.get('CSeq')).toBe('7 REGISTER');
    // §8.1.1.7: the Via is the client transaction's.
    expect(request.headers.has('Via')).toBe(false);
    expect(request.body).toBe('');
  });

  it('puts the Route values first, in order, and keeps the body (§12.2.1.1)', () => {
    const request = buildRequest('BYE', nameAddr('sip:bob@192.0.2.4').uri, {
      to: nameAddr('sip:bob@biloxi.example.com', { tag: 'b' }),
      from: nameAddr('sip:alice@atlanta.example.com', { tag: 'a' }),
      callId: 'c2',
      seq: 2,
      routes: [nameAddr('sip:p1.example.com;lr'), nameAddr('sip:p2.example.com;lr')],
      body: 'x',
    });
    expect(request.headers.getAll('Route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(request.headers.nameAt(1)).toBe('Route');
    expect(request.body).toBe('x');
  });
});
