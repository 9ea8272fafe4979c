import { describe, expect, it } from 'vitest';
import { parseMessage } from '../sip/parser/parse-message';
import type { SipMessage } from '../sip/message/sip-message';
import { partyFromTarget, plainDisplayName, remoteIdentity } from './remote-identity';

function invite(extra: string): SipMessage {
  const text =
    'INVITE sip:bob@ringlet.test SIP/2.0\r\n' +
    'Via: SIP/2.0/WS a.invalid;branch=z9hG4bK1\r\n' +
    'From: "Alice" <sip:alice@ringlet.test>;tag=1\r\n' +
    'To: "Bob" <sip:bob@ringlet.test>\r\n' +
    'Call-ID: c1\r\nCSeq: 1 INVITE\r\n' +
    extra +
    'Content-Length: 0\r\n\r\n';
  const parsed = parseMessage(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('RFC 3325 §9.1 P-Asserted-Identity, else From (incoming) / To (outgoing)', () => {
  it('uses From for an incoming call and To for an outgoing one', () => {
    expect(remoteIdentity(invite(''), 'incoming')).toEqual({
      displayName: 'Alice',
      uri: 'sip:alice@ringlet.test',
      user: 'alice',
      source: 'from',
    });
    expect(remoteIdentity(invite(''), 'outgoing')).toMatchObject({ displayName: 'Bob', source: 'to' });
  });

  it('prefers the SIP URI of two asserted identities and keeps a name given on either', () => {
    const m = invite('P-Asserted-Identity: <tel:+15550100>, "Front Desk" <sip:100@ringlet.test>\r\n');
    expect(remoteIdentity(m, 'incoming')).toEqual({
      displayName: 'Front Desk',
      uri: 'sip:100@ringlet.test',
      user: '100',
      source: 'p-asserted-identity',
    });
    const telOnly = invite('P-Asserted-Identity: "Cell" <tel:+15550100>\r\n');
    expect(remoteIdentity(telOnly, 'incoming')).toMatchObject({ uri: 'tel:+15550100', user: '+15550100' });
  });

  it('falls back to From when P-Asserted-Identity does not parse', () => {
    expect(remoteIdentity(invite('P-Asserted-Identity: <<<\r\n'), 'incoming')).toMatchObject({
      source: 'from',
    });
  });
});

describe('display names are plain text', () => {
  it.each([
    ['<b>Bob</b>', '<b>Bob</b>'],
    ['  Bob \r\n Smith ', 'Bob Smith'],
    ['evil\u202Egnp.exe', 'evilgnp.exe'],
    ['\u0000\u0007', undefined],
    [undefined, undefined],
  ])('%j → %j', (input, output) => {
    expect(plainDisplayName(input)).toBe(output);
  });

  it('caps a very long name', () => {
    expect(plainDisplayName('x'.repeat(1000))).toHaveLength(128);
  });

  it('names the dialled party from the target until a response says more', () => {
    expect(partyFromTarget('sip:%2B1555@ringlet.test;user=phone')).toEqual({
      uri: 'sip:%2B1555@ringlet.test;user=phone',
      user: '+1555',
      source: 'target',
    });
    expect(partyFromTarget('tel:+15551234')).toMatchObject({ user: '+15551234' });
  });
});
