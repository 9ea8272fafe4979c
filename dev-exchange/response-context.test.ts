import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createRequest,
  parseMessage,
  serializeMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../src/sip/index';
import { createResponseTo } from '../src/sip/ua/response-factory';
import type { Connection, Timers } from './connection';
import { ResponseContext } from './response-context';

/** A connection that records what the context sends through it. */
function peer(id: string): Connection & { sent: SipMessage[] } {
  const sent: SipMessage[] = [];
  return {
    id,
    sent,
    isOpen: () => true,
    sendText: () => true,
  };
}

const timers: Timers = {
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

function invite(): SipRequest {
  return createRequest('INVITE', 'sip:bob@ringlet.local', [
    ['Via', 'SIP/2.0/WS caller.invalid;branch=z9hG4bKcaller'],
    ['Max-Forwards', '70'],
    ['From', '<sip:alice@ringlet.local>;tag=a'],
    ['To', '<sip:bob@ringlet.local>'],
    ['Call-ID', 'call-1'],
    ['CSeq', '1 INVITE'],
  ]);
}

let n = 0;
function setup() {
  const caller = peer('c0');
  const callees = [peer('c1'), peer('c2')];
  const branches: string[] = [];
  const ctx = new ResponseContext(invite(), caller, 'key', {
    // Round-trip through the wire format, as the real exchange does.
    send: (to, m) => {
      const parsed = parseMessage(serializeMessage(m));
      if (parsed.ok) (to as Connection & { sent: SipMessage[] }).sent.push(parsed.value);
    },
    timers,
    noAnswerMs: 32_000,
    ringingMs: 180_000,
    lingerMs: 32_000,
    newBranchId: () => `z9hG4bK-test${++n}`,
    viaFor: (b) => `SIP/2.0/WS 127.0.0.1:5062;branch=${b}`,
    localTag: 'local',
    onBranch: (b) => branches.push(b),
    onDisposed: () => undefined,
  });
  for (const callee of callees) {
    const copy = createRequest('INVITE', `sip:x@${callee.id}.invalid`, invite().headers.clone());
    ctx.fork(callee, copy);
  }
  /** What the callee would answer, with our Via already removed by the exchange. */
  const respond = (i: 0 | 1, status: number) => {
    const callee = callees[i] as Connection & { sent: SipMessage[] };
    const res: SipResponse = createResponseTo(callee.sent[0] as SipRequest, status, { toTag: `t${i}` });
    res.headers.set('Via', res.headers.getAll('Via').slice(1));
    ctx.receiveResponse(branches[i] ?? '', callee, res);
  };
  return { ctx, caller, callees, respond };
}

const methods = (c: { sent: SipMessage[] }) =>
  c.sent.map((m) => (m.kind === 'request' ? m.method : String(m.status)));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RFC 3261 §9.1 CANCEL waits for a provisional response', () => {
  it('MUST NOT send CANCEL to a branch that has not answered yet, and sends it on its first 1xx', () => {
    const { ctx, callees, respond } = setup();
    ctx.cancel(undefined);
    expect(methods(callees[0] as never)).toEqual(['INVITE']);
    respond(0, 180);
    expect(methods(callees[0] as never)).toEqual(['INVITE', 'CANCEL']);
  });
});

describe('RFC 3261 §16.8 Timer C', () => {
  it('cancels a branch that rang too long, and gives up with 408 if even the CANCEL is ignored', () => {
    const { caller, callees, respond } = setup();
    respond(0, 180);
    respond(1, 180);
    vi.advanceTimersByTime(180_000);
    expect(methods(callees[0] as never)).toEqual(['INVITE', 'CANCEL']);
    vi.advanceTimersByTime(32_000);
    expect(methods(caller)).toEqual(['180', '180', '408']);
  });

  it('treats a branch that never answered as 408 (Timer B)', () => {
    const { caller } = setup();
    vi.advanceTimersByTime(32_000);
    expect(methods(caller)).toEqual(['408']);
  });
});

describe('RFC 3261 §16.7 response context', () => {
  it('completes a branch whose WebSocket closed (as 480) so the best response can be sent', () => {
    const { ctx, caller, callees, respond } = setup();
    respond(0, 487);
    ctx.connectionLost(callees[1] as Connection);
    expect(methods(caller)).toEqual(['487']);
  });

  it('forwards every 2xx to an INVITE, each of which may start its own dialog', () => {
    const { caller, respond } = setup();
    respond(0, 200);
    respond(1, 200);
    expect(methods(caller)).toEqual(['200', '200']);
  });

  it('converts a lone 503 into 500 (§16.7 step 6)', () => {
    const { caller, respond } = setup();
    respond(0, 503);
    respond(1, 503);
    expect(methods(caller)).toEqual(['500']);
  });

  it('is disposed after lingering, clearing its timers', () => {
    const { ctx, respond } = setup();
    respond(0, 486);
    respond(1, 486);
    expect(ctx.state).toBe('done');
    vi.advanceTimersByTime(32_000);
    expect(ctx.state).toBe('disposed');
    expect(vi.getTimerCount()).toBe(0);
  });
});
