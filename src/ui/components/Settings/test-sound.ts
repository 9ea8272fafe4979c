/**
 * The "Play test sound" chime: two short Web Audio oscillator notes (no downloaded asset), played on
 * the chosen speaker where the browser can choose one (`AudioContext.setSinkId`, Audio Output
 * Devices API §3). Resolves when the sound has finished.
 */

interface SinkSelectable {
  setSinkId?(sinkId: string): Promise<void>;
}

/** Whether this browser can send sound to a chosen speaker. */
export function canSelectSpeaker(): boolean {
  const media = globalThis.HTMLMediaElement?.prototype as SinkSelectable | undefined;
  const audio = globalThis.AudioContext?.prototype as SinkSelectable | undefined;
  return typeof media?.setSinkId === 'function' || typeof audio?.setSinkId === 'function';
}

/**
 * Plays the chime at `volume` (0..1) on `speakerId` (`null`: the default output).
 * @throws (rejects) when the browser has no Web Audio or refuses the output device.
 */
export async function playTestSound(speakerId: string | null, volume = 0.5): Promise<void> {
  const Ctor = globalThis.AudioContext as (new () => AudioContext) | undefined;
  if (!Ctor) throw new Error('Web Audio is not available');
  const context = new Ctor();
  try {
    const sink = context as unknown as SinkSelectable;
    if (speakerId && typeof sink.setSinkId === 'function') await sink.setSinkId(speakerId);
    // Created from a click, so the autoplay policy lets it start; resume() covers the rest.
    if (context.state === 'suspended') await context.resume();
    const gain = context.createGain();
    gain.connect(context.destination);
    const start = context.currentTime + 0.02;
    const notes: ReadonlyArray<[number, number]> = [
      [660, 0],
      [880, 0.22],
    ];
    for (const [frequency, offset] of notes) {
      const oscillator = context.createOscillator();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.2);
    }
    // A short envelope per note so it does not click.
    const peak = Math.max(0, Math.min(1, volume)) * 0.4;
    gain.gain.setValueAtTime(0, start);
    for (const [, offset] of notes) {
      gain.gain.linearRampToValueAtTime(peak, start + offset + 0.02);
      gain.gain.linearRampToValueAtTime(0, start + offset + 0.2);
    }
    await new Promise<void>((resolve) => setTimeout(resolve, 520));
  } finally {
    await context.close().catch(() => undefined);
  }
}
