import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../support/errors';
import {
  SDP_CONTENT_TYPE,
  aliceCallsBob,
  aliceCallsPeer,
  allExtensions,
  isRequest,
  isResponse,
  messages,
  peerInvite,
  peerReinvite,
  peerSdpHeaders,
  settle,
  startedPair,
  withPeer,
  type PartyOptions,
} from '../testing/session-harness';
import { infoMethod, sendInfo } from './info-method';
import { InviteSessionState as S } from './invite-session';
import { reliableProvisionals } from './reliable-provisionals';
import { hold, renegotiate, renegotiation, unhold } from './renegotiation';
import { withExtensions } from './session-extension';
import { sessionTimers } from './session-timer';
import { updateMethod } from './update-method';

const CORE_ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS';

/** Alice with `alice` options calls Bob with `bob` options; both established. */
async function established(alice: Partial<PartyOptions>, bob: Partial<PartyOptions>) {
  const ctx = await startedPair({ alice, bob });
  const { call, incoming } = await aliceCallsBob(ctx);
  await incoming.answer();
  await settle(ctx.clock);
  expect(call.state).toBe(S.Established);
  return { clock: ctx.clock, network: ctx.network, call, incoming };
}

/** A UA (with `extensions`) calling a hand-driven peer: the INVITE is through. */
async function callingPeer(extensions: PartyOptions['extensions']) {
  const ctx = await withPeer({ extensions });
  return { ...ctx, ...(await aliceCallsPeer(ctx)) };
}

const inviteRequiring = (tag: string) =>
  peerInvite({
    callId: `require-${tag}`,
    branch: `require-${tag}`,
    headers: [['Require', tag], SDP_CONTENT_TYPE],
    body: 'v=0 offer',
  });

describe('the core session alone (RFC 3261; no extension installed)', () => {
  it('advertises only the core methods and no option tag, and asks for no session timer', async () => {
    const { network } = await established({ extensions: [] }, { extensions: [] });
    const invite = messages(network, isRequest('INVITE'))[0]!;
    expect(invite.headers.get('Allow')).toBe(CORE_ALLOW);
    expect(invite.headers.has('Supported')).toBe(false);
    expect(invite.headers.has('Session-Expires')).toBe(false);
    const ok = messages(network, isResponse(200, 'INVITE'))[0]!;
    expect(ok.headers.get('Allow')).toBe(CORE_ALLOW);
    expect(ok.headers.has('Session-Expires')).toBe(false);
  });

  it('§8.2.1: answers an in-dialog UPDATE and INFO with 405 and an Allow without them', async () => {
    // UPDATE and INFO are methods we recognise but do not support: 405, not 501 (§21.5.2 keeps
    // 501 for methods the UAS does not recognise). §12.2.2 applies the §8.2 checks inside dialogs.
    const { clock, network, call } = await established({}, { extensions: [] });
    const update = renegotiate(call, { method: 'UPDATE' });
    await settle(clock);
    expect(await update).toMatchObject({ ok: false, status: 405 });
    const info = sendInfo(call, 'application/dtmf-relay', 'Signal=1');
    await settle(clock);
    expect(await info).toBe(405);
    const refusals = messages(network, (m) => m.kind === 'response' && m.status === 405);
    expect(refusals).toHaveLength(2);
    for (const r of refusals) expect(r.headers.get('Allow')).toBe(CORE_ALLOW);
    // A refused change leaves the call as it was.
    expect(call.state).toBe(S.Established);
  });

  it('§8.2.2.3: answers an INVITE that requires 100rel or timer with 420 and Unsupported', async () => {
    const { clock, alice, peer } = await withPeer({ extensions: [] });
    for (const tag of ['100rel', 'timer']) {
      peer.send(inviteRequiring(tag));
      await settle(clock);
      const refused = peer.received.filter(isResponse(420, 'INVITE')).at(-1);
      expect(refused?.headers.get('Unsupported')).toBe(tag);
    }
    expect(alice.incoming).toHaveLength(0);
  });

  it('info(), hold(), unhold() and renegotiate() reject with UnsupportedError', async () => {
    const { clock, network, call } = await established({ extensions: [] }, { extensions: [] });
    const pending: unknown[] = [];
    call.on('pending', (change) => pending.push(change));
    await expect(sendInfo(call, 'application/dtmf-relay', 'Signal=1')).rejects.toBeInstanceOf(
      UnsupportedError,
    );
    await expect(hold(call)).rejects.toBeInstanceOf(UnsupportedError);
    await expect(unhold(call)).rejects.toBeInstanceOf(UnsupportedError);
    await expect(renegotiate(call)).rejects.toBeInstanceOf(UnsupportedError);
    await expect(renegotiate(call, { method: 'UPDATE' })).rejects.toBeInstanceOf(UnsupportedError);
    await settle(clock);
    // Nothing went on the wire and the call is as it was.
    expect(messages(network, isRequest('INVITE'))).toHaveLength(1);
    expect(pending).toEqual([]);
    expect(call.state).toBe(S.Established);
  });

  it("§14.2: still answers the peer's re-INVITE, so the peer can hold us", async () => {
    // Bob has every extension; Alice (the core alone) is put on hold and taken off it.
    const { clock, network, call, incoming } = await established({ extensions: [] }, {});
    const pending: unknown[] = [];
    call.on('pending', (change) => pending.push(change));
    const held = hold(incoming);
    await settle(clock);
    expect(await held).toEqual({ ok: true });
    const resumed = unhold(incoming);
    await settle(clock);
    expect(await resumed).toEqual({ ok: true });
    expect(incoming.held).toBe(false);
    const remoteOffer = { kind: 'remote-offer', method: 'INVITE' };
    expect(pending).toEqual([remoteOffer, undefined, remoteOffer, undefined]);
    expect(messages(network, isResponse(200, 'INVITE'))).toHaveLength(3);
    expect(messages(network, isRequest('ACK'))).toHaveLength(3);
    // Alice's own hold state never changed: she was held, she did not hold.
    expect(call.held).toBe(false);
    expect(call.state).toBe(S.Established);
  });

  it("§14.2: answers 500 with Retry-After to a re-INVITE while the peer's previous one is unanswered", async () => {
    const { clock, peer, call, invite } = await callingPeer([]);
    peer.reply(invite, 200, { toTag: 'pt', headers: peerSdpHeaders(), body: 'v=0 answer' });
    await settle(clock);
    expect(call.state).toBe(S.Established);
    const reInvite = (seq: number, branch: string) =>
      peerReinvite(invite, { seq, branch, toTag: 'pt', body: 'v=0 re-offer', uri: 'sip:alice@a.invalid' });
    // The fake handler answers a remote offer asynchronously, so the second INVITE crosses the first.
    peer.send(reInvite(2, 'first'));
    peer.send(reInvite(3, 'second'));
    await settle(clock);
    const busy = peer.received.find(isResponse(500, 'INVITE'));
    expect(busy?.headers.get('CSeq')).toBe('3 INVITE');
    expect(Number(busy?.headers.get('Retry-After'))).toBeLessThanOrEqual(10);
    expect(peer.received.find(isResponse(200, 'INVITE'))?.headers.get('CSeq')).toBe('2 INVITE');
  });

  it('does not PRACK a reliable provisional response: it is an ordinary 183', async () => {
    const { clock, peer, call, invite } = await callingPeer([]);
    peer.reply(invite, 183, {
      toTag: 'r1',
      headers: peerSdpHeaders([
        ['Require', '100rel'],
        ['RSeq', '1'],
      ]),
      body: 'v=0 early',
    });
    await settle(clock);
    expect(peer.requests('PRACK')).toHaveLength(0);
    expect(call.state).toBe(S.Proceeding);
  });

  it('ends the call on a 422 instead of retrying with its Min-SE', async () => {
    const { clock, peer, call, invite } = await callingPeer([]);
    peer.reply(invite, 422, { toTag: 't', headers: [['Min-SE', '1800']] });
    await settle(clock);
    expect(peer.requests('INVITE')).toHaveLength(1);
    expect(call.ended).toMatchObject({ originator: 'remote', status: 422 });
  });
});

describe('installed extensions shape Allow and Supported', () => {
  it('lists UPDATE and INFO in Allow, 100rel and timer in Supported', async () => {
    const { network } = await established({}, {});
    const invite = messages(network, isRequest('INVITE'))[0]!;
    expect(invite.headers.get('Allow')).toBe(`${CORE_ALLOW}, UPDATE, INFO`);
    expect(invite.headers.get('Supported')).toBe('100rel, timer');
  });

  it('accepts an INVITE requiring timer, but still answers 420 to one requiring 100rel (UAC only)', async () => {
    const { clock, alice, peer } = await withPeer({ extensions: allExtensions() });
    peer.send(inviteRequiring('timer'));
    await settle(clock);
    expect(alice.incoming).toHaveLength(1);
    peer.send(inviteRequiring('100rel'));
    await settle(clock);
    expect(peer.received.find(isResponse(420, 'INVITE'))?.headers.get('Unsupported')).toBe('100rel');
  });

  it('session timers without updateMethod() refresh by re-INVITE, though the peer allows UPDATE', async () => {
    const { clock, network, call } = await established(
      { extensions: [sessionTimers({ interval: 600 })] },
      { extensions: allExtensions() },
    );
    await settle(clock, 300_000);
    const invites = messages(network, isRequest('INVITE'));
    expect(invites).toHaveLength(2);
    const refresh = invites[1]!;
    expect(messages(network, isRequest('UPDATE'))).toHaveLength(0);
    expect(refresh.headers.get('Session-Expires')).toBe('600;refresher=uac');
    expect(call.state).toBe(S.Established);
  });

  it('renegotiation() alone: hold() works; renegotiate({ method: "UPDATE" }) needs updateMethod()', async () => {
    const { clock, call } = await established({ extensions: [renegotiation()] }, { extensions: [] });
    await expect(renegotiate(call, { method: 'UPDATE' })).rejects.toBeInstanceOf(UnsupportedError);
    const held = hold(call);
    await settle(clock);
    expect(await held).toEqual({ ok: true });
    expect(call.held).toBe(true);
  });

  it('sessionTimers() pulls in renegotiation(), and shares its queue when both are installed', async () => {
    for (const extensions of [[sessionTimers()], [renegotiation(), sessionTimers()]]) {
      const { clock, network, call } = await established({ extensions }, { extensions: [] });
      const pending: unknown[] = [];
      call.on('pending', (change) => pending.push(change));
      // Two changes at once run one after the other: one queue, not one per extension.
      const first = hold(call);
      const second = unhold(call);
      expect(pending).toEqual([{ kind: 'hold', method: 'INVITE' }]);
      await settle(clock);
      expect(await first).toEqual({ ok: true });
      expect(await second).toEqual({ ok: true });
      expect(messages(network, isRequest('INVITE'))).toHaveLength(3);
      expect(call.held).toBe(false);
    }
  });

  it('withExtensions() adds methods to Allow and only requirable tags to the Require check', () => {
    const caps = withExtensions({ allowed: ['INVITE'], supported: ['path'], schemes: ['sip'] }, [
      reliableProvisionals(),
      updateMethod(),
      sessionTimers(),
      infoMethod(),
    ]);
    expect(caps).toEqual({
      allowed: ['INVITE', 'UPDATE', 'INFO'],
      supported: ['path', 'timer'],
      schemes: ['sip'],
    });
  });
});
