/**
 * A fake of the SIP core's UserAgent for store tests: it emits `transport` and `registration` events
 * the way the core does (README.md "Using the SIP core"), with an outcome chosen by the test.
 */
import type { RegistrationStatus, TransportState, UserAgentEvents, UserAgentOptions } from '../../sip/index';
import type { UserAgentLike } from '../ports/user-agent';

export interface FakeUserAgentScript {
  /** `start()` rejects with this (no server reachable). */
  readonly startError?: Error;
  /** What `register()` ends with; default registered for 600 s. */
  readonly registerResult?: RegistrationStatus;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one map for every event's listener type
type Listener = (...args: any[]) => void;

export class FakeUserAgent implements UserAgentLike {
  readonly options: UserAgentOptions;
  /** The core methods called, in order. */
  readonly log: string[] = [];
  status: RegistrationStatus = { state: 'unregistered' };
  transport: TransportState = 'disconnected';
  #script: FakeUserAgentScript;
  #listeners = new Map<keyof UserAgentEvents, Set<Listener>>();

  constructor(options: UserAgentOptions, script: FakeUserAgentScript = {}) {
    this.options = options;
    this.#script = script;
  }

  on<K extends keyof UserAgentEvents>(event: K, listener: (...args: UserAgentEvents[K]) => void): () => void {
    const set = this.#listeners.get(event) ?? new Set<Listener>();
    this.#listeners.set(event, set);
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  /** Emits as the core would; tests call it to simulate the network. */
  emitRegistration(status: RegistrationStatus): void {
    this.status = status;
    for (const l of this.#listeners.get('registration') ?? []) (l as (s: RegistrationStatus) => void)(status);
  }

  emitTransport(state: TransportState, server?: string): void {
    this.transport = state;
    for (const l of this.#listeners.get('transport') ?? []) {
      (l as (s: TransportState, server: string | undefined) => void)(state, server);
    }
  }

  async start(): Promise<void> {
    this.log.push('start');
    this.emitTransport('connecting');
    if (this.#script.startError) {
      this.emitTransport('disconnected');
      throw this.#script.startError;
    }
    this.emitTransport('connected', this.options.servers?.[0]);
  }

  async register(): Promise<RegistrationStatus> {
    if (this.transport !== 'connected') {
      try {
        await this.start();
      } catch {
        this.log.push('register');
        this.emitRegistration({ state: 'registering' });
        this.emitRegistration({
          state: 'failed',
          cause: 'transport',
          status: 503,
          reason: 'The connection to the server failed',
        });
        return this.status;
      }
    }
    this.log.push('register');
    this.emitRegistration({ state: 'registering' });
    this.emitRegistration(
      this.#script.registerResult ?? { state: 'registered', expires: 600, contact: '<sip:fake@x.invalid>' },
    );
    return this.status;
  }

  async unregister(): Promise<RegistrationStatus> {
    this.log.push('unregister');
    if (this.status.state === 'registered') {
      this.emitRegistration({ state: 'unregistering' });
    }
    this.emitRegistration({ state: 'unregistered' });
    return this.status;
  }

  async stop(): Promise<void> {
    this.log.push('stop');
    if (this.status.state === 'registered') await this.unregister();
    this.emitTransport('disconnected');
  }
}
