/**
 * Test support for the transaction layer: a fake transport that records what was sent and can be
 * told to fail, a context over a {@link FakeClock}, and message builders. Used only by tests.
 */

import { expect } from 'vitest';
import {
  createResponse,
  SipHeaders,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../../message/sip-message';
import { serializeMessage } from '../../message/serialize';
import { parseMessage } from '../../parser/parse-message';
import { silentLogger } from '../../support/logger';
import { FakeClock } from '../../testing/fake-clock';
import type { Transport } from '../../transport/transport';
import type { ClientTransactionUser, TerminationReason, TransactionContext } from '../transaction';

/** Records every message handed to it; `failing = true` makes `send` return false. */
export class FakeTransport implements Pick<Transport, 'send' | 'viaTransport' | 'viaHost'> {
  readonly viaTransport = 'WS' as const;
  readonly viaHost = 'df7jal23ls0d.invalid';
  readonly sent: string[] = [];
  failing = false;
  attempts = 0;

  send(text: string): boolean {
    this.attempts++;
    if (this.failing) return false;
    this.sent.push(text);
    return true;
  }

  /** The i-th sent message, parsed (negative counts from the end). */
  message(i: number): SipMessage {
    const text = this.sent.at(i);
    if (text === undefined) throw new Error(`nothing sent at ${i} (sent ${this.sent.length})`);
    const parsed = parseMessage(text);
    if (!parsed.ok) throw new Error(`sent text does not parse: ${parsed.error.message}\n${text}`);
    return parsed.value;
  }

  /** Status codes or methods of everything sent, in order: `['INVITE', 'ACK', 100, …]`. */
  summary(): (string | number)[] {
    return this.sent.map((_, i) => {
      const m = this.message(i);
      return m.kind === 'request' ? m.method : m.status;
    });
  }
}

export interface Harness {
  readonly clock: FakeClock;
  readonly transport: FakeTransport;
  readonly context: TransactionContext;
}

export function createHarness(): Harness {
  const clock = new FakeClock();
  const transport = new FakeTransport();
  const context: TransactionContext = {
    clock,
    send: (text) => transport.send(text),
    logger: silentLogger,
  };
  return { clock, transport, context };
}

/**
 * A transaction user that records every callback: `events` as `provisional 180`, `final 486`,
 * `additional 200`, `timeout`, `transport-error`, `terminated <reason>`; also the responses and the
 * termination reasons. Serves client and server transactions alike.
 */
export interface RecordingUser extends Required<ClientTransactionUser> {
  readonly events: string[];
  readonly responses: SipResponse[];
  readonly terminated: TerminationReason[];
}

export function recordingUser(): RecordingUser {
  const events: string[] = [];
  const responses: SipResponse[] = [];
  const terminated: TerminationReason[] = [];
  return {
    events,
    responses,
    terminated,
    onProvisional: (r) => (events.push(`provisional ${r.status}`), responses.push(r)),
    onFinal: (r) => (events.push(`final ${r.status}`), responses.push(r)),
    onAdditional2xx: (r) => (events.push(`additional ${r.status}`), responses.push(r)),
    onTimeout: () => events.push('timeout'),
    onTransportError: () => events.push('transport-error'),
    onTerminated: (reason) => (events.push(`terminated ${reason}`), terminated.push(reason)),
  };
}

/** The private state-machine step of a transaction, to test the edges its figure does not draw. */
export function internals(tx: object): { transition(to: string): void } {
  return tx as unknown as { transition(to: string): void };
}

/**
 * Checks that a timer of `ms` ends `tx` exactly then: 1 ms before, it is still in `state`; at `ms`
 * it is Terminated and no timer is left.
 */
export function expectTerminatedAfter(
  clock: FakeClock,
  tx: { readonly state: string },
  ms: number,
  state: string,
): void {
  clock.advance(ms - 1);
  expect(tx.state).toBe(state);
  clock.advance(1);
  expect(tx.state).toBe('Terminated');
  expect(clock.pending).toBe(0);
}

/** Checks that `tx` is Terminated, its TU saw exactly `events`, and no timer is left. */
export function expectTerminatedWith(
  clock: FakeClock,
  tx: { readonly state: string },
  tu: RecordingUser,
  events: readonly string[],
): void {
  expect(tx.state).toBe('Terminated');
  expect(tu.events).toEqual(events);
  expect(clock.pending).toBe(0);
}

/**
 * A client transaction built by `Transaction` for `request` with a {@link recordingUser}, started on
 * a fresh harness (whose transport fails from the start with `failing`).
 */
export function startClient<T extends { start(): void }>(
  Transaction: new (request: SipRequest, tu: RecordingUser, context: TransactionContext) => T,
  request: SipRequest,
  options: { failing?: boolean } = {},
): Harness & { tu: RecordingUser; tx: T } {
  const h = createHarness();
  h.transport.failing = options.failing ?? false;
  const tu = recordingUser();
  const tx = new Transaction(request, tu, h.context);
  tx.start();
  return { ...h, tu, tx };
}

export function parse(text: string): SipMessage {
  const parsed = parseMessage(text);
  if (!parsed.ok) throw new Error(`fixture does not parse: ${parsed.error.message}\n${text}`);
  return parsed.value;
}

export function parseRequest(text: string): SipRequest {
  const m = parse(text);
  if (m.kind !== 'request') throw new Error('fixture is not a request');
  return m;
}

export interface RequestFixture {
  method?: string;
  uri?: string;
  branch?: string;
  /** Whole top Via value; overrides `branch`. */
  via?: string;
  cseq?: number;
  cseqMethod?: string;
  callId?: string;
  fromTag?: string;
  toTag?: string;
  routes?: string[];
}

/** A request as it arrives off the wire (`via: ''` leaves the Via out). */
export function requestText(f: RequestFixture = {}): string {
  const method = f.method ?? 'INVITE';
  const lines = [`${method} ${f.uri ?? 'sip:bob@example.com'} SIP/2.0`];
  const via = f.via ?? `SIP/2.0/WSS pc33.example.com;branch=${f.branch ?? 'z9hG4bK776asdhds'}`;
  if (via !== '') lines.push(`Via: ${via}`);
  lines.push('Max-Forwards: 70');
  lines.push(`To: Bob <sip:bob@example.com>${f.toTag !== undefined ? `;tag=${f.toTag}` : ''}`);
  lines.push(`From: Alice <sip:alice@example.com>;tag=${f.fromTag ?? '1928301774'}`);
  lines.push(`Call-ID: ${f.callId ?? 'a84b4c76e66710@pc33.example.com'}`);
  lines.push(`CSeq: ${f.cseq ?? 314159} ${f.cseqMethod ?? method}`);
  for (const route of f.routes ?? []) lines.push(`Route: ${route}`);
  lines.push('Content-Length: 0', '', '');
  return lines.join('\r\n');
}

/**
 * A parsed request. With `via: ''` it has no Via, as a TU hands a request to the transaction layer
 * (the parser refuses such a message, so the Via is removed after parsing).
 */
export function request(f: RequestFixture = {}): SipRequest {
  if (f.via !== '') return parseRequest(requestText(f));
  const req = parseRequest(requestText({ ...f, via: undefined }));
  req.headers.delete('Via');
  return req;
}

/**
 * A response to `req` as a UAS would build it (§8.2.6): Vias, From, Call-ID, CSeq copied; To copied
 * with `toTag` added when given.
 */
export function responseTo(req: SipRequest, status: number, toTag?: string, reason = 'Reason'): SipResponse {
  const headers = new SipHeaders();
  for (const via of req.headers.getAll('Via')) headers.append('Via', via);
  const to = req.headers.get('To') ?? '';
  headers.append('To', toTag !== undefined && !/;tag=/.test(to) ? `${to};tag=${toTag}` : to);
  for (const name of ['From', 'Call-ID', 'CSeq']) headers.append(name, req.headers.get(name) ?? '');
  // Through the wire format, as the layer receives it in production.
  const m = parse(serializeMessage(createResponse(status, reason, headers)));
  if (m.kind !== 'response') throw new Error('unreachable');
  return m;
}
