import { describe, expect, it } from 'vitest';
import {
  MAX_CONFIG_TEXT,
  parseWidgetConfig,
  readConfigAttributes,
  type ConfigAttribute,
} from './widget-config';

const attrs = (values: Partial<Record<ConfigAttribute, string>>) =>
  readConfigAttributes((name) => values[name] ?? null);

const VALID = { server: 'wss://pbx.example.com/ws', uri: 'sip:alice@example.com' } as const;

function problemsOf(fromAttributes: Record<string, unknown>, property?: unknown): readonly string[] {
  const result = parseWidgetConfig(fromAttributes, property);
  return result.ok ? [] : result.problems;
}

describe('reading the attributes', () => {
  it('maps dashed attributes to config keys and splits several servers', () => {
    expect(
      attrs({ server: 'wss://a.example/ws  wss://b.example/ws', 'display-name': 'Alice', uri: 'sip:a@b' }),
    ).toEqual({ server: ['wss://a.example/ws', 'wss://b.example/ws'], displayName: 'Alice', uri: 'sip:a@b' });
  });

  it('treats boolean attributes as HTML does: present is true, except "false"', () => {
    expect(attrs({ 'intercept-links': '', 'auto-connect': 'false' })).toEqual({
      interceptLinks: true,
      autoConnect: false,
    });
  });
});

describe('validating the config', () => {
  it('accepts a server and an address, with the defaults for the rest', () => {
    const result = parseWidgetConfig(attrs(VALID), undefined);
    expect(result).toEqual({
      ok: true,
      config: {
        account: expect.objectContaining({ servers: [VALID.server], uri: VALID.uri, password: '' }),
        mode: 'phone',
        target: null,
        theme: 'system',
        autoConnect: true,
        interceptLinks: false,
      },
    });
  });

  it('lets the config property win over the attributes, key by key', () => {
    const result = parseWidgetConfig(attrs({ ...VALID, theme: 'light' }), {
      password: 'secret',
      theme: 'dark',
      server: ['wss://c.example/ws'],
    });
    expect(result.ok && result.config.theme).toBe('dark');
    expect(result.ok && result.config.account.password).toBe('secret');
    expect(result.ok && result.config.account.servers).toEqual(['wss://c.example/ws']);
    expect(result.ok && result.config.account.uri).toBe(VALID.uri);
  });

  it('names what is missing instead of failing silently', () => {
    expect(problemsOf({})).toEqual(['server: enter the ws:// or wss:// URL of your SIP server']);
    expect(problemsOf(attrs({ server: VALID.server }))).toEqual([
      'uri: enter your SIP address, like sip:alice@example.com',
    ]);
  });

  it('uses the account rules of the store for the server URL and the address', () => {
    const problems = problemsOf(attrs({ server: 'http://pbx.example.com', uri: 'alice' }));
    expect(problems).toContain('server: Enter a ws:// or wss:// URL');
    expect(problems).toContain('uri: SIP URI must look like sip:user@domain');
  });

  it('rejects a config property that is not a plain object, and unknown options', () => {
    expect(problemsOf(attrs(VALID), 'wss://x')).toEqual(['config: expected an object, got "wss://x"']);
    expect(problemsOf(attrs(VALID), [1])).toEqual(['config: expected an object, got a list']);
    expect(problemsOf(attrs(VALID), new Date())[0]).toMatch(/^config: expected an object/);
    expect(problemsOf(attrs(VALID), { pasword: 'x' })[0]).toMatch(/^config: unknown option "pasword"/);
  });

  it('reports values of the wrong type without throwing', () => {
    const problems = problemsOf(
      {},
      {
        server: 42,
        uri: { toString: () => 'sip:a@b' },
        autoConnect: 'yes',
        mode: 'banner',
        theme: 7,
      },
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'server: expected a ws:// or wss:// URL or a list of them, got number',
        'uri: expected text, got an object',
        'autoConnect: expected true or false, got "yes"',
        'mode: expected one of phone, button, got "banner"',
        'theme: expected text, got number',
      ]),
    );
  });

  it('bounds text and shows long or multi-line values shortened on one line', () => {
    const problems = problemsOf(attrs(VALID), {
      displayName: 'x'.repeat(MAX_CONFIG_TEXT + 1),
      mode: 'a\nb'.repeat(30),
    });
    expect(problems).toContain(`displayName: longer than ${MAX_CONFIG_TEXT} characters`);
    const mode = problems.find((p) => p.startsWith('mode:')) ?? '';
    expect(mode).not.toContain('\n');
    expect(mode).toContain('…');
  });

  it('button mode needs a target that can be called, normalised like the dialpad', () => {
    expect(problemsOf(attrs({ ...VALID, mode: 'button' }))).toEqual([
      'target: the click-to-call button needs a target, like sip:sales@example.com',
    ]);
    expect(problemsOf(attrs({ ...VALID, mode: 'button', target: 'not a <target>' }))[0]).toMatch(
      /^target: not a number/,
    );
    const result = parseWidgetConfig(attrs({ ...VALID, mode: 'Button', target: '+33 1 23-45' }), undefined);
    expect(result.ok && result.config.target).toBe('+3312345');
    expect(result.ok && result.config.mode).toBe('button');
  });
});
