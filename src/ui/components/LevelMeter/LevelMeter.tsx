/**
 * A live level meter for a microphone stream: Web Audio `AnalyserNode` (W3C Web Audio API §1.8) on
 * the stream, read once per animation frame. Pure: it takes the `MediaStream` and never opens a
 * device itself. The bar is drawn without React re-renders; `aria-valuenow` is updated in steps so
 * assistive technology is not flooded.
 */
import { useEffect, useRef } from 'react';
import './LevelMeter.css';

/** The Web Audio entry points the meter needs, injected for tests. */
export type AudioContextFactory = () => AudioContext;

export interface LevelMeterProps {
  /** The stream to measure; `null` shows an empty meter. */
  stream: MediaStream | null;
  /** Accessible name, e.g. "Microphone level". */
  label: string;
  /** Default `new AudioContext()` where the browser has one. */
  createAudioContext?: AudioContextFactory;
}

function defaultAudioContext(): AudioContext | null {
  const Ctor = globalThis.AudioContext as (new () => AudioContext) | undefined;
  return Ctor ? new Ctor() : null;
}

/** Root mean square of time-domain samples (0..1), scaled so speech fills most of the bar. Pure. */
export function levelOf(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / samples.length);
  return Math.min(1, rms * 4);
}

export function LevelMeter({ stream, label, createAudioContext }: LevelMeterProps) {
  const barRef = useRef<HTMLDivElement>(null);
  const meterRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const show = (level: number) => {
      if (barRef.current) barRef.current.style.transform = `scaleX(${level})`;
      meterRef.current?.setAttribute('aria-valuenow', String(Math.round(level * 10) * 10));
    };
    show(0);
    if (!stream || stream.getAudioTracks().length === 0) return;
    const context = createAudioContext ? createAudioContext() : defaultAudioContext();
    if (!context) return;
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    let smoothed = 0;
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      // Fast attack, slow release: peaks show at once, the bar falls back gently.
      const level = levelOf(samples);
      smoothed = level > smoothed ? level : smoothed * 0.85 + level * 0.15;
      show(smoothed);
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(frame);
      source.disconnect();
      void context.close().catch(() => undefined);
      show(0);
    };
  }, [stream, createAudioContext]);

  return (
    <div
      ref={meterRef}
      className="level-meter"
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={0}
    >
      <div ref={barRef} className="level-meter__bar" />
    </div>
  );
}
