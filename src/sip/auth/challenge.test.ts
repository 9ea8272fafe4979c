import { describe, it, expect } from 'vitest';
import type { AuthValue } from '../message/types';
import {
  buildCredentials,
  formatCredentials,
  parseDigestChallenge,
  selectDigestChallenge,
  type DigestChallenge,
} from './challenge';
import { DigestInputError } from './digest';

const digest = (params: Record<string, string>): AuthValue => ({ scheme: 'Digest', params });
const base = { realm: 'biloxi.com', nonce: 'n1' };

describe('RFC 7616 §3.3 reading a challenge', () => {
  it.each<[string, AuthValue, string]>([
    ['a non-Digest scheme', { scheme: 'Basic', params: { realm: 'r' } }, 'not-digest'],
    ['a missing realm', digest({ nonce: 'n' }), 'missing-realm'],
    ['a missing nonce', digest({ realm: 'r' }), 'missing-nonce'],
    ['an empty nonce', digest({ realm: 'r', nonce: '' }), 'missing-nonce'],
    ['an unknown algorithm', digest({ ...base, algorithm: 'SHA-1' }), 'unsupported-algorithm'],
    ['AKA', digest({ ...base, algorithm: 'AKAv1-MD5' }), 'unsupported-algorithm'],
    ['only unknown qop values', digest({ ...base, qop: 'auth-conf, x' }), 'unsupported-qop'],
    ['-sess without qop', digest({ ...base, algorithm: 'MD5-sess' }), 'sess-without-qop'],
    ['a line break in the realm', digest({ realm: 'a\r\nVia: x', nonce: 'n' }), 'bad-characters'],
    ['a NUL in the opaque', digest({ ...base, opaque: 'a\u0000' }), 'bad-characters'],
  ])('refuses %s', (_name, value, reason) => {
    expect(parseDigestChallenge(value)).toEqual({ ok: false, reason });
  });

  it('accepts the scheme name in any case', () => {
    expect(parseDigestChallenge({ scheme: 'DIGEST', params: base }).ok).toBe(true);
  });

  it('assumes MD5 when algorithm is absent and remembers that it was absent (RFC 2617 §3.2.1)', () => {
    const r = parseDigestChallenge(digest(base));
    expect(r).toEqual({ ok: true, challenge: { ...base, algorithm: 'MD5', stale: false, userhash: false } });
  });

  it.each<[string, string | undefined]>([
    ['auth', 'auth'],
    ['auth-int', 'auth-int'],
    ['auth,auth-int', 'auth'],
    ['auth-int, auth', 'auth'],
    [' AUTH-INT , token', 'auth-int'],
  ])('qop="%s" is answered with %s', (offered, chosen) => {
    const r = parseDigestChallenge(digest({ ...base, qop: offered }));
    expect(r.ok && r.challenge.qop).toBe(chosen);
  });

  it('reads stale and userhash case-insensitively', () => {
    const r = parseDigestChallenge(digest({ ...base, stale: 'TRUE', userhash: 'True' }));
    expect(r.ok && [r.challenge.stale, r.challenge.userhash]).toEqual([true, true]);
    const f = parseDigestChallenge(digest({ ...base, stale: 'false' }));
    expect(f.ok && f.challenge.stale).toBe(false);
  });
});

describe('choosing among challenges (RFC 8760 §2, RFC 3261 §22.3)', () => {
  const md5 = digest({ ...base, nonce: 'md5', algorithm: 'MD5', qop: 'auth' });
  const sha256 = digest({ ...base, nonce: 'sha256', algorithm: 'SHA-256', qop: 'auth' });
  const sha512 = digest({ ...base, nonce: 'sha512', algorithm: 'SHA-512-256', qop: 'auth' });
  const sha256sess = digest({ ...base, nonce: 'sha256sess', algorithm: 'SHA-256-sess', qop: 'auth' });
  const unknown = digest({ ...base, nonce: 'unknown', algorithm: 'SHA3-512' });
  const basic: AuthValue = { scheme: 'Basic', params: { realm: 'r' } };

  it.each<[string, AuthValue[], string]>([
    ['SHA-512-256 over SHA-256 and MD5', [md5, sha256, sha512], 'sha512'],
    ['SHA-256 over MD5 listed first', [md5, sha256], 'sha256'],
    ['a -sess variant with its hash strength', [md5, sha256sess], 'sha256sess'],
    ['the first of equal strength', [sha256sess, sha256], 'sha256sess'],
    ['MD5 when it is all there is', [basic, md5], 'md5'],
    ['past unknown algorithms and schemes', [unknown, basic, md5], 'md5'],
  ])('picks %s', (_name, values, nonce) => {
    const r = selectDigestChallenge(values);
    expect(r.ok && r.challenge.nonce).toBe(nonce);
  });

  it('gives a typed reason per challenge when none is usable', () => {
    expect(selectDigestChallenge([basic, unknown])).toEqual({
      ok: false,
      reason: 'no-supported-challenge',
      rejected: ['not-digest', 'unsupported-algorithm'],
    });
    expect(selectDigestChallenge([])).toEqual({ ok: false, reason: 'no-supported-challenge', rejected: [] });
  });
});

describe('RFC 3261 §22.4 / RFC 7616 §3.4 building credentials', () => {
  const rfc7616: DigestChallenge = {
    realm: 'http-auth@example.org',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
    algorithm: 'SHA-256',
    algorithmToken: 'SHA-256',
    qop: 'auth',
    stale: false,
    userhash: false,
  };
  const request = { username: 'Mufasa', password: 'Circle of Life', method: 'GET', uri: '/dir/index.html' };

  it('reproduces the RFC 7616 §3.9.1 Authorization header field', () => {
    const value = buildCredentials({
      challenge: rfc7616,
      ...request,
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      nc: 1,
    });
    expect(value).toEqual({
      scheme: 'Digest',
      params: {
        username: 'Mufasa',
        realm: 'http-auth@example.org',
        nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
        uri: '/dir/index.html',
        response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
        algorithm: 'SHA-256',
        cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
        nc: '00000001',
        qop: 'auth',
        opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      },
    });
  });

  it('echoes the algorithm token as the challenge wrote it', () => {
    const value = buildCredentials({
      challenge: { ...rfc7616, algorithmToken: 'sha-256' },
      ...request,
      cnonce: 'c',
      nc: 1,
    });
    expect(value.params['algorithm']).toBe('sha-256');
  });

  it('omits algorithm, cnonce, nc and qop for an RFC 2069 style challenge', () => {
    const legacy: DigestChallenge = {
      realm: 'r',
      nonce: 'n',
      algorithm: 'MD5',
      stale: false,
      userhash: false,
    };
    const value = buildCredentials({ challenge: legacy, ...request });
    expect(Object.keys(value.params)).toEqual(['username', 'realm', 'nonce', 'uri', 'response']);
  });

  it('sends H(username:realm) and userhash=true when the challenge asked for it', () => {
    const value = buildCredentials({
      challenge: { ...rfc7616, userhash: true },
      ...request,
      cnonce: 'c',
      nc: 1,
    });
    expect(value.params['username']).toMatch(/^[0-9a-f]{64}$/);
    expect(value.params['username']).not.toContain('Mufasa');
    expect(value.params['userhash']).toBe('true');
  });

  it('treats a qop challenge without cnonce or nc as misuse', () => {
    expect(() => buildCredentials({ challenge: rfc7616, ...request })).toThrow(DigestInputError);
  });
});

describe('formatting credentials (RFC 7616 §3.4, RFC 3261 §25.1 quoted-pair)', () => {
  it('writes algorithm, qop and nc as bare tokens and quotes the rest', () => {
    const text = formatCredentials(
      digest({
        username: 'bob',
        realm: 'biloxi.com',
        uri: 'sip:biloxi.com',
        algorithm: 'SHA-256',
        nc: '00000001',
        qop: 'auth',
        response: 'ab',
      }),
    );
    expect(text).toBe(
      'Digest username="bob", realm="biloxi.com", uri="sip:biloxi.com", algorithm=SHA-256, nc=00000001, qop=auth, response="ab"',
    );
  });

  it('escapes a quote and a backslash in a quoted value', () => {
    const text = formatCredentials(digest({ realm: 'say "hi" \\o/' }));
    expect(text).toBe('Digest realm="say \\"hi\\" \\\\o/"');
  });

  it('refuses a value that would break the header line', () => {
    expect(() => formatCredentials(digest({ username: 'a\r\nX: y' }))).toThrow(DigestInputError);
    expect(() => formatCredentials(digest({ qop: 'auth, auth-int' }))).toThrow(DigestInputError);
    expect(() => formatCredentials({ scheme: 'Di gest', params: {} })).toThrow(DigestInputError);
  });
});
