/**
 * The SIP message model, RFC 3261 §7: requests (§7.1), responses (§7.2) and their ordered header
 * fields (§7.3).
 *
 * Header values are stored raw (folding already removed, surrounding whitespace trimmed) and parsed
 * lazily by the typed accessors of `headers.ts`, which cache their result here. The cache lives in
 * an ES private field so deep equality (`toEqual`) compares only the names and values.
 */
import { InvalidArgumentError } from '../support/errors';
import { isToken } from '../parser/chars';
import { canonicalHeaderName } from './header-names';
import type { Uri } from './types';
import { parseUri } from '../parser/parse-uri';
import { ok } from '../parser/parse-result';

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
 * expanded, §7.3.3, see `canonicalHeaderName`); lookups accept any casing or compact form. Repeated
 * fields keep their order (§7.3.1: "the relative order of header fields with the same field name
 * is important").
 *
 * Mutators validate their input and throw {@link InvalidArgumentError} on a name that is not a token
 * or a value containing CR/LF — both would let a caller inject header lines.
 */
export class SipHeaders {
  // Parallel arrays rather than one object per field: a parsed message allocates only the strings.
  private readonly names: string[] = [];
  private readonly values: string[] = [];
  // Typed accessors' results, indexed by their slot (see `cacheSlot`): a lookup is one array read.
  #cache: unknown[] = [];

  constructor(init?: HeadersInit) {
    if (init instanceof SipHeaders) {
      this.names.push(...init.names);
      this.values.push(...init.values);
      return;
    }
    const pairs = init === undefined || isIterable(init) ? init : Object.entries(init);
    for (const [name, value] of pairs ?? []) {
      for (const one of typeof value === 'string' ? [value] : (value ?? [])) this.append(name, one);
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
    return this.values[this.indexOf(canonicalHeaderName(name), 0)];
  }

  /**
   * Every field value of `name`, one entry per field row, in order: `Via: a, b` + `Via: c` gives
   * `['a, b', 'c']`. Copying rows keeps a message's meaning (§7.3.1); for the elements of a list
   * header, see `getList` (header-list.ts).
   */
  getAll(name: string): string[] {
    const canonical = canonicalHeaderName(name);
    return this.values.filter((_, i) => this.names[i] === canonical);
  }

  has(name: string): boolean {
    return this.indexOf(canonicalHeaderName(name), 0) >= 0;
  }

  /**
   * Replaces every field of `name` by `value` (or by one field per element of an array), at the
   * position of the first existing field, or at the end when there was none.
   * @throws InvalidArgumentError when the name is not a token or a value contains CR or LF.
   */
  set(name: string, value: string | readonly string[]): void {
    const list = typeof value === 'string' ? [value] : value;
    const canonical = this.#checked(name, list);
    let at = this.indexOf(canonical, 0);
    if (at < 0) at = this.names.length;
    this.#remove(canonical);
    this.names.splice(at, 0, ...list.map(() => canonical));
    this.values.splice(at, 0, ...list);
  }

  /**
   * Adds a field after the existing ones.
   * @throws InvalidArgumentError when the name is not a token or the value contains CR or LF.
   */
  append(name: string, value: string): void {
    this.names.push(this.#checked(name, [value]));
    this.values.push(value);
  }

  /**
   * Adds a field at the top, before every other field (e.g. a proxy's Via, §16.6 step 8; or a
   * Route). @throws InvalidArgumentError as {@link append}.
   */
  prepend(name: string, value: string): void {
    this.names.unshift(this.#checked(name, [value]));
    this.values.unshift(value);
  }

  /** Removes every field of `name`; returns whether any existed. */
  delete(name: string): boolean {
    const canonical = canonicalHeaderName(name);
    this.#invalidate(canonical);
    return this.#remove(canonical);
  }

  /** The fields in order, as `{ name, value }` rows (a fresh array). */
  fields(): readonly HeaderField[] {
    return this.names.map((name, i) => ({ name, value: this.valueAt(i) }));
  }

  /** An independent copy (parsed-value caches are not shared). */
  clone(): SipHeaders {
    return new SipHeaders(this);
  }

  /**
   * Index of the first field at or after `from` named `canonicalName`, or -1.
   * @internal For the parser and typed accessors, which iterate without allocating.
   */
  indexOf(canonicalName: string, from: number): number {
    return this.names.indexOf(canonicalName, from);
  }

  /**
   * Appends a field the parser already validated and canonicalised, without re-checking it.
   * @internal Only `parseMessage` calls this.
   */
  pushParsed(canonicalName: string, value: string): void {
    this.names.push(canonicalName);
    this.values.push(value);
  }

  /**
   * The cached result of the parse registered under `slot` (see {@link cacheSlot}), computing it on
   * first use. A header's entries are dropped whenever it is set, appended, prepended or deleted.
   * @internal For the typed accessors of `headers.ts`.
   */
  memo<T>(slot: number): T {
    // Parse results are objects, never undefined: a hole means "not computed yet".
    return (this.#cache[slot] ??= (slotParsers[slot] as SlotParser)(this, slotNames[slot] as string)) as T;
  }

  /** Drops every cached parse of the header `canonicalName`. */
  #invalidate(canonicalName: string): void {
    const cache = this.#cache;
    for (let s = 0; s < cache.length; s++) if (slotNames[s] === canonicalName) cache[s] = undefined;
  }

  /** Validates a mutation of `name` to `values`, drops the header's cached parse; its canonical name. */
  #checked(name: string, values: readonly string[]): string {
    // A non-token name or a CR/LF in a value would let the caller inject header lines.
    if (!isToken(name) || values.some((v) => typeof v !== 'string' || hasCrLf(v)))
      throw new InvalidArgumentError(`header ${name}`);
    const canonical = canonicalHeaderName(name);
    this.#invalidate(canonical);
    return canonical;
  }

  /** Removes every field named `canonicalName`; whether there was one. */
  #remove(canonicalName: string): boolean {
    const n = this.names.length;
    for (let i = n - 1; i >= 0; i--) {
      if (this.names[i] === canonicalName) {
        this.names.splice(i, 1);
        this.values.splice(i, 1);
      }
    }
    return this.names.length !== n;
  }
}

type SlotParser = (headers: SipHeaders, canonicalName: string) => unknown;

// The (header, parser) pair behind each cache slot. Accessors register at module load and
// `getTokens`/`getAuthValues` with names from code, so the list stays a few dozen entries long.
const slotNames: string[] = [];
const slotParsers: SlotParser[] = [];

/**
 * The cache slot of `parse` over the header `canonicalName`, registering the pair on first use.
 * @internal For the typed accessors of `headers.ts`.
 */
export function cacheSlot(canonicalName: string, parse: SlotParser): number {
  for (let s = 0; s < slotNames.length; s++)
    if (slotNames[s] === canonicalName && slotParsers[s] === parse) return s;
  slotParsers.push(parse);
  return slotNames.push(canonicalName) - 1;
}

function isIterable(x: object): x is Iterable<readonly [string, string]> {
  return Symbol.iterator in x;
}

function hasCrLf(s: string): boolean {
  return /[\r\n]/.test(s);
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
  const target = typeof uri === 'string' ? parseUri(uri) : ok(uri);
  if (!isToken(method) || !target.ok) throw new InvalidArgumentError(`request ${method}`);
  return { kind: 'request', method, uri: target.value, headers: toHeaders(headers), body };
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
  if (!Number.isInteger(status) || status < 100 || status > 699 || hasCrLf(reason))
    throw new InvalidArgumentError(`status ${status}`);
  return { kind: 'response', status, reason, headers: toHeaders(headers), body };
}

function toHeaders(init: HeadersInit | undefined): SipHeaders {
  return init instanceof SipHeaders ? init : new SipHeaders(init);
}
