/**
 * The location service of the dev exchange's registrar, RFC 3261 §10.3, with the binding keys of
 * RFC 5626 §6 (`+sip.instance` + `reg-id`).
 *
 * DEVELOPMENT CONVENIENCE ONLY: bindings live in memory, die with the WebSocket they arrived on, and
 * are lost on restart. Production deployments use Asterisk, FreeSWITCH or Kamailio.
 *
 * Expiry is evaluated lazily against an injected clock, so nothing here owns a timer.
 */
import { formatUri, uriEquals, type NameAddr, type Uri } from '../src/sip/index';

/** One registered contact of an address-of-record (§10.3 step 7). */
export interface Binding {
  /** `<+sip.instance>|<reg-id>`, `<+sip.instance>`, or the Contact URI text: what a refresh replaces. */
  readonly key: string;
  /** The Contact value as registered (URI and header parameters, `expires` excluded). */
  readonly contact: NameAddr;
  /** The WebSocket the REGISTER arrived on: the only way to reach a `.invalid` contact. */
  readonly connectionId: string;
  /** Absolute time (ms, injected clock) when the binding lapses. */
  readonly expiresAt: number;
  readonly callId: string;
  readonly cseq: number;
}

/**
 * The key a refresh or removal of this contact must match. RFC 5626 §6: "the registrar MUST
 * consider the combination of the instance-id and reg-id" as the binding's identity; without them
 * §10.3 step 7 compares Contact URIs, which we approximate by their canonical text.
 */
export function bindingKey(contact: NameAddr): string {
  const instance = contact.params['+sip.instance'];
  const regId = contact.params['reg-id'];
  if (instance !== undefined && instance !== null) {
    return regId !== undefined && regId !== null ? `${instance}|${regId}` : instance;
  }
  return formatUri(contact.uri);
}

/** Bindings per address-of-record (keyed by user part: every local domain aliases the same users). */
export class LocationService {
  readonly #now: () => number;
  readonly #bindings = new Map<string, Binding[]>();
  // Users who have registered at least once since start: 480 for them, 404 for strangers.
  readonly #everRegistered = new Set<string>();

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The live bindings of `user`, expired ones dropped. */
  lookup(user: string): readonly Binding[] {
    const list = this.#bindings.get(user);
    if (list === undefined) return [];
    const now = this.#now();
    const live = list.filter((b) => b.expiresAt > now);
    if (live.length !== list.length) this.#store(user, live);
    return live;
  }

  /** True once `user` has had a binding, even if none is left. */
  hasEverRegistered(user: string): boolean {
    return this.#everRegistered.has(user);
  }

  /**
   * Replaces the bindings of `user` by `next` in one step: §10.3 step 8, "the binding updates MUST
   * be committed ... if and only if all binding updates and additions succeed".
   */
  commit(user: string, next: readonly Binding[]): void {
    this.#store(user, [...next]);
    if (next.length > 0) this.#everRegistered.add(user);
  }

  /** Drops every binding that arrived on `connectionId`; returns the users who lost one. */
  removeConnection(connectionId: string): string[] {
    const affected: string[] = [];
    for (const [user, list] of [...this.#bindings]) {
      const kept = list.filter((b) => b.connectionId !== connectionId);
      if (kept.length !== list.length) {
        affected.push(user);
        this.#store(user, kept);
      }
    }
    return affected;
  }

  /** The live binding whose Contact URI equals `uri` (§19.1.4), e.g. a target-refreshed remote target. */
  findByContactUri(uri: Uri): Binding | undefined {
    for (const user of [...this.#bindings.keys()]) {
      const hit = this.lookup(user).find((b) => uriEquals(b.contact.uri, uri));
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  /** Some user registered on `connectionId`, for log labels. */
  userOfConnection(connectionId: string): string | undefined {
    for (const [user, list] of this.#bindings) {
      if (list.some((b) => b.connectionId === connectionId)) return user;
    }
    return undefined;
  }

  #store(user: string, list: Binding[]): void {
    if (list.length === 0) this.#bindings.delete(user);
    else this.#bindings.set(user, list);
  }
}
