/**
 * Typed events with a safe emit (STYLE.md habit 7): a listener that throws is reported to the
 * error hook and never unwinds into the state machine that emitted.
 */

export type EventMap = Record<string, unknown[]>;
export type Listener<A extends unknown[]> = (...args: A) => void;

export class Emitter<E extends EventMap> {
  readonly #listeners = new Map<keyof E, Set<Listener<never[]>>>();
  readonly #onListenerError: (error: unknown, event: keyof E) => void;

  constructor(onListenerError: (error: unknown, event: keyof E) => void = () => undefined) {
    this.#onListenerError = onListenerError;
  }

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    const entry = listener as unknown as Listener<never[]>;
    set.add(entry);
    return () => void set.delete(entry);
  }

  /** Calls every listener; a throwing listener is reported and the others still run. */
  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as unknown as Listener<E[K]>)(...args);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }

  removeAllListeners(): void {
    this.#listeners.clear();
  }
}
