import { describe, expect, it } from 'vitest';
import { hashStep } from '../message/header-names';
import { knownParamName } from './param-names';
import { parseNameAddr, parseVias } from './parse-header';

function hashOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = hashStep(h, s.charCodeAt(i));
  return h;
}

function lookup(text: string, start = 0, end = text.length): string | undefined {
  return knownParamName(text, start, end, hashOf(text.slice(start, end)));
}

describe('RFC 3261 §7.3.1 parameter names are case-insensitive', () => {
  it.each(['branch', 'BRANCH', 'Branch', 'rPort', '+SIP.Instance', 'Reg-ID', 'lr'])(
    'recognises %j in any casing as its lower-cased literal',
    (name) => {
      expect(lookup(name)).toBe(name.toLowerCase());
    },
  );

  it('recognises a name in place inside a longer text', () => {
    const text = 'x;TAG=1';
    expect(lookup(text, 2, 5)).toBe('tag');
  });

  it.each(['branchx', 'brancH_', 'ta', 'tag2', 'r\rport', '+sip.instanc', 'to\u00adtag'])(
    'does not mistake %j for a well-known name',
    (name) => {
      expect(lookup(name)).toBeUndefined();
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
