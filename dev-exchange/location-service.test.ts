import { describe, expect, it } from 'vitest';
import { parseNameAddr, type NameAddr } from '../src/sip/index';
import { bindingKey, LocationService, type Binding } from './location-service';

function contact(text: string): NameAddr {
  const r = parseNameAddr(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function binding(text: string, connectionId: string, expiresAt: number): Binding {
  const c = contact(text);
  return { key: bindingKey(c), contact: c, connectionId, expiresAt, callId: 'c', cseq: 1 };
}

describe('RFC 3261 §10.3 location service', () => {
  it('keys a binding by +sip.instance and reg-id (RFC 5626 §6), else by Contact URI', () => {
    expect(bindingKey(contact('<sip:a@x.invalid>;+sip.instance="<urn:uuid:1>";reg-id=2'))).toBe(
      '<urn:uuid:1>|2',
    );
    expect(bindingKey(contact('<sip:a@x.invalid>;+sip.instance="<urn:uuid:1>"'))).toBe('<urn:uuid:1>');
    expect(bindingKey(contact('<sip:a@x.invalid;transport=ws>'))).toBe('sip:a@x.invalid;transport=ws');
  });

  it('stops returning a binding once it has expired, but remembers the user registered', () => {
    let now = 1_000;
    const location = new LocationService(() => now);
    location.commit('bob', [binding('<sip:b@y.invalid>', 'c1', 61_000)]);
    expect(location.lookup('bob')).toHaveLength(1);
    now = 61_000;
    expect(location.lookup('bob')).toEqual([]);
    expect(location.hasEverRegistered('bob')).toBe(true);
    expect(location.hasEverRegistered('carol')).toBe(false);
  });

  it('removes the bindings of a closed connection and names the users affected', () => {
    const location = new LocationService(() => 0);
    location.commit('bob', [
      binding('<sip:b1@y.invalid>', 'c1', 10_000),
      binding('<sip:b2@z.invalid>', 'c2', 10_000),
    ]);
    location.commit('alice', [binding('<sip:a@w.invalid>', 'c3', 10_000)]);
    expect(location.removeConnection('c1')).toEqual(['bob']);
    expect(location.lookup('bob').map((b) => b.connectionId)).toEqual(['c2']);
    expect(location.userOfConnection('c3')).toBe('alice');
  });

  it('finds a live binding by its Contact URI (§19.1.4 comparison)', () => {
    const location = new LocationService(() => 0);
    location.commit('bob', [binding('<sip:b1@Y.invalid;transport=ws>', 'c1', 10_000)]);
    const uri = contact('<sip:b1@y.invalid;transport=WS>').uri;
    expect(location.findByContactUri(uri)?.connectionId).toBe('c1');
  });
});
