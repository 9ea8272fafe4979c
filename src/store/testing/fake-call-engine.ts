/**
 * A fake {@link CallEngine} for store tests: commands change calls as a real engine would, and
 * `remote*` / `incoming` methods play the other side. `commands` records what the store asked the
 * engine to do (the port's traffic, not the store's own actions).
 */
import {
  appendReceivedDtmf,
  type CallEnd,
  type CallEngine,
  type CallEngineEvents,
  type CallSnapshot,
  type Party,
  type SelectedDevices,
} from '../ports/call-engine';

type Listener = (call: CallSnapshot) => void;

export class FakeCallEngine implements CallEngine {
  readonly commands: string[] = [];
  readonly dtmf: string[] = [];
  devices: SelectedDevices | undefined;
  disposed = false;
  #calls = new Map<string, CallSnapshot>();
  #listeners = new Map<keyof CallEngineEvents, Set<Listener>>();
  #next = 0;

  on<K extends keyof CallEngineEvents>(
    event: K,
    listener: (...args: CallEngineEvents[K]) => void,
  ): () => void {
    const set = this.#listeners.get(event) ?? new Set<Listener>();
    this.#listeners.set(event, set);
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  snapshot(id: string): CallSnapshot | undefined {
    return this.#calls.get(id);
  }

  #emit(event: keyof CallEngineEvents, call: CallSnapshot): void {
    for (const l of this.#listeners.get(event) ?? []) l(call);
  }

  #change(id: string, patch: Partial<CallSnapshot>): void {
    const call = this.#calls.get(id);
    if (!call || call.state === 'ended') return;
    const next = { ...call, ...patch };
    this.#calls.set(id, next);
    this.#emit('callUpdated', next);
  }

  #end(id: string, end: CallEnd): void {
    this.#change(id, { state: 'ended', end });
  }

  #established(id: string): boolean {
    const state = this.#calls.get(id)?.state;
    return state === 'connected' || state === 'on-hold' || state === 'held-by-remote';
  }

  call(target: string, options: { video: boolean }): string {
    const id = `out-${++this.#next}`;
    this.commands.push(`call ${target}${options.video ? ' video' : ''}`);
    const call: CallSnapshot = {
      id,
      direction: 'outgoing',
      remote: { name: '', number: target },
      state: 'calling',
      video: options.video,
      muted: false,
      onHold: false,
    };
    this.#calls.set(id, call);
    this.#emit('callUpdated', call);
    return id;
  }

  async answer(id: string, options: { video: boolean }): Promise<void> {
    this.commands.push(`answer ${id}${options.video ? ' video' : ''}`);
    this.#change(id, { state: 'connected', video: options.video });
  }

  async reject(id: string, status: number): Promise<void> {
    this.commands.push(`reject ${id} ${status}`);
    this.#end(id, { originator: 'local', cause: status === 486 ? 'busy' : 'rejected', status });
  }

  async hangup(id: string): Promise<void> {
    this.commands.push(`hangup ${id}`);
    this.#end(id, { originator: 'local', cause: this.#established(id) ? 'bye' : 'cancel' });
  }

  async hold(id: string): Promise<void> {
    this.commands.push(`hold ${id}`);
    this.#change(id, { state: 'on-hold', onHold: true });
  }

  async resume(id: string): Promise<void> {
    this.commands.push(`resume ${id}`);
    this.#change(id, { state: 'connected', onHold: false });
  }

  mute(id: string, on: boolean): void {
    this.commands.push(`mute ${id} ${on}`);
    this.#change(id, { muted: on });
  }

  sendDtmf(id: string, digits: string): void {
    this.dtmf.push(`${id}:${digits}`);
  }

  selectDevices(devices: SelectedDevices): void {
    this.devices = devices;
  }

  async setCamera(id: string, on: boolean): Promise<void> {
    this.commands.push(`camera ${id} ${on}`);
    if (!this.#calls.get(id)?.video) throw new Error('the call has no video stream');
    this.#change(id, { camera: on });
  }

  dispose(): void {
    this.disposed = true;
  }

  // The other side.

  incoming(remote: Party, options: { video?: boolean } = {}): string {
    const id = `in-${++this.#next}`;
    const call: CallSnapshot = {
      id,
      direction: 'incoming',
      remote,
      state: 'ringing',
      video: options.video ?? false,
      muted: false,
      onHold: false,
    };
    this.#calls.set(id, call);
    this.#emit('incoming', call);
    return id;
  }

  remoteRinging(id: string): void {
    this.#change(id, { state: 'ringing' });
  }

  remoteEarlyMedia(id: string): void {
    this.#change(id, { state: 'early-media' });
  }

  remoteAnswer(id: string, remote?: Party): void {
    this.#change(id, { state: 'connected', ...(remote ? { remote } : {}) });
  }

  remoteHold(id: string): void {
    this.#change(id, { state: 'held-by-remote' });
  }

  /** A BYE from the other side, or a CANCEL when the call was not answered yet. */
  remoteHangup(id: string): void {
    this.#end(id, { originator: 'remote', cause: this.#established(id) ? 'bye' : 'cancel' });
  }

  /** DTMF digits the other side sends (SIP INFO), one `callUpdated` per valid digit. */
  remoteDtmf(id: string, digits: string): void {
    for (const digit of digits) {
      const received = appendReceivedDtmf(this.#calls.get(id)?.receivedDtmf ?? '', digit);
      if (received !== (this.#calls.get(id)?.receivedDtmf ?? ''))
        this.#change(id, { receivedDtmf: received });
    }
  }

  fail(id: string, end: CallEnd): void {
    this.#end(id, end);
  }
}
