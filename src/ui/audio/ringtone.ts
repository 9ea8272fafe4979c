/**
 * The ringtone, synthesised with Web Audio (W3C Web Audio API §1.1 AudioContext, §1.27
 * OscillatorNode): no audio file to download, and the volume follows the settings live.
 *
 * Autoplay policy (HTML §6.4.5 sticky activation, Web Audio §1.1.1 "allowed to start"): an
 * AudioContext made before the person has interacted with the page starts `suspended` and only a
 * user gesture may resume it. The ringtone never fails silently: {@link Ringtone.status} says
 * `blocked` and the UI shows an "Enable sound" button that calls {@link Ringtone.unlock} inside the
 * click. The first pointer or key press anywhere on the page unlocks it too.
 *
 * Two patterns: `ring` (a double ring, 400 + 450 Hz, every 3 s, as many European phones) and `waiting`
 * (a short quiet beep every 8 s, played over a call in progress for a second incoming call).
 */

/** The parts of an `AudioContext` the ringtone uses; tests pass a fake. */
export type AudioContextLike = Pick<
  AudioContext,
  'state' | 'currentTime' | 'destination' | 'resume' | 'close' | 'createOscillator' | 'createGain'
> &
  Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

export type SoundStatus = 'idle' | 'running' | 'blocked' | 'unavailable';
export type RingPattern = 'ring' | 'waiting';

export interface RingtoneTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RingtoneOptions {
  /** Makes the context; default `new AudioContext()`, null when the browser has none. */
  readonly createContext?: () => AudioContextLike | null;
  readonly timers?: RingtoneTimers;
  /** 0..1; default 0.8. */
  readonly volume?: number;
}

interface Burst {
  readonly at: number;
  readonly length: number;
}

interface PatternSpec {
  readonly frequencies: readonly number[];
  readonly bursts: readonly Burst[];
  readonly periodMs: number;
  /** Relative loudness: the call-waiting beep must not drown the conversation. */
  readonly level: number;
}

const PATTERNS: Readonly<Record<RingPattern, PatternSpec>> = {
  ring: {
    frequencies: [400, 450],
    bursts: [
      { at: 0, length: 0.4 },
      { at: 0.6, length: 0.4 },
    ],
    periodMs: 3000,
    level: 0.25,
  },
  waiting: {
    frequencies: [440],
    bursts: [
      { at: 0, length: 0.2 },
      { at: 0.4, length: 0.2 },
    ],
    periodMs: 8000,
    level: 0.1,
  },
};

/** Envelope edges, so bursts do not click. */
const RAMP_S = 0.02;
/** Scheduling slightly ahead of `currentTime` keeps the first burst whole. */
const LEAD_S = 0.05;

function defaultContext(): AudioContextLike | null {
  const Ctor = (globalThis as { AudioContext?: new () => AudioContext }).AudioContext;
  if (!Ctor) return null;
  try {
    return new Ctor();
  } catch {
    return null;
  }
}

function clamp(volume: number): number {
  return Number.isFinite(volume) ? Math.min(1, Math.max(0, volume)) : 0.8;
}

export class Ringtone {
  readonly #createContext: () => AudioContextLike | null;
  readonly #timers: RingtoneTimers;
  #context: AudioContextLike | null = null;
  #unavailable = false;
  #master: GainNode | null = null;
  #volume: number;
  #pattern: RingPattern | null = null;
  #timer: unknown = null;
  #listeners = new Set<() => void>();
  #onStateChange = (): void => this.#notify();

  constructor(options: RingtoneOptions = {}) {
    this.#createContext = options.createContext ?? defaultContext;
    this.#timers = options.timers ?? {
      setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
      clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
    };
    this.#volume = clamp(options.volume ?? 0.8);
  }

  /** `blocked`: the browser keeps sound off until a user gesture ({@link unlock}). */
  get status(): SoundStatus {
    if (this.#unavailable) return 'unavailable';
    if (!this.#context) return 'idle';
    return this.#context.state === 'running' ? 'running' : 'blocked';
  }

  get ringing(): RingPattern | null {
    return this.#pattern;
  }

  /** Calls `listener` whenever {@link status} or {@link ringing} may have changed; returns unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Makes the audio context (silent), so the page can tell early whether sound is blocked. */
  prepare(): void {
    this.#ensureContext();
  }

  /**
   * Resumes the audio context; call it from a user gesture (click, key press). Resolves with whether
   * sound now plays. Never rejects.
   */
  async unlock(): Promise<boolean> {
    const context = this.#ensureContext();
    if (!context) return false;
    if (context.state !== 'running') {
      try {
        await context.resume();
      } catch {
        // Still suspended: the status stays `blocked` and the button stays on screen.
      }
    }
    this.#notify();
    return context.state === 'running';
  }

  /** Sets the volume (0..1), live while ringing. */
  setVolume(volume: number): void {
    this.#volume = clamp(volume);
    if (this.#master && this.#context && this.#pattern) {
      this.#master.gain.setValueAtTime(
        this.#volume * PATTERNS[this.#pattern].level,
        this.#context.currentTime,
      );
    }
  }

  /** Starts ringing with `pattern` (switching if another one plays); idempotent. */
  start(pattern: RingPattern = 'ring'): void {
    if (this.#pattern === pattern) return;
    this.stop();
    const context = this.#ensureContext();
    this.#pattern = pattern;
    if (context) {
      if (context.state !== 'running') {
        // Succeeds when the page already has sticky activation; otherwise the UI offers the button.
        context.resume().then(this.#onStateChange, this.#onStateChange);
      }
      const master = context.createGain();
      master.gain.setValueAtTime(this.#volume * PATTERNS[pattern].level, context.currentTime);
      master.connect(context.destination);
      this.#master = master;
      this.#cycle();
    }
    this.#notify();
  }

  stop(): void {
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#master?.disconnect();
    this.#master = null;
    if (this.#pattern !== null) {
      this.#pattern = null;
      this.#notify();
    }
  }

  /** Stops and closes the audio context; {@link prepare} or {@link start} make a new one. */
  dispose(): void {
    this.stop();
    const context = this.#context;
    this.#context = null;
    if (context) {
      context.removeEventListener('statechange', this.#onStateChange);
      context.close().catch(() => undefined);
    }
    this.#notify();
  }

  #ensureContext(): AudioContextLike | null {
    if (this.#context || this.#unavailable) return this.#context;
    const context = this.#createContext();
    if (!context) {
      this.#unavailable = true;
      this.#notify();
      return null;
    }
    this.#context = context;
    context.addEventListener('statechange', this.#onStateChange);
    this.#notify();
    return context;
  }

  /** Schedules one period of bursts on the audio clock, then the next period with a timer. */
  #cycle(): void {
    const context = this.#context;
    const master = this.#master;
    const pattern = this.#pattern;
    if (!context || !master || !pattern) return;
    const spec = PATTERNS[pattern];
    const start = context.currentTime + LEAD_S;
    for (const burst of spec.bursts) {
      const envelope = context.createGain();
      const on = start + burst.at;
      const off = on + burst.length;
      envelope.gain.setValueAtTime(0, on);
      envelope.gain.linearRampToValueAtTime(1, on + RAMP_S);
      envelope.gain.setValueAtTime(1, off - RAMP_S);
      envelope.gain.linearRampToValueAtTime(0, off);
      envelope.connect(master);
      for (const frequency of spec.frequencies) {
        const oscillator = context.createOscillator();
        oscillator.frequency.setValueAtTime(frequency, on);
        oscillator.connect(envelope);
        oscillator.start(on);
        oscillator.stop(off);
      }
    }
    this.#timer = this.#timers.setTimeout(() => this.#cycle(), spec.periodMs);
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch {
        // A failing listener must not stop the ringtone or the others.
      }
    }
  }
}
