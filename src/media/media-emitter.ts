/**
 * Typed events with a safe emit for the media layer (STYLE.md habit 7). The SIP core has its own;
 * media may not import it, and the class is small enough to keep twice.
 */
export type MediaEventMap = Record<string, unknown[]>;
type AnyListener = (...args: never[]) => void;

export class MediaEmitter<E extends MediaEventMap> {
  readonly #listeners = new Map<keyof E, Set<AnyListener>>();
  readonly #onListenerError: (error: unknown, event: keyof E) => void;

  constructor(onListenerError: (error: unknown, event: keyof E) => void = () => undefined) {
    this.#onListenerError = onListenerError;
  }

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof E>(event: K, listener: (...args: E[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as unknown as AnyListener);
    return () => set.delete(listener as unknown as AnyListener);
  }

  /** Calls every listener; one that throws is reported and cannot stop the others. */
  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as unknown as (...args: E[K]) => void)(...args);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }

  removeAllListeners(): void {
    this.#listeners.clear();
  }
}
