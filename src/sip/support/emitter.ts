/**
 * Typed events with a safe emit (STYLE.md habit 7): a listener that throws is reported to the
 * error hook and never unwinds into the state machine that emitted.
 */

export type EventMap = Record<string, unknown[]>;
export type Listener<A extends unknown[]> = (...args: A) => void;
type AnyListener = (...args: never[]) => void;

export class Emitter<E extends EventMap> {
  readonly #listeners = new Map<keyof E, Set<AnyListener>>();
  readonly #onListenerError: (error: unknown, event: keyof E) => void;

  constructor(onListenerError?: (error: unknown, event: keyof E) => void) {
    this.#onListenerError = onListenerError ?? (() => undefined);
  }

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as unknown as AnyListener);
    return () => this.off(event, listener);
  }

  once<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    const off = this.on(event, (...args: E[K]) => {
      off();
      listener(...args);
    });
    return off;
  }

  off<K extends keyof E>(event: K, listener: Listener<E[K]>): void {
    this.#listeners.get(event)?.delete(listener as unknown as AnyListener);
  }

  /** Calls every listener; a throwing listener is reported and the others still run. */
  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.#listeners.get(event);
    if (!set || set.size === 0) return;
    for (const listener of [...set]) {
      try {
        (listener as unknown as Listener<E[K]>)(...args);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }

  listenerCount(event: keyof E): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  removeAllListeners(): void {
    this.#listeners.clear();
  }
}
