import { describe, expect, it } from 'vitest';
import { isCallFrame, readParams, summarise } from './probe';

const response = (status: string, cseq: string): string =>
  `SIP/2.0 ${status}\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bK1\r\nCSeq: ${cseq}\r\nContent-Length: 0\r\n\r\n`;

describe('summarise: one word per SIP frame (RFC 3261 §7.1 start line, §20.16 CSeq)', () => {
  it('names a request by its method', () => {
    expect(summarise('INVITE sip:bob@ringlet.test SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n')).toBe('INVITE');
    expect(summarise('ACK sip:bob@ringlet.test SIP/2.0\r\nCSeq: 1 ACK\r\n\r\n')).toBe('ACK');
  });

  it('names a response by its status and the method of its CSeq', () => {
    expect(summarise(response('180 Ringing', '2 INVITE'))).toBe('180 INVITE');
    expect(summarise(response('407 Proxy Authentication Required', '1 INVITE'))).toBe('407 INVITE');
    expect(summarise(response('200 OK', '3 BYE'))).toBe('200 BYE');
  });

  it('reads the CSeq header name case-insensitively', () => {
    expect(summarise('SIP/2.0 200 OK\r\ncseq: 7 INVITE\r\n\r\n')).toBe('200 INVITE');
  });

  it('calls a CRLF ping a keep-alive (RFC 7118 §6)', () => {
    expect(summarise('\r\n\r\n')).toBe('keep-alive');
  });
});

describe('isCallFrame: registration and keep-alive traffic is not part of a call', () => {
  it('keeps the INVITE transaction and dialog requests', () => {
    for (const summary of ['INVITE', '407 INVITE', '180 INVITE', '200 INVITE', 'ACK', 'BYE', '200 BYE']) {
      expect(isCallFrame(summary)).toBe(true);
    }
  });

  it('drops REGISTER, OPTIONS and their responses, and keep-alives', () => {
    for (const summary of [
      'REGISTER',
      '401 REGISTER',
      '200 REGISTER',
      'OPTIONS',
      '200 OPTIONS',
      'keep-alive',
    ]) {
      expect(isCallFrame(summary)).toBe(false);
    }
  });
});

describe('readParams: the page configuration from the query string', () => {
  it('takes the digest user from the URI when not given', () => {
    const params = readParams('?ws=ws%3A%2F%2F127.0.0.1%3A5066&uri=sip%3Aalice%40ringlet.test&password=p');
    expect(params).toEqual({
      ws: 'ws://127.0.0.1:5066',
      uri: 'sip:alice@ringlet.test',
      user: 'alice',
      password: 'p',
    });
  });

  it('refuses a missing parameter by name', () => {
    expect(() => readParams('?ws=ws%3A%2F%2Fx&uri=sip%3Aa%40b')).toThrow(/password/);
  });
});
