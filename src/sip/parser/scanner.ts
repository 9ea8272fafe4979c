/**
 * A cursor over one header value, with the lexical pieces of RFC 3261 §25.1 (SWS, token,
 * quoted-string, generic-param). Every method is total: on bad input it leaves `pos` where the
 * problem is and reports failure through its return value.
 */
import { setParam } from './parse-uri';
import { PARAM_VALUE, TOKEN } from './chars';
import { hashStep } from '../message/header-names';
import { knownParamName } from './param-names';
import { fail, type ParseResult } from './parse-result';
import type { Params } from '../message/types';

export class Scanner {
  pos = 0;
  /** Why the last reader returned undefined. */
  problem = '';

  constructor(
    readonly text: string,
    /** Canonical header name, reported in errors. */
    readonly header: string,
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** Char code at the cursor, or -1 at the end. */
  peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  /** Skips SWS (spaces, tabs and — in unfolded input — nothing else). */
  ws(): void {
    // A local cursor: writing `this.pos` once rather than per character keeps the loop in registers.
    this.pos = skipLws(this.text, this.pos);
  }

  /** Consumes `c` surrounded by optional whitespace (SEMI, COMMA, EQUAL, SLASH …); false if absent. */
  eat(c: number): boolean {
    const t = this.text;
    const i = skipLws(t, this.pos);
    if (i >= t.length || t.charCodeAt(i) !== c) return false;
    this.pos = skipLws(t, i + 1);
    return true;
  }

  /** token (§25.1); '' when there is none at the cursor. */
  token(): string {
    const t = this.text;
    const s = this.pos;
    let i = s;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c >= 128 || TOKEN[c] !== 1) break;
      i++;
    }
    this.pos = i;
    return s === i ? '' : t.slice(s, i);
  }

  /**
   * token, lower-cased (or upper-cased when `upper`); '' when there is none. Case is only changed
   * when needed, so the common already-canonical token costs one slice.
   */
  tokenFolded(upper = false): string {
    const t = this.text;
    const s = this.pos;
    let i = s;
    let change = false;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c >= 128 || TOKEN[c] !== 1) break;
      if (upper ? c >= 97 && c <= 122 : c >= 65 && c <= 90) change = true;
      i++;
    }
    this.pos = i;
    if (s === i) return '';
    const tok = t.slice(s, i);
    return change ? (upper ? tok.toUpperCase() : tok.toLowerCase()) : tok;
  }

  /** Unsigned decimal of at most `maxDigits` digits; -1 when there is none or it is longer. */
  digits(maxDigits: number): number {
    const t = this.text;
    const s = this.pos;
    let i = s;
    let v = 0;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + c - 48;
      i++;
    }
    if (i === s || i - s > maxDigits) return -1;
    this.pos = i;
    return v;
  }

  /**
   * quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE, cursor on the DQUOTE. Returns the
   * content with quoted-pairs resolved, or undefined if the string is not closed.
   */
  quoted(): string | undefined {
    const t = this.text;
    let i = this.pos + 1;
    let start = i;
    let out = '';
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 34 /* " */) {
        this.pos = i + 1;
        return out + t.slice(start, i);
      }
      if (c === 92 /* \ */) {
        if (i + 1 >= t.length) break;
        // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): the escaped character stands for itself.
        out += t.slice(start, i);
        start = i + 1;
        i += 2;
        continue;
      }
      i++;
    }
    this.pos = t.length;
    return undefined;
  }

  /**
   * generic-param list: *( SEMI token [ EQUAL ( token / host / quoted-string ) ] ). Names are
   * lower-cased (§7.3.1: parameter names are case-insensitive). Returns false on a malformed one.
   */
  params(out: Params): boolean {
    // Every header parameter passes through here, so the loop keeps its cursor in a local and
    // writes `this.pos` only where it stops (on success, or where a failure is reported).
    const t = this.text;
    const n = t.length;
    let i = this.pos;
    for (;;) {
      // SEMI = SWS ";" SWS
      let j = skipLws(t, i);
      if (j >= n || t.charCodeAt(j) !== 59 /* ; */) break;
      j = skipLws(t, j + 1);
      // The name is validated, hashed and checked for upper case in one pass, so a well-known
      // name (`tag`, `branch`, `lr` …) costs no slice at all: see param-names.ts.
      const s = j;
      let hash = 0;
      let upper = false;
      for (; j < n; j++) {
        const c = t.charCodeAt(j);
        if (c >= 128 || TOKEN[c] !== 1) break;
        if (c >= 65 && c <= 90) upper = true;
        hash = hashStep(hash, c);
      }
      if (j === s) {
        this.pos = j;
        return false;
      }
      let name = knownParamName(t, s, j, hash);
      if (name === undefined) name = upper ? t.slice(s, j).toLowerCase() : t.slice(s, j);
      i = j;
      let value: string | null = null;
      // EQUAL = SWS "=" SWS
      j = skipLws(t, j);
      if (j < n && t.charCodeAt(j) === 61 /* = */) {
        j = skipLws(t, j + 1);
        const v = j < n && t.charCodeAt(j) === 34 /* " */ ? this.quotedAt(j) : this.valueAt(j);
        if (v === undefined) return false;
        value = v;
        i = this.pos;
      }
      setParam(out, name, value);
    }
    this.pos = i;
    return true;
  }

  /** The unquoted gen-value at `s`; sets the cursor after it, or at `s` when there is none. */
  private valueAt(s: number): string | undefined {
    const t = this.text;
    const n = t.length;
    let i = s;
    for (; i < n; i++) {
      const c = t.charCodeAt(i);
      if (c >= 128 || PARAM_VALUE[c] !== 1) break;
    }
    this.pos = i;
    return i === s ? undefined : t.slice(s, i);
  }

  /** {@link quoted} with the cursor first moved to the DQUOTE at `at`. */
  private quotedAt(at: number): string | undefined {
    this.pos = at;
    return this.quoted();
  }

  /** gen-value = token / host / quoted-string; undefined when missing or unterminated. */
  paramValue(): string | undefined {
    if (this.peek() === 34) return this.quoted();
    const t = this.text;
    const s = this.pos;
    let i = s;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c >= 128 || PARAM_VALUE[c] !== 1) break;
      i++;
    }
    if (i === s) return undefined;
    this.pos = i;
    return t.slice(s, i);
  }

  /** Records why a reader failed (at the cursor) and returns undefined, for `return sc.bad(…)`. */
  bad(problem: string): undefined {
    this.problem = problem;
    return undefined;
  }

  /** A `bad-header-value` failure at the cursor, with `message` or the recorded problem. */
  fail<T>(message = this.problem): ParseResult<T> {
    return fail('bad-header-value', `${this.header}: ${message}`, 0, this.pos + 1, this.header);
  }
}

/** Index of the first character at or after `i` that is not LWS (SP, HTAB, CR, LF). */
function skipLws(t: string, i: number): number {
  const n = t.length;
  while (i < n) {
    const c = t.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
    i++;
  }
  return i;
}
