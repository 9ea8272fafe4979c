/**
 * Non-serialisable objects of the phone, kept out of the store's state (which holds plain data keyed
 * by ids, as pjsua keeps `pjsua_call_id`s): the account's user agent, its call engine (which owns the
 * INVITE sessions, peer connections and streams), and the teardown of their subscriptions.
 */
import type { CallEngine, CallStreams } from './ports/call-engine';
import type { UserAgentLike } from './ports/user-agent';

export class LiveObjects {
  #ua: UserAgentLike | null = null;
  #engine: CallEngine | null = null;
  #teardown: Array<() => void> = [];
  /** Bumped on every connect/disconnect, so events of a replaced UA are ignored. */
  #generation = 0;

  get ua(): UserAgentLike | null {
    return this.#ua;
  }

  get engine(): CallEngine | null {
    return this.#engine;
  }

  get generation(): number {
    return this.#generation;
  }

  /** Holds a freshly opened account; returns its generation. */
  attach(ua: UserAgentLike, engine: CallEngine | null): number {
    this.#ua = ua;
    this.#engine = engine;
    return ++this.#generation;
  }

  /** Registers an unsubscribe function run by {@link LiveObjects.detach}. */
  onDetach(teardown: () => void): void {
    this.#teardown.push(teardown);
  }

  /** Forgets the account's objects after running every teardown; returns what was held. */
  detach(): { ua: UserAgentLike | null; engine: CallEngine | null } {
    const held = { ua: this.#ua, engine: this.#engine };
    for (const off of this.#teardown.splice(0)) off();
    this.#ua = null;
    this.#engine = null;
    this.#generation++;
    return held;
  }

  /** The local and remote streams of a call, for the UI's media elements. */
  streams(callId: string): CallStreams | undefined {
    return this.#engine?.streams?.(callId);
  }
}
