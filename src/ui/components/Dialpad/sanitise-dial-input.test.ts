import { describe, expect, it } from 'vitest';
import { sanitiseDialInput } from './sanitise-dial-input';

describe('sanitiseDialInput: pasted text', () => {
  it.each([
    ['+33 1 23 45 67 89', '+33123456789'],
    ['(555) 123-4567', '5551234567'],
    ['tel:+1-201-555-0123', '+12015550123'],
    ['tel:7042;phone-context=example.com', '7042'],
    ['  200\n', '200'],
    ['0033\u00a01\u202e23', '0033123'],
    ['*31#', '*31#'],
    ['sip:bob@example.com', 'sip:bob@example.com'],
    ['bob @ example.com', 'bob@example.com'],
    ['bob\u200b@example.com', 'bob@example.com'],
    ['', ''],
  ])('%j becomes %j', (input, expected) => {
    expect(sanitiseDialInput(input)).toBe(expected);
  });

  it('never returns more than 256 characters', () => {
    expect(sanitiseDialInput('1'.repeat(1000))).toHaveLength(256);
  });
});
