/**
 * Test harness for INVITE sessions: user agents on one {@link LoopbackNetwork} driven by a
 * {@link FakeClock}, fake media handlers per call, a wire summary of `network.frames`, and a raw
 * peer for the cases a well-behaved UA never produces (challenges, reliable provisionals, late
 * offers).
 */
import { createResponseTo } from '../ua/response-factory';
import { getCSeq } from '../message/headers';
import { createRequest, type SipMessage, type SipRequest, type SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import { parseMessage } from '../parser/parse-message';
import { createRandom } from '../support/random';
import { infoMethod } from '../session/info-method';
import type { InviteSession } from '../session/invite-session';
import { reliableProvisionals } from '../session/reliable-provisionals';
import { renegotiation } from '../session/renegotiation';
import type { SessionExtension } from '../session/session-extension';
import {
  sessionTimers,
  type SessionTimerAgreement,
  type SessionTimerSettings,
} from '../session/session-timer';
import { updateMethod } from '../session/update-method';
import { LoopbackNetwork, type LoopbackTransport } from '../transport/loopback-transport';
import { UserAgent } from '../ua/user-agent';
import { FakeClock, sequentialBytes } from './fake-clock';
import { FakeSessionDescriptionHandler } from './fake-session-description-handler';

/** Lets loopback deliveries (clock timers at +0) and the promise chains they resolve run out. */
export async function settle(clock: FakeClock, ms = 0): Promise<void> {
  for (let i = 0; i < 40; i++) {
    clock.advance(i === 0 ? ms : 0);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Advances `ms` in steps, settling in between, so timers and the messages they send interleave. */
export async function run(clock: FakeClock, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) await settle(clock, Math.min(step, ms - t));
}

export interface PartyOptions {
  readonly user: string;
  readonly endpoint: string;
  readonly seed: number;
  readonly password?: string;
  /** Settings of the `sessionTimers()` extension installed by default. */
  readonly sessionTimer?: Partial<SessionTimerSettings>;
  /** The session extensions; default all of them ({@link allExtensions}). */
  readonly extensions?: readonly SessionExtension[];
}

/** Every session extension, as the phone installs them. */
export function allExtensions(sessionTimer: Partial<SessionTimerSettings> = {}): SessionExtension[] {
  return [renegotiation(), reliableProvisionals(), updateMethod(), sessionTimers(sessionTimer), infoMethod()];
}

/**
 * The session timer agreement a session last announced (`sessionTimer` events, RFC 4028), read
 * through `.current`. Subscribe before the agreement is made (right after `call()`, or in the
 * `invite` listener: {@link Party} does it for incoming calls).
 */
export function trackSessionTimer(session: InviteSession): { current: SessionTimerAgreement | undefined } {
  const tracked: { current: SessionTimerAgreement | undefined } = { current: undefined };
  session.on('sessionTimer', (agreement) => (tracked.current = agreement));
  return tracked;
}

/** One user agent with its fake handlers and the calls it received. */
export class Party {
  readonly ua: UserAgent;
  readonly transport: LoopbackTransport;
  readonly handlers: FakeSessionDescriptionHandler[] = [];
  readonly incoming: InviteSession[] = [];
  /** The session timer of each incoming call, tracked from its creation. */
  readonly timers = new Map<InviteSession, { current: SessionTimerAgreement | undefined }>();

  constructor(network: LoopbackNetwork, clock: FakeClock, options: PartyOptions) {
    this.transport = network.endpoint(options.endpoint, { viaHost: `${options.endpoint}.invalid` });
    this.ua = new UserAgent({
      uri: `sip:${options.user}@ringlet.test`,
      transport: this.transport,
      clock,
      random: createRandom(sequentialBytes(options.seed)),
      ...(options.password !== undefined ? { password: options.password } : {}),
      sessionExtensions: options.extensions ?? allExtensions(options.sessionTimer),
      sessionDescriptionHandlerFactory: () => {
        const handler = new FakeSessionDescriptionHandler(`${options.endpoint}${this.handlers.length + 1}`);
        this.handlers.push(handler);
        return handler;
      },
    });
    this.ua.on('invite', (session) => {
      this.incoming.push(session);
      this.timers.set(session, trackSessionTimer(session));
    });
  }

  /** The handler of the n-th call of this party (0-based). */
  handler(n = 0): FakeSessionDescriptionHandler {
    const h = this.handlers[n];
    if (!h) throw new Error(`no handler #${n}`);
    return h;
  }

  lastIncoming(): InviteSession {
    const s = this.incoming.at(-1);
    if (!s) throw new Error('no incoming call');
    return s;
  }
}

/** `from>to METHOD` for requests, `from>to STATUS METHOD` for responses (delivered or not). */
export function wire(network: LoopbackNetwork, filter?: (m: SipMessage) => boolean): string[] {
  const out: string[] = [];
  for (const frame of network.frames) {
    const parsed = parseMessage(frame.text);
    if (!parsed.ok) continue;
    const m = parsed.value;
    if (filter && !filter(m)) continue;
    const cseq = getCSeq(m);
    const method = cseq.ok ? cseq.value.method : '?';
    const lost = frame.status === 'dropped' ? ' (dropped)' : '';
    out.push(
      `${frame.from}>${frame.to ?? '?'} ${m.kind === 'request' ? m.method : `${m.status} ${method}`}${lost}`,
    );
  }
  return out;
}

/** The parsed messages on the wire, optionally only those matching. */
export function messages(
  network: LoopbackNetwork,
  filter: (m: SipMessage) => boolean = () => true,
): SipMessage[] {
  return network.frames
    .map((f) => parseMessage(f.text))
    .flatMap((p) => (p.ok ? [p.value] : []))
    .filter(filter);
}

export function isRequest(method: string): (m: SipMessage) => m is SipRequest {
  return (m): m is SipRequest => m.kind === 'request' && m.method === method;
}

export function isResponse(status: number, method: string): (m: SipMessage) => m is SipResponse {
  return (m): m is SipResponse => {
    if (m.kind !== 'response' || m.status !== status) return false;
    const cseq = getCSeq(m);
    return cseq.ok && cseq.value.method === method;
  };
}

/** A hand-driven SIP endpoint: records what it receives and sends what the test tells it to. */
export class RawPeer {
  readonly transport: LoopbackTransport;
  readonly received: SipMessage[] = [];

  constructor(network: LoopbackNetwork, name: string) {
    this.transport = network.endpoint(name, { viaHost: `${name}.invalid` });
    this.transport.on('message', (text) => {
      const parsed = parseMessage(text);
      if (parsed.ok) this.received.push(parsed.value);
    });
  }

  requests(method: string): SipRequest[] {
    return this.received.filter(isRequest(method));
  }

  lastRequest(method: string): SipRequest {
    const r = this.requests(method).at(-1);
    if (!r) throw new Error(`peer got no ${method}`);
    return r;
  }

  /** Answers `request` (To tag added when given). */
  reply(
    request: SipRequest,
    status: number,
    options: { toTag?: string; headers?: Array<readonly [string, string]>; body?: string } = {},
  ): SipResponse {
    const response = createResponseTo(request, status, options);
    this.transport.send(serializeMessage(response));
    return response;
  }

  send(message: SipMessage): void {
    this.transport.send(serializeMessage(message));
  }

  sendText(text: string): void {
    this.transport.send(text);
  }
}

/**
 * Alice (endpoint `a`, seed 1) and Bob (endpoint `b`, seed 2) on one loopback network, both
 * started; `alice` and `bob` override their {@link PartyOptions}.
 */
export async function startedPair(
  options: { alice?: Partial<PartyOptions>; bob?: Partial<PartyOptions> } = {},
): Promise<{ clock: FakeClock; network: LoopbackNetwork; alice: Party; bob: Party }> {
  const ctx = aliceOnNetwork(options.alice);
  const bob = new Party(ctx.network, ctx.clock, { user: 'bob', endpoint: 'b', seed: 2, ...options.bob });
  await ctx.alice.ua.start();
  await bob.ua.start();
  return { ...ctx, bob };
}

/** Alice (endpoint `a`, seed 1, `alice` overriding her options) and a {@link RawPeer} `p`, both up. */
export async function withPeer(
  alice: Partial<PartyOptions> = {},
): Promise<{ clock: FakeClock; network: LoopbackNetwork; alice: Party; peer: RawPeer }> {
  const ctx = aliceOnNetwork(alice);
  const peer = new RawPeer(ctx.network, 'p');
  await ctx.alice.ua.start();
  await peer.transport.connect();
  return { ...ctx, peer };
}

/** A fresh clock and loopback network with Alice (endpoint `a`, seed 1) on it, not started. */
function aliceOnNetwork(alice: Partial<PartyOptions> = {}) {
  const clock = new FakeClock();
  const network = new LoopbackNetwork({ clock });
  return {
    clock,
    network,
    alice: new Party(network, clock, { user: 'alice', endpoint: 'a', seed: 1, ...alice }),
  };
}

/** Alice calls sip:bob@ringlet.test and the INVITE goes through. */
async function aliceCalls(ctx: { readonly clock: FakeClock; readonly alice: Party }): Promise<InviteSession> {
  const call = ctx.alice.ua.call('sip:bob@ringlet.test');
  await settle(ctx.clock);
  return call;
}

/** Alice calls Bob and the INVITE goes through: the call and Bob's side of it. */
export async function aliceCallsBob(ctx: {
  readonly clock: FakeClock;
  readonly alice: Party;
  readonly bob: Party;
}) {
  const call = await aliceCalls(ctx);
  return { call, incoming: ctx.bob.lastIncoming() };
}

/** Alice calls (Bob, reaching) the raw peer and the INVITE goes through: the call and that INVITE. */
export async function aliceCallsPeer(ctx: {
  readonly clock: FakeClock;
  readonly alice: Party;
  readonly peer: RawPeer;
}) {
  const call = await aliceCalls(ctx);
  return { call, invite: ctx.peer.lastRequest('INVITE') };
}

/** The raw peer's Contact header field. */
export const PEER_CONTACT = ['Contact', '<sip:peer@p.invalid;transport=ws>'] as const;
export const SDP_CONTENT_TYPE = ['Content-Type', 'application/sdp'] as const;

/** Header fields of a peer message with an SDP body: its Contact, `extra`, then the Content-Type. */
export function peerSdpHeaders(
  extra: Array<readonly [string, string]> = [],
): Array<readonly [string, string]> {
  return [PEER_CONTACT, ...extra, SDP_CONTENT_TYPE];
}

/**
 * A new INVITE from the raw peer to Alice (From tag `pf`, CSeq 1, the peer's Contact, then `headers`),
 * with Via branch `z9hG4bK-<branch>`.
 */
export function peerInvite(options: {
  readonly callId: string;
  readonly branch: string;
  readonly headers?: Array<readonly [string, string]>;
  readonly body?: string;
}): SipRequest {
  return createRequest(
    'INVITE',
    'sip:alice@a.invalid',
    [
      ['Via', `SIP/2.0/WS p.invalid;branch=z9hG4bK-${options.branch}`],
      ['Max-Forwards', '70'],
      ['To', '<sip:alice@ringlet.test>'],
      ['From', '<sip:peer@ringlet.test>;tag=pf'],
      ['Call-ID', options.callId],
      ['CSeq', '1 INVITE'],
      PEER_CONTACT,
      ...(options.headers ?? []),
    ],
    options.body,
  );
}

/**
 * A re-INVITE with an SDP `body` from the raw peer, inside the dialog that Alice's `invite` and the
 * peer's answer with To tag `toTag` set up; sent to `uri` (default: Alice's Contact), Via branch
 * `z9hG4bK-<branch>`.
 */
export function peerReinvite(
  invite: SipRequest,
  options: {
    readonly seq: number;
    readonly branch: string;
    readonly toTag: string;
    readonly body: string;
    readonly uri?: string;
  },
): SipRequest {
  const uri = options.uri ?? /<([^>]+)>/.exec(invite.headers.get('Contact') ?? '')?.[1];
  if (uri === undefined) throw new Error('the INVITE has no Contact');
  return createRequest(
    'INVITE',
    uri,
    [
      ['Via', `SIP/2.0/WS p.invalid;branch=z9hG4bK-${options.branch}`],
      ['Max-Forwards', '70'],
      ['To', invite.headers.get('From') ?? ''],
      ['From', `${invite.headers.get('To') ?? ''};tag=${options.toTag}`],
      ['Call-ID', invite.headers.get('Call-ID') ?? ''],
      ['CSeq', `${options.seq} INVITE`],
      PEER_CONTACT,
      SDP_CONTENT_TYPE,
    ],
    options.body,
  );
}
