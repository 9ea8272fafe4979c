import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../support/errors';
import { NonInviteClientTransaction } from './non-invite-client-transaction';
import {
  expectTerminatedAfter,
  expectTerminatedWith,
  internals,
  request,
  responseTo,
  startClient,
} from './testing/transaction-harness';

function setup({ req = request({ method: 'REGISTER', uri: 'sip:example.com' }), failing = false } = {}) {
  return { ...startClient(NonInviteClientTransaction, req, { failing }), req };
}

describe('RFC 3261 §17.1.2 non-INVITE client transaction (Figure 6)', () => {
  describe('Trying', () => {
    it('passes the request to the transport when started', () => {
      const { transport } = setup();
      expect(transport.summary()).toEqual(['REGISTER']);
    });

    it('MUST NOT retransmit on a reliable transport (no Timer E)', () => {
      const { transport, clock } = setup();
      clock.advance(31_999);
      expect(transport.summary()).toEqual(['REGISTER']);
    });

    it('Trying → Terminated: Timer F (64*T1) informs the TU of the timeout', () => {
      const { tx, tu, clock } = setup();
      expectTerminatedAfter(clock, tx, 32_000, 'Trying');
      expect(tu.events).toEqual(['timeout', 'terminated timeout']);
    });

    it('Trying → Terminated: a transport error on the first send informs the TU (§17.1.4)', () => {
      const { tx, tu, clock } = setup({ req: request({ method: 'OPTIONS' }), failing: true });
      expectTerminatedWith(clock, tx, tu, ['transport-error', 'terminated transport-error']);
    });

    it('Trying → Proceeding on a 1xx, passed to the TU', () => {
      const { tx, tu, req } = setup();
      tx.receiveResponse(responseTo(req, 100));
      expect(tx.state).toBe('Proceeding');
      expect(tu.events).toEqual(['provisional 100']);
    });

    it('Trying → Completed on 200-699, passed to the TU', () => {
      const { tx, tu, req } = setup();
      tu.onFinal = () => tu.events.push(`final in ${tx.state}`);
      tx.receiveResponse(responseTo(req, 401, 'r'));
      expect(tu.events).toEqual(['final in Completed', 'terminated completed']);
    });
  });

  describe('Proceeding', () => {
    it('passes further 1xx to the TU', () => {
      const { tx, tu, req } = setup();
      tx.receiveResponse(responseTo(req, 100));
      tx.receiveResponse(responseTo(req, 100));
      expect(tx.state).toBe('Proceeding');
      expect(tu.events).toEqual(['provisional 100', 'provisional 100']);
    });

    it('Proceeding → Completed on 200-699', () => {
      const { tx, tu, req } = setup();
      tx.receiveResponse(responseTo(req, 100));
      tu.onFinal = () => tu.events.push(`final in ${tx.state}`);
      tx.receiveResponse(responseTo(req, 200, 'r'));
      expect(tu.events).toEqual(['provisional 100', 'final in Completed', 'terminated completed']);
    });

    it('Proceeding → Terminated when Timer F fires, counted from the start (Figure 6)', () => {
      const { tx, tu, req, clock } = setup();
      clock.advance(10_000);
      tx.receiveResponse(responseTo(req, 100));
      expectTerminatedAfter(clock, tx, 22_000, 'Proceeding');
      expect(tu.events).toEqual(['provisional 100', 'timeout', 'terminated timeout']);
    });
  });

  describe('Completed', () => {
    it('Completed → Terminated at once on a reliable transport (Timer K = 0)', () => {
      const { tx, tu, req, clock } = setup();
      tx.receiveResponse(responseTo(req, 200, 'r'));
      expectTerminatedWith(clock, tx, tu, ['final 200', 'terminated completed']);
    });

    it('absorbs a final response received once ended', () => {
      const { tx, tu, req, transport } = setup();
      const ok = responseTo(req, 200, 'r');
      tx.receiveResponse(ok);
      tx.receiveResponse(ok);
      tx.receiveResponse(responseTo(req, 100));
      expect(transport.summary()).toEqual(['REGISTER']);
      expect(tu.events).toEqual(['final 200', 'terminated completed']);
    });
  });

  describe('state machine guards', () => {
    it('rejects an edge that Figure 6 does not draw', () => {
      const { tx, req } = setup();
      tx.receiveResponse(responseTo(req, 100));
      const raw = internals(tx);
      expect(() => raw.transition('Trying')).toThrow(InvalidStateError);
      expect(() => raw.transition('Proceeding')).toThrow(InvalidStateError);
      expect(tx.state).toBe('Proceeding');
    });

    it('dispose() ends a live transaction without leaving a timer', () => {
      const { tx, tu, clock } = setup();
      tx.dispose();
      expect(tu.events).toEqual(['terminated disposed']);
      expect(clock.pending).toBe(0);
    });
  });
});
