import { describe, expect, it } from 'vitest';
import { isTelUri, parseTelUri, telUriEquals } from './tel-uri';
import { formatUri, parseUri } from './uri';
import type { TelUri } from './types';

function tel(text: string): TelUri {
  const r = parseTelUri(text);
  if (!r.ok) throw new Error(`${text}: column ${r.error.column}`);
  return r.value;
}

describe('RFC 3966 §3 tel URI (opt-in parser)', () => {
  it('parses a global number with parameters', () => {
    expect(parseTelUri('tel:+1-201-555-0123;ext=1234')).toEqual({
      ok: true,
      value: {
        scheme: 'tel',
        raw: 'tel:+1-201-555-0123;ext=1234',
        number: '+1-201-555-0123',
        params: { ext: '1234' },
      },
    });
  });

  it('takes the scheme in any case and keeps the text verbatim for formatUri', () => {
    const u = tel('TEL:7042;Phone-Context=example.com');
    expect(u).toMatchObject({ number: '7042', params: { 'phone-context': 'example.com' } });
    expect(formatUri(u)).toBe('TEL:7042;Phone-Context=example.com');
  });

  it.each([
    ['tel:', 5], // empty number
    ['tel:+1 212', 7],
    ['tel:1;=x', 7], // parameter without a name
    ['sip:1@h', 1], // not tel:
    ['', 1],
  ])('rejects %j at column %i', (text, column) => {
    expect(parseTelUri(text)).toEqual({
      ok: false,
      error: { code: 'bad-uri', message: 'bad-uri', line: 0, column },
    });
  });

  it('isTelUri tells a parsed tel: URI from the verbatim one the core keeps', () => {
    expect(isTelUri(tel('tel:1'))).toBe(true);
    const verbatim = parseUri('tel:1');
    expect(verbatim.ok && isTelUri(verbatim.value)).toBe(false);
  });
});

describe('RFC 3966 §4 tel URI comparison', () => {
  it.each([
    ['tel:+1-201-555-0123', 'tel:+1.201.555.0123'],
    ['tel:+1(201)5550123;EXT=12', 'tel:+12015550123;ext=12'],
    ['tel:7042;phone-context=a;ext=1', 'tel:7042;ext=1;phone-context=A'],
  ])('%s equals %s', (a, b) => {
    expect(telUriEquals(tel(a), tel(b))).toBe(true);
    expect(telUriEquals(tel(b), tel(a))).toBe(true);
  });

  it.each([
    ['tel:123', 'tel:123;ext=1'],
    ['tel:123', 'tel:124'],
    ['tel:123;ext=1', 'tel:123;ext=2'],
  ])('%s does not equal %s', (a, b) => {
    expect(telUriEquals(tel(a), tel(b))).toBe(false);
  });
});
