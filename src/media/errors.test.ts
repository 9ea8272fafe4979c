import { describe, expect, it } from 'vitest';
import { MediaAccessError, mapUserMediaError } from './errors';

const domError = (name: string, message = '', extra: Record<string, unknown> = {}) =>
  Object.assign(new DOMException(message, name), extra);

describe('Media Capture and Streams §9.2 getUserMedia errors in plain words', () => {
  it.each([
    ['NotAllowedError', 'microphone', 'permission-denied', /^Microphone access was denied\./],
    ['PermissionDeniedError', 'microphone', 'permission-denied', /Allow the microphone/],
    ['SecurityError', 'camera', 'insecure-context', /HTTPS/],
    ['NotFoundError', 'microphone', 'no-device', /^No microphone was found\./],
    ['DevicesNotFoundError', 'camera', 'no-device', /^No camera was found/],
    ['NotReadableError', 'microphone', 'device-busy', /another application/],
    [
      'TrackStartError',
      'microphone and camera',
      'device-busy',
      /^The microphone and camera could not be started/,
    ],
    ['OverconstrainedError', 'microphone', 'overconstrained', /selected microphone is not available/],
    ['AbortError', 'microphone', 'aborted', /stopped/],
    ['WeirdError', 'microphone', 'unknown', /could not be opened/],
  ] as const)('%s (%s) → %s', (name, noun, kind, message) => {
    const mapped = mapUserMediaError(domError(name), noun);
    expect(mapped).toBeInstanceOf(MediaAccessError);
    expect(mapped.kind).toBe(kind);
    expect(mapped.message).toMatch(message);
    expect(mapped.cause).toBeInstanceOf(DOMException);
  });

  it('names the constraint that could not be satisfied', () => {
    const mapped = mapUserMediaError(
      domError('OverconstrainedError', '', { constraint: 'deviceId' }),
      'camera',
    );
    expect(mapped.message).toContain('"deviceId"');
  });

  it('passes an already mapped error through and copes with non-errors', () => {
    const mapped = new MediaAccessError('no-device', 'x');
    expect(mapUserMediaError(mapped, 'camera')).toBe(mapped);
    expect(mapUserMediaError('nope', 'camera').kind).toBe('unknown');
  });
});
