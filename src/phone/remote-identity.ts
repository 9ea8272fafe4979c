/**
 * Who is on the other end of a call, as text for people: RFC 3325 P-Asserted-Identity when the
 * network asserted one, else the From of an incoming INVITE (RFC 3261 §20.20) or the To of an
 * outgoing one (§20.39). Pure: reads a message, returns plain data.
 *
 * The display name is *text*: it is never escaped, interpreted or turned into markup here, only
 * stripped of control characters; whoever renders it must render text (React does).
 */
import {
  formatUri,
  getFrom,
  getPAssertedIdentities,
  getTo,
  parseTelUri,
  type NameAddr,
  type SipMessage,
  type Uri,
} from '../sip/index';

export interface RemoteParty {
  /** The display name, plain text; absent when none was given. */
  readonly displayName?: string;
  /** The URI, e.g. `sip:bob@example.com` or `tel:+15551234`. */
  readonly uri: string;
  /** The user part of a sip:/sips: URI, or the number of a tel: URI. */
  readonly user?: string;
  /** Where the identity came from. */
  readonly source: 'p-asserted-identity' | 'from' | 'to' | 'target';
}

/** Longest display name kept; longer ones are cut (a name is a label, not a payload). */
const MAX_DISPLAY_NAME = 128;
/**
 * C0/C1 controls and the Unicode bidi overrides/isolates, which can make a name render as
 * something else ("evil\u202Emoc.knab"); everything else is kept as typed.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Cleans a display name for display as text; `undefined` when nothing is left. */
export function plainDisplayName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const cleaned = name.replace(UNSAFE_TEXT, '').replace(/\s+/g, ' ').trim().slice(0, MAX_DISPLAY_NAME);
  return cleaned === '' ? undefined : cleaned;
}

function userOf(uri: Uri): string | undefined {
  // URI components are held as wire text: escapes resolved for display.
  if ('host' in uri) return uri.user === undefined ? undefined : safeDecode(uri.user);
  const tel = uri.scheme === 'tel' ? parseTelUri(uri.raw) : undefined;
  return tel?.ok ? tel.value.number : undefined;
}

/** A {@link RemoteParty} from one name-addr. */
export function partyFromNameAddr(value: NameAddr, source: RemoteParty['source']): RemoteParty {
  const displayName = plainDisplayName(value.displayName);
  const user = userOf(value.uri);
  return {
    ...(displayName === undefined ? {} : { displayName }),
    uri: formatUri(value.uri),
    ...(user === undefined ? {} : { user }),
    source,
  };
}

/**
 * RFC 3325 §9.1: P-Asserted-Identity holds one or two values, "at most one SIP or SIPS URI and
 * at most one tel URI". The SIP URI is preferred (it is what a call back would use); a display
 * name given on either value is kept.
 */
function assertedParty(message: SipMessage): RemoteParty | undefined {
  if (!message.headers.has('P-Asserted-Identity')) return undefined;
  const parsed = getPAssertedIdentities(message);
  // A malformed header only informs: fall back to From/To rather than fail the call.
  if (!parsed.ok || parsed.value.length === 0) return undefined;
  const values = parsed.value;
  const preferred = values.find((v) => v.uri.scheme === 'sip' || v.uri.scheme === 'sips') ?? values[0]!;
  const party = partyFromNameAddr(preferred, 'p-asserted-identity');
  if (party.displayName !== undefined) return party;
  const named = values.map((v) => plainDisplayName(v.displayName)).find((n) => n !== undefined);
  return named === undefined ? party : { ...party, displayName: named };
}

/**
 * The remote party of a call from a message of its INVITE transaction: the INVITE we received
 * (`incoming`: P-Asserted-Identity, else From) or a response we received (`outgoing`:
 * P-Asserted-Identity, else To). `undefined` when the message has neither in a usable form.
 */
export function remoteIdentity(
  message: SipMessage,
  direction: 'incoming' | 'outgoing',
): RemoteParty | undefined {
  const asserted = assertedParty(message);
  if (asserted) return asserted;
  const header = direction === 'incoming' ? getFrom(message) : getTo(message);
  return header.ok ? partyFromNameAddr(header.value, direction === 'incoming' ? 'from' : 'to') : undefined;
}

/** The remote party of an outgoing call before any response: the dialled URI. */
export function partyFromTarget(uri: string): RemoteParty {
  const user = /^(?:sips?:)([^@;?]+)@/i.exec(uri)?.[1] ?? /^tel:([^;]+)/i.exec(uri)?.[1];
  return { uri, ...(user === undefined ? {} : { user: safeDecode(user) }), source: 'target' };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
