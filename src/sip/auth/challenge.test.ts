import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import type { AuthValue } from '../message/types';
import {
  buildCredentials,
  formatCredentials,
  parseDigestChallenge,
  selectDigestChallenge,
  type DigestChallenge,
} from './challenge';
import { DEFAULT_DIGEST_ALGORITHMS, DigestInputError, parseDigestAlgorithm } from './digest';
import { md5 as md5Hash } from './md5';
import { sha256 as sha256Hash } from './sha256';
import { sha512_256 } from './sha512-256';

const ALL = { ...DEFAULT_DIGEST_ALGORITHMS, 'SHA-512-256': sha512_256 };

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
    expect(r.ok && r.challenge).toMatchObject({
      ...base,
      algorithm: { name: 'MD5', sess: false },
      stale: false,
      userhash: false,
    });
    expect(r.ok && r.challenge.algorithmToken).toBeUndefined();
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
    ['SHA-256 when SHA-512-256 was not enabled', [md5, sha256, sha512], 'sha256'],
    ['SHA-256 over MD5 listed first', [md5, sha256], 'sha256'],
    ['a -sess variant with its hash strength', [md5, sha256sess], 'sha256sess'],
    ['the first of equal strength', [sha256sess, sha256], 'sha256sess'],
    ['MD5 when it is all there is', [basic, md5], 'md5'],
    ['past unknown algorithms and schemes', [unknown, basic, md5], 'md5'],
  ])('picks %s', (_name, values, nonce) => {
    const r = selectDigestChallenge(values);
    expect(r.ok && r.challenge.nonce).toBe(nonce);
  });

  it('picks SHA-512-256 over SHA-256 and MD5 once enabled, its -sess variant too', () => {
    const r = selectDigestChallenge([md5, sha256, sha512], ALL);
    expect(r.ok && r.challenge.nonce).toBe('sha512');
    const sess = digest({ ...base, nonce: 'sha512sess', algorithm: 'sha-512-256-SESS', qop: 'auth' });
    const s = selectDigestChallenge([sha256sess, sess], ALL);
    expect(s.ok && s.challenge.algorithm).toEqual({ name: 'SHA-512-256', hash: sha512_256, sess: true });
  });

  it('ranks by the order of the algorithms record, later preferred', () => {
    const r = selectDigestChallenge([sha256, md5], { 'SHA-256': sha256Hash, MD5: md5Hash });
    expect(r.ok && r.challenge.nonce).toBe('md5');
  });

  it('treats a challenge for a hash that is not available as unsupported', () => {
    expect(selectDigestChallenge([sha512])).toEqual({
      ok: false,
      reason: 'no-supported-challenge',
      rejected: ['unsupported-algorithm'],
    });
    expect(selectDigestChallenge([md5], { 'SHA-256': sha256Hash })).toMatchObject({
      ok: false,
      rejected: ['unsupported-algorithm'],
    });
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
    algorithm: parseDigestAlgorithm('SHA-256')!,
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
      algorithm: parseDigestAlgorithm('MD5')!,
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

  // The RFC 7616 §3.9.2 exchange (SHA-512-256, UTF-8 user name, userhash). Its printed username
  // and response are disputed (erratum 4897), so the expected values come from node:crypto.
  it('answers the RFC 7616 §3.9.2 SHA-512-256 userhash exchange', () => {
    const sha512256 = (s: string): string => createHash('sha512-256').update(s, 'utf8').digest('hex');
    const parsed = parseDigestChallenge(
      digest({
        realm: 'api@example.org',
        qop: 'auth',
        algorithm: 'SHA-512-256',
        nonce: '5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK',
        opaque: 'HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS',
        charset: 'UTF-8',
        userhash: 'true',
      }),
      ALL,
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    const cnonce = 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v';
    const value = buildCredentials({
      challenge: parsed.challenge,
      username: 'J\u00e4s\u00f8n Doe',
      password: 'Secret, or not?',
      method: 'GET',
      uri: '/doe.json',
      cnonce,
      nc: 1,
    });
    const ha1 = sha512256('J\u00e4s\u00f8n Doe:api@example.org:Secret, or not?');
    const ha2 = sha512256('GET:/doe.json');
    expect(value.params).toMatchObject({
      username: sha512256('J\u00e4s\u00f8n Doe:api@example.org'),
      userhash: 'true',
      algorithm: 'SHA-512-256',
      response: sha512256(`${ha1}:${parsed.challenge.nonce}:00000001:${cnonce}:auth:${ha2}`),
    });
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

  it('writes userhash bare', () => {
    expect(formatCredentials(digest({ username: 'ab', userhash: 'true' }))).toBe(
      'Digest username="ab", userhash=true',
    );
  });
});
