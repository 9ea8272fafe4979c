/**
 * WebSocket frame classification for the SIP subprotocol (RFC 7118 §4.2, §5) and the CRLF
 * keep-alive (RFC 5626 §3.5.1, §4.4.1). Pure and total: any frame becomes a {@link Frame} value.
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

interface TextDecoderLike {
  decode(input: Uint8Array): string;
}

type TextDecoderConstructor = new (label: string, options: { fatal: boolean }) => TextDecoderLike;

/**
 * `TextDecoder` exists in browsers and Node but is not declared by lib ES2022, so it is reached
 * through `globalThis` with a local type. Created lazily and once.
 */
let decoder: TextDecoderLike | null | undefined;

function utf8Decoder(): TextDecoderLike | null {
  if (decoder === undefined) {
    const Ctor = (globalThis as unknown as { TextDecoder?: TextDecoderConstructor }).TextDecoder;
    decoder = Ctor ? new Ctor('utf-8', { fatal: true }) : null;
  }
  return decoder;
}

function toBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data; // Node's Buffer is a Uint8Array.
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Array.isArray(data) && data.every((part) => part instanceof Uint8Array)) {
    // `ws` with binaryType 'fragments' hands over the frame in pieces.
    const parts = data as Uint8Array[];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.byteLength;
    }
    return out;
  }
  return undefined;
}

/** Turns a frame payload (text or binary) into text, or says why it cannot. */
export function frameText(data: unknown): { ok: true; text: string } | { ok: false; reason: string } {
  if (typeof data === 'string') return { ok: true, text: data };
  const bytes = toBytes(data);
  if (!bytes) return { ok: false, reason: 'unsupported frame payload type' };
  const utf8 = utf8Decoder();
  if (!utf8) return { ok: false, reason: 'binary frame but no TextDecoder in this environment' };
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, reason: 'binary frame is not valid UTF-8' };
  }
}

/**
 * Classifies one received frame. RFC 7118 §4.2 lets peers send SIP in text or binary frames, so
 * both are decoded; a frame made only of CRLFs is a keep-alive and never a SIP message.
 */
export function classifyFrame(data: unknown): Frame {
  const decoded = frameText(data);
  if (!decoded.ok) return { kind: 'invalid', reason: decoded.reason };
  const { text } = decoded;
  if (text === CRLF_PONG) return { kind: 'pong' };
  if (text.length > 0 && /^(?:\r\n)+$/.test(text)) {
    // Two or more CRLFs: a ping (RFC 5626 §3.5.1); servers occasionally batch more than two.
    return { kind: 'ping' };
  }
  if (text.length === 0) return { kind: 'invalid', reason: 'empty frame' };
  return { kind: 'message', text };
}
