// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LevelMeter, levelOf } from './LevelMeter';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('levelOf', () => {
  it('is 0 for silence and grows with loudness, capped at 1', () => {
    expect(levelOf(new Float32Array(64))).toBe(0);
    const quiet = levelOf(new Float32Array(64).fill(0.05));
    const loud = levelOf(new Float32Array(64).fill(0.2));
    expect(quiet).toBeGreaterThan(0);
    expect(loud).toBeGreaterThan(quiet);
    expect(levelOf(new Float32Array(64).fill(1))).toBe(1);
  });
});

describe('LevelMeter', () => {
  it('is a labelled meter at 0 without a stream', () => {
    render(<LevelMeter stream={null} label="Microphone level" />);
    expect(screen.getByRole('meter', { name: 'Microphone level' }).getAttribute('aria-valuenow')).toBe('0');
  });

  it('reads the stream through an AnalyserNode and shows its level; closes the context when done', () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
    let closed = false;
    const analyser = {
      fftSize: 0,
      getFloatTimeDomainData: (out: Float32Array) => out.fill(0.1),
    };
    const context = {
      createMediaStreamSource: () => ({ connect: () => undefined, disconnect: () => undefined }),
      createAnalyser: () => analyser,
      close: () => {
        closed = true;
        return Promise.resolve();
      },
    } as unknown as AudioContext;
    const stream = { getAudioTracks: () => [{}] } as unknown as MediaStream;

    const view = render(
      <LevelMeter stream={stream} label="Microphone level" createAudioContext={() => context} />,
    );
    frames.shift()?.(0);
    expect(screen.getByRole('meter').getAttribute('aria-valuenow')).toBe('40');
    view.unmount();
    expect(closed).toBe(true);
  });
});
