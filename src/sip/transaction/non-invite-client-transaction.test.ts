import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../message/sip-message';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import { NonInviteClientTransaction } from './non-invite-client-transaction';
import { createHarness, request, responseTo, type Harness } from './testing/transaction-harness';
import type { ClientTransactionUser } from './transaction';
import type { FakeClock } from '../testing/fake-clock';
import type { FakeTransport } from './testing/transaction-harness';

function recorder(): Required<ClientTransactionUser> & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    onProvisional: (r) => events.push(`provisional ${r.status}`),
    onFinal: (r) => events.push(`final ${r.status}`),
    onAdditional2xx: (r) => events.push(`additional ${r.status}`),
    onTimeout: () => events.push('timeout'),
    onTransportError: () => events.push('transport-error'),
    onTerminated: (reason) => events.push(`terminated ${reason}`),
  };
}

function setup(reliable: boolean) {
  const h: Harness = createHarness(reliable);
  const req: SipRequest = request({ method: 'REGISTER', uri: 'sip:example.com' });
  const tu = recorder();
  const tx = new NonInviteClientTransaction(req, tu, h.context);
  tx.start();
  return { ...h, req, tu, tx };
}

/** Times (ms) at which something was sent while advancing `total` ms in `step` increments. */
function sendTimes(clock: FakeClock, transport: FakeTransport, total: number, step = 100): number[] {
  const times: number[] = [];
  let seen = transport.sent.length;
  for (let t = 0; t < total; t += step) {
    clock.advance(step);
    if (transport.sent.length !== seen) {
      times.push(clock.now());
      seen = transport.sent.length;
    }
  }
  return times;
}

describe('RFC 3261 §17.1.2 non-INVITE client transaction (Figure 6)', () => {
  describe('Trying', () => {
    it('passes the request to the transport when started', () => {
      const { transport } = setup(true);
      expect(transport.summary()).toEqual(['REGISTER']);
    });

    it('MUST NOT retransmit on a reliable transport (no Timer E)', () => {
      const { transport, clock } = setup(true);
      clock.advance(31_999);
      expect(transport.summary()).toEqual(['REGISTER']);
    });

    it('retransmits on Timer E, doubling up to T2 (unreliable)', () => {
      const { transport, clock } = setup(false);
      expect(sendTimes(clock, transport, 20_000)).toEqual([500, 1500, 3500, 7500, 11500, 15500, 19500]);
    });

    it.each([true, false])(
      'Trying → Terminated: Timer F (64*T1) informs the TU of the timeout (reliable=%s)',
      (reliable) => {
        const { tx, tu, clock } = setup(reliable);
        clock.advance(31_999);
        expect(tx.state).toBe('Trying');
        clock.advance(1);
        expect(tx.state).toBe('Terminated');
        expect(tx.terminationReason).toBe('timeout');
        expect(tu.events).toEqual(['timeout', 'terminated timeout']);
        expect(clock.pending).toBe(0);
      },
    );

    it('Trying → Terminated: a transport error on the first send informs the TU (§17.1.4)', () => {
      const h = createHarness(true);
      h.transport.failing = true;
      const tu = recorder();
      const tx = new NonInviteClientTransaction(request({ method: 'OPTIONS' }), tu, h.context);
      tx.start();
      expect(tx.state).toBe('Terminated');
      expect(tu.events).toEqual(['transport-error', 'terminated transport-error']);
      expect(h.clock.pending).toBe(0);
    });

    it('Trying → Terminated: a transport error on a Timer E retransmission informs the TU', () => {
      const { tx, tu, clock, transport } = setup(false);
      transport.failing = true;
      clock.advance(500);
      expect(tx.state).toBe('Terminated');
      expect(tu.events).toEqual(['transport-error', 'terminated transport-error']);
      expect(clock.pending).toBe(0);
    });

    it('Trying → Proceeding on a 1xx, passed to the TU', () => {
      const { tx, tu, req } = setup(true);
      tx.receiveResponse(responseTo(req, 100));
      expect(tx.state).toBe('Proceeding');
      expect(tu.events).toEqual(['provisional 100']);
    });

    it('Trying → Completed on 200-699, passed to the TU', () => {
      const { tx, tu, req } = setup(false);
      tx.receiveResponse(responseTo(req, 401, 'r'));
      expect(tx.state).toBe('Completed');
      expect(tu.events).toEqual(['final 401']);
    });
  });

  describe('Proceeding', () => {
    it('passes further 1xx to the TU', () => {
      const { tx, tu, req } = setup(true);
      tx.receiveResponse(responseTo(req, 100));
      tx.receiveResponse(responseTo(req, 100));
      expect(tx.state).toBe('Proceeding');
      expect(tu.events).toEqual(['provisional 100', 'provisional 100']);
    });

    it('retransmits every T2 once Timer E fires in Proceeding (unreliable)', () => {
      const { tx, req, clock, transport } = setup(false);
      clock.advance(600); // one retransmission at 500; Timer E now due at 1500
      tx.receiveResponse(responseTo(req, 100));
      expect(sendTimes(clock, transport, 10_000)).toEqual([1500, 5500, 9500]);
    });

    it('Proceeding → Completed on 200-699', () => {
      const { tx, tu, req } = setup(false);
      tx.receiveResponse(responseTo(req, 100));
      tx.receiveResponse(responseTo(req, 200, 'r'));
      expect(tx.state).toBe('Completed');
      expect(tu.events).toEqual(['provisional 100', 'final 200']);
    });

    it.each([true, false])('Proceeding → Terminated when Timer F fires (reliable=%s)', (reliable) => {
      const { tx, tu, req, clock } = setup(reliable);
      tx.receiveResponse(responseTo(req, 100));
      clock.advance(32_000);
      expect(tx.state).toBe('Terminated');
      expect(tu.events).toEqual(['provisional 100', 'timeout', 'terminated timeout']);
      expect(clock.pending).toBe(0);
    });

    it('Proceeding → Terminated on a transport error during retransmission (unreliable)', () => {
      const { tx, tu, req, clock, transport } = setup(false);
      tx.receiveResponse(responseTo(req, 100));
      transport.failing = true;
      clock.advance(500);
      expect(tx.state).toBe('Terminated');
      expect(tu.events).toEqual(['provisional 100', 'transport-error', 'terminated transport-error']);
      expect(clock.pending).toBe(0);
    });
  });

  describe('Completed', () => {
    it('Completed → Terminated at once on a reliable transport (Timer K = 0)', () => {
      const { tx, tu, req, clock } = setup(true);
      tx.receiveResponse(responseTo(req, 200, 'r'));
      expect(tx.state).toBe('Terminated');
      expect(tu.events).toEqual(['final 200', 'terminated completed']);
      expect(clock.pending).toBe(0);
    });

    it('absorbs retransmitted final responses and stops retransmitting (unreliable)', () => {
      const { tx, tu, req, clock, transport } = setup(false);
      const ok = responseTo(req, 200, 'r');
      tx.receiveResponse(ok);
      tx.receiveResponse(ok);
      tx.receiveResponse(responseTo(req, 100));
      clock.advance(4999);
      expect(transport.summary()).toEqual(['REGISTER']);
      expect(tu.events).toEqual(['final 200']);
    });

    it('Completed → Terminated when Timer K (T4) fires (unreliable)', () => {
      const { tx, tu, req, clock } = setup(false);
      tx.receiveResponse(responseTo(req, 200, 'r'));
      clock.advance(4999);
      expect(tx.state).toBe('Completed');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(tu.events).toEqual(['final 200', 'terminated completed']);
      expect(clock.pending).toBe(0);
    });
  });

  describe('state machine guards', () => {
    it('rejects an edge that Figure 6 does not draw', () => {
      const { tx, req } = setup(false);
      tx.receiveResponse(responseTo(req, 200, 'r'));
      const raw = tx as unknown as { transition(to: string): void };
      expect(() => raw.transition('Trying')).toThrow(InvalidStateError);
    });

    it.each(['INVITE', 'ACK'])('refuses %s', (method) => {
      const h = createHarness(true);
      expect(() => new NonInviteClientTransaction(request({ method }), {}, h.context)).toThrow(
        InvalidArgumentError,
      );
    });

    it('dispose() ends a live transaction without leaving a timer', () => {
      const { tx, tu, clock } = setup(false);
      tx.dispose();
      expect(tu.events).toEqual(['terminated disposed']);
      expect(clock.pending).toBe(0);
    });
  });
});
