import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import {
  computeDigestResponse,
  DEFAULT_DIGEST_ALGORITHMS,
  DigestInputError,
  parseDigestAlgorithm,
  type DigestAlgorithm,
  type DigestResponseInput,
} from './digest';
import { sha512_256 } from './sha512-256';

const ALL = { ...DEFAULT_DIGEST_ALGORITHMS, 'SHA-512-256': sha512_256 };
/** Test inputs name their algorithm by token; `computeDigestResponse` takes it resolved. */
type Input = Omit<DigestResponseInput, 'algorithm'> & { readonly algorithm: string };
function resolve(token: string): DigestAlgorithm {
  const algorithm = parseDigestAlgorithm(token, ALL);
  if (algorithm === undefined) throw new Error(`unknown ${token}`);
  return algorithm;
}
const compute = (input: Input): string =>
  computeDigestResponse({ ...input, algorithm: resolve(input.algorithm) });

// Independent reference built on node:crypto (tests only), so agreement checks the formula and the
// hash wiring against a second implementation.
const NODE_HASH: Record<string, string> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };
const h = (alg: string, s: string): string =>
  createHash(NODE_HASH[alg.replace('-sess', '')]!).update(Buffer.from(s, 'utf8')).digest('hex');

function reference(i: Input): string {
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
    expect(compute({ ...RFC7616, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('computes the SHA-256 response given in the RFC', () => {
    expect(compute({ ...RFC7616, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });
});

// RFC 2617 §3.5 (password "Circle Of Life", upper-case "Of"), without the qop parameters.
const RFC2617 = {
  algorithm: 'MD5',
  username: 'Mufasa',
  password: 'Circle Of Life',
  realm: 'testrealm@host.com',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
} as const;

describe('RFC 2617 §3.5 example', () => {
  it('computes the MD5 qop=auth response given in the RFC', () => {
    expect(
      compute({
        ...RFC2617,
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
    expect(sha512_256('abc')).toBe('53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23');
    expect(sha512_256('Jäsøn ☎ \ud800')).toBe(h('SHA-512-256', 'Jäsøn ☎ \ud800'));
  });

  it('is not available unless asked for', () => {
    expect(parseDigestAlgorithm('SHA-512-256')).toBeUndefined();
    expect(parseDigestAlgorithm('SHA-512-256-sess')).toBeUndefined();
  });

  it.each(['SHA-512-256', 'SHA-512-256-sess'] as const)(
    '%s with qop=auth matches the reference',
    (algorithm) => {
      const input = { ...sip, algorithm, qop: 'auth' } as const;
      const response = compute(input);
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
    expect(compute(input)).toBe(reference(input));
  });

  it('changes the response when the body changes', () => {
    const a = compute({ ...base, algorithm: 'MD5', body });
    const b = compute({ ...base, algorithm: 'MD5', body: body + 'x' });
    expect(a).not.toBe(b);
  });

  it('hashes an absent body as the empty string (RFC 3261 §22.4)', () => {
    const input = { ...base, algorithm: 'MD5' as const };
    expect(compute(input)).toBe(compute({ ...input, body: '' }));
    expect(compute(input)).toBe(reference({ ...input, body: '' }));
  });
});

describe('RFC 7616 §3.4.2 -sess algorithms', () => {
  it.each(['MD5-sess', 'SHA-256-sess', 'SHA-512-256-sess'] as const)(
    '%s folds nonce and cnonce into A1',
    (algorithm) => {
      const input = { ...RFC7616, algorithm };
      expect(compute(input)).toBe(reference(input));
      expect(compute(input)).not.toBe(compute({ ...input, algorithm: algorithm.replace('-sess', '') }));
    },
  );

  it('MUST have a cnonce: a -sess computation without one is misuse', () => {
    const { cnonce: _c, nc: _n, qop: _q, ...noQop } = RFC7616;
    expect(() => compute({ ...noQop, algorithm: 'MD5-sess' })).toThrow(DigestInputError);
  });
});

describe('RFC 2617 §3.2.2.1 no qop (RFC 2069 compatibility)', () => {
  it('computes KD(H(A1), nonce ":" H(A2)) without nc and cnonce', () => {
    const input = RFC2617;
    expect(compute(input)).toBe(reference(input));
    // The well-known RFC 2069 answer for these inputs (as computed by node:crypto above).
    expect(compute(input)).toBe('670fd8c2df070c60b045671b8b24ff02');
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
    expect(compute(input)).toBe(reference(input));
  });

  it('requires cnonce and an 8-hex-digit nc with qop', () => {
    expect(() => compute({ ...RFC7616, algorithm: 'MD5', cnonce: '' })).toThrow(DigestInputError);
    expect(() => compute({ ...RFC7616, algorithm: 'MD5', nc: '1' })).toThrow(DigestInputError);
  });

  it('reads algorithm tokens case-insensitively and refuses unknown ones', () => {
    expect(parseDigestAlgorithm('md5-SESS')).toMatchObject({ name: 'MD5', sess: true });
    expect(parseDigestAlgorithm('sha-256')).toMatchObject({ name: 'SHA-256', sess: false });
    expect(parseDigestAlgorithm('sha-512-256-Sess', ALL)).toEqual({
      name: 'SHA-512-256',
      hash: sha512_256,
      sess: true,
    });
    expect(parseDigestAlgorithm('SHA-1')).toBeUndefined();
    expect(parseDigestAlgorithm('-sess')).toBeUndefined();
    expect(parseDigestAlgorithm('AKAv1-MD5')).toBeUndefined();
  });
});
