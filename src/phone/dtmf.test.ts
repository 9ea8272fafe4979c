import { describe, expect, it } from 'vitest';
import {
  chooseDtmfPath,
  formatDtmfRelay,
  isDtmfTones,
  parseDtmfInfo,
  sendDtmf,
  type DtmfTransport,
} from './dtmf';

describe('application/dtmf-relay and application/dtmf INFO bodies (RFC 6086 usage)', () => {
  it('formats Signal and Duration lines with CRLF', () => {
    expect(formatDtmfRelay('1')).toBe('Signal=1\r\nDuration=160\r\n');
    expect(formatDtmfRelay('#', 250)).toBe('Signal=#\r\nDuration=250\r\n');
  });

  it.each([
    ['application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n', { digit: '5', durationMs: 160 }],
    ['application/dtmf-relay', 'Signal=*\nDuration=100', { digit: '*', durationMs: 100 }],
    ['Application/DTMF-Relay', ' signal = a \r\n', { digit: 'A' }],
    ['application/dtmf-relay', 'Signal=11\r\n', { digit: '#' }],
    ['application/dtmf-relay', 'Signal=10\r\nDuration=oops\r\n', { digit: '*' }],
    ['application/dtmf', '7', { digit: '7' }],
    ['application/dtmf', ' 9\r\n', { digit: '9' }],
  ])('%s %j → %j', (type, body, value) => {
    expect(parseDtmfInfo(type, body)).toEqual({ ok: true, value });
  });

  it.each([
    ['application/dtmf-relay', '', 'bad-body'],
    ['application/dtmf-relay', 'Signal=Z\r\n', 'bad-body'],
    ['application/dtmf-relay', 'Signal=12345\r\n', 'bad-body'],
    ['application/dtmf-relay', 'Duration=160\r\n', 'bad-body'],
    ['application/dtmf', '', 'bad-body'],
    ['application/dtmf', '55', 'bad-body'],
    ['text/plain', 'Signal=1', 'not-dtmf'],
    [undefined, 'Signal=1', 'not-dtmf'],
  ])('%s %j is refused as %s', (type, body, reason) => {
    expect(parseDtmfInfo(type, body)).toEqual({ ok: false, reason });
  });
});

describe('choosing the DTMF path', () => {
  it.each([
    ['auto', true, 'rfc4733'],
    ['auto', false, 'info'],
    ['info', true, 'info'],
    ['rfc4733', false, 'rfc4733'],
  ] as const)('%s with telephone-event negotiated=%s → %s', (mode, negotiated, path) => {
    expect(chooseDtmfPath(mode, negotiated)).toBe(path);
  });

  it('accepts keypad digits and pauses only', () => {
    expect(isDtmfTones('0123456789*#ABCDabcd,')).toBe(true);
    expect(isDtmfTones('')).toBe(false);
    expect(isDtmfTones('1E')).toBe(false);
    expect(isDtmfTones('<1>')).toBe(false);
  });

  it('sends INFO digits one after the other and stops at the first refusal', async () => {
    const sent: string[] = [];
    const transport: DtmfTransport = {
      canSendRfc4733: false,
      sendRfc4733: () => {
        throw new Error('not negotiated');
      },
      sendInfo: async (_type, body) => {
        sent.push(body);
        return sent.length === 2 ? 415 : 200;
      },
    };
    expect(await sendDtmf(transport, 'auto', '1,23')).toEqual({
      ok: false,
      via: 'info',
      status: 415,
      digit: '2',
    });
    expect(sent).toEqual([formatDtmfRelay('1'), formatDtmfRelay('2')]);
  });
});
