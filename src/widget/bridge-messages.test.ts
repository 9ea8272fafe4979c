import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TARGET_LENGTH, checkBridgeCommand, isAllowedOrigin, parseAllowList } from './bridge-messages';

describe('HTML §9.3 messages: the command schema', () => {
  it('accepts each command with its fields', () => {
    expect(checkBridgeCommand({ type: 'ringlet:call', target: 'sip:bob@example.com', requestId: 7 })).toEqual(
      {
        ok: true,
        command: { type: 'ringlet:call', target: 'sip:bob@example.com', requestId: '7' },
      },
    );
    expect(checkBridgeCommand({ type: 'ringlet:answer' })).toEqual({
      ok: true,
      command: { type: 'ringlet:answer', requestId: null },
    });
    expect(checkBridgeCommand({ type: 'ringlet:hangup', requestId: 'a' })).toMatchObject({ ok: true });
    expect(checkBridgeCommand({ type: 'ringlet:configure', config: { server: 'wss://x/ws' } })).toMatchObject(
      { ok: true, command: { config: { server: 'wss://x/ws' } } },
    );
  });

  it('marks messages that are not for Ringlet as foreign', () => {
    for (const data of ['call', 42, null, undefined, [1], { type: 'webpackOk' }, { hello: 1 }]) {
      expect(checkBridgeCommand(data)).toMatchObject({ ok: false, foreign: true });
    }
  });

  it('rejects wrong shapes: unknown types, missing or extra fields, wrong types', () => {
    const bad = [
      { type: 'ringlet:explode' },
      { type: 'ringlet:call' },
      { type: 'ringlet:call', target: 42 },
      { type: 'ringlet:call', target: '' },
      { type: 'ringlet:call', target: 'sip:bob@x', extra: 1 },
      { type: 'ringlet:answer', target: 'sip:bob@x' },
      { type: 'ringlet:hangup', requestId: { id: 1 } },
      { type: 'ringlet:hangup', requestId: 1.5 },
      { type: 'ringlet:configure', config: 'wss://x' },
      { type: 'ringlet:configure', config: [1] },
      { type: 'ringlet:constructor' },
      { type: 'ringlet:__proto__' },
    ];
    for (const data of bad)
      expect(checkBridgeCommand(data), JSON.stringify(data)).toMatchObject({ ok: false, foreign: false });
  });

  it('rejects huge payloads by their size without reading them', () => {
    expect(
      checkBridgeCommand({ type: 'ringlet:call', target: 'x'.repeat(MAX_TARGET_LENGTH + 1) }),
    ).toMatchObject({
      ok: false,
    });
    expect(checkBridgeCommand({ type: 'ringlet:hangup', requestId: 'x'.repeat(1_000_000) })).toMatchObject({
      ok: false,
    });
    const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    expect(checkBridgeCommand({ type: 'ringlet:configure', config: wide })).toMatchObject({ ok: false });
    expect(checkBridgeCommand({ ...wide, type: 'ringlet:call', target: 'bob' })).toMatchObject({ ok: false });
  });

  it('rejects objects that are not plain data (class instances)', () => {
    expect(checkBridgeCommand(new Map([['type', 'ringlet:answer']]))).toMatchObject({ ok: false });
    class Fake {
      type = 'ringlet:answer';
    }
    expect(checkBridgeCommand(new Fake())).toMatchObject({ ok: false });
  });

  it('never throws, whatever is posted', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withMap: true, withSet: true }), (data) => {
        const result = checkBridgeCommand(data);
        expect(typeof result.ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            type: fc.constantFrom('ringlet:call', 'ringlet:configure', 'ringlet:answer'),
            target: fc.anything(),
            config: fc.anything(),
          },
          { requiredKeys: ['type'] },
        ),
        (data) => {
          expect(typeof checkBridgeCommand(data).ok).toBe('boolean');
        },
      ),
    );
  });
});

describe('the origin allowlist (?allow=)', () => {
  it('reads comma-separated origins, normalised', () => {
    const allow = parseAllowList('?allow=https://a.example,http://127.0.0.1:5174/,HTTPS://B.Example:443');
    expect(allow.origins).toEqual(['https://a.example', 'http://127.0.0.1:5174', 'https://b.example']);
    expect(allow.rejected).toEqual([]);
  });

  it('rejects wildcards, null, paths, credentials and other schemes', () => {
    const allow = parseAllowList(
      `?allow=${encodeURIComponent('*,null,https://a.example/path,https://u:p@a.example,file:///x,javascript:alert(1),https://*.example')}`,
    );
    expect(allow.origins).toEqual([]);
    expect(allow.rejected).toHaveLength(7);
  });

  it('without ?allow= nothing is allowed, not even the null origin', () => {
    const allow = parseAllowList('?user=bob');
    expect(allow.origins).toEqual([]);
    expect(isAllowedOrigin(allow, 'null')).toBe(false);
    expect(isAllowedOrigin(allow, '')).toBe(false);
  });

  it('matches origins exactly: another port or scheme is another origin', () => {
    const allow = parseAllowList('?allow=http://127.0.0.1:5174');
    expect(isAllowedOrigin(allow, 'http://127.0.0.1:5174')).toBe(true);
    expect(isAllowedOrigin(allow, 'http://127.0.0.1:5175')).toBe(false);
    expect(isAllowedOrigin(allow, 'https://127.0.0.1:5174')).toBe(false);
    expect(isAllowedOrigin(allow, 'http://localhost:5174')).toBe(false);
  });
});
