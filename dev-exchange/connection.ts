/**
 * What the dev exchange needs of one client WebSocket (RFC 7118): an identity that survives in
 * Record-Route parameters and a way to send text. Kept as a port so the routing code does not know
 * about `ws`.
 */
export interface Connection {
  /** Short random id, unique among open connections; appears in Record-Route and the log. */
  readonly id: string;
  isOpen(): boolean;
  /** Sends one SIP message as one text frame; false when the socket is no longer open. */
  sendText(text: string): boolean;
}

/** Timers injected so tests (and `stop()`) control every pending callback. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const nodeTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A pending branch timer must never keep a finished CLI or test process alive.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
