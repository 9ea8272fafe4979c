/**
 * Small total readers for untrusted plain data (records read back from storage, snapshots that carry
 * text from the network). They never throw: a wrong type reads as `undefined`.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readString(
  record: Record<string, unknown>,
  key: string,
  maxLength = 2048,
): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value.length <= maxLength ? value : undefined;
}

export function readBoolean(record: Record<string, unknown>, key: string): boolean | undefined {
  const value = record[key];
  return typeof value === 'boolean' ? value : undefined;
}

export function readNumber(record: Record<string, unknown>, key: string): number | undefined {
  const value = record[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `null` stays `null`; a string is kept; anything else reads as `undefined` (invalid). */
export function readNullableString(
  record: Record<string, unknown>,
  key: string,
  maxLength = 2048,
): string | null | undefined {
  const value = record[key];
  if (value === null) return null;
  return typeof value === 'string' && value.length <= maxLength ? value : undefined;
}

export function oneOf<T extends string>(allowed: readonly T[], value: unknown): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for display that came from elsewhere (a From header, a stored record): control and bidi
 * override characters removed, trimmed, bounded. The UI still renders it as text, never as HTML.
 */
export function plainText(value: unknown, maxLength = 256): string {
  if (typeof value !== 'string') return '';
  return value.replace(CONTROL, '').trim().slice(0, maxLength);
}
