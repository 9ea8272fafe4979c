import { describe, it, expect } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { KeepAlive, KeepAliveStateError } from './keep-alive';
import type { DeadReason, KeepAliveOptions } from './keep-alive';

function setup(options: Partial<KeepAliveOptions> = {}) {
  const clock = new FakeClock();
  const pings: number[] = [];
  const dead: DeadReason[] = [];
  const keepAlive = new KeepAlive({
    clock,
    intervalMs: 1_000,
    pongTimeoutMs: 300,
    sendPing: () => pings.push(clock.now()),
    onDead: (reason) => dead.push(reason),
    ...options,
  });
  keepAlive.start();
  return { clock, keepAlive, pings, dead };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('RFC 5626 §4.4.1 keep-alive state machine', () => {
  it('probes, learns that the server answers, then declares a missing pong fatal', () => {
    const { clock, keepAlive, pings, dead } = setup();
    expect(keepAlive.mode).toBe('probing');
    clock.advance(1_000);
    expect(keepAlive.state).toBe('awaiting-pong');
    keepAlive.pongReceived();
    expect(keepAlive.mode).toBe('crlf');
    expect(keepAlive.state).toBe('waiting');
    clock.advance(1_000 + 299);
    expect(dead).toEqual([]);
    clock.advance(1);
    expect(pings).toEqual([1_000, 2_000]);
    expect(dead).toEqual(['pong-timeout']);
    expect(keepAlive.state).toBe('dead');
    expect(clock.pending).toBe(0);
  });

  it('does not declare dead a server whose first ping went unanswered (blind without a hook)', () => {
    const { clock, keepAlive, pings, dead } = setup();
    clock.advance(10_000);
    expect(dead).toEqual([]);
    expect(keepAlive.mode).toBe('blind');
    expect(pings.length).toBeGreaterThan(5);
  });

  it('promotes a server that answers late to CRLF mode', () => {
    const { clock, keepAlive } = setup();
    clock.advance(1_300);
    expect(keepAlive.mode).toBe('blind');
    keepAlive.pongReceived();
    expect(keepAlive.mode).toBe('crlf');
    expect(keepAlive.state).toBe('waiting');
  });

  it('uses the OPTIONS hook once CRLF pings proved useless, and a failed OPTIONS is fatal', async () => {
    const answers = [true, false];
    const { clock, keepAlive, pings, dead } = setup({
      optionsPing: () => Promise.resolve(answers.shift() ?? true),
    });
    clock.advance(1_300);
    expect(keepAlive.mode).toBe('options');
    clock.advance(1_000);
    expect(keepAlive.state).toBe('awaiting-options');
    await flush();
    expect(keepAlive.state).toBe('waiting');
    clock.advance(1_000);
    await flush();
    expect(dead).toEqual(['options-failed']);
    expect(pings).toEqual([1_000]);
    expect(clock.pending).toBe(0);
  });

  it('treats a rejected or throwing OPTIONS hook as a failed ping', async () => {
    const rejected = setup({ optionsPing: () => Promise.reject(new Error('408')) });
    rejected.clock.advance(2_300);
    await flush();
    expect(rejected.dead).toEqual(['options-failed']);
    const throwing = setup({
      optionsPing: () => {
        throw new Error('no transaction layer');
      },
    });
    throwing.clock.advance(2_300);
    expect(throwing.dead).toEqual(['options-failed']);
  });

  it('ignores an OPTIONS result that settles after stop()', async () => {
    let resolve!: (ok: boolean) => void;
    const { clock, keepAlive, dead } = setup({
      optionsPing: () => new Promise<boolean>((r) => (resolve = r)),
    });
    clock.advance(2_300);
    keepAlive.stop();
    resolve(false);
    await flush();
    expect(dead).toEqual([]);
    expect(keepAlive.state).toBe('stopped');
    expect(clock.pending).toBe(0);
  });

  it('spreads the interval between 80 % and 100 % with the jitter source', () => {
    for (const [fraction, first] of [
      [0, 800],
      [0.5, 900],
      [0.999, 1_000],
    ] as const) {
      const { pings, clock } = setup({ jitter: () => fraction });
      clock.advance(first - 1);
      expect(pings).toEqual([]);
      clock.advance(1);
      expect(pings).toEqual([first]);
    }
  });

  it('throws a named error on a second start()', () => {
    const { keepAlive } = setup();
    expect(() => keepAlive.start()).toThrow(KeepAliveStateError);
  });
});
