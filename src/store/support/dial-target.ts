/**
 * What a person may type as a call target: a phone number (visual separators removed), a SIP user
 * name, or a SIP address. Pure and total: typed and pasted text is untrusted input.
 */

export type DialTargetResult =
  | { readonly ok: true; readonly target: string }
  | { readonly ok: false; readonly reason: 'empty' | 'invalid' };

const PHONE_LIKE = /^[+\d\s().*#/-]+$/;
const PHONE = /^\+?[\d*#]+$/;
// RFC 3261 §25.1 `user` unreserved characters, without escapes.
const USER = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/]+$/;
const ADDRESS = /^[^\s@<>"]+@[^\s@<>":;]+(:\d{1,5})?$/;

export function normaliseDialTarget(input: string): DialTargetResult {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const sip = /^(sips?):(.*)$/i.exec(text);
  if (sip) {
    const scheme = (sip[1] ?? '').toLowerCase();
    const rest = sip[2] ?? '';
    return ADDRESS.test(rest) ? { ok: true, target: `${scheme}:${rest}` } : { ok: false, reason: 'invalid' };
  }
  if (text.includes('@')) {
    return ADDRESS.test(text) ? { ok: true, target: `sip:${text}` } : { ok: false, reason: 'invalid' };
  }
  if (PHONE_LIKE.test(text)) {
    const digits = text.replace(/[\s().\-/]/g, '');
    return PHONE.test(digits) ? { ok: true, target: digits } : { ok: false, reason: 'invalid' };
  }
  return USER.test(text) ? { ok: true, target: text } : { ok: false, reason: 'invalid' };
}

/** The digits a DTMF keypad may send (RFC 4733 events 0–15); anything else is dropped. */
export function dtmfDigits(input: string): string {
  return input.replace(/[^0-9*#A-Da-d]/g, '').toUpperCase();
}
