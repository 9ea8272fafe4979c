/**
 * A cursor over one header value, with the lexical pieces of RFC 3261 §25.1 (SWS, token,
 * quoted-string, generic-param). Every method is total: on bad input it leaves `pos` where the
 * problem is and reports failure through its return value (undefined, '' or false).
 */
import { setParam } from './parse-uri';
import { PARAM_VALUE, TOKEN, lowerNameAt, skipClass, skipDigits, skipLws } from './chars';
import { fail, type ParseResult } from './parse-result';
import type { Params } from '../message/types';

export class Scanner {
  pos = 0;

  constructor(
    readonly text: string,
    /** Canonical header name, reported in errors. */
    readonly header: string,
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** Char code at the cursor, or NaN at the end (equal to no character). */
  peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  /** Skips SWS (spaces, tabs and — in unfolded input — nothing else). */
  ws(): void {
    this.pos = skipLws(this.text, this.pos);
  }

  /** Consumes `c` surrounded by optional whitespace (SEMI, COMMA, EQUAL, SLASH …); false if absent. */
  eat(c: number): boolean {
    const i = skipLws(this.text, this.pos);
    if (this.text.charCodeAt(i) !== c) return false;
    this.pos = skipLws(this.text, i + 1);
    return true;
  }

  /** token (§25.1); '' when there is none at the cursor. */
  token(): string {
    return this.#run(skipClass(TOKEN, this.text, this.pos));
  }

  /** A token as a parameter name, lower-cased (§7.3.1: case-insensitive); '' when there is none. */
  name(): string {
    const s = this.pos;
    this.pos = skipClass(TOKEN, this.text, s);
    return s === this.pos ? '' : lowerNameAt(this.text, s, this.pos);
  }

  /** 1*DIGIT as a number (arbitrarily large: callers check their range); -1 when there is none. */
  number(): number {
    const digits = this.#run(skipDigits(this.text, this.pos));
    return digits === '' ? -1 : Number(digits);
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
        // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): the escaped character stands for itself.
        // A "\" at the very end leaves the string unterminated.
        out += t.slice(start, i);
        start = i + 1;
        i++;
      }
      i++;
    }
    this.pos = t.length;
    return undefined;
  }

  /**
   * generic-param list: *( SEMI token [ EQUAL ( token / host / quoted-string ) ] ), names
   * lower-cased. Returns false on a malformed one, with the cursor on it.
   */
  params(out: Params): boolean {
    // SEMI = SWS ";" SWS
    while (this.eat(59 /* ; */)) {
      const name = this.name();
      if (name === '') return false;
      let value: string | null = null;
      // EQUAL = SWS "=" SWS
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
    if (this.peek() === 34 /* " */) return this.quoted();
    const v = this.#run(skipClass(PARAM_VALUE, this.text, this.pos));
    return v === '' ? undefined : v;
  }

  /** A `bad-header-value` failure at the cursor, where the reader that failed left it. */
  fail<T>(): ParseResult<T> {
    return fail('bad-header-value', 0, this.pos + 1, this.header);
  }

  /** The text from the cursor to `end`, moving the cursor there. */
  #run(end: number): string {
    const s = this.pos;
    this.pos = end;
    return this.text.slice(s, end);
  }
}
