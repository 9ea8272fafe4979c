/**
 * Named media errors (STYLE.md habit 5): callers switch on `name` / `kind`, and every message is
 * fit to show to the user as it stands.
 */

/** A method was called in a state that forbids it (e.g. `setAnswer()` with no offer out, or after `close()`). */
export class MediaStateError extends Error {
  override readonly name = 'InvalidStateError';
}

/** The browser or the negotiated session cannot do what was asked (e.g. RFC 4733 DTMF not negotiated). */
export class MediaUnsupportedError extends Error {
  override readonly name = 'UnsupportedError';
}

/** An argument breaks the documented contract (e.g. DTMF tones outside 0-9, A-D, *, #, ','). */
export class MediaArgumentError extends Error {
  override readonly name = 'InvalidArgumentError';
}

/**
 * The browser refused the peer's SDP (or ours). `explanation` holds a plain-words reason found by
 * comparing codecs and transports (see `explainIncompatibility`), when one was found.
 */
export class MediaNegotiationError extends Error {
  override readonly name = 'MediaNegotiationError';
  constructor(
    message: string,
    readonly explanation: string | undefined,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export type MediaAccessErrorKind =
  | 'permission-denied'
  | 'no-device'
  | 'device-busy'
  | 'overconstrained'
  | 'insecure-context'
  | 'aborted'
  | 'unknown';

/** What the failed request asked for, to name it in the message. */
export type MediaDeviceNoun = 'microphone' | 'camera' | 'microphone and camera';

/** getUserMedia failed; `kind` is stable for code, `message` is for people. */
export class MediaAccessError extends Error {
  override readonly name = 'MediaAccessError';
  constructor(
    readonly kind: MediaAccessErrorKind,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Maps a getUserMedia rejection (Media Capture and Streams §9.2 error names, plus the names old
 * Chrome and Firefox used) to a {@link MediaAccessError}.
 */
export function mapUserMediaError(error: unknown, noun: MediaDeviceNoun): MediaAccessError {
  if (error instanceof MediaAccessError) return error;
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  const constraint =
    typeof error === 'object' && error !== null && 'constraint' in error && error.constraint
      ? String(error.constraint)
      : undefined;
  const Noun = capitalised(noun);
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return new MediaAccessError(
        'permission-denied',
        `${Noun} access was denied. Allow the ${noun} for this site (the icon in the address bar), then try again.`,
        error,
      );
    case 'SecurityError':
      return new MediaAccessError(
        'insecure-context',
        `The browser blocks the ${noun} on this page: it must be opened over HTTPS (or from localhost).`,
        error,
      );
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return new MediaAccessError('no-device', `No ${noun} was found. Plug one in, then try again.`, error);
    case 'NotReadableError':
    case 'TrackStartError':
      return new MediaAccessError(
        'device-busy',
        `The ${noun} could not be started: another application may be using it.`,
        error,
      );
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return new MediaAccessError(
        'overconstrained',
        `The selected ${noun} is not available` +
          (constraint ? ` (it does not match "${constraint}")` : '') +
          '. It may have been unplugged: choose another device in the settings.',
        error,
      );
    case 'AbortError':
      return new MediaAccessError(
        'aborted',
        `The browser stopped the ${noun} request before it completed.`,
        error,
      );
    default:
      return new MediaAccessError(
        'unknown',
        `The ${noun} could not be opened` +
          (error instanceof Error && error.message ? `: ${error.message}` : '.'),
        error,
      );
  }
}
