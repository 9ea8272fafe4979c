import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { waitForIceGathering } from './ice-gathering';
import { FakePeerConnection } from './fake-peer-connection';
import { hostTimers } from './peer-connection-port';

async function offered(pc: FakePeerConnection): Promise<void> {
  pc.addTransceiver('audio');
  const offer = await pc.createOffer();
  await pc.setLocalDescription({ type: 'offer', sdp: offer.sdp! });
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('W3C WebRTC §4.4.1 waiting for ICE gathering, bounded', () => {
  it('resolves at once when gathering is already complete', async () => {
    const pc = new FakePeerConnection({});
    await offered(pc);
    await vi.advanceTimersByTimeAsync(20);
    expect(pc.iceGatheringState).toBe('complete');
    await expect(waitForIceGathering(pc, hostTimers)).resolves.toBe('complete');
  });

  it('resolves "timeout" with candidates when a server never answers, and cleans up', async () => {
    const pc = new FakePeerConnection(
      { iceServers: [{ urls: 'stun:x.invalid' }] },
      { unreachableIceServers: true },
    );
    await offered(pc);
    const outcome = waitForIceGathering(pc, hostTimers, { timeoutMs: 300, maxWaitMs: 1000 });
    await vi.advanceTimersByTimeAsync(300);
    await expect(outcome).resolves.toBe('timeout');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves "closed" when the peer connection closes', async () => {
    const pc = new FakePeerConnection({}, { hostDelayMs: 10_000 });
    await offered(pc);
    const outcome = waitForIceGathering(pc, hostTimers);
    pc.close();
    await expect(outcome).resolves.toBe('closed');
  });
});
