import { describe, expect, it } from 'vitest';
import { summariseStats } from './stats';

const report = (...entries: Record<string, unknown>[]) =>
  new Map(entries.map((entry, index) => [String(entry.id ?? index), entry]));

describe('webrtc-stats summary', () => {
  it('sums audio and video RTP counters by kind', () => {
    const stats = summariseStats(
      report(
        {
          id: 'IA',
          type: 'inbound-rtp',
          kind: 'audio',
          packetsReceived: 500,
          bytesReceived: 40000,
          packetsLost: 3,
          jitter: 0.004,
        },
        { id: 'OA', type: 'outbound-rtp', kind: 'audio', packetsSent: 498, bytesSent: 39000 },
        { id: 'RA', type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.031 },
        {
          id: 'IV',
          type: 'inbound-rtp',
          kind: 'video',
          packetsReceived: 900,
          framesDecoded: 240,
          frameWidth: 640,
          frameHeight: 480,
          framesPerSecond: 30,
        },
        { id: 'OV', type: 'outbound-rtp', mediaType: 'video', packetsSent: 880, framesEncoded: 241 },
        { id: 'C', type: 'codec', mimeType: 'audio/opus' },
      ),
    );
    expect(stats.audio).toEqual({
      packetsReceived: 500,
      packetsSent: 498,
      bytesReceived: 40000,
      bytesSent: 39000,
      packetsLost: 3,
      jitter: 0.004,
      roundTripTime: 0.031,
    });
    expect(stats.video).toMatchObject({
      packetsReceived: 900,
      packetsSent: 880,
      framesDecoded: 240,
      framesEncoded: 241,
      frameWidth: 640,
      frameHeight: 480,
      framesPerSecond: 30,
    });
  });

  it('reads the selected candidate pair through the transport entry', () => {
    const stats = summariseStats(
      report(
        { id: 'T', type: 'transport', selectedCandidatePairId: 'P1' },
        {
          id: 'P0',
          type: 'candidate-pair',
          state: 'failed',
          localCandidateId: 'L0',
          remoteCandidateId: 'R0',
        },
        {
          id: 'P1',
          type: 'candidate-pair',
          state: 'succeeded',
          localCandidateId: 'L1',
          remoteCandidateId: 'R1',
          currentRoundTripTime: 0.02,
        },
        { id: 'L1', type: 'local-candidate', candidateType: 'relay', protocol: 'udp' },
        { id: 'R1', type: 'remote-candidate', candidateType: 'host' },
      ),
    );
    expect(stats.transport).toEqual({
      localCandidateType: 'relay',
      remoteCandidateType: 'host',
      protocol: 'udp',
      currentRoundTripTime: 0.02,
    });
  });

  it('gives zeros for an empty or odd report', () => {
    const stats = summariseStats(report({ type: 'inbound-rtp', kind: 'audio', packetsReceived: 'many' }));
    expect(stats.audio.packetsReceived).toBe(0);
    expect(stats.audio.jitter).toBeUndefined();
    expect(stats.transport.localCandidateType).toBeUndefined();
  });
});
