import { describe, expect, it } from 'vitest';
import { Scanner } from './scanner';
import { parseNameAddr, parseVias } from './parse-header';
import type { Params } from '../message/types';

function params(text: string): { ok: boolean; params: Params; pos: number } {
  const sc = new Scanner(text, 'X-Test');
  const out: Params = {};
  const ok = sc.params(out);
  return { ok, params: out, pos: sc.pos };
}

describe('RFC 3261 §7.3.1 parameter names are case-insensitive', () => {
  it.each(['branch', 'BRANCH', 'Branch', 'rPort', '+SIP.Instance', 'Reg-ID', 'lr'])(
    'stores %j lower-cased',
    (name) => {
      expect(params(`;${name}=1`).params).toEqual({ [name.toLowerCase()]: '1' });
    },
  );

  it('gives the same parameter maps for well-known and unknown names, whatever their case', () => {
    const via = parseVias('SIP/2.0/WSS h.invalid;BRANCH=z9hG4bK1;Received=1.2.3.4;RPORT;X-Odd=Y');
    expect(via).toEqual({
      ok: true,
      value: [
        {
          protocol: 'SIP/2.0',
          transport: 'WSS',
          host: 'h.invalid',
          params: { branch: 'z9hG4bK1', received: '1.2.3.4', rport: null, 'x-odd': 'Y' },
        },
      ],
    });
    const na = parseNameAddr('<sip:a@b;Transport=WS;LR>;Tag=9;expires=60');
    expect(na).toMatchObject({
      ok: true,
      value: { uri: { params: { transport: 'WS', lr: null } }, params: { tag: '9', expires: '60' } },
    });
  });
});

describe('§25.1 generic-param lists', () => {
  it('reads flags, tokens, hosts and quoted strings, with whitespace around ";" and "="', () => {
    const text = ' ; lr ;received = [2001:db8::1]; x="a \\"b\\"";maddr=1.2.3.4';
    expect(params(text)).toEqual({
      ok: true,
      params: { lr: null, received: '[2001:db8::1]', x: 'a "b"', maddr: '1.2.3.4' },
      pos: text.length,
    });
  });

  it('leaves the cursor before trailing whitespace', () => {
    expect(params(';a=1  , next')).toMatchObject({ ok: true, pos: 4 });
  });

  it('keeps a parameter named __proto__ as an own property', () => {
    const r = params(';__proto__=x');
    expect(Object.hasOwn(r.params, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(r.params)).toBe(Object.prototype);
  });

  it.each([
    [';', 1],
    [';=x', 1],
    [';a=', 3],
    [';a="open', 8],
  ])('rejects %j with the cursor at %i', (text, pos) => {
    expect(params(text)).toMatchObject({ ok: false, pos });
  });
});

describe('Scanner.number', () => {
  it('reads 1*DIGIT, however long, and -1 when there is none', () => {
    const sc = new Scanner('0042x', 'X-Test');
    expect(sc.number()).toBe(42);
    expect(sc.pos).toBe(4);
    expect(sc.number()).toBe(-1);
    expect(new Scanner('99999999999999999999', 'X-Test').number()).toBeGreaterThan(2 ** 32);
  });
});

describe('Via sent-protocol (§20.42), with and without the common `SIP/2.0/` prefix', () => {
  const sentProtocol = (text: string) => {
    const r = parseVias(`${text} h.invalid`);
    return r.ok ? r.value.map((v) => `${v.protocol} ${v.transport}`) : r.error.column;
  };

  it.each([
    ['SIP/2.0/UDP', 'SIP/2.0 UDP'],
    ['SIP/2.0/ wss', 'SIP/2.0 WSS'],
    ['SIP / 2.0 / TCP', 'SIP/2.0 TCP'],
    ['sip/2.0/TLS', 'sip/2.0 TLS'],
    ['SIP/2.0x/UDP', 'SIP/2.0x UDP'],
    ['SIP/3.0/UDP', 'SIP/3.0 UDP'],
  ])('reads %j as %j', (text, expected) => {
    expect(sentProtocol(text)).toEqual([expected]);
  });

  it.each(['SIP/2.0/', 'SIP/2.0/ ', 'SIP/2.0 UDP', 'SIP//UDP'])('rejects %j', (text) => {
    expect(typeof sentProtocol(text)).toBe('number');
  });
});
