/**
 * Property tests pinning each header fast path to the general path it short-cuts: for generated
 * values in the common spellings, near misses, and random mutations of both, the two paths give
 * deep-equal results, including the error message and column of a failure.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseNameAddrList, parseNameAddrListGeneral, parseVias, parseViasGeneral } from './parse-header';
import { parseUri } from './parse-uri';

/** A value with one character inserted, deleted or replaced at an arbitrary position. */
function mutated(value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const ch = fc.constantFrom(' ', '\t', '/', ';', ',', '=', ':', '"', '.', 'a', 'Z', '2', '-', 'é', '\0');
  return fc
    .tuple(value, fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), ch)
    .map(([v, at, op, c]) => {
      const i = v.length === 0 ? 0 : at % (v.length + (op === 'insert' ? 1 : 0));
      if (op === 'insert') return v.slice(0, i) + c + v.slice(i);
      if (op === 'delete') return v.slice(0, i) + v.slice(i + 1);
      return v.slice(0, i) + c + v.slice(i + 1);
    });
}

describe('RFC 3261 §20.42 Via: the sent-protocol fast path agrees with the general path', () => {
  const protocol = fc.constantFrom(
    'SIP/2.0',
    'sip/2.0',
    'SIP/2.1',
    'SIP / 2.0',
    'SIP/2.0 ',
    'SIP',
    'XSIP/2.0',
  );
  const transport = fc.constantFrom(
    'UDP',
    'TCP',
    'TLS',
    'SCTP',
    'TLS-SCTP',
    'WS',
    'WSS',
    'udp',
    'Wss',
    'WSSX',
    'W',
    'TL',
    'UDP.',
    '',
  );
  const host = fc.oneof(
    fc.domain(),
    fc.ipV4(),
    fc.ipV6().map((a) => `[${a}]`),
    fc.constant(''),
  );
  const param = fc
    .tuple(
      fc.constantFrom('branch', 'Branch', 'rport', 'received', 'x-y', 'lr', ''),
      fc.option(fc.constantFrom('z9hG4bK776asdhds', '1.2.3.4', '"q"', '', '5060'), { nil: undefined }),
    )
    .map(([n, v]) => (v === undefined ? `;${n}` : `;${n}=${v}`));
  const viaParm = fc
    .tuple(
      protocol,
      fc.constantFrom('/', ' / ', '/ '),
      transport,
      fc.constantFrom(' ', '\t', '  ', ''),
      host,
      fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }),
      fc.array(param, { maxLength: 4 }),
    )
    .map(
      ([p, slash, t, ws, h, port, ps]) =>
        `${p}${slash}${t}${ws}${h}${port === undefined ? '' : `:${port}`}${ps.join('')}`,
    );
  const via = fc.array(viaParm, { minLength: 1, maxLength: 3 }).map((vs) => vs.join(', '));

  it('for generated values', () => {
    fc.assert(
      fc.property(via, (v) => {
        expect(parseVias(v)).toEqual(parseViasGeneral(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('for mutated values', () => {
    fc.assert(
      fc.property(mutated(via), (v) => {
        expect(parseVias(v)).toEqual(parseViasGeneral(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('reuses the shared literals for the protocol and an upper-case transport', () => {
    const r = parseVias('SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKnashds7');
    expect(r.ok && r.value[0]).toEqual({
      protocol: 'SIP/2.0',
      transport: 'WSS',
      host: 'df7jal23ls0d.invalid',
      params: { branch: 'z9hG4bKnashds7' },
    });
  });
});

describe('RFC 3261 §20.10 name-addr: the no-parameter fast path agrees with the general path', () => {
  const nameAddr = fc
    .tuple(
      fc.constantFrom('', '"Alice Liddell" ', 'Bob ', '"a\\"b" ', '"open '),
      fc.constantFrom(
        '<sip:alice@example.com>',
        '<sip:10.0.2.16;lr;ftag=x>',
        'sip:bob@example.com',
        '<tel:+1-555>',
        '<sip:@x>',
        'sip:a@b;tag=1',
      ),
      fc.constantFrom(
        '',
        ' ',
        '\t',
        ';tag=lq3p6vm8vx',
        ' ; tag = 1',
        ';',
        ';lr',
        ';expires=600;+sip.instance="<urn:x>"',
        ' x',
      ),
    )
    .map(([d, u, p]) => d + u + p);
  const list = fc.array(nameAddr, { minLength: 1, maxLength: 3 }).map((vs) => vs.join(', '));

  it('for generated values', () => {
    fc.assert(
      fc.property(list, (v) => {
        expect(parseNameAddrList(v)).toEqual(parseNameAddrListGeneral(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('for mutated values', () => {
    fc.assert(
      fc.property(mutated(list), (v) => {
        expect(parseNameAddrList(v)).toEqual(parseNameAddrListGeneral(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a name-addr without parameters the shared frozen empty record', () => {
    const r = parseNameAddrList('<sip:a@example.com>, <sip:b@example.com>');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value[0]!.params).toEqual({});
    expect(Object.isFrozen(r.value[0]!.params)).toBe(true);
    expect(r.value[0]!.params).toBe(r.value[1]!.params);
  });
});

describe('RFC 3261 §19.1.1 SIP-URI: absent parameters and headers', () => {
  it('are one shared, frozen empty object, so a stray write cannot leak into other URIs', () => {
    const a = parseUri('sip:alice@atlanta.example.com');
    const b = parseUri('sips:bob@biloxi.example.com:5061');
    if (!a.ok || !b.ok || a.value.scheme === 'tel' || b.value.scheme === 'tel')
      throw new Error('parse failed');
    if (!('params' in a.value) || !('params' in b.value)) throw new Error('not a SIP URI');
    expect(a.value.params).toEqual({});
    expect(Object.isFrozen(a.value.params)).toBe(true);
    expect(a.value.params).toBe(b.value.params);
    expect('headers' in a.value && a.value.headers).toBe('headers' in b.value && b.value.headers);
  });

  it('a URI with parameters gets its own mutable map', () => {
    const a = parseUri('sip:alice@atlanta.example.com;transport=ws');
    expect(a.ok && 'params' in a.value && Object.isFrozen(a.value.params)).toBe(false);
    expect(a.ok && 'params' in a.value && a.value.params).toEqual({ transport: 'ws' });
  });
});
