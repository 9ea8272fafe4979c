/**
 * Dial strings → request URIs (RFC 3261 §19.1, RFC 3966). What a person types in the dial box —
 * `bob`, `bob@example.com`, `+1 (555) 123-4567`, `sip:bob@example.com`, `tel:+15551234` — becomes
 * the Request-URI of an INVITE. Pure and total: bad input gives a {@link TargetResult} error value,
 * never an exception.
 */
import { formatUri, isTelUri, parseTelUri, parseUri } from '../sip/index';

export type TargetErrorCode =
  /** Nothing but white space. */
  | 'empty'
  /** A `sip:`/`sips:`/`tel:` URI that does not parse, or has no host. */
  | 'invalid-uri'
  /** A scheme a phone cannot call (`http:`, `mailto:` …). */
  | 'unsupported-scheme'
  /** A user name with characters a SIP URI user part cannot hold. */
  | 'invalid-user'
  /** `user@host` whose host is not a host name or address. */
  | 'invalid-host';

export interface TargetError {
  readonly code: TargetErrorCode;
  /** Plain words, fit to show next to the dial box. */
  readonly message: string;
}

export type TargetResult =
  | { readonly ok: true; readonly uri: string; readonly kind: 'uri' | 'user' | 'number' }
  | { readonly ok: false; readonly error: TargetError };

const fail = (code: TargetErrorCode, message: string): TargetResult => ({
  ok: false,
  error: { code, message },
});

/** RFC 3966 §5.1.1 visual separators, which people type and numbers do not need. */
const VISUAL_SEPARATORS = /[\s().-]/g;
/** A global (`+…`) or local number of digits once the separators are gone. */
const PHONE_NUMBER = /^\+?[0-9]{1,32}$/;
/** Something that looks like a typed number: digits and separators only, with an optional `+`. */
const LOOKS_LIKE_NUMBER = /^\+?[0-9][0-9\s().-]*$/;
/**
 * RFC 3261 §25.1 `user = 1*( unreserved / escaped / user-unreserved )`, without `;`, `?` and `/`,
 * which a person never means in a user name and which would change how the URI reads.
 */
const USER = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,]|%[0-9A-Fa-f]{2})+$/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/**
 * Turns a dial string into a SIP/SIPS/tel URI.
 * - a full `sip:`, `sips:` or `tel:` URI is validated and returned normalised;
 * - `user@host` becomes `sip:user@host`;
 * - digits (with an optional `+` and visual separators) become `sip:<digits>@<domain>;user=phone`
 *   (RFC 3261 §19.1.1: "user=phone" marks the user part as a telephone-subscriber);
 * - anything else is a user name at the account's domain: `bob` → `sip:bob@<domain>`.
 */
export function parseTarget(input: string, domain: string): TargetResult {
  const text = input.trim();
  if (text === '') return fail('empty', 'Enter a number or a SIP address.');

  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'sip' || scheme === 'sips' || scheme === 'tel') {
    const parsed = scheme === 'tel' ? parseTelUri(text) : parseUri(text);
    if (!parsed.ok) return fail('invalid-uri', `"${text}" is not a valid ${scheme}: address.`);
    const uri = parsed.value;
    if ('host' in uri && uri.host === '') return fail('invalid-uri', `"${text}" has no host.`);
    if (isTelUri(uri) && !/[0-9]/.test(uri.number))
      return fail('invalid-uri', `"${text}" has no telephone number.`);
    return { ok: true, uri: formatUri(uri), kind: 'uri' };
  }
  if (scheme !== undefined) {
    return fail('unsupported-scheme', `A phone cannot call a ${scheme}: address.`);
  }

  if (LOOKS_LIKE_NUMBER.test(text)) {
    const digits = text.replace(VISUAL_SEPARATORS, '');
    if (PHONE_NUMBER.test(digits)) return withDomain(digits, domain, 'number');
  }

  const at = text.lastIndexOf('@');
  if (at !== -1) {
    const user = text.slice(0, at);
    const host = text.slice(at + 1);
    if (!USER.test(user)) return fail('invalid-user', `"${user}" cannot be used as a user name.`);
    const parsed = parseUri(`sip:${user}@${host}`);
    if (!parsed.ok || !('host' in parsed.value) || parsed.value.host === '')
      return fail('invalid-host', `"${host}" is not a valid server name.`);
    return { ok: true, uri: formatUri(parsed.value), kind: 'user' };
  }
  if (!USER.test(text)) return fail('invalid-user', `"${text}" cannot be used as a user name.`);
  return withDomain(text, domain, 'user');
}

function withDomain(user: string, domain: string, kind: 'user' | 'number'): TargetResult {
  const parsed = parseUri(`sip:${user}@${domain}${kind === 'number' ? ';user=phone' : ''}`);
  if (!parsed.ok) return fail('invalid-host', `The account's domain "${domain}" is not a valid server name.`);
  return { ok: true, uri: formatUri(parsed.value), kind };
}
