/**
 * The rarely used Digest variants of RFC 7616, opt-in so that the minimal core does not ship them:
 * the `-sess` algorithms (§3.4.2), `qop=auth-int` (§3.4.3) and `userhash` (§3.4.4). Install them
 * in the algorithms record:
 *
 * ```ts
 * new UserAgent({ …, digestAlgorithms: { 'SHA-512-256': sha512_256, ...digestVariants() } })
 * ```
 *
 * Without them a `-sess` challenge is an unsupported algorithm, a challenge offering only
 * `auth-int` an unsupported qop (the strongest other challenge is answered, if any), and
 * `userhash=true` is ignored: it only says the server accepts a hashed user name, so the plain one
 * stays valid.
 */
import type { AuthValue } from '../message/types';
import { buildCredentials, qopOptions, readChallenge } from './challenge';
import { computeDigestResponse, VARIANTS, type DigestAlgorithms, type DigestVariants } from './digest';

const variants: DigestVariants = {
  read(value, algorithms) {
    const token = value.params['algorithm'];
    const sess = /-sess$/i.test(token ?? '');
    const offered = qopOptions(value);
    // `auth` protects no body but is what every server verifies; `auth-int` only when it is all
    // the server accepts, because a proxy that rewrites the body would break it.
    const authInt = offered?.includes('auth-int') && !offered.includes('auth');
    // The core reads what is left once the variant is set aside: the hash name and qop=auth.
    const params = { ...value.params };
    if (sess) params['algorithm'] = token!.slice(0, -5);
    if (authInt) params['qop'] = 'auth';
    const challenge = readChallenge({ ...value, params }, algorithms);
    // RFC 2617 §3.2.2: cnonce "MUST NOT be specified if the server did not send a qop directive",
    // so the server could never recompute a -sess A1, which needs the cnonce.
    if (!challenge || (sess && !challenge.qop)) return undefined;
    return {
      ...challenge,
      algorithm: token,
      sess,
      qop: authInt ? 'auth-int' : challenge.qop,
      userhash: value.params['userhash']?.toLowerCase() === 'true',
    };
  },

  answer(challenge, input): AuthValue {
    const { realm, nonce, qop, name, hash, sess = false } = challenge;
    const value = buildCredentials(challenge, input, (_, __, nc) =>
      // A1 uses the real user name even with userhash; only the header carries the hash.
      computeDigestResponse({ ...input, realm, nonce, qop, nc, algorithm: { name, hash, sess } }),
    );
    if (challenge.userhash) {
      // RFC 7616 §3.4.4: "username = H( unq(username) ":" unq(realm) )", and userhash=true says so.
      value.params['username'] = hash(`${input.username}:${realm}`);
      value.params['userhash'] = 'true';
    }
    return value;
  },
};

/** The variants as an entry of the algorithms record (spread it in). */
export function digestVariants(): Pick<DigestAlgorithms, typeof VARIANTS> {
  return { [VARIANTS]: variants };
}
