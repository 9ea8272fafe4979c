import { describe, expect, it } from 'vitest';
import { getCSeq, getSessionExpires } from '../message/headers';
import { createRequest, type SipMessage, type SipRequest } from '../message/sip-message';
import { formatUri } from '../message/uri';
import { FakeClock } from '../testing/fake-clock';
import { forkingNetwork, forkingProxy } from '../testing/forking-proxy';
import {
  PEER_CONTACT as contact,
  Party,
  aliceCallsBob,
  aliceCallsPeer,
  isRequest,
  isResponse,
  messages,
  peerInvite,
  peerReinvite,
  peerSdpHeaders as sdpHeaders,
  run,
  settle,
  startedPair,
  trackSessionTimer,
  wire,
  withPeer,
  type PartyOptions,
} from '../testing/session-harness';
import type { LoopbackNetwork } from '../transport/loopback-transport';
import type { PendingChange } from './invite-session';
import { InviteSessionState as S } from './invite-session';
import { sendInfo } from './info-method';
import { hold, renegotiate, unhold } from './renegotiation';
import { COMPLETED_ELSEWHERE } from './session-end';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';

function methodOfCSeq(m: SipMessage): string {
  const cseq = getCSeq(m);
  return cseq.ok ? cseq.value.method : '';
}

/** A calls B and the INVITE is through: B has the incoming call. */
async function calling() {
  const ctx = await startedPair();
  return { ...ctx, ...(await aliceCallsBob(ctx)) };
}

/** A calls B and B rings: the call is in Proceeding. */
async function ringing() {
  const ctx = await calling();
  await ctx.incoming.progress();
  await settle(ctx.clock);
  return ctx;
}

/** A calls B; B rings and answers; both established. */
async function established() {
  const ctx = await calling();
  const { call, incoming } = ctx;
  const callTimer = trackSessionTimer(call);
  await incoming.progress();
  await incoming.answer();
  await settle(ctx.clock);
  expect(call.state).toBe(S.Established);
  expect(incoming.state).toBe(S.Established);
  const timers = { call: callTimer, incoming: ctx.bob.timers.get(incoming)! };
  return { ...ctx, call, incoming, timers, mark: ctx.network.frames.length };
}

function wireSince(network: LoopbackNetwork, mark: number): string[] {
  return wire(network).slice(mark);
}

describe('RFC 3261 §13.2/§13.3 a basic call between two user agents', () => {
  it('INVITE with the offer, 180, 200 with the answer, ACK; both sides established', async () => {
    const { network, alice, bob, call, incoming } = await established();
    expect(wire(network)).toEqual(['a>b INVITE', 'b>a 180 INVITE', 'b>a 200 INVITE', 'a>b ACK']);
    const [invite] = messages(network, isRequest('INVITE')) as SipRequest[];
    expect(invite?.headers.get('Content-Type')).toBe('application/sdp');
    expect(invite?.body).toBe(alice.handler().made[0]);
    expect(invite?.headers.get('Supported')).toMatch(/timer/);
    expect(invite?.headers.get('Allow')).toMatch(/UPDATE/);
    expect(alice.handler().ops()).toEqual(['getOffer', 'setAnswer']);
    expect(bob.handler().ops()).toEqual(['getAnswer']);
    expect(alice.handler().applied).toEqual([bob.handler().made[0]]);
    expect(call.dialog?.state).toBe('confirmed');
    expect(incoming.dialog?.state).toBe('confirmed');
  });

  it('reports states in order on both sides', async () => {
    const { clock, alice, bob } = await startedPair();
    const call = alice.ua.call('sip:bob@ringlet.test');
    const aStates: string[] = [];
    call.on('state', (s) => aStates.push(s));
    await settle(clock);
    const incoming = bob.lastIncoming();
    const bStates: string[] = [];
    incoming.on('state', (s) => bStates.push(s));
    await incoming.progress();
    await settle(clock);
    await incoming.answer();
    await settle(clock);
    expect(aStates).toEqual(['calling', 'proceeding', 'established']);
    expect(bStates).toEqual(['answering', 'established']);
  });
});

describe('RFC 3261 §13.2.1 / RFC 3960 early media', () => {
  it('applies the answer of a 183 once and does not apply the identical answer in the 200 again', async () => {
    const { clock, alice, bob } = await startedPair();
    const call = alice.ua.call('sip:bob@ringlet.test');
    const progress: Array<{ status: number; earlyMedia: boolean }> = [];
    call.on('progress', (p) => progress.push({ status: p.status, earlyMedia: p.earlyMedia }));
    await settle(clock);
    const incoming = bob.lastIncoming();
    await incoming.progress({ status: 183, earlyMedia: true });
    await settle(clock);
    expect(progress).toEqual([{ status: 183, earlyMedia: true }]);
    expect(alice.handler().ops()).toEqual(['getOffer', 'setAnswer']);
    await incoming.answer();
    await settle(clock);
    expect(call.state).toBe(S.Established);
    expect(alice.handler().ops()).toEqual(['getOffer', 'setAnswer']);
    // The 200 repeats the 183's answer exactly (§13.2.1), made once by B's media.
    expect(bob.handler().ops()).toEqual(['getAnswer']);
  });
});

describe('RFC 3261 §13.2.2.4 / §13.3.1.4 2xx retransmission and ACK', () => {
  it('re-ACKs a retransmitted 2xx when the first ACK was lost', async () => {
    const { clock, network, call, incoming } = await calling();
    network.dropNext(1, (f) => f.text.startsWith('ACK'));
    await incoming.answer();
    await settle(clock);
    expect(call.state).toBe(S.Established);
    expect(incoming.state).toBe(S.Answering);
    await settle(clock, 500); // T1: B retransmits its 200
    expect(wire(network)).toEqual([
      'a>b INVITE',
      'b>a 200 INVITE',
      'a>b ACK (dropped)',
      'b>a 200 INVITE',
      'a>b ACK',
    ]);
    expect(incoming.state).toBe(S.Established);
  });

  it('re-ACKs a 2xx that arrives after the INVITE transaction ended (a stray 2xx)', async () => {
    const { clock, network, bob, call } = await established();
    await settle(clock, 33_000); // Timer M (64·T1) is over
    const ok = network.frames.find((f) => f.text.startsWith('SIP/2.0 200'))!;
    const acks = () => messages(network, isRequest('ACK')).length;
    const before = acks();
    bob.transport.send(ok.text);
    await settle(clock);
    expect(acks()).toBe(before + 1);
    expect(call.state).toBe(S.Established);
  });

  it('retransmits the 2xx at T1, 2·T1, 4·T1 … capped at T2 and ends with BYE after 64·T1 without ACK', async () => {
    const ctx = await startedPair();
    const { clock, network } = ctx;
    network.tap((f) => (f.text.startsWith('ACK') ? 'drop' : undefined));
    const { call, incoming } = await aliceCallsBob(ctx);
    await incoming.answer();
    await run(clock, 33_000, 250);
    const okTimes = network.frames
      .filter((f) => f.text.startsWith('SIP/2.0 200 OK') && /CSeq: 1 INVITE/.test(f.text))
      .map((f) => f.sentAt);
    expect(okTimes.slice(0, 6)).toEqual([0, 500, 1500, 3500, 7500, 11500]);
    expect(incoming.ended).toMatchObject({ originator: 'system', cause: 'no-ack' });
    expect(messages(network, isRequest('BYE'))).toHaveLength(1);
    expect(call.ended).toMatchObject({ originator: 'remote', cause: 'bye' });
  });
});

describe('RFC 3261 §15 BYE', () => {
  it('the caller hangs up: BYE, 200; both ended with cause bye and the Reason header surfaced', async () => {
    const { clock, network, call, incoming, mark } = await established();
    call.bye('Q.850;cause=16;text="Normal call clearing"');
    expect(call.state).toBe(S.Terminating);
    await settle(clock);
    expect(wireSince(network, mark)).toEqual(['a>b BYE', 'b>a 200 BYE']);
    expect(call.ended).toEqual({ originator: 'local', cause: 'bye' });
    expect(incoming.ended).toMatchObject({
      originator: 'remote',
      cause: 'bye',
      reason: 'Normal call clearing',
      reasons: [{ protocol: 'Q.850', cause: 16, text: 'Normal call clearing' }],
    });
  });

  it('the callee hangs up: the caller ends with originator remote', async () => {
    const { clock, network, alice, bob, call, incoming, mark } = await established();
    incoming.bye();
    await settle(clock);
    expect(wireSince(network, mark)).toEqual(['b>a BYE', 'a>b 200 BYE']);
    expect(call.ended).toMatchObject({ originator: 'remote', cause: 'bye' });
    expect(incoming.ended).toMatchObject({ originator: 'local', cause: 'bye' });
    expect(alice.handler().closed && bob.handler().closed).toBe(true);
    expect(alice.ua.sessions).toHaveLength(0);
  });

  it('answers 481 to a BYE for a dialog that is over', async () => {
    const { clock, network, alice, call, mark } = await established();
    call.bye();
    await settle(clock);
    const bye = network.frames.slice(mark).find((f) => f.text.startsWith('BYE'))!;
    alice.transport.send(bye.text);
    await settle(clock);
    expect(wireSince(network, mark)).toEqual(['a>b BYE', 'b>a 200 BYE', 'a>b BYE', 'b>a 481 BYE']);
  });
});

describe('RFC 3261 §9 CANCEL', () => {
  it('cancels a ringing call: CANCEL, 200, 487, ACK; both ended with cause cancel', async () => {
    const { clock, network, call, incoming } = await ringing();
    call.cancel();
    expect(call.state).toBe(S.Cancelling);
    await settle(clock);
    expect(wire(network)).toEqual([
      'a>b INVITE',
      'b>a 180 INVITE',
      'a>b CANCEL',
      'b>a 200 CANCEL',
      'b>a 487 INVITE',
      'a>b ACK',
    ]);
    expect(call.ended).toMatchObject({ originator: 'local', cause: 'cancel', status: 487 });
    expect(incoming.ended).toMatchObject({ originator: 'remote', cause: 'cancel' });
    // §9.1: the CANCEL copies the INVITE's Via branch, Call-ID, From, To and CSeq number.
    const [invite, cancel] = [
      messages(network, isRequest('INVITE'))[0]!,
      messages(network, isRequest('CANCEL'))[0]!,
    ];
    for (const h of ['Via', 'Call-ID', 'From', 'To'])
      expect(cancel.headers.get(h)).toBe(invite.headers.get(h));
    expect(cancel.headers.get('CSeq')).toBe('1 CANCEL');
  });

  it('MUST NOT send the CANCEL before a provisional response arrived', async () => {
    const { clock, network, alice, bob } = await startedPair();
    const call = alice.ua.call('sip:bob@ringlet.test');
    await settle(clock);
    expect(bob.incoming).toHaveLength(1); // B does not ring: only the 100 (Trying) at 200 ms
    call.cancel();
    await settle(clock, 100);
    expect(wire(network)).toEqual(['a>b INVITE']);
    await settle(clock, 100);
    expect(wire(network)).toEqual([
      'a>b INVITE',
      'b>a 100 INVITE',
      'a>b CANCEL',
      'b>a 200 CANCEL',
      'b>a 487 INVITE',
      'a>b ACK',
    ]);
    expect(call.ended).toMatchObject({ cause: 'cancel' });
  });

  it('a 200 that crosses the CANCEL is ACKed, then the call is ended with BYE', async () => {
    const { clock, network, call, incoming } = await ringing();
    await incoming.answer(); // the 200 is on the wire…
    call.cancel(); // …as the CANCEL leaves
    await settle(clock);
    expect(wire(network)).toEqual([
      'a>b INVITE',
      'b>a 180 INVITE',
      'b>a 200 INVITE',
      'a>b CANCEL',
      'a>b ACK',
      'a>b BYE',
      'b>a 200 CANCEL',
      'b>a 200 BYE',
    ]);
    expect(call.ended).toMatchObject({ originator: 'local', cause: 'cancel' });
    expect(incoming.ended).toMatchObject({ originator: 'remote', cause: 'bye' });
  });

  it('RFC 3326: a CANCEL with Reason SIP;cause=200 ends the callee with completed-elsewhere', async () => {
    const { clock, network, call, incoming } = await ringing();
    call.cancel(COMPLETED_ELSEWHERE);
    await settle(clock);
    expect(messages(network, isRequest('CANCEL'))[0]?.headers.get('Reason')).toBe(
      'SIP;cause=200;text="Call completed elsewhere"',
    );
    expect(incoming.ended).toMatchObject({
      originator: 'remote',
      cause: 'completed-elsewhere',
      reason: 'Call completed elsewhere',
    });
  });

  it('cancelling before the INVITE left sends nothing', async () => {
    const { clock, network, alice } = await startedPair();
    const call = alice.ua.call('sip:bob@ringlet.test');
    call.cancel();
    await settle(clock);
    expect(network.frames).toHaveLength(0);
    expect(call.ended).toMatchObject({ originator: 'local', cause: 'cancel' });
  });
});

describe('RFC 3261 §13.3.1.3 rejecting a call', () => {
  it.each([
    [486, 'busy'],
    [600, 'busy'],
    [603, 'rejected'],
    [404, 'not-found'],
    [480, 'unavailable'],
    [488, 'not-acceptable'],
  ] as const)('%i ends the caller with cause %s and the ICT ACKs it', async (status, cause) => {
    const { clock, network, call, incoming } = await calling();
    incoming.reject(status);
    await settle(clock);
    expect(wire(network)).toEqual(['a>b INVITE', `b>a ${status} INVITE`, 'a>b ACK']);
    expect(call.ended).toMatchObject({ originator: 'remote', cause, status });
    expect(incoming.ended).toMatchObject({ originator: 'local', cause, status });
  });

  it('rejects an offer its media cannot take with 488', async () => {
    const { clock, bob, call, incoming } = await calling();
    bob.handler().failGetAnswer = true;
    await incoming.answer();
    await settle(clock);
    expect(call.ended).toMatchObject({ cause: 'not-acceptable', status: 488 });
  });
});

describe('RFC 3261 §8.1.3.1 failures without a response', () => {
  it('Timer B: no answer at all ends the call with request-timeout', async () => {
    const { clock, network, alice } = await startedPair();
    network.tap(() => 'drop');
    const call = alice.ua.call('sip:bob@ringlet.test');
    await settle(clock);
    await settle(clock, 31_999);
    expect(call.state).toBe(S.Calling);
    await settle(clock, 1);
    expect(call.ended).toMatchObject({ originator: 'system', cause: 'request-timeout' });
  });

  it('a transport that cannot send ends the call with transport-error', async () => {
    const { clock, network, alice } = await startedPair();
    network.sever('a');
    const call = alice.ua.call('sip:bob@ringlet.test');
    await settle(clock);
    expect(call.ended).toMatchObject({ originator: 'system', cause: 'transport-error' });
  });
});

/** A UA calling a hand-driven peer: the INVITE is through. */
async function callingPeer(alice: Partial<PartyOptions> = {}) {
  const ctx = await withPeer(alice);
  return { ...ctx, ...(await aliceCallsPeer(ctx)) };
}

describe('RFC 3261 §22.2 401/407 on INVITE', () => {
  const challenge = 'Digest realm="ringlet.test", nonce="n1", algorithm=MD5, qop="auth"';

  it('retries with credentials and CSeq + 1 after the ICT ACKed the 407', async () => {
    const { clock, network, peer, call, invite } = await callingPeer({ password: 'secret' });
    peer.reply(invite, 407, {
      toTag: 't407',
      headers: [['Proxy-Authenticate', challenge]],
    });
    await settle(clock);
    const retry = peer.lastRequest('INVITE');
    expect(peer.requests('INVITE')).toHaveLength(2);
    expect(retry.headers.get('Proxy-Authorization')).toMatch(/^Digest username="alice"/);
    expect(retry.headers.get('CSeq')).toBe('2 INVITE');
    expect(retry.headers.get('Call-ID')).toBe(peer.requests('INVITE')[0]!.headers.get('Call-ID'));
    peer.reply(retry, 200, { toTag: 'ok', headers: sdpHeaders(), body: 'v=0 answer' });
    await settle(clock);
    expect(wire(network)).toEqual([
      'a>p INVITE',
      'p>a 407 INVITE',
      'a>p ACK',
      'a>p INVITE',
      'p>a 200 INVITE',
      'a>p ACK',
    ]);
    expect(peer.lastRequest('ACK').headers.get('CSeq')).toBe('2 ACK');
    expect(call.state).toBe(S.Established);
  });

  it('answers the next call’s fresh challenge too: a 2xx tells the authenticator the credentials worked', async () => {
    const { clock, alice, peer } = await withPeer({ password: 'secret' });
    for (const [n, nonce] of [
      [1, 'n1'],
      [2, 'n2'],
    ] as const) {
      const { call, invite } = await aliceCallsPeer({ clock, alice, peer });
      peer.reply(invite, 407, {
        toTag: `t407-${n}`,
        headers: [
          ['Proxy-Authenticate', `Digest realm="ringlet.test", nonce="${nonce}", algorithm=MD5, qop="auth"`],
        ],
      });
      await settle(clock);
      const retry = peer.lastRequest('INVITE');
      expect(retry.headers.get('Proxy-Authorization')).toContain(`nonce="${nonce}"`);
      peer.reply(retry, 200, { toTag: `ok-${n}`, headers: sdpHeaders(), body: 'v=0 answer' });
      await settle(clock);
      expect(call.state).toBe(S.Established);
    }
  });

  it('ends with auth-failed when the credentials are challenged again', async () => {
    const { clock, peer, call, invite } = await callingPeer({ password: 'wrong' });
    peer.reply(invite, 401, { toTag: 'x', headers: [['WWW-Authenticate', challenge]] });
    await settle(clock);
    peer.reply(peer.lastRequest('INVITE'), 401, { toTag: 'y', headers: [['WWW-Authenticate', challenge]] });
    await settle(clock);
    expect(call.ended).toMatchObject({ originator: 'system', cause: 'auth-failed', status: 401 });
  });

  it('ends with auth-failed without a password', async () => {
    const { clock, peer, call, invite } = await callingPeer();
    peer.reply(invite, 407, { toTag: 'x', headers: [['Proxy-Authenticate', challenge]] });
    await settle(clock);
    expect(call.ended).toMatchObject({ cause: 'auth-failed', status: 407 });
  });
});

describe('RFC 3261 §13.3.1 / RFC 6337 §3 an incoming INVITE without an offer (late offer)', () => {
  const offerlessInvite = (callId = 'late-1') => peerInvite({ callId, branch: `late-${callId}` });

  function ackFor(ok: SipMessage, body?: string) {
    return createRequest(
      'ACK',
      'sip:x@a.invalid',
      [
        ['Via', 'SIP/2.0/WS p.invalid;branch=z9hG4bK-ack'],
        ['Max-Forwards', '70'],
        ['To', ok.headers.get('To')!],
        ['From', ok.headers.get('From')!],
        ['Call-ID', ok.headers.get('Call-ID')!],
        ['CSeq', '1 ACK'],
        ...(body ? [['Content-Type', 'application/sdp'] as const] : []),
      ],
      body ?? '',
    );
  }

  it('offers in the 200 and takes the answer from the ACK', async () => {
    const { clock, alice, peer } = await withPeer();
    peer.send(offerlessInvite());
    await settle(clock);
    const incoming = alice.lastIncoming();
    await incoming.answer();
    await settle(clock);
    const ok = peer.received.find(isResponse(200, 'INVITE'))!;
    expect(ok.body).toBe(alice.handler().made[0]);
    // Our offer waits for its answer: nothing applied yet.
    expect(alice.handler().ops()).toEqual(['getOffer']);
    peer.send(ackFor(ok, 'v=0 late answer'));
    await settle(clock);
    expect(incoming.state).toBe(S.Established);
    expect(alice.handler().ops()).toEqual(['getOffer', 'setAnswer']);
    expect(alice.handler().applied).toEqual(['v=0 late answer']);
  });

  it('ends the call with BYE when the ACK carries no answer', async () => {
    const { clock, alice, peer } = await withPeer();
    peer.send(offerlessInvite('late-2'));
    await settle(clock);
    const incoming = alice.lastIncoming();
    await incoming.answer();
    await settle(clock);
    peer.send(ackFor(peer.received.find(isResponse(200, 'INVITE'))!));
    await settle(clock);
    expect(peer.requests('BYE')).toHaveLength(1);
  });

  it('answers 415 to an INVITE whose body is not SDP', async () => {
    const { clock, alice, peer } = await withPeer();
    const invite = offerlessInvite('late-3');
    invite.headers.append('Content-Type', 'text/plain');
    peer.send({ ...invite, body: 'hello' });
    await settle(clock);
    expect(alice.incoming).toHaveLength(0);
    const r = peer.received.find(isResponse(415, 'INVITE'));
    expect(r?.headers.get('Accept')).toBe('application/sdp');
  });
});

/** Alice, and Bob registered twice (b1, b2) behind a forking proxy (testing/forking-proxy.ts). */
async function forked(options: { cancelOthers?: boolean } = {}) {
  const clock = new FakeClock();
  const network = forkingNetwork(clock);
  const alice = new Party(network, clock, { user: 'alice', endpoint: 'a', seed: 1 });
  const b1 = new Party(network, clock, { user: 'bob', endpoint: 'b1', seed: 2 });
  const b2 = new Party(network, clock, { user: 'bob', endpoint: 'b2', seed: 3 });
  const proxy = forkingProxy(network, {
    branches: ['b1', 'b2'],
    cancelOthers: options.cancelOthers ?? false,
  });
  for (const p of [alice, b1, b2]) await p.ua.start();
  await proxy.connect();
  return { clock, network, alice, b1, b2 };
}

describe('RFC 3261 §13.2.2.4 / §12.1.2 forked INVITE', () => {
  it('keeps one early dialog per fork, and a second 2xx gets ACK then BYE', async () => {
    const { clock, network, alice, b1, b2 } = await forked();
    const call = alice.ua.call('sip:bob@ringlet.test');
    const earlyDialogs = new Set<string | undefined>();
    call.on('progress', (info) => earlyDialogs.add(info.dialogTag));
    await settle(clock);
    const [s1, s2] = [b1.lastIncoming(), b2.lastIncoming()];
    await s1.progress();
    await s2.progress();
    await settle(clock);
    expect(earlyDialogs.size).toBe(2);
    await s1.answer();
    await s2.answer();
    await settle(clock);
    expect(call.state).toBe(S.Established);
    expect(call.dialog?.remoteTarget).toMatchObject({ host: 'b1.invalid' });
    expect(s1.state).toBe(S.Established);
    // B2's dialog was confirmed by its ACK and then ended by our BYE.
    expect(s2.ended).toMatchObject({ originator: 'remote', cause: 'bye' });
    const toB2 = wire(network).filter((l) => l.startsWith('a>b2'));
    expect(toB2).toEqual(['a>b2 ACK', 'a>b2 BYE']);
    expect(alice.handler().ops()).toEqual(['getOffer', 'setAnswer']);
  });

  it('the branch that lost stops ringing with completed-elsewhere (RFC 3326 on the proxy’s CANCEL)', async () => {
    const { clock, alice, b1, b2 } = await forked({ cancelOthers: true });
    const call = alice.ua.call('sip:bob@ringlet.test');
    await settle(clock);
    const [s1, s2] = [b1.lastIncoming(), b2.lastIncoming()];
    await s1.progress();
    await s2.progress();
    await settle(clock);
    await s1.answer();
    await settle(clock);
    expect(call.state).toBe(S.Established);
    expect(s2.ended).toMatchObject({
      originator: 'remote',
      cause: 'completed-elsewhere',
      reason: 'Call completed elsewhere',
    });
  });
});

describe('RFC 3261 §14 re-INVITE: hold and resume', () => {
  it('holds with a re-INVITE: pending while in flight, committed on the 2xx, ACKed', async () => {
    const { clock, network, alice, bob, call, incoming, mark } = await established();
    const pendings: Array<PendingChange | undefined> = [];
    call.on('pending', (p) => pendings.push(p));
    const holds: boolean[] = [];
    call.on('hold', (h) => holds.push(h));
    const outcome = hold(call);
    expect(pendings).toEqual([{ kind: 'hold', method: 'INVITE' }]);
    expect(call.held).toBe(false);
    await settle(clock);
    expect(await outcome).toEqual({ ok: true });
    expect(call.held).toBe(true);
    expect(pendings).toEqual([{ kind: 'hold', method: 'INVITE' }, undefined]);
    expect(holds).toEqual([true]);
    expect(wireSince(network, mark)).toEqual(['a>b INVITE', 'b>a 200 INVITE', 'a>b ACK']);
    const reinvite = messages(network, isRequest('INVITE'))[1]!;
    expect(reinvite.body).toMatch(/a=sendonly/);
    expect(reinvite.headers.get('To')).toMatch(/tag=/);
    expect(bob.handler().applied.at(-1)).toMatch(/a=sendonly/);
    expect(incoming.state).toBe(S.Established);
    const resumed = unhold(call);
    await settle(clock);
    expect(await resumed).toEqual({ ok: true });
    expect(call.held).toBe(false);
    expect(alice.handler().ops()).toEqual([
      'getOffer',
      'setAnswer',
      'getOffer',
      'setAnswer',
      'getOffer',
      'setAnswer',
    ]);
  });

  it('a failed re-INVITE leaves the call exactly as it was (488, offer rolled back)', async () => {
    const { clock, alice, bob, call } = await established();
    bob.handler().failGetAnswer = true;
    const outcome = await (async () => {
      const p = hold(call);
      await settle(clock);
      return p;
    })();
    expect(outcome).toMatchObject({ ok: false, status: 488 });
    expect(call.held).toBe(false);
    expect(call.state).toBe(S.Established);
    expect(alice.handler().ops().slice(-2)).toEqual(['getOffer', 'rollback']);
    // The offer/answer state is stable again: the next change goes through.
    bob.handler().failGetAnswer = false;
    const resumed = renegotiate(call);
    await settle(clock);
    expect(await resumed).toEqual({ ok: true });
  });

  it('queues local offers and never interleaves them', async () => {
    const { clock, network, call, mark } = await established();
    const first = hold(call);
    const second = unhold(call);
    await settle(clock);
    expect(await first).toEqual({ ok: true });
    expect(await second).toEqual({ ok: true });
    expect(wireSince(network, mark)).toEqual([
      'a>b INVITE',
      'b>a 200 INVITE',
      'a>b ACK',
      'a>b INVITE',
      'b>a 200 INVITE',
      'a>b ACK',
    ]);
    expect(call.held).toBe(false);
  });

  it('the callee can hold too (re-INVITE from the UAS side)', async () => {
    const { clock, alice, incoming } = await established();
    const outcome = hold(incoming);
    await settle(clock);
    expect(await outcome).toEqual({ ok: true });
    expect(incoming.held).toBe(true);
    expect(alice.handler().applied.at(-1)).toMatch(/a=sendonly/);
  });
});

describe('RFC 3261 §14 / RFC 6337 §5 offerless re-INVITE', () => {
  it('the peer offers in its 200 and we answer in the ACK', async () => {
    const { clock, network, alice, bob, call, mark } = await established();
    const outcome = renegotiate(call, { offer: false });
    await settle(clock);
    expect(await outcome).toEqual({ ok: true });
    expect(wireSince(network, mark)).toEqual(['a>b INVITE', 'b>a 200 INVITE', 'a>b ACK']);
    const [reinvite] = messages(network, isRequest('INVITE')).slice(1);
    expect(reinvite?.body).toBe('');
    const ack = messages(network, isRequest('ACK')).at(-1)!;
    expect(ack.headers.get('Content-Type')).toBe('application/sdp');
    expect(bob.handler().ops().slice(-2)).toEqual(['getOffer', 'setAnswer']);
    expect(alice.handler().ops().slice(-1)).toEqual(['getAnswer']);
    expect(bob.handler().applied.at(-1)).toBe(ack.body);
  });
});

describe('RFC 3311 UPDATE', () => {
  it('renegotiates with an offer in an UPDATE, both ways', async () => {
    const { clock, network, alice, bob, call, incoming, mark } = await established();
    const fromA = renegotiate(call, { method: 'UPDATE' });
    await settle(clock);
    expect(await fromA).toEqual({ ok: true });
    const fromB = renegotiate(incoming, { method: 'UPDATE' });
    await settle(clock);
    expect(await fromB).toEqual({ ok: true });
    expect(wireSince(network, mark)).toEqual([
      'a>b UPDATE',
      'b>a 200 UPDATE',
      'b>a UPDATE',
      'a>b 200 UPDATE',
    ]);
    expect(alice.handler().ops().slice(-3)).toEqual(['getOffer', 'setAnswer', 'getAnswer']);
    expect(bob.handler().ops().slice(-3)).toEqual(['getAnswer', 'getOffer', 'setAnswer']);
  });
});

describe('RFC 3261 §14.1 / §14.2 glare', () => {
  it('both sides re-INVITE at once: 491 both ways, retried after the randomised back-off', async () => {
    const { clock, network, call, incoming, mark } = await established();
    const start = clock.now();
    const a = hold(call);
    const b = hold(incoming);
    await run(clock, 5_000, 10);
    expect(await a).toEqual({ ok: true });
    expect(await b).toEqual({ ok: true });
    const lines = wireSince(network, mark);
    expect(lines.slice(0, 4).sort()).toEqual([
      'a>b 491 INVITE',
      'a>b INVITE',
      'b>a 491 INVITE',
      'b>a INVITE',
    ]);
    const retries = network.frames
      .slice(mark)
      .filter((f) => f.text.startsWith('INVITE'))
      .slice(2)
      .map((f) => ({ from: f.from, at: f.sentAt - start }));
    const byA = retries.find((r) => r.from === 'a')!;
    const byB = retries.find((r) => r.from === 'b')!;
    // A generated the Call-ID: 2.1–4 s. B did not: 0–2 s.
    expect(byA.at).toBeGreaterThanOrEqual(2100);
    expect(byA.at).toBeLessThanOrEqual(4000);
    expect(byB.at).toBeLessThanOrEqual(2000);
    expect(call.held && incoming.held).toBe(true);
  });

  it('answers 491 to an UPDATE offer while our own offer is pending', async () => {
    const { clock, network, call, incoming, mark } = await established();
    const a = renegotiate(call, { method: 'UPDATE' });
    const b = renegotiate(incoming, { method: 'UPDATE' });
    await run(clock, 5_000, 10);
    expect((await a).ok && (await b).ok).toBe(true);
    expect(wireSince(network, mark).filter((l) => l.includes('491'))).toHaveLength(2);
  });
});

describe('RFC 4028 session timers', () => {
  it('negotiates 1800 s with the caller as refresher and refreshes by UPDATE at half-time', async () => {
    const { clock, network, incoming, timers, mark } = await established();
    const ok = messages(network, isResponse(200, 'INVITE'))[0]!;
    expect(getSessionExpires(ok)).toMatchObject({
      ok: true,
      value: { seconds: 1800, params: { refresher: 'uac' } },
    });
    expect(ok.headers.get('Require')).toBe('timer');
    expect(timers.call.current).toEqual({ interval: 1800, weRefresh: true });
    expect(timers.incoming.current).toEqual({ interval: 1800, weRefresh: false });
    await settle(clock, 899_000);
    expect(wireSince(network, mark)).toEqual([]);
    await settle(clock, 1_000);
    expect(wireSince(network, mark)).toEqual(['a>b UPDATE', 'b>a 200 UPDATE']);
    const update = messages(network, isRequest('UPDATE'))[0]!;
    expect(update.body).toBe('');
    expect(update.headers.get('Session-Expires')).toBe('1800;refresher=uac');
    // Refreshed, so B does not end the call at 1800 - 32 s after the start.
    await settle(clock, 900_000);
    expect(incoming.state).toBe(S.Established);
  });

  it('the side that does not refresh sends BYE before the session expires', async () => {
    const { clock, network, call, incoming } = await established();
    network.tap((f) => (f.text.startsWith('UPDATE') ? 'drop' : undefined));
    await settle(clock, 1_768_000);
    await settle(clock);
    expect(incoming.ended).toMatchObject({ originator: 'system', cause: 'session-expired' });
    expect(call.ended).toMatchObject({ originator: 'remote', cause: 'bye' });
  });

  it('retries with the Min-SE of a 422', async () => {
    const { clock, network, alice, bob } = await startedPair({
      bob: { sessionTimer: { minSE: 2000, interval: 3600 } },
    });
    const call = alice.ua.call('sip:bob@ringlet.test');
    const timer = trackSessionTimer(call);
    await settle(clock);
    expect(wire(network)).toEqual(['a>b INVITE', 'b>a 422 INVITE', 'a>b ACK', 'a>b INVITE']);
    expect(messages(network, isResponse(422, 'INVITE'))[0]?.headers.get('Min-SE')).toBe('2000');
    const retry = messages(network, isRequest('INVITE'))[1]!;
    expect(retry.headers.get('Session-Expires')).toBe('2000');
    expect(retry.headers.get('CSeq')).toBe('2 INVITE');
    await bob.lastIncoming().answer();
    await settle(clock);
    expect(call.state).toBe(S.Established);
    expect(timer.current?.interval).toBe(2000);
  });

  it('refreshes by re-INVITE when the peer does not allow UPDATE', async () => {
    const { clock, peer, call, invite } = await callingPeer();
    const timer = trackSessionTimer(call);
    peer.reply(invite, 200, {
      toTag: 'p1',
      headers: sdpHeaders([
        ['Allow', 'INVITE, ACK, BYE, CANCEL'],
        ['Session-Expires', '120;refresher=uac'],
        ['Require', 'timer'],
      ]),
      body: 'v=0 answer',
    });
    await settle(clock);
    expect(timer.current).toEqual({ interval: 120, weRefresh: true });
    await settle(clock, 60_000);
    expect(peer.requests('INVITE')).toHaveLength(2);
    expect(peer.requests('UPDATE')).toHaveLength(0);
    expect(peer.lastRequest('INVITE').headers.get('Session-Expires')).toBe('120;refresher=uac');
  });
});

describe('RFC 3262 reliable provisional responses (UAC)', () => {
  it('PRACKs a 183 that requires 100rel, applies its answer once, ignores its retransmission', async () => {
    const { clock, alice, peer, call, invite } = await callingPeer();
    expect(invite.headers.get('Supported')).toMatch(/100rel/);
    const reliable = {
      toTag: 'r1',
      headers: sdpHeaders([
        ['Require', '100rel'],
        ['RSeq', '7'],
      ]),
      body: 'v=0 early',
    };
    peer.reply(invite, 183, reliable);
    await settle(clock);
    peer.reply(invite, 183, reliable); // a retransmission (RFC 3262 §3)
    await settle(clock);
    expect(peer.requests('PRACK')).toHaveLength(1);
    expect(peer.lastRequest('PRACK').headers.get('RAck')).toBe('7 1 INVITE');
    expect(peer.lastRequest('PRACK').headers.get('To')).toMatch(/tag=r1/);
    peer.reply(peer.lastRequest('PRACK'), 200);
    peer.reply(invite, 200, { toTag: 'r1', headers: sdpHeaders(), body: 'v=0 early' });
    await settle(clock);
    expect(call.state).toBe(S.Established);
    expect(alice.handler().applied).toEqual(['v=0 early']);
  });
});

describe('RFC 6086 INFO', () => {
  it('sends and receives INFO with an opaque body, surfaced as an event; unanswered, it gets 200', async () => {
    const { clock, call, incoming } = await established();
    const got: Array<{ contentType: string | undefined; body: string; method: string }> = [];
    incoming.on('info', (m) =>
      got.push({ contentType: m.contentType, body: m.body, method: m.request.method }),
    );
    const status = sendInfo(call, 'application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n');
    await settle(clock);
    expect(await status).toBe(200);
    expect(got).toEqual([
      { contentType: 'application/dtmf-relay', body: 'Signal=5\r\nDuration=160\r\n', method: 'INFO' },
    ]);
  });

  it("lets the INFO's user answer: 415 with the Accept header it gives (RFC 3261 §8.2.3)", async () => {
    const { clock, call, incoming, network } = await established();
    incoming.on('info', (m) => m.respond(415, [['Accept', 'application/dtmf-relay']]));
    const status = sendInfo(call, 'text/plain', 'hello');
    await settle(clock);
    expect(await status).toBe(415);
    const refused = messages(network).filter((m) => m.kind === 'response' && m.status === 415);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.headers.get('Accept')).toBe('application/dtmf-relay');
  });

  it('sends exactly one response: the first answer wins, a later one is a named error', async () => {
    const { clock, call, incoming, network } = await established();
    const errors: unknown[] = [];
    let late: (() => void) | undefined;
    incoming.on('info', (m) => {
      m.respond(400);
      try {
        m.respond(200);
      } catch (error) {
        errors.push(error);
      }
    });
    incoming.on('info', (m) => {
      late = () => m.respond(415);
    });
    const status = sendInfo(call, 'application/dtmf-relay', 'Signal=Z');
    await settle(clock);
    expect(await status).toBe(400);
    expect(errors).toEqual([expect.any(InvalidStateError)]);
    // After the listeners: the INFO is answered already, whatever a listener does later.
    expect(() => late?.()).toThrow(InvalidStateError);
    expect(messages(network).filter((m) => m.kind === 'response' && methodOfCSeq(m) === 'INFO')).toHaveLength(
      1,
    );
  });

  it('refuses a status that is not final (programmer error) and still answers 200', async () => {
    const { clock, call, incoming } = await established();
    const errors: unknown[] = [];
    incoming.on('info', (m) => {
      try {
        m.respond(180);
      } catch (error) {
        errors.push(error);
      }
    });
    const status = sendInfo(call, 'application/dtmf', '5');
    await settle(clock);
    expect(errors).toEqual([expect.any(InvalidArgumentError)]);
    expect(await status).toBe(200);
  });
});

describe('responses handed to the user (what the session does not interpret: RFC 3325, §20.43)', () => {
  const pai = ['P-Asserted-Identity', '"Bob Desk" <sip:+15551234@ringlet.test>'] as const;

  it('progress carries the provisional response, confirmed the 2xx that was ACKed', async () => {
    const { clock, alice, peer } = await withPeer();
    const call = alice.ua.call('sip:bob@ringlet.test');
    const seen: string[] = [];
    call.on('progress', (p) =>
      seen.push(`${p.response.status} ${p.response.headers.get('P-Asserted-Identity')}`),
    );
    call.on('confirmed', (r) => seen.push(`${r?.status} ${r?.headers.get('P-Asserted-Identity')}`));
    await settle(clock);
    const invite = peer.lastRequest('INVITE');
    peer.reply(invite, 180, { toTag: 'p1', headers: [contact, pai] });
    await settle(clock);
    peer.reply(invite, 200, { toTag: 'p1', headers: sdpHeaders([pai]), body: 'v=0 answer' });
    await settle(clock);
    expect(seen).toEqual([
      '180 "Bob Desk" <sip:+15551234@ringlet.test>',
      '200 "Bob Desk" <sip:+15551234@ringlet.test>',
    ]);
  });

  it('the incoming side is confirmed by the ACK, with no response', async () => {
    const { clock, incoming } = await calling();
    const confirmed: unknown[] = [];
    incoming.on('confirmed', (r) => confirmed.push(r));
    await incoming.answer();
    await settle(clock);
    expect(confirmed).toEqual([undefined]);
  });

  it('ended carries the final response that refused the INVITE, Warning and body included', async () => {
    const { clock, peer, call, invite } = await callingPeer();
    const warning = '399 pbx.example "Only G.729 is allowed"';
    peer.reply(invite, 488, { toTag: 'p1', headers: [['Warning', warning]] });
    await settle(clock);
    expect(call.ended).toMatchObject({ originator: 'remote', cause: 'not-acceptable', status: 488 });
    expect(call.ended?.response?.status).toBe(488);
    expect(call.ended?.response?.headers.get('Warning')).toBe(warning);
  });

  it('an end the network did not answer (timeout, our BYE) carries no response', async () => {
    const { clock, call, incoming } = await established();
    call.bye();
    await settle(clock);
    expect(call.ended?.response).toBeUndefined();
    expect(incoming.ended?.response).toBeUndefined();
  });
});

describe('RFC 3261 §13.2.1 / §14.2 protocol errors from the peer', () => {
  async function answeredByPeer(answer = 'v=0 answer') {
    const ctx = await callingPeer();
    ctx.peer.reply(ctx.invite, 200, {
      toTag: 'p1',
      headers: answer ? sdpHeaders() : [contact],
      body: answer,
    });
    await settle(ctx.clock);
    return ctx;
  }

  const reinviteFrom = (invite: SipRequest, seq: number, body: string): SipRequest =>
    peerReinvite(invite, { seq, branch: `re-${seq}`, toTag: 'p1', body });

  it('ACKs a 2xx that carries no answer, then ends the call with BYE', async () => {
    const { peer, call } = await answeredByPeer('');
    expect(peer.requests('ACK')).toHaveLength(1);
    expect(peer.requests('BYE')).toHaveLength(1);
    expect(call.state).toBe(S.Terminating);
  });

  it('answers 500 with Retry-After 0–10 s to a re-INVITE that overlaps one still unACKed', async () => {
    const { clock, peer, invite, call } = await answeredByPeer();
    const pending: Array<PendingChange | undefined> = [];
    call.on('pending', (change) => pending.push(change));
    peer.send(reinviteFrom(invite, 10, 'v=0 offer 1'));
    await settle(clock);
    expect(peer.received.filter(isResponse(200, 'INVITE'))).toHaveLength(1);
    expect(pending).toEqual([{ kind: 'remote-offer', method: 'INVITE' }]);
    peer.send(reinviteFrom(invite, 11, 'v=0 offer 2'));
    await settle(clock);
    const r500 = peer.received.find(isResponse(500, 'INVITE'));
    expect(Number(r500?.headers.get('Retry-After'))).toBeLessThanOrEqual(10);
    expect(call.state).toBe(S.Established);
  });
});

describe('RFC 3261 §12.2.1.2 / RFC 3311 a 2xx to our target refresh request', () => {
  const moved = ['Contact', '<sip:peer@moved.invalid;transport=ws>'] as const;

  async function answeredByPeer() {
    const ctx = await callingPeer();
    ctx.peer.reply(ctx.invite, 200, {
      toTag: 'p1',
      headers: sdpHeaders(),
      body: 'v=0 answer',
    });
    await settle(ctx.clock);
    expect(ctx.call.state).toBe(S.Established);
    return ctx;
  }

  it('replaces the remote target with the Contact of the 2xx to our re-INVITE (ACK and BYE go there)', async () => {
    const { clock, peer, call } = await answeredByPeer();
    const outcome = hold(call);
    await settle(clock);
    peer.reply(peer.lastRequest('INVITE'), 200, {
      toTag: 'p1',
      headers: [moved, ['Content-Type', 'application/sdp']],
      body: 'v=0 held answer',
    });
    await settle(clock);
    expect(await outcome).toEqual({ ok: true });
    expect(formatUri(peer.lastRequest('ACK').uri)).toBe('sip:peer@moved.invalid;transport=ws');
    call.hangup();
    await settle(clock);
    expect(formatUri(peer.lastRequest('BYE').uri)).toBe('sip:peer@moved.invalid;transport=ws');
  });

  it('replaces it with the Contact of the 2xx to our UPDATE', async () => {
    const { clock, peer, call } = await answeredByPeer();
    const outcome = renegotiate(call, { method: 'UPDATE' });
    await settle(clock);
    peer.reply(peer.lastRequest('UPDATE'), 200, {
      headers: [moved, ['Content-Type', 'application/sdp']],
      body: 'v=0 new answer',
    });
    await settle(clock);
    expect(await outcome).toEqual({ ok: true });
    call.hangup();
    await settle(clock);
    expect(formatUri(peer.lastRequest('BYE').uri)).toBe('sip:peer@moved.invalid;transport=ws');
  });
});

describe('RFC 4028 §7.4 refreshes keep the refresher', () => {
  it('a re-INVITE from the side that does not refresh leaves the caller as refresher', async () => {
    const { clock, incoming, timers } = await established();
    const outcome = hold(incoming);
    await settle(clock);
    expect(await outcome).toEqual({ ok: true });
    expect(timers.call.current).toEqual({ interval: 1800, weRefresh: true });
    expect(timers.incoming.current).toEqual({ interval: 1800, weRefresh: false });
  });
});
