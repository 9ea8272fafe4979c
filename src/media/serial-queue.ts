/**
 * One queue per RTCPeerConnection (STYLE.md habit 8): offer, answer, remote description, hold,
 * ICE restart and track replacement run one after another, never interleaved, because the
 * peer connection's signalling state machine (W3C WebRTC §4.3.1) rejects overlapping changes.
 */

/** A task was queued after {@link SerialQueue.close}, or was still waiting when it closed. */
export class SerialQueueClosedError extends Error {
  override readonly name = 'SerialQueueClosedError';
}

export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  #closed: Error | undefined;
  #waiting = 0;
  #running = false;

  /** Tasks queued or running. */
  get size(): number {
    return this.#waiting + (this.#running ? 1 : 0);
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /**
   * Runs `task` after every task queued before it has settled. A task that fails rejects its own
   * promise only; the queue carries on with the next one.
   * @throws (rejects) {@link SerialQueueClosedError} when the queue is or gets closed first.
   */
  run<T>(task: () => Promise<T> | T): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closed);
    this.#waiting += 1;
    const result = this.#tail.then(async () => {
      this.#waiting -= 1;
      if (this.#closed) throw this.#closed;
      this.#running = true;
      try {
        return await task();
      } finally {
        this.#running = false;
      }
    });
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Rejects every waiting task and any later one; a task already running finishes on its own. */
  close(reason: Error = new SerialQueueClosedError('The queue is closed')): void {
    this.#closed ??= reason;
  }
}
