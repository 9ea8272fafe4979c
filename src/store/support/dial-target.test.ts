import { describe, expect, it } from 'vitest';
import { dtmfDigits, normaliseDialTarget } from './dial-target';

describe('normaliseDialTarget()', () => {
  it.each([
    ['+33 (0)1 23-45.67', { ok: true, target: '+330123' + '4567' }],
    ['  201 ', { ok: true, target: '201' }],
    ['*97#', { ok: true, target: '*97#' }],
    ['alice', { ok: true, target: 'alice' }],
    ['john.doe', { ok: true, target: 'john.doe' }],
    ['bob@example.com', { ok: true, target: 'sip:bob@example.com' }],
    ['SIP:bob@example.com:5060', { ok: true, target: 'sip:bob@example.com:5060' }],
    ['', { ok: false, reason: 'empty' }],
    ['sip:bob', { ok: false, reason: 'invalid' }],
    ['1+2', { ok: false, reason: 'invalid' }],
    ['<script>', { ok: false, reason: 'invalid' }],
    ['bob smith', { ok: false, reason: 'invalid' }],
  ])('%j → %j', (input, expected) => {
    expect(normaliseDialTarget(input)).toEqual(expected);
  });
});

describe('dtmfDigits() (RFC 4733 events 0–15)', () => {
  it('keeps 0-9 * # A-D and drops the rest', () => {
    expect(dtmfDigits('1a b#*9x')).toBe('1AB#*9');
  });
});
