import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeAudioContext, asAudioContext } from './fake-audio-context';
import { Ringtone } from './ringtone';

afterEach(() => {
  vi.useRealTimers();
});

function ringtoneWith(context: FakeAudioContext | null, volume = 0.5): Ringtone {
  return new Ringtone({ createContext: () => (context ? asAudioContext(context) : null), volume });
}

describe('Ringtone: Web Audio autoplay policy (Web Audio §1.1.1 "allowed to start")', () => {
  it('reports blocked when the context starts suspended and resume is not allowed yet', async () => {
    const context = new FakeAudioContext({ allowResume: false });
    const ringtone = ringtoneWith(context);
    ringtone.start();
    await Promise.resolve();
    expect(ringtone.status).toBe('blocked');
    expect(ringtone.ringing).toBe('ring');
  });

  it('unlock() from a user gesture resumes the context and says so', async () => {
    const context = new FakeAudioContext({ allowResume: false });
    const ringtone = ringtoneWith(context);
    ringtone.prepare();
    const seen: string[] = [];
    ringtone.subscribe(() => seen.push(ringtone.status));
    context.allowResume = true;
    await expect(ringtone.unlock()).resolves.toBe(true);
    expect(ringtone.status).toBe('running');
    expect(seen).toContain('running');
  });

  it('unlock() resolves false (never rejects) while the browser still refuses', async () => {
    const ringtone = ringtoneWith(new FakeAudioContext({ allowResume: false }));
    await expect(ringtone.unlock()).resolves.toBe(false);
    expect(ringtone.status).toBe('blocked');
  });

  it('reports unavailable when the browser has no AudioContext', () => {
    const ringtone = ringtoneWith(null);
    ringtone.start();
    expect(ringtone.status).toBe('unavailable');
  });
});

describe('Ringtone: synthesised ring', () => {
  it('rings a 400 + 450 Hz double ring every 3 s until stopped', () => {
    vi.useFakeTimers();
    const context = new FakeAudioContext({ state: 'running' });
    const ringtone = ringtoneWith(context);
    ringtone.start('ring');
    expect(context.tones.map((t) => t.frequency).sort()).toEqual([400, 400, 450, 450]);
    vi.advanceTimersByTime(3000);
    expect(context.tones).toHaveLength(8);
    ringtone.stop();
    vi.advanceTimersByTime(9000);
    expect(context.tones).toHaveLength(8);
    expect(ringtone.ringing).toBeNull();
  });

  it('follows the volume setting, live while ringing', () => {
    const context = new FakeAudioContext({ state: 'running' });
    const ringtone = ringtoneWith(context, 1);
    ringtone.start('ring');
    const first = context.volumes[0] ?? 0;
    ringtone.setVolume(0.5);
    expect(context.volumes.at(-1)).toBeCloseTo(first / 2);
    ringtone.setVolume(0);
    expect(context.volumes.at(-1)).toBe(0);
  });

  it('plays the call-waiting beep quieter than the ring', () => {
    const context = new FakeAudioContext({ state: 'running' });
    const ringtone = ringtoneWith(context, 1);
    ringtone.start('ring');
    const ring = context.volumes[0] ?? 0;
    ringtone.start('waiting');
    expect(ringtone.ringing).toBe('waiting');
    expect(context.tones.some((t) => t.frequency === 440)).toBe(true);
    const waiting = context.volumes.filter((v) => v > 0 && v < 1).at(-1) ?? 1;
    expect(waiting).toBeLessThan(ring);
  });

  it('dispose() closes the context', () => {
    const context = new FakeAudioContext({ state: 'running' });
    const ringtone = ringtoneWith(context);
    ringtone.start();
    ringtone.dispose();
    expect(context.closed).toBe(true);
    expect(ringtone.status).toBe('idle');
  });
});
