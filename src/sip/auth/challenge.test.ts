import { describe, it, expect } from 'vitest';
import type { AuthValue } from '../message/types';
import { buildCredentials, formatCredentials, readChallenge, selectDigestChallenge } from './challenge';
import { DEFAULT_DIGEST_ALGORITHMS, type DigestChallenge } from './digest';
import { md5 as md5Hash } from './md5';
import { sha256 as sha256Hash } from './sha256';
import { sha512_256 } from './sha512-256';

const ALL = { ...DEFAULT_DIGEST_ALGORITHMS, 'SHA-512-256': sha512_256 };

const digest = (params: Record<string, string>): AuthValue => ({ scheme: 'Digest', params });
const base = { realm: 'biloxi.com', nonce: 'n1' };

describe('RFC 7616 §3.3 reading a challenge', () => {
  it.each<[string, AuthValue]>([
    ['a non-Digest scheme', { scheme: 'Basic', params: { realm: 'r' } }],
    ['a missing realm', digest({ nonce: 'n' })],
    ['a missing nonce', digest({ realm: 'r' })],
    ['an empty nonce', digest({ realm: 'r', nonce: '' })],
    ['an unknown algorithm', digest({ ...base, algorithm: 'SHA-1' })],
    ['AKA', digest({ ...base, algorithm: 'AKAv1-MD5' })],
    ['an Object.prototype member as algorithm', digest({ ...base, algorithm: 'constructor' })],
    ['only unknown qop values', digest({ ...base, qop: 'auth-conf, x' })],
    ['a line break in the realm', digest({ realm: 'a\r\nVia: x', nonce: 'n' })],
    ['a NUL in the opaque', digest({ ...base, opaque: 'a\u0000' })],
    // The variants are opt-in (digest-variants.test.ts): without them these are unsupported.
    ['a -sess algorithm', digest({ ...base, algorithm: 'MD5-sess', qop: 'auth' })],
    ['qop=auth-int alone', digest({ ...base, qop: 'auth-int' })],
  ])('refuses %s', (_name, value) => {
    expect(readChallenge(value)).toBeUndefined();
  });

  it('accepts the scheme name in any case', () => {
    expect(readChallenge({ scheme: 'DIGEST', params: base })).toBeDefined();
  });

  it('assumes MD5 when algorithm is absent and remembers that it was absent (RFC 2617 §3.2.1)', () => {
    const c = readChallenge(digest(base));
    expect(c).toMatchObject({ ...base, name: 'MD5', hash: md5Hash, stale: false });
    expect(c?.algorithm).toBeUndefined();
    expect(c?.qop).toBeUndefined();
  });

  it('reads the algorithm token case-insensitively and keeps it as written', () => {
    expect(readChallenge(digest({ ...base, algorithm: 'sha-256' }))).toMatchObject({
      name: 'SHA-256',
      hash: sha256Hash,
      algorithm: 'sha-256',
    });
  });

  it.each<[string, string | undefined]>([
    ['auth', 'auth'],
    ['auth,auth-int', 'auth'],
    ['auth-int, auth', 'auth'],
    [' AUTH , token', 'auth'],
  ])('qop="%s" is answered with %s', (offered, chosen) => {
    expect(readChallenge(digest({ ...base, qop: offered }))?.qop).toBe(chosen);
  });

  it('reads stale case-insensitively, and ignores userhash (it only says the server accepts one)', () => {
    expect(readChallenge(digest({ ...base, stale: 'TRUE', userhash: 'true' }))).toMatchObject({
      stale: true,
    });
    expect(readChallenge(digest({ ...base, stale: 'false' }))?.stale).toBe(false);
    expect(readChallenge(digest({ ...base, userhash: 'true' }))?.userhash).toBeUndefined();
  });
});

describe('choosing among challenges (RFC 8760 §2, RFC 3261 §22.3)', () => {
  const md5 = digest({ ...base, nonce: 'md5', algorithm: 'MD5', qop: 'auth' });
  const md5b = digest({ ...base, nonce: 'md5b', qop: 'auth' });
  const sha256 = digest({ ...base, nonce: 'sha256', algorithm: 'SHA-256', qop: 'auth' });
  const sha512 = digest({ ...base, nonce: 'sha512', algorithm: 'SHA-512-256', qop: 'auth' });
  const sha256sess = digest({ ...base, nonce: 'sha256sess', algorithm: 'SHA-256-sess', qop: 'auth' });
  const unknown = digest({ ...base, nonce: 'unknown', algorithm: 'SHA3-512' });
  const basic: AuthValue = { scheme: 'Basic', params: { realm: 'r' } };

  it.each<[string, AuthValue[], string]>([
    ['SHA-256 when SHA-512-256 was not enabled', [md5, sha256, sha512], 'sha256'],
    ['SHA-256 over MD5 listed first', [md5, sha256], 'sha256'],
    ['the strongest supported one past a -sess variant that is not installed', [sha256sess, md5], 'md5'],
    ['the first of equal strength', [md5, md5b], 'md5'],
    ['MD5 when it is all there is', [basic, md5], 'md5'],
    ['past unknown algorithms and schemes', [unknown, basic, md5], 'md5'],
  ])('picks %s', (_name, values, nonce) => {
    expect(selectDigestChallenge(values)?.nonce).toBe(nonce);
  });

  it('picks SHA-512-256 over SHA-256 and MD5 once enabled', () => {
    expect(selectDigestChallenge([md5, sha256, sha512], ALL)?.nonce).toBe('sha512');
  });

  it('ranks by the order of the algorithms record, later preferred', () => {
    expect(selectDigestChallenge([sha256, md5], { 'SHA-256': sha256Hash, MD5: md5Hash })?.nonce).toBe('md5');
  });

  it('finds nothing when no challenge is usable', () => {
    expect(selectDigestChallenge([sha512])).toBeUndefined();
    expect(selectDigestChallenge([md5], { 'SHA-256': sha256Hash })).toBeUndefined();
    expect(selectDigestChallenge([basic, unknown, sha256sess])).toBeUndefined();
    expect(selectDigestChallenge([])).toBeUndefined();
  });
});

describe('RFC 3261 §22.4 / RFC 7616 §3.4 building credentials', () => {
  const rfc7616: DigestChallenge = {
    realm: 'http-auth@example.org',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
    algorithm: 'SHA-256',
    name: 'SHA-256',
    hash: sha256Hash,
    qop: 'auth',
    stale: false,
  };
  const request = {
    username: 'Mufasa',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    nc: 1,
  };

  it('reproduces the RFC 7616 §3.9.1 Authorization header field', () => {
    expect(buildCredentials(rfc7616, request)).toEqual({
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

  it('reproduces the RFC 7616 §3.9.1 MD5 response', () => {
    const md5 = { ...rfc7616, algorithm: 'MD5', name: 'MD5', hash: md5Hash };
    expect(buildCredentials(md5, request).params['response']).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('writes nc as 8 hex digits', () => {
    expect(buildCredentials(rfc7616, { ...request, nc: 0x1a }).params['nc']).toBe('0000001a');
  });

  it('echoes the algorithm token as the challenge wrote it', () => {
    const value = buildCredentials({ ...rfc7616, algorithm: 'sha-256' }, request);
    expect(value.params['algorithm']).toBe('sha-256');
  });

  it('omits algorithm, cnonce, nc and qop for an RFC 2069 style challenge, and computes KD(H(A1), nonce:H(A2))', () => {
    const legacy: DigestChallenge = { realm: 'r', nonce: 'n', name: 'MD5', hash: md5Hash, stale: false };
    const value = buildCredentials(legacy, request);
    expect(Object.keys(value.params)).toEqual(['username', 'realm', 'nonce', 'uri', 'response']);
    const ha1 = md5Hash('Mufasa:r:Circle of Life');
    expect(value.params['response']).toBe(md5Hash(`${ha1}:n:${md5Hash('GET:/dir/index.html')}`));
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
