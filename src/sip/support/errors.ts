/**
 * Named errors for programmer misuse (STYLE.md habit 5). Anything read off the wire never throws:
 * it becomes a {@link ParseResult} or a SIP response. These errors are for calls the API forbids,
 * so callers may switch on `error.name` or use `instanceof`.
 */

/** A method was called in a state where it is not allowed (e.g. a request on a terminated dialog). */
export class InvalidStateError extends Error {
  override readonly name = 'InvalidStateError';
}

/** An argument breaks the documented contract of the function it was passed to. */
export class InvalidArgumentError extends Error {
  override readonly name = 'InvalidArgumentError';
}

/** The operation is valid SIP but not implemented by this core. */
export class UnsupportedError extends Error {
  override readonly name = 'UnsupportedError';
}
