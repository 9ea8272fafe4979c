/**
 * Header field names, RFC 3261 §7.3.1 and §7.3.3 (compact forms).
 *
 * Field names are case-insensitive (§7.3.1). Every name gets one canonical spelling, so the rest of
 * the core compares names with `===`. The spelling comes from a rule rather than a table of every
 * registered header: compact forms are expanded, then each dash-separated word is capitalised
 * (`max-forwards` → `Max-Forwards`, `x-my-header` → `X-My-Header`), except the words registered
 * names spell otherwise (`Call-ID`, `CSeq`, `WWW-Authenticate`, `MIME-Version`, `RAck`, …).
 */

/**
 * §7.3.3 compact forms, with those of RFC 3265/6665 (o, u), 3515 (r), 3841 (a, j, d), 3892 (b),
 * 4028 (x) and 4474 (y, n).
 */
const COMPACT: Readonly<Record<string, string>> = {
  a: 'Accept-Contact',
  b: 'Referred-By',
  c: 'Content-Type',
  d: 'Request-Disposition',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  n: 'Identity-Info',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
  y: 'Identity',
};

/**
 * Words that registered names do not spell capitalised: Call-ID, Content-ID, P-Associated-URI,
 * Min-SE, SIP-ETag, SIP-If-Match, WWW-Authenticate, MIME-Version, CSeq, RSeq, RAck.
 */
const WORDS: ReadonlyMap<string, string> = new Map(
  ['ID', 'URI', 'SE', 'SIP', 'ETag', 'WWW', 'MIME', 'CSeq', 'RSeq', 'RAck'].map((w) => [w.toLowerCase(), w]),
);

/**
 * Headers whose grammar is a comma-separated list (§7.3.1: "it MUST be possible to combine the
 * multiple header field rows into one 'field-name: field-value' pair … by appending each
 * subsequent field-value to the first, each separated by a comma"). The authentication headers are
 * deliberately absent: their commas separate parameters, not values (§20.27, §20.44).
 */
const LIST_HEADERS: ReadonlySet<string> = new Set([
  'Accept',
  'Accept-Contact',
  'Accept-Encoding',
  'Accept-Language',
  'Accept-Resource-Priority',
  'Alert-Info',
  'Allow',
  'Allow-Events',
  'Call-Info',
  'Contact',
  'Content-Encoding',
  'Content-Language',
  'Diversion',
  'Error-Info',
  'Geolocation',
  'History-Info',
  'In-Reply-To',
  'P-Asserted-Identity',
  'P-Associated-URI',
  'P-Early-Media',
  'P-Preferred-Identity',
  'P-Visited-Network-ID',
  'Path',
  'Proxy-Require',
  'Reason',
  'Record-Route',
  'Recv-Info',
  'Reject-Contact',
  'Request-Disposition',
  'Require',
  'Resource-Priority',
  'Route',
  'Security-Client',
  'Security-Server',
  'Security-Verify',
  'Service-Route',
  'Supported',
  'Unsupported',
  'Via',
  'Warning',
]);

/**
 * Spellings already seen, so the parser's per-header lookup is one Map hit. Bounded: names come off
 * the wire, and a peer must not be able to grow it without limit.
 */
const SEEN = new Map<string, string>();

/**
 * The canonical spelling of a header name: compact forms expanded (§7.3.3), each word capitalised
 * (`call-id` → `Call-ID`, `X-FOO` → `X-Foo`). Two spellings of one header always give the same string.
 */
export function canonicalHeaderName(name: string): string {
  let canonical = SEEN.get(name);
  if (canonical === undefined) {
    const lower = name.toLowerCase();
    canonical =
      (lower.length === 1 ? COMPACT[lower] : undefined) ??
      lower
        .split('-')
        .map((w) => WORDS.get(w) ?? w.charAt(0).toUpperCase() + w.slice(1))
        .join('-');
    if (SEEN.size < 1000) SEEN.set(name, canonical);
  }
  return canonical;
}

/** Whether the header's values form a comma-separated list (§7.3.1). Takes a canonical name. */
export function isListHeader(canonicalName: string): boolean {
  return LIST_HEADERS.has(canonicalName);
}
