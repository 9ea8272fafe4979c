/**
 * Well-known parameter names of SIP URIs (RFC 3261 §19.1.1), header parameters (§20.10, §20.20,
 * §20.39, §20.42 and the extensions) and authentication parameters (§25.1, RFC 7616 §3.3).
 *
 * Parameter names are case-insensitive (§7.3.1) and stored lower-cased. The parsers recognise these
 * names in place, from a hash computed while they validate the characters, and use the shared
 * string literal: no slice, no lower-cased copy, and a key the engine has already interned, so
 * storing it into a parameter map skips a string-table lookup.
 */
import { hashStep } from '../message/header-names';

const WORDS: readonly string[] = [
  // URI parameters (§19.1.1, RFC 5626, RFC 5627)
  'transport',
  'user',
  'method',
  'ttl',
  'maddr',
  'lr',
  'ob',
  'gr',
  // Via (§20.42, RFC 3581, RFC 5923)
  'branch',
  'received',
  'rport',
  'alias',
  // name-addr header parameters (§20.10, §20.20, §20.39, RFC 5626, RFC 5627, RFC 3840)
  'tag',
  'expires',
  'q',
  '+sip.instance',
  'reg-id',
  'pub-gruu',
  'temp-gruu',
  'methods',
  'video',
  'audio',
  // Event, Subscription-State, Session-Expires, Reason, Content-Type, Replaces
  'id',
  'reason',
  'retry-after',
  'refresher',
  'cause',
  'text',
  'charset',
  'boundary',
  'version',
  'call-id',
  'from-tag',
  'to-tag',
  'early-only',
  'duration',
  // Authentication parameters (§25.1, RFC 7616 §3.3-3.4)
  'realm',
  'nonce',
  'opaque',
  'algorithm',
  'qop',
  'stale',
  'domain',
  'username',
  'uri',
  'response',
  'cnonce',
  'nc',
  'userhash',
];

const MASK = 255;

/** Lower-case words bucketed by their {@link hashStep} hash. */
const BUCKETS: Array<string[] | undefined> = (() => {
  const buckets: Array<string[] | undefined> = new Array(MASK + 1);
  for (const word of WORDS) {
    let h = 0;
    for (let i = 0; i < word.length; i++) h = hashStep(h, word.charCodeAt(i));
    (buckets[h & MASK] ??= []).push(word);
  }
  return buckets;
})();

/**
 * The lower-cased literal of a well-known parameter name if `text[start, end)` spells one in any
 * casing, else undefined. `hash` is the {@link hashStep} hash of those characters.
 */
export function knownParamName(text: string, start: number, end: number, hash: number): string | undefined {
  const bucket = BUCKETS[hash & MASK];
  if (bucket === undefined) return undefined;
  const len = end - start;
  for (let b = 0; b < bucket.length; b++) {
    const word = bucket[b] as string;
    if (word.length !== len) continue;
    let k = 0;
    for (; k < len; k++) {
      const c = text.charCodeAt(start + k);
      const w = word.charCodeAt(k);
      // Only letters fold: `| 0x20` would also map e.g. CR onto "-", so non-letters must be equal.
      if (c !== w && ((c | 0x20) !== w || w < 97 || w > 122)) break;
    }
    if (k === len) return word;
  }
  return undefined;
}
