import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import {
  computeDigestResponse,
  computeUserhash,
  digestHash,
  DigestInputError,
  formatNonceCount,
  parseDigestAlgorithm,
  type DigestAlgorithm,
  type DigestResponseInput,
} from './digest';

// Independent reference built on node:crypto (tests only): the production code uses @noble/hashes,
// so agreement checks the formula and the hash wiring against a second implementation.
const NODE_HASH: Record<DigestAlgorithm, string> = {
  MD5: 'md5',
  'MD5-sess': 'md5',
  'SHA-256': 'sha256',
  'SHA-256-sess': 'sha256',
  'SHA-512-256': 'sha512-256',
  'SHA-512-256-sess': 'sha512-256',
};
const h = (alg: DigestAlgorithm, s: string): string =>
  createHash(NODE_HASH[alg]).update(Buffer.from(s, 'utf8')).digest('hex');

function reference(i: DigestResponseInput): string {
  let ha1 = h(i.algorithm, `${i.username}:${i.realm}:${i.password}`);
  if (i.algorithm.endsWith('-sess')) ha1 = h(i.algorithm, `${ha1}:${i.nonce}:${i.cnonce}`);
  const a2 =
    i.qop === 'auth-int' ? `${i.method}:${i.uri}:${h(i.algorithm, i.body ?? '')}` : `${i.method}:${i.uri}`;
  const ha2 = h(i.algorithm, a2);
  return i.qop === undefined
    ? h(i.algorithm, `${ha1}:${i.nonce}:${ha2}`)
    : h(i.algorithm, `${ha1}:${i.nonce}:${i.nc}:${i.cnonce}:${i.qop}:${ha2}`);
}

// RFC 7616 §3.9.1 (password "Circle of Life", lower-case "of", per verified erratum 4495).
const RFC7616 = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  nc: '00000001',
  qop: 'auth',
} as const;

describe('RFC 7616 §3.9.1 examples', () => {
  it('computes the MD5 response given in the RFC', () => {
    expect(computeDigestResponse({ ...RFC7616, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('computes the SHA-256 response given in the RFC', () => {
    expect(computeDigestResponse({ ...RFC7616, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });
});

describe('RFC 2617 §3.5 example', () => {
  it('computes the MD5 qop=auth response given in the RFC', () => {
    expect(
      computeDigestResponse({
        algorithm: 'MD5',
        username: 'Mufasa',
        password: 'Circle Of Life',
        realm: 'testrealm@host.com',
        method: 'GET',
        uri: '/dir/index.html',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        cnonce: '0a4f113b',
        nc: '00000001',
        qop: 'auth',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });
});

describe('RFC 8760 §2 SHA-512-256 (cross-checked with node:crypto sha512-256)', () => {
  const sip = {
    username: 'bob',
    password: 'zanzibar',
    realm: 'biloxi.com',
    method: 'REGISTER',
    uri: 'sip:biloxi.com',
    nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    cnonce: '0a4f113b',
    nc: '00000001',
  } as const;

  it('hashes with SHA-512/256, not a truncated SHA-512', () => {
    expect(digestHash('SHA-512-256', 'abc')).toBe(
      '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23',
    );
    expect(digestHash('SHA-512-256', 'abc')).toBe(createHash('sha512-256').update('abc').digest('hex'));
  });

  it.each(['SHA-512-256', 'SHA-512-256-sess'] as const)(
    '%s with qop=auth matches the reference',
    (algorithm) => {
      const input = { ...sip, algorithm, qop: 'auth' } as const;
      const response = computeDigestResponse(input);
      expect(response).toMatch(/^[0-9a-f]{64}$/);
      expect(response).toBe(reference(input));
    },
  );
});

describe('RFC 7616 §3.4.3 qop=auth-int', () => {
  const base = { ...RFC7616, method: 'INVITE', uri: 'sip:bob@biloxi.com', qop: 'auth-int' } as const;
  const body = 'v=0\r\no=bob 2890844527 2890844527 IN IP4 host.biloxi.com\r\n';

  it.each(['MD5', 'SHA-256', 'SHA-512-256'] as const)('%s hashes the message body into A2', (algorithm) => {
    const input = { ...base, algorithm, body };
    expect(computeDigestResponse(input)).toBe(reference(input));
  });

  it('changes the response when the body changes', () => {
    const a = computeDigestResponse({ ...base, algorithm: 'MD5', body });
    const b = computeDigestResponse({ ...base, algorithm: 'MD5', body: body + 'x' });
    expect(a).not.toBe(b);
  });

  it('hashes an absent body as the empty string (RFC 3261 §22.4)', () => {
    const input = { ...base, algorithm: 'MD5' as const };
    expect(computeDigestResponse(input)).toBe(computeDigestResponse({ ...input, body: '' }));
    expect(computeDigestResponse(input)).toBe(reference({ ...input, body: '' }));
  });
});

describe('RFC 7616 §3.4.2 -sess algorithms', () => {
  it.each(['MD5-sess', 'SHA-256-sess', 'SHA-512-256-sess'] as const)(
    '%s folds nonce and cnonce into A1',
    (algorithm) => {
      const input = { ...RFC7616, algorithm };
      expect(computeDigestResponse(input)).toBe(reference(input));
      expect(computeDigestResponse(input)).not.toBe(
        computeDigestResponse({ ...input, algorithm: algorithm.replace('-sess', '') as DigestAlgorithm }),
      );
    },
  );

  it('MUST have a cnonce: a -sess computation without one is misuse', () => {
    const { cnonce: _c, nc: _n, qop: _q, ...noQop } = RFC7616;
    expect(() => computeDigestResponse({ ...noQop, algorithm: 'MD5-sess' })).toThrow(DigestInputError);
  });
});

describe('RFC 2617 §3.2.2.1 no qop (RFC 2069 compatibility)', () => {
  it('computes KD(H(A1), nonce ":" H(A2)) without nc and cnonce', () => {
    const input = {
      algorithm: 'MD5' as const,
      username: 'Mufasa',
      password: 'Circle Of Life',
      realm: 'testrealm@host.com',
      method: 'GET',
      uri: '/dir/index.html',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    };
    expect(computeDigestResponse(input)).toBe(reference(input));
    // The well-known RFC 2069 answer for these inputs (as computed by node:crypto above).
    expect(computeDigestResponse(input)).toBe('670fd8c2df070c60b045671b8b24ff02');
  });
});

describe('inputs', () => {
  it('UTF-8 encodes user name, realm and password before hashing', () => {
    const input = {
      ...RFC7616,
      algorithm: 'SHA-256' as const,
      username: 'Jäsøn Doe',
      password: 'pässwörd ☎',
    };
    expect(computeDigestResponse(input)).toBe(reference(input));
  });

  it('requires cnonce and an 8-hex-digit nc with qop', () => {
    expect(() => computeDigestResponse({ ...RFC7616, algorithm: 'MD5', cnonce: '' })).toThrow(
      DigestInputError,
    );
    expect(() => computeDigestResponse({ ...RFC7616, algorithm: 'MD5', nc: '1' })).toThrow(DigestInputError);
  });

  it('formats nc as 8 lower-case hex digits', () => {
    expect(formatNonceCount(1)).toBe('00000001');
    expect(formatNonceCount(255)).toBe('000000ff');
    expect(() => formatNonceCount(0)).toThrow(DigestInputError);
    expect(() => formatNonceCount(2 ** 32)).toThrow(DigestInputError);
  });

  it('reads algorithm tokens case-insensitively and refuses unknown ones', () => {
    expect(parseDigestAlgorithm('md5-SESS')).toBe('MD5-sess');
    expect(parseDigestAlgorithm('sha-512-256')).toBe('SHA-512-256');
    expect(parseDigestAlgorithm('SHA-1')).toBeUndefined();
    expect(parseDigestAlgorithm('AKAv1-MD5')).toBeUndefined();
  });

  it('computes the RFC 7616 §3.4.4 userhash as H(username ":" realm)', () => {
    expect(computeUserhash('SHA-512-256', 'Jäsøn Doe', 'api@example.org')).toBe(
      h('SHA-512-256', 'Jäsøn Doe:api@example.org'),
    );
  });
});
