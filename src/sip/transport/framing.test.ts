import { describe, it, expect } from 'vitest';
import { classifyFrame } from './framing';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('RFC 7118 §4.2 frames and RFC 5626 §3.5.1 keep-alive frames', () => {
  it.each([
    ['a double CRLF is a ping', '\r\n\r\n', { kind: 'ping' }],
    ['more CRLFs are still a ping', '\r\n\r\n\r\n\r\n', { kind: 'ping' }],
    ['a single CRLF is a pong', '\r\n', { kind: 'pong' }],
    ['a binary pong is a pong', bytes('\r\n'), { kind: 'pong' }],
    [
      'a SIP text frame is a message',
      'OPTIONS sip:a SIP/2.0\r\n\r\n',
      { kind: 'message', text: 'OPTIONS sip:a SIP/2.0\r\n\r\n' },
    ],
    [
      'a UTF-8 binary frame is a message',
      bytes('BYE sip:é SIP/2.0\r\n\r\n'),
      { kind: 'message', text: 'BYE sip:é SIP/2.0\r\n\r\n' },
    ],
  ])('%s', (_name, data, expected) => {
    expect(classifyFrame(data)).toEqual(expected);
  });

  it.each([
    ['invalid UTF-8', new Uint8Array([0xff, 0xfe])],
    ['an empty frame', ''],
    ['a Blob-like object', { size: 3 }],
    ['a list of fragments (the transport asks for whole ArrayBuffers)', [bytes('BYE ')]],
    ['a lone LF', '\n'],
  ])('never throws on %s', (_name, data) => {
    const frame = classifyFrame(data);
    expect(frame.kind === 'invalid' || frame.kind === 'message').toBe(true);
    expect(frame.kind).not.toBe('ping');
  });
});
