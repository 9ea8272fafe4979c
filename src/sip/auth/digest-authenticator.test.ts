import { inspect } from 'node:util';
import { describe, it, expect } from 'vitest';
import type { AuthValue } from '../message/types';
import { formatCredentials } from './challenge';
import { computeDigestResponse, parseDigestAlgorithm, type DigestResponseInput } from './digest';
import { DigestAuthenticator, type DigestAuthenticatorOptions } from './digest-authenticator';
import { digestVariants } from './digest-variants';
import { InvalidArgumentError } from '../support/errors';
import { md5 } from './md5';
import { sha256 } from './sha256';
import { sha512_256 } from './sha512-256';

const PASSWORD = 'S3cret-p4ss"word';

function counterRandom(): () => string {
  let i = 0;
  return () => (++i).toString(16).padStart(16, '0');
}

function make(random = counterRandom(), more: Partial<DigestAuthenticatorOptions> = {}): DigestAuthenticator {
  return new DigestAuthenticator({ username: 'alice', password: PASSWORD, random, ...more });
}

const challenge = (params: Record<string, string>): AuthValue => ({
  scheme: 'Digest',
  params: { realm: 'atlanta.com', qop: 'auth', algorithm: 'SHA-256', ...params },
});

const register = { method: 'REGISTER', uri: 'sip:atlanta.com', body: '' };

/** The response alice's first answer (nc 1, first cnonce) to nonce n1 of atlanta.com must carry. */
const expectedResponse = (more: Partial<DigestResponseInput> = {}): string =>
  computeDigestResponse({
    algorithm: parseDigestAlgorithm('SHA-256')!,
    username: 'alice',
    realm: 'atlanta.com',
    password: PASSWORD,
    method: 'REGISTER',
    uri: 'sip:atlanta.com',
    nonce: 'n1',
    cnonce: '0000000000000001',
    nc: '00000001',
    qop: 'auth',
    ...more,
  });

function ok<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  expect(r.ok).toBe(true);
  return r as Extract<T, { ok: true }>;
}

describe('RFC 3261 §22.2 / §22.3 answering a challenge', () => {
  it('answers WWW-Authenticate in Authorization with a verifiable response', () => {
    const r = ok(make().authorize(register, [challenge({ nonce: 'n1', opaque: 'op' })], 'WWW-Authenticate'));
    expect(r.headerName).toBe('Authorization');
    const p = r.value.params;
    expect(p).toMatchObject({ username: 'alice', realm: 'atlanta.com', nonce: 'n1', uri: 'sip:atlanta.com' });
    expect(p).toMatchObject({
      algorithm: 'SHA-256',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0000000000000001',
    });
    expect(p['opaque']).toBe('op');
    expect(p['response']).toBe(expectedResponse());
  });

  it('answers Proxy-Authenticate in Proxy-Authorization', () => {
    const r = ok(make().authorize(register, [challenge({ nonce: 'n1' })], 'Proxy-Authenticate'));
    expect(r.headerName).toBe('Proxy-Authorization');
  });

  it('answers a challenge offering only qop=auth-int when the variants are installed, hashing the body', () => {
    const invite = { method: 'INVITE', uri: 'sip:bob@biloxi.com', body: 'v=0\r\n' };
    const authInt = [challenge({ nonce: 'n1', qop: 'auth-int' })];
    expect(make().authorize(invite, authInt, 'Proxy-Authenticate')).toEqual({
      ok: false,
      reason: 'no-supported-challenge',
    });
    const r = ok(
      make(counterRandom(), { algorithms: digestVariants() }).authorize(
        invite,
        authInt,
        'Proxy-Authenticate',
      ),
    );
    expect(r.value.params['qop']).toBe('auth-int');
    expect(r.value.params['response']).toBe(
      expectedResponse({ method: 'INVITE', uri: 'sip:bob@biloxi.com', qop: 'auth-int', body: 'v=0\r\n' }),
    );
  });

  it('answers the strongest of several challenges among the available algorithms', () => {
    const offered = [
      challenge({ nonce: 'weak', algorithm: 'MD5' }),
      challenge({ nonce: 'strong', algorithm: 'SHA-512-256' }),
    ];
    const byDefault = ok(make().authorize(register, offered, 'WWW-Authenticate'));
    expect(byDefault.value.params['nonce']).toBe('weak');
    const enabled = make(counterRandom(), { algorithms: { 'SHA-512-256': sha512_256 } });
    expect(ok(enabled.authorize(register, offered, 'WWW-Authenticate')).value.params['nonce']).toBe('strong');
  });

  it('reports an unavailable algorithm as unsupported', () => {
    const r = make().authorize(
      register,
      [challenge({ nonce: 'n', algorithm: 'SHA-512-256' })],
      'WWW-Authenticate',
    );
    expect(r).toEqual({ ok: false, reason: 'no-supported-challenge' });
  });

  it.each<[string, (s: string) => string]>([
    ['MD5-sess', md5],
    ['SHA-256-sess', sha256],
    ['SHA-512-256-sess', sha512_256],
  ])('answers %s verifiably once the variants are installed, and only then', (algorithm, hash) => {
    const offered = [challenge({ nonce: 'n1', algorithm })];
    const core = make(counterRandom(), { algorithms: { 'SHA-512-256': sha512_256 } });
    expect(core.authorize(register, offered, 'WWW-Authenticate').ok).toBe(false);
    const auth = make(counterRandom(), { algorithms: { 'SHA-512-256': sha512_256, ...digestVariants() } });
    const r = ok(auth.authorize(register, offered, 'WWW-Authenticate'));
    expect(r.value.params['algorithm']).toBe(algorithm);
    expect(r.value.params['response']).toBe(
      expectedResponse({ algorithm: { name: algorithm.replace('-sess', ''), hash, sess: true } }),
    );
  });

  it('reports no-supported-challenge when nothing can be answered', () => {
    const r = make().authorize(register, [{ scheme: 'Basic', params: { realm: 'x' } }], 'WWW-Authenticate');
    expect(r).toEqual({ ok: false, reason: 'no-supported-challenge' });
  });
});

describe('RFC 7616 §3.4 nonce count', () => {
  it('counts 00000001, 00000002, … while the same nonce is reused, with one cnonce', () => {
    const auth = make();
    const first = ok(auth.authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate'));
    auth.accepted('WWW-Authenticate');
    const second = ok(auth.authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate'));
    auth.accepted('WWW-Authenticate');
    const third = ok(auth.authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate'));
    expect([first, second, third].map((r) => r.value.params['nc'])).toEqual([
      '00000001',
      '00000002',
      '00000003',
    ]);
    expect(third.value.params['cnonce']).toBe('0000000000000001');
    expect(second.value.params['response']).not.toBe(third.value.params['response']);
  });

  it('restarts at 00000001 with a fresh cnonce for a new nonce', () => {
    const auth = make();
    ok(auth.authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate'));
    auth.accepted('WWW-Authenticate');
    ok(auth.authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate'));
    auth.accepted('WWW-Authenticate');
    const r = ok(auth.authorize(register, [challenge({ nonce: 'n2' })], 'WWW-Authenticate'));
    expect(r.value.params).toMatchObject({ nonce: 'n2', nc: '00000001', cnonce: '0000000000000002' });
  });

  it('sends no nc or cnonce to a challenge without qop', () => {
    const auth = make();
    const legacy: AuthValue = { scheme: 'Digest', params: { realm: 'r', nonce: 'n' } };
    const r = ok(auth.authorize(register, [legacy], 'WWW-Authenticate'));
    expect(Object.keys(r.value.params)).toEqual(['username', 'realm', 'nonce', 'uri', 'response']);
    auth.accepted('WWW-Authenticate');
    // Nothing varies per request without qop (RFC 2069): the same nonce gives the same answer.
    expect(ok(auth.authorize(register, [legacy], 'WWW-Authenticate')).value.params['response']).toBe(
      r.value.params['response'],
    );
  });
});

describe('RFC 7616 §3.3 stale and rejected credentials', () => {
  it('returns credentials-rejected when a non-stale challenge follows our answer', () => {
    const auth = make();
    ok(auth.authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate'));
    const again = auth.authorize(register, [challenge({ nonce: 'n2' })], 'WWW-Authenticate');
    expect(again).toEqual({ ok: false, reason: 'credentials-rejected', realm: 'atlanta.com' });
  });

  it('forgets a rejected realm: a later, separate attempt starts over', () => {
    const auth = make();
    ok(auth.authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate'));
    auth.authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate');
    // E.g. the registration retry timer: same nonce, yet a new count and cnonce.
    const again = ok(auth.authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate'));
    expect(again.value.params).toMatchObject({ nc: '00000001', cnonce: '0000000000000002' });
  });

  it('retries once with the new nonce on stale=true, then gives up', () => {
    const auth = make();
    ok(auth.authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate'));
    const stale = ok(
      auth.authorize(register, [challenge({ nonce: 'n2', stale: 'TRUE' })], 'WWW-Authenticate'),
    );
    expect(stale.value.params).toMatchObject({ nonce: 'n2', nc: '00000001' });
    const second = auth.authorize(register, [challenge({ nonce: 'n3', stale: 'true' })], 'WWW-Authenticate');
    expect(second).toEqual({ ok: false, reason: 'credentials-rejected', realm: 'atlanta.com' });
  });

  it('answers a new challenge normally once the last answer was accepted', () => {
    const auth = make();
    ok(auth.authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate'));
    auth.accepted('WWW-Authenticate');
    expect(auth.authorize(register, [challenge({ nonce: 'n2' })], 'WWW-Authenticate').ok).toBe(true);
    // Answered again: the next challenge is a rejection of this new answer.
    expect(auth.authorize(register, [challenge({ nonce: 'n3' })], 'WWW-Authenticate').ok).toBe(false);
  });

  it('accepts only for the header that was answered', () => {
    const auth = make();
    ok(auth.authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate'));
    auth.accepted('Proxy-Authenticate');
    expect(auth.authorize(register, [challenge({ nonce: 'n2' })], 'WWW-Authenticate').ok).toBe(false);
  });

  it('tracks realms separately: a challenge for another realm is not a rejection', () => {
    const auth = make();
    ok(auth.authorize(register, [challenge({ realm: 'a', nonce: 'n1' })], 'Proxy-Authenticate'));
    expect(auth.authorize(register, [challenge({ realm: 'b', nonce: 'n2' })], 'Proxy-Authenticate').ok).toBe(
      true,
    );
  });
});

describe('secrets stay out of logs', () => {
  it('never shows the password in JSON.stringify, String() or util.inspect', () => {
    const auth = make();
    ok(auth.authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate'));
    for (const text of [
      JSON.stringify(auth),
      String(auth),
      `${auth}`,
      inspect(auth, { depth: 10, showHidden: true }),
    ]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain('S3cret');
    }
  });

  it('exposes no enumerable property holding the password', () => {
    const auth = make();
    expect(Object.values(auth)).not.toContain(PASSWORD);
    expect(Object.getOwnPropertyNames(auth)).toEqual([]);
  });

  it('formats credentials whose header text contains no password', () => {
    const r = ok(make().authorize(register, [challenge({ nonce: 'n1' })], 'WWW-Authenticate'));
    expect(formatCredentials(r.value)).not.toContain('S3cret');
  });
});

describe('misuse', () => {
  it('refuses an empty user name, or one that would break the header line', () => {
    for (const username of ['', 'a\r\nVia: x', 'a\u0000']) {
      expect(() => new DigestAuthenticator({ username, password: 'x', random: counterRandom() })).toThrow(
        InvalidArgumentError,
      );
    }
  });
});
