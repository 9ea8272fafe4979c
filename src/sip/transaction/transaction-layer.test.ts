import { describe, expect, it } from 'vitest';
import { getVias } from '../message/headers';
import { createRequest, type SipRequest } from '../message/sip-message';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import { createRandom } from '../support/random';
import { FakeClock, sequentialBytes } from '../testing/fake-clock';
import { InviteClientTransaction } from './invite-client-transaction';
import { InviteServerTransaction } from './invite-server-transaction';
import { NonInviteClientTransaction } from './non-invite-client-transaction';
import { NonInviteServerTransaction } from './non-invite-server-transaction';
import { FakeTransport, request, responseTo } from './testing/transaction-harness';
import { TransactionLayer, type RequestDisposition } from './transaction-layer';
import { DEFAULT_TIMER_SETTINGS } from './timers';
import type { TerminationReason } from './transaction';

function setup() {
  const clock = new FakeClock();
  const transport = new FakeTransport();
  const layer = new TransactionLayer({
    transport,
    clock,
    random: createRandom(sequentialBytes(7)),
  });
  return { clock, transport, layer };
}

/** A request as the TU hands it to the layer: no Via yet. */
function outgoing(method: string): SipRequest {
  return request({ method, via: '' });
}

function serverTransaction(d: RequestDisposition) {
  if (d.kind !== 'new') throw new Error(`expected a new transaction, got ${d.kind}`);
  return d.transaction;
}

function topBranch(req: SipRequest): string | null | undefined {
  const vias = getVias(req);
  return vias.ok ? vias.value[0]?.params['branch'] : undefined;
}

describe('RFC 3261 §17 transaction layer', () => {
  describe('Table 4 timer values', () => {
    it('uses T1 = 500 ms and T2 = 4 s', () => {
      expect(DEFAULT_TIMER_SETTINGS).toEqual({ t1: 500, t2: 4000 });
    });
  });

  describe('creating client transactions (§17.1, §8.1.1.7)', () => {
    it('adds a top Via with the transport token, the .invalid host, a magic-cookie branch and rport', () => {
      const { layer, transport } = setup();
      const tx = layer.sendRequest(outgoing('OPTIONS'));
      const via = tx.request.headers.getAll('Via');
      expect(via).toHaveLength(1);
      expect(via[0]).toMatch(/^SIP\/2\.0\/WS df7jal23ls0d\.invalid;branch=z9hG4bK[0-9a-f]{20};rport$/);
      expect(transport.message(0).headers.get('Via')).toBe(via[0]);
    });

    it("does not modify the caller's request", () => {
      const { layer } = setup();
      const req = outgoing('OPTIONS');
      layer.sendRequest(req);
      expect(req.headers.has('Via')).toBe(false);
    });

    it('gives each request a different branch', () => {
      const { layer } = setup();
      const a = layer.sendRequest(outgoing('OPTIONS'));
      const b = layer.sendRequest(outgoing('OPTIONS'));
      expect(topBranch(a.request)).not.toBe(topBranch(b.request));
    });

    it('keeps a Via the TU already set (a CANCEL shares the branch of its INVITE, §9.1)', () => {
      const { layer } = setup();
      const invite = layer.sendRequest(outgoing('INVITE'));
      const cancel = createRequest('CANCEL', invite.request.uri, invite.request.headers.clone());
      cancel.headers.set('CSeq', '314159 CANCEL');
      const tx = layer.sendRequest(cancel);
      expect(topBranch(tx.request)).toBe(topBranch(invite.request));
      expect([invite.isTerminated, tx.isTerminated]).toEqual([false, false]);
    });

    it('creates an INVITE client transaction for INVITE and a non-INVITE one otherwise', () => {
      const { layer } = setup();
      expect(layer.sendRequest(outgoing('INVITE'))).toBeInstanceOf(InviteClientTransaction);
      expect(layer.sendRequest(outgoing('REGISTER'))).toBeInstanceOf(NonInviteClientTransaction);
    });

    it('refuses to send an ACK as a transaction, and refuses a duplicate branch', () => {
      const { layer } = setup();
      expect(() => layer.sendRequest(outgoing('ACK'))).toThrow(InvalidArgumentError);
      const req = request({ method: 'OPTIONS' });
      layer.sendRequest(req);
      expect(() => layer.sendRequest(req)).toThrow(InvalidStateError);
    });

    it('reports a transport failure to the TU and forgets the transaction', () => {
      const { layer, transport } = setup();
      transport.failing = true;
      const events: string[] = [];
      const tx = layer.sendRequest(outgoing('OPTIONS'), {
        onTransportError: () => events.push('transport-error'),
        onTerminated: (reason) => events.push(reason),
      });
      expect(events).toEqual(['transport-error', 'transport-error']);
      expect(layer.receiveResponse(responseTo(tx.request, 200)).kind).toBe('stray');
    });

    it('sends the ACK of a 2xx outside any transaction, with a fresh branch', () => {
      const { layer, transport } = setup();
      const invite = layer.sendRequest(outgoing('INVITE'));
      const ack = outgoing('ACK');
      expect(layer.sendAck(ack)).toBe(true);
      const sent = transport.message(1);
      expect(sent.kind === 'request' && sent.method).toBe('ACK');
      expect(sent.kind === 'request' && topBranch(sent)).not.toBe(topBranch(invite.request));
      // No transaction for the ACK: a response to it matches nothing.
      if (sent.kind === 'request') expect(layer.receiveResponse(responseTo(sent, 200)).kind).toBe('stray');
    });
  });

  describe('§17.1.3 matching responses to client transactions', () => {
    it('matches on the branch of the top Via and the CSeq method', () => {
      const { layer } = setup();
      const events: string[] = [];
      const tx = layer.sendRequest(outgoing('INVITE'), { onProvisional: (r) => events.push(`${r.status}`) });
      const d = layer.receiveResponse(responseTo(tx.request, 180, 'b'));
      expect(d).toEqual({ kind: 'matched' });
      expect(events).toEqual(['180']);
    });

    it('routes a response to the CANCEL, which shares the branch, by its CSeq method', () => {
      const { layer } = setup();
      const seen: string[] = [];
      const invite = layer.sendRequest(outgoing('INVITE'), {
        onFinal: (r) => seen.push(`invite ${r.status}`),
      });
      const cancel = createRequest('CANCEL', invite.request.uri, invite.request.headers.clone());
      cancel.headers.set('CSeq', '314159 CANCEL');
      const cancelTx = layer.sendRequest(cancel, { onFinal: (r) => seen.push(`cancel ${r.status}`) });
      expect(layer.receiveResponse(responseTo(cancelTx.request, 200, 'b')).kind).toBe('matched');
      expect(layer.receiveResponse(responseTo(invite.request, 487, 'b')).kind).toBe('matched');
      expect(seen).toEqual(['cancel 200', 'invite 487']);
    });

    it('reports a response with an unknown branch as stray', () => {
      const { layer } = setup();
      layer.sendRequest(outgoing('INVITE'));
      const other = request({ branch: 'z9hG4bKsomeoneelse' });
      expect(layer.receiveResponse(responseTo(other, 200, 'b')).kind).toBe('stray');
    });

    it('reports a 2xx retransmission after the INVITE transaction ended as stray, for the dialog to re-ACK', () => {
      const { layer, clock } = setup();
      const tx = layer.sendRequest(outgoing('INVITE'));
      const ok = responseTo(tx.request, 200, 'b');
      layer.receiveResponse(ok);
      expect(layer.receiveResponse(ok)).toEqual({ kind: 'matched' });
      clock.advance(32_000);
      expect(tx.state).toBe('Terminated');
      expect(layer.receiveResponse(ok)).toEqual({ kind: 'stray', response: ok });
    });

    it('reports a failure response retransmitted after the ACK as stray (Timer D = 0)', () => {
      const { layer, transport } = setup();
      const finals: number[] = [];
      const tx = layer.sendRequest(outgoing('INVITE'), { onFinal: (r) => finals.push(r.status) });
      const busy = responseTo(tx.request, 486, 'b');
      expect(layer.receiveResponse(busy).kind).toBe('matched');
      expect(layer.receiveResponse(busy).kind).toBe('stray');
      expect(transport.summary()).toEqual(['INVITE', 'ACK']);
      expect(finals).toEqual([486]);
    });
  });

  describe('§17.2.3 matching requests to server transactions (magic cookie)', () => {
    it('creates a server transaction for a new request', () => {
      const { layer } = setup();
      expect(serverTransaction(layer.receiveRequest(request({ method: 'INVITE' })))).toBeInstanceOf(
        InviteServerTransaction,
      );
      expect(serverTransaction(layer.receiveRequest(request({ method: 'BYE' })))).toBeInstanceOf(
        NonInviteServerTransaction,
      );
    });

    it('absorbs a retransmitted request and re-sends the last response', () => {
      const { layer, transport } = setup();
      const invite = request({ method: 'INVITE' });
      const tx = serverTransaction(layer.receiveRequest(invite));
      tx.respond(responseTo(invite, 180, 'uas'));
      expect(layer.receiveRequest(request({ method: 'INVITE' }))).toEqual({ kind: 'absorbed' });
      expect(transport.summary()).toEqual([180, 180]);
    });

    it('absorbs a retransmitted non-INVITE request and re-sends the provisional response', () => {
      const { layer, transport } = setup();
      const bye = request({ method: 'BYE' });
      const tx = serverTransaction(layer.receiveRequest(bye));
      tx.respond(responseTo(bye, 100));
      expect(layer.receiveRequest(request({ method: 'BYE' })).kind).toBe('absorbed');
      expect(transport.summary()).toEqual([100, 100]);
    });

    it('treats the same branch from another sent-by as a different transaction', () => {
      const { layer } = setup();
      serverTransaction(
        layer.receiveRequest(request({ via: 'SIP/2.0/WSS a.example.com;branch=z9hG4bKsame' })),
      );
      const d = layer.receiveRequest(request({ via: 'SIP/2.0/WSS b.example.com;branch=z9hG4bKsame' }));
      expect(d.kind).toBe('new');
    });

    it('treats the same branch with another method as a different transaction', () => {
      const { layer } = setup();
      serverTransaction(layer.receiveRequest(request({ method: 'INFO', branch: 'z9hG4bKx' })));
      expect(layer.receiveRequest(request({ method: 'MESSAGE', branch: 'z9hG4bKx' })).kind).toBe('new');
    });

    it('matches the ACK of a 3xx-6xx to the INVITE server transaction (method INVITE)', () => {
      const { layer } = setup();
      const invite = request({ method: 'INVITE' });
      const tx = serverTransaction(layer.receiveRequest(invite)) as InviteServerTransaction;
      tx.respond(responseTo(invite, 486, 'uas'));
      const ack = request({ method: 'ACK', toTag: 'uas' });
      expect(layer.receiveRequest(ack)).toEqual({ kind: 'absorbed' });
      expect(tx.state).toBe('Terminated'); // through Confirmed, Timer I = 0
    });

    it('passes the ACK of a 2xx (its own branch) to the TU', () => {
      const { layer } = setup();
      const invite = request({ method: 'INVITE' });
      serverTransaction(layer.receiveRequest(invite)).respond(responseTo(invite, 200, 'uas'));
      const ack = request({ method: 'ACK', branch: 'z9hG4bKnewack', toTag: 'uas' });
      expect(layer.receiveRequest(ack)).toEqual({ kind: 'ack', request: ack });
    });

    it('passes an ACK matching an Accepted INVITE server transaction to the TU (RFC 6026)', () => {
      const { layer } = setup();
      const invite = request({ method: 'INVITE' });
      const tx = serverTransaction(layer.receiveRequest(invite));
      tx.respond(responseTo(invite, 200, 'uas'));
      const ack = request({ method: 'ACK', toTag: 'uas' });
      expect(layer.receiveRequest(ack)).toEqual({ kind: 'ack', request: ack });
      expect(tx.state).toBe('Accepted');
    });

    it('absorbs an INVITE retransmission after a 2xx (RFC 6026 Accepted), instead of a new transaction', () => {
      const { layer, transport } = setup();
      const invite = request({ method: 'INVITE' });
      serverTransaction(layer.receiveRequest(invite)).respond(responseTo(invite, 200, 'uas'));
      expect(layer.receiveRequest(request({ method: 'INVITE' })).kind).toBe('absorbed');
      expect(transport.summary()).toEqual([200]);
    });

    it('makes a CANCEL its own transaction and points at the INVITE it cancels (§9.2)', () => {
      const { layer } = setup();
      const invite = serverTransaction(layer.receiveRequest(request({ method: 'INVITE' })));
      const d = layer.receiveRequest(request({ method: 'CANCEL' }));
      expect(d.kind).toBe('new');
      if (d.kind !== 'new') return;
      expect(d.transaction).toBeInstanceOf(NonInviteServerTransaction);
      expect(d.cancels).toBe(invite);
      expect(layer.receiveRequest(request({ method: 'CANCEL' })).kind).toBe('absorbed');
    });

    it('reports no target for a CANCEL matching no INVITE', () => {
      const { layer } = setup();
      const d = layer.receiveRequest(request({ method: 'CANCEL' }));
      expect(d.kind === 'new' && d.cancels).toBeUndefined();
    });

    it('forgets a server transaction once it terminates', () => {
      const { layer } = setup();
      const bye = request({ method: 'BYE' });
      const tx = serverTransaction(layer.receiveRequest(bye));
      tx.respond(responseTo(bye, 200));
      expect(tx.isTerminated).toBe(true);
      expect(layer.receiveRequest(request({ method: 'BYE' })).kind).toBe('new');
    });
  });

  describe('§17.2.3 requests without the magic cookie (RFC 2543 fallback dropped)', () => {
    const legacyVia = 'SIP/2.0/UDP old.example.com:5060;branch=1234abc';

    it('matches no transaction: an identical request is new again', () => {
      const { layer, transport } = setup();
      const invite = request({ via: legacyVia });
      const tx = serverTransaction(layer.receiveRequest(invite));
      tx.respond(responseTo(invite, 180, 'uas'));
      expect(serverTransaction(layer.receiveRequest(request({ via: legacyVia })))).not.toBe(tx);
      expect(
        serverTransaction(layer.receiveRequest(request({ method: 'OPTIONS', via: 'SIP/2.0/UDP h' }))),
      ).toBeInstanceOf(NonInviteServerTransaction);
      expect(transport.summary()).toEqual([180]);
    });

    it('passes an ACK without the cookie to the TU, and finds no target for such a CANCEL', () => {
      const { layer } = setup();
      const invite = request({ via: legacyVia });
      const tx = serverTransaction(layer.receiveRequest(invite)) as InviteServerTransaction;
      tx.respond(responseTo(invite, 486, 'uas'));
      expect(layer.receiveRequest(request({ method: 'ACK', via: legacyVia, toTag: 'uas' })).kind).toBe('ack');
      expect(tx.state).toBe('Completed');
      const d = layer.receiveRequest(request({ method: 'CANCEL', via: legacyVia }));
      expect(d.kind === 'new' && d.cancels).toBeUndefined();
    });

    it('still tracks such transactions, so dispose() ends them', () => {
      const { layer, clock } = setup();
      const invite = serverTransaction(layer.receiveRequest(request({ via: legacyVia })));
      const reasons: TerminationReason[] = [];
      invite.setUser({ onTerminated: (reason) => reasons.push(reason) });
      layer.dispose();
      expect(reasons).toEqual(['disposed']);
      expect(clock.pending).toBe(0);
    });
  });

  describe('untrusted input', () => {
    it('reports a request without a Via as malformed', () => {
      const { layer } = setup();
      expect(layer.receiveRequest(request({ via: '' })).kind).toBe('malformed');
    });

    it('reports a request whose CSeq method differs from its method as malformed', () => {
      const { layer } = setup();
      expect(layer.receiveRequest(request({ method: 'BYE', cseqMethod: 'INVITE' })).kind).toBe('malformed');
    });
  });

  describe('dispose()', () => {
    it('ends every live transaction and leaves no pending timer', () => {
      const { layer, clock } = setup();
      const reasons: TerminationReason[] = [];
      const onTerminated = (reason: TerminationReason): number => reasons.push(reason);
      const clients = [
        layer.sendRequest(outgoing('INVITE'), { onTerminated }),
        layer.sendRequest(outgoing('REGISTER'), { onTerminated }),
      ];
      const invite = request({ method: 'INVITE' });
      const server = serverTransaction(layer.receiveRequest(invite));
      server.setUser({ onTerminated });
      server.respond(responseTo(invite, 486, 'uas'));
      expect(clock.pending).toBe(3);
      layer.dispose();
      expect(clock.pending).toBe(0);
      expect(reasons).toEqual(['disposed', 'disposed', 'disposed']);
      // Forgotten: the INVITE's retransmission starts a new transaction, its response is stray.
      expect(layer.receiveRequest(request({ method: 'INVITE' })).kind).toBe('new');
      expect(layer.receiveResponse(responseTo(clients[0]!.request, 200)).kind).toBe('stray');
    });
  });
});
