/**
 * A cursor over one header value, with the lexical pieces of RFC 3261 §25.1 (SWS, token,
 * quoted-string, generic-param). Every method is total: on bad input it leaves `pos` where the
 * problem is and reports failure through its return value.
 */
import { setParam } from './parse-uri';
import { PARAM_VALUE, TOKEN, isLws } from './chars';
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
    const t = this.text;
    while (this.pos < t.length && isLws(t.charCodeAt(this.pos))) this.pos++;
  }

  /** Consumes `c` surrounded by optional whitespace (SEMI, COMMA, EQUAL, SLASH …); false if absent. */
  eat(c: number): boolean {
    const save = this.pos;
    this.ws();
    if (this.peek() === c) {
      this.pos++;
      this.ws();
      return true;
    }
    this.pos = save;
    return false;
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
    while (this.eat(59 /* ; */)) {
      const name = this.tokenFolded();
      if (name === '') return false;
      let value: string | null = null;
      if (this.eat(61 /* = */)) {
        const v = this.paramValue();
        if (v === undefined) return false;
        value = v;
      }
      setParam(out, name, value);
    }
    return true;
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
