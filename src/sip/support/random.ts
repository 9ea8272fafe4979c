/**
 * Randomness as a port: branch ids, tags, Call-IDs and cnonces come from an injected byte source so
 * tests are deterministic and the core never touches `Math.random`.
 */

/** Fills and returns `n` random bytes. */
export type RandomBytes = (n: number) => Uint8Array;

export interface Random {
  /** Lower-case hex of `byteCount` random bytes. */
  hex(byteCount: number): string;
  /** RFC 3261 §8.1.1.7: the branch MUST begin with the magic cookie "z9hG4bK". */
  branch(): string;
  /** §19.3: a tag needs at least 32 bits of randomness. */
  tag(): string;
  /** §8.1.1.4: a Call-ID must be globally unique over space and time. */
  callId(): string;
  /** Client nonce for digest authentication (RFC 7616 §3.4). */
  cnonce(): string;
}

export function createRandom(bytes: RandomBytes): Random {
  const hex = (byteCount: number): string =>
    Array.from(bytes(byteCount), (b) => (b | 256).toString(16).slice(1)).join('');
  return {
    hex,
    branch: () => 'z9hG4bK' + hex(10),
    tag: () => hex(6),
    callId: () => hex(16),
    cnonce: () => hex(12),
  };
}

interface HostCrypto {
  crypto: { getRandomValues<T extends Uint8Array>(array: T): T };
}

/**
 * Cryptographically strong bytes from WebCrypto, present in browsers and Node ≥ 19.
 * @throws TypeError without WebCrypto: inject a {@link RandomBytes} source there.
 */
export const cryptoRandomBytes: RandomBytes = (n) =>
  (globalThis as unknown as HostCrypto).crypto.getRandomValues(new Uint8Array(n));

export const defaultRandom: Random = createRandom(cryptoRandomBytes);
