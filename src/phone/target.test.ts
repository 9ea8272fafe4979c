import { describe, expect, it } from 'vitest';
import { parseTarget } from './target';

describe('dial string → Request-URI (RFC 3261 §19.1, RFC 3966)', () => {
  it.each([
    ['bob', 'sip:bob@ringlet.test', 'user'],
    ['  bob  ', 'sip:bob@ringlet.test', 'user'],
    ['bob.smith', 'sip:bob.smith@ringlet.test', 'user'],
    ['*97', 'sip:*97@ringlet.test', 'user'],
    ['bob@example.com', 'sip:bob@example.com', 'user'],
    ['bob@[2001:db8::1]:5060', 'sip:bob@[2001:db8::1]:5060', 'user'],
    ['201', 'sip:201@ringlet.test;user=phone', 'number'],
    ['+15551234', 'sip:+15551234@ringlet.test;user=phone', 'number'],
    ['+1 (555) 123-4567', 'sip:+15551234567@ringlet.test;user=phone', 'number'],
    ['555.123.4567', 'sip:5551234567@ringlet.test;user=phone', 'number'],
    ['sip:bob@example.com', 'sip:bob@example.com', 'uri'],
    ['SIP:bob@Example.COM;transport=ws', 'sip:bob@example.com;transport=ws', 'uri'],
    ['sips:alice@secure.example.com', 'sips:alice@secure.example.com', 'uri'],
    ['tel:+15551234', 'tel:+15551234', 'uri'],
    ['tel:+1-555-1234', 'tel:+1-555-1234', 'uri'],
  ])('%s → %s', (input, uri, kind) => {
    expect(parseTarget(input, 'ringlet.test')).toEqual({ ok: true, uri, kind });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['bob smith', 'invalid-user'],
    ['<script>', 'invalid-user'],
    ['bob"@example.com', 'invalid-user'],
    ['bob@', 'invalid-host'],
    ['bob@exa mple.com', 'invalid-host'],
    ['sip:', 'invalid-uri'],
    ['sip:bob@', 'invalid-uri'],
    ['tel:abc', 'invalid-uri'],
    ['http://example.com', 'unsupported-scheme'],
    ['mailto:bob@example.com', 'unsupported-scheme'],
  ])('%j is refused as %s, with words for the user', (input, code) => {
    const result = parseTarget(input, 'ringlet.test');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });

  it('never throws, whatever is typed', () => {
    for (const input of ['%', '%zz', '@', '@@', ':', 'sip:@', '\u0000', 'a'.repeat(10_000), '+', '()']) {
      expect(() => parseTarget(input, 'ringlet.test')).not.toThrow();
    }
  });
});
