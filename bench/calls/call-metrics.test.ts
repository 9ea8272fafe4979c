import { describe, expect, it } from 'vitest';
import { BREAKDOWN, METRICS, percentile, ratio, summariseMetric, table, type Sample } from './call-metrics';
import type { CallMarks, WireFrame } from './probe';

const frame = (at: number, direction: 'in' | 'out', summary: string): WireFrame => ({
  at,
  direction,
  summary,
});

/** A call as Kamailio runs it: INVITE, 407, ACK, INVITE with credentials, 100, 180, 200, ACK. */
function sample(overrides: { caller?: Partial<CallMarks>; callee?: Partial<CallMarks> } = {}): Sample {
  const caller: CallMarks = {
    callStart: 1000,
    gumEnd: 1010,
    sldStart: 1015,
    gatheringComplete: 1120,
    audioSeen: 1260,
    audioEstimate: 1245,
    frames: [
      frame(1121, 'out', 'INVITE'),
      frame(1123, 'in', '407 INVITE'),
      frame(1124, 'out', 'ACK'),
      frame(1125, 'out', 'INVITE'),
      frame(1130, 'in', '100 INVITE'),
      frame(1140, 'in', '180 INVITE'),
      frame(1170, 'in', '200 INVITE'),
      frame(1171, 'out', 'ACK'),
    ],
    ...overrides.caller,
  };
  const callee: CallMarks = {
    incoming: 1135,
    answerStart: 1136,
    audioSeen: 1210,
    frames: [frame(1134, 'in', 'INVITE'), frame(1138, 'out', '180 INVITE'), frame(1165, 'out', '200 INVITE')],
    ...overrides.callee,
  };
  return { caller, callee, callerNetwork: [frame(1121.2, 'out', 'INVITE')], calleeNetwork: [] };
}

const value = (id: string, s: Sample): number => {
  const metric = [...METRICS, ...BREAKDOWN].find((m) => m.id === id);
  if (!metric) throw new Error(`no metric ${id}`);
  return metric.value(s);
};

describe('headline intervals, from call() on the caller page', () => {
  it('times the first INVITE, not the one retried with credentials', () => {
    expect(value('invite', sample())).toBe(121);
  });

  it('times the 180 and the 200 of the INVITE', () => {
    expect(value('ringing', sample())).toBe(140);
    expect(value('ok', sample())).toBe(170);
  });

  it("times the ACK of the 2xx, not the transaction's ACK of the 407", () => {
    expect(value('ack', sample())).toBe(171);
  });

  it("times first audio from B's answer, preferring the refined estimate to the poll", () => {
    expect(value('audio', sample())).toBe(1245 - 1136);
    expect(value('audio', sample({ caller: { audioEstimate: undefined } }))).toBe(1260 - 1136);
    expect(value('audio-b', sample())).toBe(1210 - 1136);
  });

  it('gives NaN when a mark is missing (no audio arrived)', () => {
    expect(value('audio', sample({ caller: { audioSeen: undefined, audioEstimate: undefined } }))).toBeNaN();
  });
});

describe('breakdown intervals', () => {
  it('splits the INVITE delay into device, offer and ICE gathering', () => {
    expect(value('a-gum', sample())).toBe(10);
    expect(value('a-sld', sample())).toBe(15);
    expect(value('a-gathering', sample())).toBe(105);
    expect(value('a-invite-after-gathering', sample())).toBe(1);
  });

  it('times the digest retry from the 407 to the second INVITE', () => {
    expect(value('a-reinvite', sample())).toBe(2);
  });

  it("compares the page's send() with the network stack's frame", () => {
    expect(value('a-invite-send-lag', sample())).toBeCloseTo(0.2, 6);
  });

  it('times the callee: INVITE to 180, answer to 200', () => {
    expect(value('b-180', sample())).toBe(4);
    expect(value('b-200', sample())).toBe(29);
  });
});

describe('statistics and formatting', () => {
  it('takes the nearest-rank 90th percentile', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(values, 90)).toBe(18);
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([], 90)).toBeNaN();
  });

  it('leaves samples without the mark out of the median and p90', () => {
    const silent = sample({ caller: { audioSeen: undefined, audioEstimate: undefined } });
    const audio = [...METRICS].find((m) => m.id === 'audio')!;
    expect(summariseMetric([sample(), silent, sample()], audio)).toEqual({ median: 109, p90: 109, n: 2 });
  });

  it('prints a ratio only when both medians are positive', () => {
    expect(ratio(150, 100)).toBe('1.50×');
    expect(ratio(NaN, 100)).toBe('–');
    expect(ratio(-0.1, 0.2)).toBe('–');
  });

  it('writes one markdown row per metric with both implementations and the ratio', () => {
    const rows = table(METRICS.slice(0, 1), { ringlet: [sample()], jssip: [sample()] });
    expect(rows).toHaveLength(3);
    expect(rows[2]).toBe('| `call()` → INVITE sent | 121 | 121 | 121 | 121 | 1.00× |');
  });
});
