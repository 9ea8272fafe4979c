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

  it('with no STUN/TURN server, stops once host candidates go quiet instead of waiting for late TCP ones', async () => {
    const pc = new FakePeerConnection({}, { tcpCandidateDelayMs: 115 });
    await offered(pc);
    let outcome: string | undefined;
    void waitForIceGathering(pc, hostTimers, { timeoutMs: 500, maxWaitMs: 3000, hostSettleMs: 30 }).then(
      (o) => (outcome = o),
    );
    await vi.advanceTimersByTimeAsync(41); // UDP host candidate at 10 ms + 30 ms of quiet
    expect(outcome).toBe('settled');
    expect(pc.candidates.some((c) => c.includes(' tcp '))).toBe(false);
    expect(vi.getTimerCount()).toBeGreaterThan(0); // the fake's own gathering continues
  });

  it('without the settle window waits for gathering to complete, TCP candidates included', async () => {
    const pc = new FakePeerConnection({}, { tcpCandidateDelayMs: 115 });
    await offered(pc);
    let outcome: string | undefined;
    void waitForIceGathering(pc, hostTimers, { timeoutMs: 500, maxWaitMs: 3000 }).then((o) => (outcome = o));
    await vi.advanceTimersByTimeAsync(41);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(100);
    expect(outcome).toBe('complete');
  });

  it('resolves "closed" when the peer connection closes', async () => {
    const pc = new FakePeerConnection({}, { hostDelayMs: 10_000 });
    await offered(pc);
    const outcome = waitForIceGathering(pc, hostTimers);
    pc.close();
    await expect(outcome).resolves.toBe('closed');
  });
});
