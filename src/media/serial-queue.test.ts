import { describe, expect, it } from 'vitest';
import { SerialQueue, SerialQueueClosedError } from './serial-queue';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('serial queue (one per RTCPeerConnection)', () => {
  it('runs tasks one at a time in the order queued', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const first = deferred();
    const a = queue.run(async () => {
      log.push('a:start');
      await first.promise;
      log.push('a:end');
      return 'a';
    });
    const b = queue.run(() => {
      log.push('b');
      return 'b';
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['a:start']);
    expect(queue.size).toBe(2);
    first.resolve();
    await expect(Promise.all([a, b])).resolves.toEqual(['a', 'b']);
    expect(log).toEqual(['a:start', 'a:end', 'b']);
    expect(queue.size).toBe(0);
  });

  it('keeps going after a failing task', async () => {
    const queue = new SerialQueue();
    const failing = queue.run(() => Promise.reject(new Error('boom')));
    const next = queue.run(() => 42);
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe(42);
  });

  it('rejects waiting and later tasks once closed, letting the running one finish', async () => {
    const queue = new SerialQueue();
    const gate = deferred();
    let ran = false;
    const running = queue.run(async () => {
      await gate.promise;
      return 'done';
    });
    const waiting = queue.run(() => {
      ran = true;
    });
    await Promise.resolve();
    queue.close();
    gate.resolve();
    await expect(running).resolves.toBe('done');
    await expect(waiting).rejects.toBeInstanceOf(SerialQueueClosedError);
    await expect(queue.run(() => 1)).rejects.toBeInstanceOf(SerialQueueClosedError);
    expect(ran).toBe(false);
    expect(queue.closed).toBe(true);
  });

  it('closes with the reason given', async () => {
    const queue = new SerialQueue();
    const reason = new Error('call ended');
    queue.close(reason);
    await expect(queue.run(() => 1)).rejects.toBe(reason);
  });
});
