/**
 * Pure part of the call bench: the intervals computed from what the pages recorded
 * (bench/calls/probe.ts), their median/p90 and the markdown tables.
 */
import { median } from '../lib/measure';
import type { CallMarks, WireFrame } from './probe';

export type Impl = 'ringlet' | 'jssip';

/** How long after the 200 a call may take to carry audio before A hangs up without it. */
export const AUDIO_TIMEOUT_MS = 2_000;

/** One call A→B: what each page recorded, and the frames its network stack saw. */
export interface Sample {
  readonly caller: CallMarks;
  readonly callee: CallMarks;
  readonly callerNetwork: readonly WireFrame[];
  readonly calleeNetwork: readonly WireFrame[];
}

/** Time of the first frame with this direction and summary at or after `after`. */
export function first(
  frames: readonly WireFrame[],
  direction: 'in' | 'out',
  summary: string,
  after = -Infinity,
): number | undefined {
  return frames.find((f) => f.direction === direction && f.summary === summary && f.at >= after)?.at;
}

/** `to - from`, or NaN when a mark is missing (the sample is then reported as incomplete). */
export function span(from: number | undefined, to: number | undefined): number {
  return from === undefined || to === undefined ? NaN : to - from;
}

export interface Metric {
  readonly id: string;
  readonly label: string;
  readonly value: (s: Sample) => number;
}

export const callerFrame = (s: Sample, dir: 'in' | 'out', what: string, after?: number): number | undefined =>
  first(s.caller.frames, dir, what, after);
const calleeFrame = (s: Sample, dir: 'in' | 'out', what: string): number | undefined =>
  first(s.callee.frames, dir, what);
export const ok200 = (s: Sample): number | undefined => callerFrame(s, 'in', '200 INVITE');
export const audioAt = (m: CallMarks): number | undefined => m.audioEstimate ?? m.audioSeen;

/** The headline metrics (asked for by the issue). */
export const METRICS: readonly Metric[] = [
  {
    id: 'invite',
    label: '`call()` → INVITE sent',
    value: (s) => span(s.caller.callStart, callerFrame(s, 'out', 'INVITE')),
  },
  {
    id: 'ringing',
    label: '`call()` → 180 received',
    value: (s) => span(s.caller.callStart, callerFrame(s, 'in', '180 INVITE')),
  },
  { id: 'ok', label: '`call()` → 200 received', value: (s) => span(s.caller.callStart, ok200(s)) },
  {
    id: 'ack',
    label: '`call()` → ACK sent',
    value: (s) => span(s.caller.callStart, callerFrame(s, 'out', 'ACK', ok200(s))),
  },
  {
    id: 'audio',
    label: "B's `answer()` → first audio packet on A",
    value: (s) => span(s.callee.answerStart, audioAt(s.caller)),
  },
  {
    id: 'audio-b',
    label: "B's `answer()` → first audio packet on B",
    value: (s) => span(s.callee.answerStart, audioAt(s.callee)),
  },
];

/** Where the time goes: the steps between the headline marks, for the analysis. */
export const BREAKDOWN: readonly Metric[] = [
  {
    id: 'a-gum',
    label: 'A: `call()` → getUserMedia resolved',
    value: (s) => span(s.caller.callStart, s.caller.gumEnd),
  },
  {
    id: 'a-sld',
    label: 'A: `call()` → setLocalDescription(offer) called',
    value: (s) => span(s.caller.callStart, s.caller.sldStart),
  },
  {
    id: 'a-gathering',
    label: 'A: setLocalDescription → ICE gathering complete',
    value: (s) => span(s.caller.sldStart, s.caller.gatheringComplete),
  },
  {
    id: 'a-last-candidate',
    label: 'A: setLocalDescription → last ICE candidate',
    value: (s) => span(s.caller.sldStart, s.caller.lastCandidate),
  },
  {
    id: 'a-invite-after-gathering',
    label: 'A: ICE gathering complete → INVITE sent (< 0: sent before)',
    value: (s) => span(s.caller.gatheringComplete, callerFrame(s, 'out', 'INVITE')),
  },
  {
    id: 'a-invite-send-lag',
    label: 'A: INVITE `send()` → on the network',
    value: (s) => span(callerFrame(s, 'out', 'INVITE'), first(s.callerNetwork, 'out', 'INVITE')),
  },
  {
    id: 'a-407',
    label: 'A: INVITE sent → 407 received',
    value: (s) => span(callerFrame(s, 'out', 'INVITE'), callerFrame(s, 'in', '407 INVITE')),
  },
  {
    id: 'a-reinvite',
    label: 'A: 407 received → authenticated INVITE sent',
    value: (s) => {
      const challenge = callerFrame(s, 'in', '407 INVITE');
      return span(
        challenge,
        challenge === undefined ? undefined : callerFrame(s, 'out', 'INVITE', challenge),
      );
    },
  },
  {
    id: 'b-180',
    label: 'B: INVITE received → 180 sent',
    value: (s) => span(calleeFrame(s, 'in', 'INVITE'), calleeFrame(s, 'out', '180 INVITE')),
  },
  {
    id: 'b-200',
    label: 'B: `answer()` → 200 sent',
    value: (s) => span(s.callee.answerStart, calleeFrame(s, 'out', '200 INVITE')),
  },
  {
    id: 'b-gathering',
    label: 'B: setLocalDescription(answer) → ICE gathering complete',
    value: (s) => span(s.callee.sldStart, s.callee.gatheringComplete),
  },
  {
    id: 'a-200-lag',
    label: 'A: 200 on the network → `message` event in the page',
    value: (s) => span(first(s.callerNetwork, 'in', '200 INVITE'), ok200(s)),
  },
  {
    id: 'a-ack',
    label: 'A: 200 received → ACK sent',
    value: (s) => span(ok200(s), callerFrame(s, 'out', 'ACK', ok200(s))),
  },
  {
    id: 'a-audio',
    label: 'A: 200 received → first audio packet',
    value: (s) => span(ok200(s), audioAt(s.caller)),
  },
  {
    id: 'b-ack',
    label: 'B: 200 sent → ACK received',
    value: (s) => span(calleeFrame(s, 'out', '200 INVITE'), calleeFrame(s, 'in', 'ACK')),
  },
  {
    id: 'b-audio',
    label: 'B: 200 sent → first audio packet',
    value: (s) => span(calleeFrame(s, 'out', '200 INVITE'), audioAt(s.callee)),
  },
];

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

export function ratio(a: number, b: number): string {
  return a > 0 && b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '–';
}

export interface Summary {
  readonly median: number;
  readonly p90: number;
  readonly n: number;
}

export function summariseMetric(samples: readonly Sample[], metric: Metric): Summary {
  const values = samples.map(metric.value).filter(Number.isFinite);
  return { median: values.length ? median(values) : NaN, p90: percentile(values, 90), n: values.length };
}

/** A markdown table: one row per metric, both implementations and their ratio. */
export function table(metrics: readonly Metric[], samples: Record<Impl, Sample[]>): string[] {
  const lines = [
    '| metric | Ringlet median | Ringlet p90 | JsSIP median | JsSIP p90 | Ringlet / JsSIP (median) |',
    '| :-- | --: | --: | --: | --: | --: |',
  ];
  for (const metric of metrics) {
    const r = summariseMetric(samples.ringlet, metric);
    const j = summariseMetric(samples.jssip, metric);
    lines.push(
      `| ${metric.label} | ${fmt(r.median)} | ${fmt(r.p90)} | ${fmt(j.median)} | ${fmt(j.p90)} | ${ratio(r.median, j.median)} |`,
    );
  }
  return lines;
}
