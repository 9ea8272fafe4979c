/**
 * A plain summary of `RTCPeerConnection.getStats()` (W3C webrtc-stats: inbound-rtp,
 * outbound-rtp, remote-inbound-rtp, candidate-pair) for tests ("are packets flowing?") and the UI
 * (call quality).
 */
import type { StatsReportLike } from './peer-connection-port';

export interface RtpCounters {
  packetsReceived: number;
  packetsSent: number;
  bytesReceived: number;
  bytesSent: number;
  packetsLost: number;
  /** Seconds (webrtc-stats §5.3.1), worst inbound stream; undefined when nothing is received. */
  jitter: number | undefined;
  /** Seconds, from the peer's RTCP receiver reports (remote-inbound-rtp). */
  roundTripTime: number | undefined;
}

export interface VideoCounters extends RtpCounters {
  framesDecoded: number;
  framesEncoded: number;
  frameWidth: number | undefined;
  frameHeight: number | undefined;
  framesPerSecond: number | undefined;
}

export interface TransportSummary {
  /** host, srflx, prflx or relay: relay means the call goes through TURN. */
  localCandidateType: string | undefined;
  remoteCandidateType: string | undefined;
  protocol: string | undefined;
  currentRoundTripTime: number | undefined;
}

export interface MediaStats {
  audio: RtpCounters;
  video: VideoCounters;
  transport: TransportSummary;
}

type StatsObject = Record<string, unknown> & { type?: unknown; id?: unknown };

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const opt = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function emptyCounters(): RtpCounters {
  return {
    packetsReceived: 0,
    packetsSent: 0,
    bytesReceived: 0,
    bytesSent: 0,
    packetsLost: 0,
    jitter: undefined,
    roundTripTime: undefined,
  };
}

function kindOf(stats: StatsObject): 'audio' | 'video' | undefined {
  const kind = stats.kind ?? stats.mediaType; // mediaType: pre-2020 name of the field
  return kind === 'audio' || kind === 'video' ? kind : undefined;
}

/** Folds a stats report into per-kind totals. Unknown entries are ignored; nothing throws. */
export function summariseStats(report: StatsReportLike): MediaStats {
  const audio = emptyCounters();
  const video: VideoCounters = {
    ...emptyCounters(),
    framesDecoded: 0,
    framesEncoded: 0,
    frameWidth: undefined,
    frameHeight: undefined,
    framesPerSecond: undefined,
  };
  const byId = new Map<string, StatsObject>();
  const entries: StatsObject[] = [];
  report.forEach((value) => {
    if (typeof value !== 'object' || value === null) return;
    const stats = value as StatsObject;
    entries.push(stats);
    if (typeof stats.id === 'string') byId.set(stats.id, stats);
  });

  let selectedPairId: string | undefined;
  for (const stats of entries) {
    const kind = kindOf(stats);
    const counters = kind === 'audio' ? audio : kind === 'video' ? video : undefined;
    switch (stats.type) {
      case 'inbound-rtp':
        if (!counters) break;
        counters.packetsReceived += num(stats.packetsReceived);
        counters.bytesReceived += num(stats.bytesReceived);
        counters.packetsLost += num(stats.packetsLost);
        if (opt(stats.jitter) !== undefined)
          counters.jitter = Math.max(counters.jitter ?? 0, num(stats.jitter));
        if (kind === 'video') {
          video.framesDecoded += num(stats.framesDecoded);
          video.frameWidth = opt(stats.frameWidth) ?? video.frameWidth;
          video.frameHeight = opt(stats.frameHeight) ?? video.frameHeight;
          video.framesPerSecond = opt(stats.framesPerSecond) ?? video.framesPerSecond;
        }
        break;
      case 'outbound-rtp':
        if (!counters) break;
        counters.packetsSent += num(stats.packetsSent);
        counters.bytesSent += num(stats.bytesSent);
        if (kind === 'video') video.framesEncoded += num(stats.framesEncoded);
        break;
      case 'remote-inbound-rtp':
        if (counters && opt(stats.roundTripTime) !== undefined)
          counters.roundTripTime = num(stats.roundTripTime);
        break;
      case 'transport':
        selectedPairId = str(stats.selectedCandidatePairId) ?? selectedPairId;
        break;
    }
  }

  const pair =
    (selectedPairId === undefined ? undefined : byId.get(selectedPairId)) ??
    entries.find(
      (stats) => stats.type === 'candidate-pair' && stats.state === 'succeeded' && stats.nominated === true,
    );
  const local = pair ? byId.get(String(pair.localCandidateId)) : undefined;
  const remote = pair ? byId.get(String(pair.remoteCandidateId)) : undefined;
  return {
    audio,
    video,
    transport: {
      localCandidateType: str(local?.candidateType),
      remoteCandidateType: str(remote?.candidateType),
      protocol: str(local?.protocol),
      currentRoundTripTime: opt(pair?.currentRoundTripTime),
    },
  };
}
