/**
 * WebSocket frame classification for the SIP subprotocol (RFC 7118 §4.2, §5) and the CRLF
 * keep-alive (RFC 5626 §3.5.1, §4.4.1). Pure and total: any frame becomes a {@link Frame} value.
 * Shared by the WebSocket transport and the development exchange.
 */

/** RFC 5626 §3.5.1: a ping is a double CRLF. */
export const CRLF_PING = '\r\n\r\n';
/** RFC 5626 §3.5.1: a pong is a single CRLF. */
export const CRLF_PONG = '\r\n';

export type Frame =
  | { readonly kind: 'ping' }
  | { readonly kind: 'pong' }
  | { readonly kind: 'message'; readonly text: string }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * `TextDecoder` exists in browsers and Node but is not declared by lib ES2022, so it is reached
 * through `globalThis` with a local type.
 */
type TextDecoderConstructor = new (
  label: string,
  options: { fatal: boolean },
) => { decode(input: unknown): string };

/**
 * The text of a frame payload: a string as is; binary data (an ArrayBuffer, as the transport asks
 * for with `binaryType`, or a byte view such as `ws`'s Buffer) decoded as strict UTF-8. Undefined
 * when the payload is of another type or not UTF-8.
 */
export function frameText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  try {
    const { TextDecoder } = globalThis as unknown as { TextDecoder: TextDecoderConstructor };
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return undefined;
  }
}

/**
 * Classifies one received frame. RFC 7118 §4.2 lets peers send SIP in text or binary frames, so
 * both are decoded; a frame made only of CRLFs is a keep-alive and never a SIP message.
 */
export function classifyFrame(data: unknown): Frame {
  const text = frameText(data);
  if (!text) return { kind: 'invalid', reason: 'empty or not UTF-8' };
  return isKeepAlive(text) ? { kind: text === CRLF_PONG ? 'pong' : 'ping' } : { kind: 'message', text };
}

/**
 * A frame made only of CRLFs: a single one is a pong, two or more a ping (RFC 5626 §3.5.1;
 * servers occasionally batch more than two).
 */
export function isKeepAlive(text: string): boolean {
  return /^(\r\n)+$/.test(text);
}
