/**
 * The smallest WebSocket surface the SIP transport needs (RFC 6455 as seen through the WHATWG
 * WebSocket API). The core compiles without DOM or Node types, so the socket class is injected:
 * the browser's `WebSocket` and the `ws` package both satisfy these types structurally.
 */

/** `readyState` values shared by the WHATWG API and `ws`. */
export const SOCKET_OPEN = 1;

/** The only part of a message event the transport reads. */
export interface SocketMessageEventLike {
  readonly data: unknown;
}

/** The only part of a close event the transport reads. */
export interface SocketCloseEventLike {
  readonly code: number;
  readonly reason: string;
}

/**
 * Handler slot type. Declared through a method signature so that parameters compare bivariantly:
 * the browser's `(this: WebSocket, ev: MessageEvent) => any` and the `ws` handler types are both
 * assignable although their event classes are richer than what the transport reads.
 */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** The subprotocol the server selected; empty when it selected none. */
  readonly protocol: string;
  /**
   * Set to `'arraybuffer'` when present so binary frames arrive as bytes we can decode
   * (the browser default `'blob'` would need an asynchronous read).
   */
  binaryType?: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onclose: Handler<SocketCloseEventLike> | null;
  onerror: Handler<unknown> | null;
  onmessage: Handler<SocketMessageEventLike> | null;
}

/** `new WebSocket(url, protocols)` — the browser class or `ws`'s, injected by the embedder. */
export type WebSocketConstructor = new (url: string, protocols: string | string[]) => WebSocketLike;
