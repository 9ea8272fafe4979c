/**
 * What every parser under test must offer the bench. One adapter = one implementation in one mode.
 *
 * Modes, so the comparison is like for like:
 * - `headers`: the library's plain parse: start line plus a header map (whatever the library
 *   decides to parse eagerly, it parses; whatever it leaves lazy stays lazy).
 * - `full`:    the plain parse, then every header a UA reads ({@link UA_READ_HEADERS}) forced into
 *   values through the library's own accessors, every field / list element of it.
 * - `floor`:   no grammar at all (the bare line splitter); the lower bound any parser pays.
 */
export type ParseMode = 'headers' | 'full' | 'floor';

export interface Probe {
  readonly callId: string;
  readonly cseq: number;
  readonly cseqMethod: string;
  /** UA-read headers present in the message that this adapter could not turn into values. */
  readonly unread: readonly string[];
}

export interface ParserAdapter {
  readonly implementation: string;
  readonly mode: ParseMode;
  /** Parse one message the way the mode says; the return value only keeps the work observable. */
  parse(text: string): unknown;
  /** Parse once and report what was read, for the pre-flight check (never on the timed path). */
  probe(text: string): Probe;
}

/**
 * The headers a SIP UA core reads from incoming traffic (transaction matching §17.1.3/§17.2.3,
 * dialogs §12, registration §10, digest §22, session timers RFC 4028, events RFC 6665, offer/answer
 * bodies). `full` mode forces each one that is present. Names are canonical (RFC 3261 §7.3.3
 * compact forms expanded).
 */
export const UA_READ_HEADERS = [
  'Via',
  'From',
  'To',
  'Call-ID',
  'CSeq',
  'Contact',
  'Route',
  'Record-Route',
  'Max-Forwards',
  'Content-Type',
  'Content-Length',
  'Expires',
  'WWW-Authenticate',
  'Proxy-Authenticate',
  'Supported',
  'Require',
  'Allow',
  'Session-Expires',
  'Event',
  'Subscription-State',
] as const;

export type UaReadHeader = (typeof UA_READ_HEADERS)[number];

/** RFC 3261 §7.3.3 and the registry's compact forms, for the bench's own bookkeeping. */
const COMPACT: Readonly<Record<string, string>> = {
  v: 'Via',
  f: 'From',
  t: 'To',
  i: 'Call-ID',
  m: 'Contact',
  c: 'Content-Type',
  l: 'Content-Length',
  k: 'Supported',
  s: 'Subject',
  e: 'Content-Encoding',
  o: 'Event',
  r: 'Refer-To',
  b: 'Referred-By',
  u: 'Allow-Events',
  x: 'Session-Expires',
};

/** Canonical spelling of a header name as the bench's reference lists use it. */
export function benchCanonicalName(name: string): string {
  const compact = COMPACT[name.toLowerCase()];
  if (compact !== undefined) return compact;
  const lower = name.toLowerCase();
  return UA_READ_HEADERS.find((h) => h.toLowerCase() === lower) ?? name;
}

export class AdapterCheckError extends Error {
  override readonly name = 'AdapterCheckError';
}
