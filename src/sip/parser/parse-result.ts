/**
 * Errors as values for everything read off the wire (STYLE.md habit 4): parsers never throw out of
 * their public API, they return a {@link ParseResult}.
 */

/** Why a parse failed; stable strings so callers (and tests) can switch on them. */
export type ParseErrorCode =
  | 'empty'
  | 'too-large'
  | 'too-many-headers'
  | 'line-too-long'
  | 'bad-start-line'
  | 'bad-version'
  | 'bad-method'
  | 'bad-status'
  | 'bad-uri'
  | 'bad-header-line'
  | 'bad-header-value'
  | 'missing-header'
  | 'content-length-mismatch'
  | 'bad-body';

export interface ParseError {
  readonly code: ParseErrorCode;
  /**
   * Safe to log (never contains credentials): the header name, if any, and the code, e.g.
   * `Via: bad-header-value`. Deliberately terse: code, line, column and header say it all, and
   * prose would cost bundle bytes for every error site.
   */
  readonly message: string;
  /** 1-based line of the message where the problem was seen (0 when not tied to a line). */
  readonly line: number;
  /** 1-based column within that line (0 when unknown). */
  readonly column: number;
  /** Canonical header name when the error is inside a header. */
  readonly header?: string;
}

export type ParseResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ParseError };

export function ok<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

/** A failure; its `message` is derived from the code and the header name. */
export function fail<T = never>(code: ParseErrorCode, line = 0, column = 0, header?: string): ParseResult<T> {
  return { ok: false, error: { code, message: header ? header + ': ' + code : code, line, column, header } };
}
