/**
 * The SIP message model, RFC 3261 §7: requests (§7.1), responses (§7.2) and their ordered header
 * fields (§7.3).
 *
 * Header values are stored raw (folding already removed, surrounding whitespace trimmed) and parsed
 * lazily by the typed accessors of `headers.ts`, which cache their result here. The cache lives in
 * ES private fields so deep equality (`toEqual`) compares only the names and values.
 */
import { InvalidArgumentError } from '../support/errors';
import { isToken, splitTopLevel } from '../parser/chars';
import {
  TRACKED_HEADER_COUNT,
  canonicalHeaderName,
  headerKey,
  isListHeader,
  trackedHeaderIndex,
} from './header-names';
import type { Uri } from './types';
import { parseUri } from '../parser/parse-uri';

/** One header field row as it appears on the wire: canonical name, raw value. */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

/** What a {@link SipHeaders} can be built from: another instance, `[name, value]` pairs or a record. */
export type HeadersInit =
  SipHeaders | Iterable<readonly [string, string]> | Readonly<Record<string, string | readonly string[]>>;

/**
 * Ordered header fields of one message (§7.3). Names are canonicalised on the way in (compact forms
 * expanded, §7.3.3); lookups accept any casing or compact form. Repeated fields keep their order
 * (§7.3.1: "the relative order of header fields with the same field name is important").
 *
 * Mutators validate their input and throw {@link InvalidArgumentError} on a name that is not a token
 * or a value containing CR/LF — both would let a caller inject header lines.
 */
export class SipHeaders {
  // Parallel arrays rather than one object per field: a parsed message allocates only the strings.
  private readonly names: string[] = [];
  private readonly values: string[] = [];
  readonly #keys: string[] = [];
  // Bit i set when a field of tracked header i (see `trackedHeaderIndex`) is present: an accessor
  // for a header the message lacks answers without scanning the keys.
  #present = 0;
  // Cache of the typed accessors for tracked headers: [parser, value] at 2*i, 2*i+1. A fixed slot
  // per header costs one array per message and no search.
  #slots: unknown[] | undefined;
  // Other cached headers, flat [key, parser, value, …]: rare, so a linear scan is enough.
  #cache: unknown[] | undefined;

  constructor(init?: HeadersInit) {
    if (init === undefined) return;
    if (init instanceof SipHeaders) {
      this.names.push(...init.names);
      this.values.push(...init.values);
      this.#keys.push(...init.#keys);
      this.#present = init.#present;
      return;
    }
    if (isIterable(init)) {
      for (const [name, value] of init) this.append(name, value);
      return;
    }
    for (const name of Object.keys(init)) {
      const v = init[name];
      if (typeof v === 'string') this.append(name, v);
      else if (v !== undefined) for (const one of v) this.append(name, one);
    }
  }

  /** Number of header field rows. */
  get size(): number {
    return this.names.length;
  }

  /** Canonical name of the i-th row. */
  nameAt(i: number): string {
    return this.names[i] ?? '';
  }

  /** Raw value of the i-th row. */
  valueAt(i: number): string {
    return this.values[i] ?? '';
  }

  /** First field value of `name` (any casing or compact form), or undefined. */
  get(name: string): string | undefined {
    const i = this.indexOfKey(headerKey(name), 0);
    return i < 0 ? undefined : this.values[i];
  }

  /**
   * Every value of `name`. For list headers (Via, Contact, Route, Allow, …) each field is split at its
   * top-level commas (never inside quotes or `<…>`), so `Via: a, b` + `Via: c` gives three
   * entries; for other headers, one entry per field.
   */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const out: string[] = [];
    const split = isListHeader(key);
    for (let i = this.indexOfKey(key, 0); i >= 0; i = this.indexOfKey(key, i + 1)) {
      const v = this.values[i] ?? '';
      if (split) splitTopLevel(v, out);
      else out.push(v);
    }
    return out;
  }

  has(name: string): boolean {
    return this.indexOfKey(headerKey(name), 0) >= 0;
  }

  /**
   * Replaces every field of `name` by `value` (or by one field per element of an array), at the
   * position of the first existing field, or at the end when there was none.
   * @throws InvalidArgumentError when the name is not a token or a value contains CR or LF.
   */
  set(name: string, value: string | readonly string[]): void {
    const list = typeof value === 'string' ? [value] : value;
    checkName(name);
    for (const v of list) checkValue(name, v);
    const key = headerKey(name);
    const canonical = canonicalHeaderName(name);
    let at = this.indexOfKey(key, 0);
    if (at < 0) at = this.names.length;
    this.removeKey(key);
    this.names.splice(at, 0, ...list.map(() => canonical));
    this.values.splice(at, 0, ...list);
    this.#keys.splice(at, 0, ...list.map(() => key));
    this.markPresent(key, list.length > 0);
    this.invalidate(key);
  }

  /**
   * Adds a field after the existing ones.
   * @throws InvalidArgumentError when the name is not a token or the value contains CR or LF.
   */
  append(name: string, value: string): void {
    checkName(name);
    checkValue(name, value);
    const key = headerKey(name);
    this.names.push(canonicalHeaderName(name));
    this.values.push(value);
    this.#keys.push(key);
    this.markPresent(key, true);
    this.invalidate(key);
  }

  /**
   * Adds a field at the top, before every other field (e.g. a proxy's Via, §16.6 step 8; or a
   * Route). @throws InvalidArgumentError as {@link append}.
   */
  prepend(name: string, value: string): void {
    checkName(name);
    checkValue(name, value);
    const key = headerKey(name);
    this.names.unshift(canonicalHeaderName(name));
    this.values.unshift(value);
    this.#keys.unshift(key);
    this.markPresent(key, true);
    this.invalidate(key);
  }

  /** Removes every field of `name`; returns whether any existed. */
  delete(name: string): boolean {
    const key = headerKey(name);
    this.invalidate(key);
    this.markPresent(key, false);
    return this.removeKey(key);
  }

  /** The fields in order, as `{ name, value }` rows (a fresh array). */
  fields(): readonly HeaderField[] {
    const out: HeaderField[] = new Array<HeaderField>(this.names.length);
    for (let i = 0; i < this.names.length; i++)
      out[i] = { name: this.names[i] ?? '', value: this.values[i] ?? '' };
    return out;
  }

  /** An independent copy (parsed-value caches are not shared). */
  clone(): SipHeaders {
    return new SipHeaders(this);
  }

  /**
   * Index of the first field at or after `from` whose key (see `headerKey`) is `key`, or -1.
   * @internal For the parser and typed accessors, which iterate without allocating.
   */
  indexOfKey(key: string, from: number): number {
    const keys = this.#keys;
    for (let i = from; i < keys.length; i++) if (keys[i] === key) return i;
    return -1;
  }

  /**
   * Index of the first field of tracked header `tracked` (whose key is `key`), or -1. Answers from
   * the presence bitmask when the message has no such field.
   * @internal For the typed accessors.
   */
  firstIndexOfTracked(tracked: number, key: string): number {
    if ((this.#present & (1 << tracked)) === 0) return -1;
    return this.indexOfKey(key, 0);
  }

  /**
   * Appends a field the parser already validated, without re-checking it. `tracked` is the key's
   * tracked index (see `trackedHeaderIndex`), or -1.
   * @internal Only `parseMessage` calls this.
   */
  pushParsed(name: string, key: string, value: string, tracked: number): void {
    this.names.push(name);
    this.values.push(value);
    this.#keys.push(key);
    if (tracked >= 0) this.#present |= 1 << tracked;
  }

  /**
   * The cached result of `parse` over the fields of `key`, computing it on first use. The cache
   * entry of a header is dropped whenever that header is set, appended, prepended or deleted.
   * @internal For the typed accessors of `headers.ts`.
   */
  memo<T>(key: string, parse: (headers: SipHeaders, key: string, tracked: number) => T): T {
    let cache = this.#cache;
    if (cache === undefined) cache = this.#cache = [];
    for (let i = 0; i < cache.length; i += 3) {
      if (cache[i] === key && cache[i + 1] === parse) return cache[i + 2] as T;
    }
    // -1: no tracked index, so the parser scans the keys rather than trusting the bitmask.
    const value = parse(this, key, -1);
    cache.push(key, parse, value);
    return value;
  }

  /**
   * The cached result of `parse` over the fields of tracked header `tracked` (key `key`), computing
   * it on first use. A slot remembers its parser, so a second parser for the same header (e.g.
   * `getTokens` on a header with its own accessor) falls back to the general cache instead of
   * reading the other parser's value.
   * @internal For the typed accessors of `headers.ts`.
   */
  memoTracked<T>(
    tracked: number,
    key: string,
    parse: (headers: SipHeaders, key: string, tracked: number) => T,
  ): T {
    let slots = this.#slots;
    if (slots === undefined) slots = this.#slots = new Array<unknown>(2 * TRACKED_HEADER_COUNT);
    const at = 2 * tracked;
    const cachedParse = slots[at];
    if (cachedParse === parse) return slots[at + 1] as T;
    if (cachedParse !== undefined) return this.memo(key, parse);
    const value = parse(this, key, tracked);
    slots[at] = parse;
    slots[at + 1] = value;
    return value;
  }

  private markPresent(key: string, present: boolean): void {
    const tracked = trackedHeaderIndex(key);
    if (tracked < 0) return;
    if (present) this.#present |= 1 << tracked;
    else this.#present &= ~(1 << tracked);
  }

  /** Drops every cached parse of the header `key`. */
  private invalidate(key: string): void {
    const tracked = trackedHeaderIndex(key);
    const slots = this.#slots;
    if (tracked >= 0 && slots !== undefined) {
      slots[2 * tracked] = undefined;
      slots[2 * tracked + 1] = undefined;
    }
    const cache = this.#cache;
    if (cache === undefined) return;
    for (let i = cache.length - 3; i >= 0; i -= 3) if (cache[i] === key) cache.splice(i, 3);
  }

  private removeKey(key: string): boolean {
    let w = 0;
    const keys = this.#keys;
    const n = keys.length;
    for (let r = 0; r < n; r++) {
      if (keys[r] === key) continue;
      if (w !== r) {
        keys[w] = keys[r] ?? '';
        this.names[w] = this.names[r] ?? '';
        this.values[w] = this.values[r] ?? '';
      }
      w++;
    }
    keys.length = w;
    this.names.length = w;
    this.values.length = w;
    return w !== n;
  }
}

function isIterable(x: unknown): x is Iterable<readonly [string, string]> {
  return typeof x === 'object' && x !== null && Symbol.iterator in x;
}

function checkName(name: string): void {
  if (!isToken(name)) throw new InvalidArgumentError(`header name ${JSON.stringify(name)} is not a token`);
}

function checkValue(name: string, value: string): void {
  if (typeof value !== 'string' || value.includes('\r') || value.includes('\n')) {
    throw new InvalidArgumentError(`value of header ${name} must be a string without CR or LF`);
  }
}

/** A SIP request, §7.1. */
export interface SipRequest {
  readonly kind: 'request';
  method: string;
  uri: Uri;
  headers: SipHeaders;
  body: string;
}

/** A SIP response, §7.2. */
export interface SipResponse {
  readonly kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: string;
}

export type SipMessage = SipRequest | SipResponse;

/**
 * Builds a request. The URI may be given as text (parsed with `parseUri`).
 * @throws InvalidArgumentError when the method is not a token or the URI text does not parse.
 */
export function createRequest(
  method: string,
  uri: Uri | string,
  headers?: HeadersInit,
  body = '',
): SipRequest {
  if (!isToken(method)) throw new InvalidArgumentError(`method ${JSON.stringify(method)} is not a token`);
  let target: Uri;
  if (typeof uri === 'string') {
    const r = parseUri(uri);
    if (!r.ok) throw new InvalidArgumentError(`Request-URI does not parse: ${r.error.message}`);
    target = r.value;
  } else target = uri;
  return { kind: 'request', method, uri: target, headers: toHeaders(headers), body };
}

/**
 * Builds a response.
 * @throws InvalidArgumentError when the status is not an integer in 100–699 or the reason contains CR/LF.
 */
export function createResponse(
  status: number,
  reason: string,
  headers?: HeadersInit,
  body = '',
): SipResponse {
  if (!Number.isInteger(status) || status < 100 || status > 699) {
    throw new InvalidArgumentError(`status ${status} is not in 100-699`);
  }
  if (reason.includes('\r') || reason.includes('\n'))
    throw new InvalidArgumentError('reason phrase contains CR or LF');
  return { kind: 'response', status, reason, headers: toHeaders(headers), body };
}

function toHeaders(init: HeadersInit | undefined): SipHeaders {
  return init instanceof SipHeaders ? init : new SipHeaders(init);
}
