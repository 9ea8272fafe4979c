import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../support/errors';
import { NonInviteServerTransaction } from './non-invite-server-transaction';
import {
  createHarness,
  expectTerminatedWith,
  internals,
  recordingUser,
  request,
  responseTo,
} from './testing/transaction-harness';

function setup() {
  const h = createHarness();
  const req = request({ method: 'BYE', toTag: 'callee' });
  const tu = recordingUser();
  const tx = new NonInviteServerTransaction(req, h.context);
  tx.setUser(tu);
  return { ...h, req, tu, tx };
}

describe('RFC 3261 §17.2.2 non-INVITE server transaction (Figure 8)', () => {
  describe('Trying', () => {
    it('starts in Trying without sending anything', () => {
      const { tx, transport, clock } = setup();
      expect(tx.state).toBe('Trying');
      clock.advance(10_000);
      expect(transport.sent).toEqual([]);
    });

    it('MUST discard request retransmissions while in Trying', () => {
      const { tx, transport } = setup();
      tx.receiveRequest();
      expect(transport.sent).toEqual([]);
    });

    it('Trying → Proceeding on a 1xx from the TU, which is sent', () => {
      const { tx, req, transport } = setup();
      tx.respond(responseTo(req, 100));
      expect(tx.state).toBe('Proceeding');
      expect(transport.summary()).toEqual([100]);
    });

    it('Trying → Completed (→ Terminated, Timer J = 0) on a 200-699 from the TU, which is sent', () => {
      const { tx, req, transport } = setup();
      tx.respond(responseTo(req, 200));
      expect(tx.state).toBe('Terminated');
      expect(transport.summary()).toEqual([200]);
    });
  });

  describe('Proceeding', () => {
    it('sends every further 1xx from the TU', () => {
      const { tx, req, transport } = setup();
      tx.respond(responseTo(req, 100));
      tx.respond(responseTo(req, 100));
      expect(tx.state).toBe('Proceeding');
      expect(transport.summary()).toEqual([100, 100]);
    });

    it('re-sends the most recent provisional response on a request retransmission', () => {
      const { tx, req, transport } = setup();
      tx.respond(responseTo(req, 100));
      tx.receiveRequest();
      expect(transport.summary()).toEqual([100, 100]);
      expect(transport.sent[1]).toBe(transport.sent[0]);
    });

    it('Proceeding → Completed on a 200-699 from the TU', () => {
      const { tx, req, transport } = setup();
      tx.respond(responseTo(req, 100));
      tx.respond(responseTo(req, 481));
      expect(tx.state).toBe('Terminated');
      expect(transport.summary()).toEqual([100, 481]);
    });

    it('Proceeding → Terminated on a transport error, informing the TU', () => {
      const { tx, req, transport, tu, clock } = setup();
      tx.respond(responseTo(req, 100));
      transport.failing = true;
      tx.receiveRequest();
      expectTerminatedWith(clock, tx, tu, ['transport-error', 'terminated transport-error']);
    });
  });

  describe('Completed', () => {
    it('Completed → Terminated at once on a reliable transport (Timer J = 0)', () => {
      const { tx, req, tu, clock } = setup();
      tx.respond(responseTo(req, 200));
      expectTerminatedWith(clock, tx, tu, ['terminated completed']);
    });

    it('leaves a request retransmission to a new transaction once ended (the layer forgets it)', () => {
      const { tx, req, transport } = setup();
      tx.respond(responseTo(req, 200));
      tx.receiveRequest();
      expect(transport.summary()).toEqual([200]);
    });

    it('a final response that cannot be sent ends the transaction with a transport error', () => {
      const { tx, req, transport, tu, clock } = setup();
      transport.failing = true;
      tx.respond(responseTo(req, 200));
      expectTerminatedWith(clock, tx, tu, ['transport-error', 'terminated transport-error']);
    });
  });

  describe('state machine guards', () => {
    it('MUST NOT accept a response after the final one', () => {
      const { tx, req } = setup();
      tx.respond(responseTo(req, 200));
      expect(() => tx.respond(responseTo(req, 500))).toThrow(InvalidStateError);
    });

    it('rejects an edge that Figure 8 does not draw', () => {
      const { tx, req } = setup();
      tx.respond(responseTo(req, 100));
      expect(() => internals(tx).transition('Trying')).toThrow(InvalidStateError);
      expect(tx.state).toBe('Proceeding');
    });

    it('dispose() ends a live transaction without leaving a timer', () => {
      const { tx, req, tu, clock } = setup();
      tx.respond(responseTo(req, 100));
      tx.dispose();
      tx.dispose();
      expect(tu.events).toEqual(['terminated disposed']);
      expect(clock.pending).toBe(0);
    });
  });
});
