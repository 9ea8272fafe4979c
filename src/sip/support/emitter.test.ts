import { describe, expect, it } from 'vitest';
import { Emitter } from './emitter';

type Events = { tick: [n: number]; other: [] };

describe('Emitter (STYLE.md habit 7: typed events, safely emitted)', () => {
  it('calls every listener with the arguments, in subscription order', () => {
    const emitter = new Emitter<Events>();
    const seen: string[] = [];
    emitter.on('tick', (n) => seen.push(`a${n}`));
    emitter.on('tick', (n) => seen.push(`b${n}`));
    emitter.emit('tick', 1);
    emitter.emit('other');
    expect(seen).toEqual(['a1', 'b1']);
  });

  it('reports a throwing listener to the hook and still runs the others', () => {
    const errors: Array<[unknown, string]> = [];
    const emitter = new Emitter<Events>((error, event) => errors.push([error, event]));
    const seen: number[] = [];
    emitter.on('tick', () => {
      throw new Error('boom');
    });
    emitter.on('tick', (n) => seen.push(n));
    expect(() => emitter.emit('tick', 2)).not.toThrow();
    expect(seen).toEqual([2]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[1]).toBe('tick');
  });

  it('unsubscribes with the returned function, also from inside an emit', () => {
    const emitter = new Emitter<Events>();
    const seen: number[] = [];
    const off = emitter.on('tick', (n) => {
      seen.push(n);
      off();
    });
    emitter.emit('tick', 1);
    emitter.emit('tick', 2);
    expect(seen).toEqual([1]);
  });

  it('removeAllListeners silences every event', () => {
    const emitter = new Emitter<Events>();
    let calls = 0;
    emitter.on('tick', () => calls++);
    emitter.removeAllListeners();
    emitter.emit('tick', 1);
    expect(calls).toBe(0);
  });
});
