/**
 * Header field names, RFC 3261 §7.3 and §7.3.3 (compact forms), plus the extensions a softphone
 * meets (RFC 3262, 3265/6665, 3311, 3323/3325, 3326, 3515, 3841, 3891, 3892, 4028, 4474, 5626 …).
 *
 * Field names are case-insensitive (§7.3.1). We keep one canonical spelling for every name we know,
 * so the rest of the core compares names with `===`; unknown names are kept as written.
 */

/** [canonical name, compact form?] for every header the core knows by name. */
const KNOWN: ReadonlyArray<readonly [string, string?]> = [
  ['Accept'],
  ['Accept-Contact', 'a'],
  ['Accept-Encoding'],
  ['Accept-Language'],
  ['Accept-Resource-Priority'],
  ['Alert-Info'],
  ['Allow'],
  ['Allow-Events', 'u'],
  ['Answer-Mode'],
  ['Authentication-Info'],
  ['Authorization'],
  ['Call-ID', 'i'],
  ['Call-Info'],
  ['Contact', 'm'],
  ['Content-Disposition'],
  ['Content-Encoding', 'e'],
  ['Content-ID'],
  ['Content-Language'],
  ['Content-Length', 'l'],
  ['Content-Type', 'c'],
  ['CSeq'],
  ['Date'],
  ['Diversion'],
  ['Error-Info'],
  ['Event', 'o'],
  ['Expires'],
  ['Feature-Caps'],
  ['Flow-Timer'],
  ['From', 'f'],
  ['Geolocation'],
  ['Geolocation-Error'],
  ['Geolocation-Routing'],
  ['History-Info'],
  ['Identity', 'y'],
  ['Identity-Info', 'n'],
  ['Info-Package'],
  ['In-Reply-To'],
  ['Join'],
  ['Max-Breadth'],
  ['Max-Forwards'],
  ['MIME-Version'],
  ['Min-Expires'],
  ['Min-SE'],
  ['Organization'],
  ['P-Access-Network-Info'],
  ['P-Asserted-Identity'],
  ['P-Associated-URI'],
  ['P-Called-Party-ID'],
  ['P-Charging-Function-Addresses'],
  ['P-Charging-Vector'],
  ['P-Early-Media'],
  ['P-Preferred-Identity'],
  ['P-Visited-Network-ID'],
  ['Path'],
  ['Priority'],
  ['Priv-Answer-Mode'],
  ['Privacy'],
  ['Proxy-Authenticate'],
  ['Proxy-Authorization'],
  ['Proxy-Require'],
  ['RAck'],
  ['Reason'],
  ['Record-Route'],
  ['Recv-Info'],
  ['Refer-Sub'],
  ['Refer-To', 'r'],
  ['Referred-By', 'b'],
  ['Reject-Contact', 'j'],
  ['Replaces'],
  ['Reply-To'],
  ['Request-Disposition', 'd'],
  ['Require'],
  ['Resource-Priority'],
  ['Retry-After'],
  ['Route'],
  ['RSeq'],
  ['Security-Client'],
  ['Security-Server'],
  ['Security-Verify'],
  ['Server'],
  ['Service-Route'],
  ['Session-Expires', 'x'],
  ['Session-ID'],
  ['SIP-ETag'],
  ['SIP-If-Match'],
  ['Subject', 's'],
  ['Subscription-State'],
  ['Supported', 'k'],
  ['Target-Dialog'],
  ['Timestamp'],
  ['To', 't'],
  ['Unsupported'],
  ['User-Agent'],
  ['Via', 'v'],
  ['Warning'],
  ['WWW-Authenticate'],
];

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
 * Every spelling we recognise without lower-casing first (canonical, lower-case, upper-case and the
 * compact forms), so the common case — a name already written canonically — is one Map lookup.
 */
const LOOKUP: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const [name, compact] of KNOWN) {
    map.set(name, name);
    map.set(name.toLowerCase(), name);
    map.set(name.toUpperCase(), name);
    if (compact !== undefined) {
      map.set(compact, name);
      map.set(compact.toUpperCase(), name);
    }
  }
  return map;
})();

/**
 * The canonical spelling of a header name: compact forms expanded (§7.3.3), well-known names in
 * their usual casing (`call-id` → `Call-ID`), unknown names returned as written.
 */
export function canonicalHeaderName(name: string): string {
  const hit = LOOKUP.get(name);
  if (hit !== undefined) return hit;
  return LOOKUP.get(name.toLowerCase()) ?? name;
}

/**
 * The key two spellings of one header share: the canonical name for a known header, the lower-cased
 * name for an unknown one (§7.3.1: field names are case-insensitive). Canonical names all contain
 * an upper-case letter, so the two kinds of key never collide.
 */
export function headerKey(name: string): string {
  const hit = LOOKUP.get(name);
  if (hit !== undefined) return hit;
  const lower = name.toLowerCase();
  return LOOKUP.get(lower) ?? lower;
}

/** Whether the header's values form a comma-separated list (§7.3.1). Takes a canonical name. */
export function isListHeader(canonicalName: string): boolean {
  return LIST_HEADERS.has(canonicalName);
}

/**
 * The canonical name if `name` is a known header in any casing or compact form, else undefined.
 * Lets the parser resolve name and key with at most one `toLowerCase`.
 */
export function knownHeaderName(name: string): string | undefined {
  return LOOKUP.get(name) ?? LOOKUP.get(name.toLowerCase());
}

/**
 * Case-insensitive rolling hash of a header name, one char code at a time: `h = hashStep(h, c)`
 * starting from 0. The parser computes it while it validates the name, so recognising a known name
 * needs neither a slice nor a lower-cased copy.
 */
export function hashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + (c | 0x20)) | 0;
}

/**
 * Headers the typed accessors read, each with a small index. A message records which of them it
 * carries in one bitmask and caches their parsed values in a fixed array at that index, so an
 * accessor neither scans the fields of a header the message lacks nor searches a cache. 30 entries
 * at most: the bitmask must stay a small integer (V8 Smi, 31 bits signed).
 */
const TRACKED: readonly string[] = [
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
  'Authorization',
  'Proxy-Authorization',
  'Supported',
  'Require',
  'Allow',
  'Session-Expires',
  'Event',
  'Subscription-State',
  'Min-Expires',
  'RSeq',
  'RAck',
  'Refer-To',
  'Referred-By',
  'Replaces',
  'Min-SE',
  'Reason',
];

/** How many headers {@link trackedHeaderIndex} knows: the size of a per-message slot array. */
export const TRACKED_HEADER_COUNT = TRACKED.length;

const TRACKED_INDEX: ReadonlyMap<string, number> = new Map(TRACKED.map((name, i) => [name, i]));

/** The tracked index of a header key (see {@link headerKey}), or -1 when the key is not tracked. */
export function trackedHeaderIndex(key: string): number {
  return TRACKED_INDEX.get(key) ?? -1;
}

/** A header the parser recognises by name: its canonical name and tracked index (-1 if none). */
export interface KnownHeader {
  /** Lower-cased spelling matched against the wire (canonical or compact form). */
  readonly spelling: string;
  readonly name: string;
  readonly tracked: number;
}

const BUCKET_MASK = 511;

/** Lower-cased spellings (canonical and compact) with their canonical name, bucketed by hash. */
const BUCKETS: Array<KnownHeader[] | undefined> = (() => {
  const buckets: Array<KnownHeader[] | undefined> = new Array(BUCKET_MASK + 1);
  const add = (spelling: string, name: string) => {
    let h = 0;
    for (let i = 0; i < spelling.length; i++) h = hashStep(h, spelling.charCodeAt(i));
    (buckets[h & BUCKET_MASK] ??= []).push({ spelling, name, tracked: trackedHeaderIndex(name) });
  };
  for (const [name, compact] of KNOWN) {
    add(name.toLowerCase(), name);
    if (compact !== undefined) add(compact, name);
  }
  return buckets;
})();

/**
 * The known header `text[start, end)` (whose {@link hashStep} hash is `hash`) spells in any casing
 * or compact form, else undefined. Compares in place: no slice, no lower-cased copy.
 */
export function knownHeaderAt(
  text: string,
  start: number,
  end: number,
  hash: number,
): KnownHeader | undefined {
  const bucket = BUCKETS[hash & BUCKET_MASK];
  if (bucket === undefined) return undefined;
  const len = end - start;
  for (let b = 0; b < bucket.length; b++) {
    const entry = bucket[b] as KnownHeader;
    const lower = entry.spelling;
    if (lower.length !== len) continue;
    let k = 0;
    // `| 0x20` folds A-Z onto a-z; no other token character folds onto a letter or "-".
    while (k < len && (text.charCodeAt(start + k) | 0x20) === lower.charCodeAt(k)) k++;
    if (k === len) return entry;
  }
  return undefined;
}

/**
 * The canonical name if `text[start, end)` (whose {@link hashStep} hash is `hash`) spells a known
 * header in any casing or compact form, else undefined.
 */
export function knownHeaderNameAt(
  text: string,
  start: number,
  end: number,
  hash: number,
): string | undefined {
  return knownHeaderAt(text, start, end, hash)?.name;
}
