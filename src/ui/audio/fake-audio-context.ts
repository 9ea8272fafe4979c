/**
 * A fake `AudioContext` for tests of the ringtone and the call screens: it starts `suspended` (as a
 * browser does before any user gesture) unless told otherwise, and records the tones scheduled.
 */
import type { AudioContextLike } from './ringtone';

export interface ScheduledTone {
  readonly frequency: number;
  readonly start: number;
  readonly stop: number;
}

export class FakeAudioContext extends EventTarget {
  state: AudioContextState;
  currentTime = 0;
  closed = false;
  /** Whether `resume()` succeeds (true inside a user gesture in a browser). */
  allowResume: boolean;
  readonly tones: ScheduledTone[] = [];
  /** The master gain values set, in order. */
  readonly volumes: number[] = [];
  readonly destination = {} as AudioDestinationNode;

  constructor(options: { state?: AudioContextState; allowResume?: boolean } = {}) {
    super();
    this.state = options.state ?? 'suspended';
    this.allowResume = options.allowResume ?? true;
  }

  async resume(): Promise<void> {
    if (!this.allowResume) throw new DOMException('not allowed to start', 'NotAllowedError');
    this.#setState('running');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.#setState('closed');
  }

  createGain(): GainNode {
    const volumes = this.volumes;
    const node = {
      gain: {
        setValueAtTime(value: number) {
          volumes.push(value);
          return this;
        },
        linearRampToValueAtTime() {
          return this;
        },
      },
      connect() {
        return node;
      },
      disconnect() {},
    };
    return node as unknown as GainNode;
  }

  createOscillator(): OscillatorNode {
    let frequency = 0;
    let start = 0;
    const tones = this.tones;
    const node = {
      frequency: {
        setValueAtTime(value: number) {
          frequency = value;
          return this;
        },
      },
      connect() {
        return node;
      },
      start(at: number) {
        start = at;
      },
      stop(at: number) {
        tones.push({ frequency, start, stop: at });
      },
    };
    return node as unknown as OscillatorNode;
  }

  #setState(state: AudioContextState): void {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new Event('statechange'));
  }
}

/** Narrows the fake to the ringtone's port type. */
export function asAudioContext(fake: FakeAudioContext): AudioContextLike {
  return fake as unknown as AudioContextLike;
}
