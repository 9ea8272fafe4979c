/**
 * Cleans text pasted into the dialpad. Pasted text is untrusted (it may come from a web page, a
 * spreadsheet or a chat): control and bidi-override characters go, line breaks become nothing, a
 * `tel:` / `callto:` prefix is dropped (RFC 3966 §3 visual separators too), and a phone number keeps
 * only what can be dialled. SIP addresses are kept as typed, without spaces. Pure.
 */

/** C0/C1 controls, zero-width and bidi formatting characters. */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** RFC 3966 visual separators plus the spaces and brackets people write numbers with. */
const SEPARATORS = /[\s\-.()[\]/\u00a0\u2010-\u2015]/g;
const PHONE_LIKE = /^[+\d\s\-.()[\]/\u00a0\u2010-\u2015*#]+$/;
const MAX_LENGTH = 256;

export function sanitiseDialInput(text: string): string {
  let value = text.replace(INVISIBLE, ' ').trim();
  value = value.replace(/^(tel|callto):/i, '');
  // A `tel:` URI's parameters (";phone-context=…", ";ext=…") are not dialled.
  if (/^\+?[\d\s\-.()]+;/.test(value)) value = value.slice(0, value.indexOf(';'));
  if (PHONE_LIKE.test(value)) {
    const plus = value.trimStart().startsWith('+');
    const digits = value.replace(SEPARATORS, '').replace(/\+/g, '');
    return ((plus ? '+' : '') + digits).slice(0, MAX_LENGTH);
  }
  return value.replace(/\s+/g, '').slice(0, MAX_LENGTH);
}

/** Characters a person may type on the dialpad's keys (and the keyboard while a key has focus). */
export const DIALPAD_CHARACTER = /^[0-9*#+]$/;
