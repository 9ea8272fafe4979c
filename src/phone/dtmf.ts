/**
 * DTMF for a call: RFC 4733 telephone-events through the media layer's RTCDTMFSender whenever the
 * offer/answer negotiated `telephone-event`, else SIP INFO (RFC 6086) with the de-facto
 * `application/dtmf-relay` body that PBXs (Asterisk, FreeSWITCH, Cisco) accept:
 *
 * ```
 * Signal=1
 * Duration=160
 * ```
 *
 * Received INFO DTMF is parsed here, both `application/dtmf-relay` and `application/dtmf` (whose
 * body is the bare digit). The parsers are pure and total: a bad body yields an error value.
 */

/** How a call sends DTMF: `auto` = RFC 4733 when negotiated, INFO otherwise. */
export type DtmfMode = 'auto' | 'rfc4733' | 'info';

/** The path a digit took (or arrived by). */
export type DtmfPath = 'rfc4733' | 'info';

export const DTMF_RELAY_CONTENT_TYPE = 'application/dtmf-relay';
export const DTMF_CONTENT_TYPE = 'application/dtmf';

/** Tone length announced in INFO bodies, in ms. */
export const INFO_DTMF_DURATION_MS = 160;

/** A DTMF digit: 0-9, *, #, A-D (RFC 4733 §3.2 events 0-15). */
const DIGIT = /^[0-9*#A-D]$/;
/** What `sendDtmf()` accepts: digits, plus `,` (a 2 s pause, W3C WebRTC §7.2) for RFC 4733 only. */
const TONES = /^[0-9*#A-Da-d,]+$/;

/** RFC 4733 §3.2 event codes 10-15, which some gateways send in `Signal=` instead of the character. */
const EVENT_CODES: Readonly<Record<string, string>> = {
  '10': '*',
  '11': '#',
  '12': 'A',
  '13': 'B',
  '14': 'C',
  '15': 'D',
};

export function isDtmfTones(tones: string): boolean {
  return TONES.test(tones);
}

/** The `application/dtmf-relay` body for one digit. */
export function formatDtmfRelay(digit: string, durationMs = INFO_DTMF_DURATION_MS): string {
  return `Signal=${digit}\r\nDuration=${durationMs}\r\n`;
}

export interface ReceivedDtmf {
  readonly digit: string;
  /** Announced duration in ms, when the body gave one. */
  readonly durationMs?: number;
}

export type DtmfParseResult =
  | { readonly ok: true; readonly value: ReceivedDtmf }
  | { readonly ok: false; readonly reason: 'not-dtmf' | 'bad-body' };

function normaliseSignal(raw: string): string | undefined {
  const value = raw.trim().toUpperCase();
  const digit = EVENT_CODES[value] ?? value;
  return DIGIT.test(digit) ? digit : undefined;
}

/**
 * Parses the body of a received INFO. `not-dtmf` for another content type (the INFO was for
 * something else and is ignored); `bad-body` for a DTMF content type whose body has no valid digit.
 */
export function parseDtmfInfo(contentType: string | undefined, body: string): DtmfParseResult {
  const type = contentType?.trim().toLowerCase();
  if (type === DTMF_CONTENT_TYPE) {
    const digit = normaliseSignal(body);
    return digit === undefined ? { ok: false, reason: 'bad-body' } : { ok: true, value: { digit } };
  }
  if (type !== DTMF_RELAY_CONTENT_TYPE) return { ok: false, reason: 'not-dtmf' };
  let digit: string | undefined;
  let durationMs: number | undefined;
  for (const line of body.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq === -1) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1);
    if (key === 'signal' && digit === undefined) digit = normaliseSignal(value);
    else if (key === 'duration' && /^\s*\d{1,6}\s*$/.test(value)) durationMs = Number.parseInt(value, 10);
  }
  if (digit === undefined) return { ok: false, reason: 'bad-body' };
  return { ok: true, value: { digit, ...(durationMs === undefined ? {} : { durationMs }) } };
}

/** What DTMF sending needs from the call: the media path and the INFO path. */
export interface DtmfTransport {
  /** True when telephone-event was negotiated and the browser's DTMF sender can insert tones. */
  readonly canSendRfc4733: boolean;
  sendRfc4733(tones: string): void;
  /** Sends one INFO; resolves with its final status (0 on timeout or transport error). */
  sendInfo(contentType: string, body: string): Promise<number>;
}

export type DtmfResult =
  | { readonly ok: true; readonly via: DtmfPath }
  /** An INFO was refused (or timed out: status 0); the digits after it were not sent. */
  | { readonly ok: false; readonly via: 'info'; readonly status: number; readonly digit: string };

/** The path {@link sendDtmf} takes for `mode` on a call whose media is as `transport` says. */
export function chooseDtmfPath(mode: DtmfMode, canSendRfc4733: boolean): DtmfPath {
  if (mode === 'info') return 'info';
  if (mode === 'rfc4733') return 'rfc4733';
  return canSendRfc4733 ? 'rfc4733' : 'info';
}

/**
 * Sends `tones` by the path {@link chooseDtmfPath} picks. INFO digits go one at a time, each
 * after the previous one's final response, so they arrive in order (RFC 6086 §4.2 leaves
 * ordering to the sender). `,` pauses are dropped on the INFO path.
 * Rejects (from the media layer) when `mode` is `rfc4733` but telephone-event was not negotiated.
 */
export async function sendDtmf(transport: DtmfTransport, mode: DtmfMode, tones: string): Promise<DtmfResult> {
  const path = chooseDtmfPath(mode, transport.canSendRfc4733);
  const upper = tones.toUpperCase();
  if (path === 'rfc4733') {
    transport.sendRfc4733(upper);
    return { ok: true, via: 'rfc4733' };
  }
  for (const digit of upper.replace(/,/g, '')) {
    const status = await transport.sendInfo(DTMF_RELAY_CONTENT_TYPE, formatDtmfRelay(digit));
    if (status < 200 || status > 299) return { ok: false, via: 'info', status, digit };
  }
  return { ok: true, via: 'info' };
}
