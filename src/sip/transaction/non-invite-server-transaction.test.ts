import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import { NonInviteServerTransaction } from './non-invite-server-transaction';
import { createHarness, request, responseTo } from './testing/transaction-harness';
import type { ServerTransactionUser } from './transaction';

function recorder(): Required<ServerTransactionUser> & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    onTimeout: () => events.push('timeout'),
    onTransportError: () => events.push('transport-error'),
    onTerminated: (reason) => events.push(`terminated ${reason}`),
  };
}

function setup(reliable: boolean) {
  const h = createHarness(reliable);
  const req = request({ method: 'BYE', toTag: 'callee' });
  const tu = recorder();
  const tx = new NonInviteServerTransaction(req, h.context);
  tx.setUser(tu);
  return { ...h, req, tu, tx };
}

describe('RFC 3261 §17.2.2 non-INVITE server transaction (Figure 8)', () => {
  describe('Trying', () => {
    it('starts in Trying without sending anything', () => {
      const { tx, transport, clock } = setup(false);
      expect(tx.state).toBe('Trying');
      clock.advance(10_000);
      expect(transport.sent).toEqual([]);
    });

    it('MUST discard request retransmissions while in Trying', () => {
      const { tx, transport } = setup(false);
      tx.receiveRequest();
      expect(transport.sent).toEqual([]);
    });

    it('Trying → Proceeding on a 1xx from the TU, which is sent', () => {
      const { tx, req, transport } = setup(false);
      tx.respond(responseTo(req, 100));
      expect(tx.state).toBe('Proceeding');
      expect(transport.summary()).toEqual([100]);
    });

    it('Trying → Completed on a 200-699 from the TU, which is sent', () => {
      const { tx, req, transport } = setup(false);
      tx.respond(responseTo(req, 200));
      expect(tx.state).toBe('Completed');
      expect(transport.summary()).toEqual([200]);
    });
  });

  describe('Proceeding', () => {
    it('sends every further 1xx from the TU', () => {
      const { tx, req, transport } = setup(true);
      tx.respond(responseTo(req, 100));
      tx.respond(responseTo(req, 100));
      expect(tx.state).toBe('Proceeding');
      expect(transport.summary()).toEqual([100, 100]);
    });

    it('re-sends the most recent provisional response on a request retransmission', () => {
      const { tx, req, transport } = setup(false);
      tx.respond(responseTo(req, 100));
      tx.receiveRequest();
      expect(transport.summary()).toEqual([100, 100]);
      expect(transport.sent[1]).toBe(transport.sent[0]);
    });

    it('Proceeding → Completed on a 200-699 from the TU', () => {
      const { tx, req, transport } = setup(false);
      tx.respond(responseTo(req, 100));
      tx.respond(responseTo(req, 481));
      expect(tx.state).toBe('Completed');
      expect(transport.summary()).toEqual([100, 481]);
    });

    it('Proceeding → Terminated on a transport error, informing the TU', () => {
      const { tx, req, transport, tu, clock } = setup(false);
      tx.respond(responseTo(req, 100));
      transport.failing = true;
      tx.receiveRequest();
      expect(tx.state).toBe('Terminated');
      expect(tx.terminationReason).toBe('transport-error');
      expect(tu.events).toEqual(['transport-error', 'terminated transport-error']);
      expect(clock.pending).toBe(0);
    });
  });

  describe('Completed', () => {
    it('Completed → Terminated at once on a reliable transport (Timer J = 0)', () => {
      const { tx, req, tu, clock } = setup(true);
      tx.respond(responseTo(req, 200));
      expect(tx.state).toBe('Terminated');
      expect(tu.events).toEqual(['terminated completed']);
      expect(clock.pending).toBe(0);
    });

    it('re-sends the final response on a request retransmission (unreliable)', () => {
      const { tx, req, transport } = setup(false);
      tx.respond(responseTo(req, 200));
      tx.receiveRequest();
      tx.receiveRequest();
      expect(transport.summary()).toEqual([200, 200, 200]);
    });

    it('Completed → Terminated when Timer J (64*T1) fires (unreliable)', () => {
      const { tx, req, tu, clock } = setup(false);
      tx.respond(responseTo(req, 200));
      clock.advance(31_999);
      expect(tx.state).toBe('Completed');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(tu.events).toEqual(['terminated completed']);
      expect(clock.pending).toBe(0);
    });

    it('Completed → Terminated on a transport error, informing the TU', () => {
      const { tx, req, transport, tu, clock } = setup(false);
      tx.respond(responseTo(req, 200));
      transport.failing = true;
      tx.receiveRequest();
      expect(tx.state).toBe('Terminated');
      expect(tu.events).toEqual(['transport-error', 'terminated transport-error']);
      expect(clock.pending).toBe(0);
    });

    it('a final response that cannot be sent ends the transaction with a transport error', () => {
      const { tx, req, transport, tu, clock } = setup(false);
      transport.failing = true;
      tx.respond(responseTo(req, 200));
      expect(tx.state).toBe('Terminated');
      expect(tu.events).toEqual(['transport-error', 'terminated transport-error']);
      expect(clock.pending).toBe(0);
    });
  });

  describe('state machine guards', () => {
    it('MUST NOT accept a response after the final one', () => {
      const { tx, req } = setup(false);
      tx.respond(responseTo(req, 200));
      expect(() => tx.respond(responseTo(req, 500))).toThrow(InvalidStateError);
    });

    it('rejects an edge that Figure 8 does not draw', () => {
      const { tx } = setup(false);
      const raw = tx as unknown as { transition(to: string): void };
      expect(() => raw.transition('Terminated')).toThrow(InvalidStateError);
    });

    it.each(['INVITE', 'ACK'])('refuses %s', (method) => {
      const h = createHarness(true);
      expect(() => new NonInviteServerTransaction(request({ method }), h.context)).toThrow(
        InvalidArgumentError,
      );
    });

    it('dispose() ends a live transaction without leaving a timer', () => {
      const { tx, req, tu, clock } = setup(false);
      tx.respond(responseTo(req, 200));
      tx.dispose();
      expect(tu.events).toEqual(['terminated disposed']);
      expect(clock.pending).toBe(0);
    });
  });
});
