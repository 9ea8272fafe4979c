import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../support/errors';
import { createTrying, InviteServerTransaction } from './invite-server-transaction';
import {
  createHarness,
  expectTerminatedAfter,
  expectTerminatedWith,
  internals,
  recordingUser,
  request,
  responseTo,
} from './testing/transaction-harness';

function setup() {
  const h = createHarness();
  const invite = request({
    method: 'INVITE',
    via: 'SIP/2.0/WSS pc33.example.com;branch=z9hG4bK776asdhds;received=192.0.2.4, SIP/2.0/WSS proxy.example.com;branch=z9hG4bKp1',
  });
  const tu = recordingUser();
  const tx = new InviteServerTransaction(invite, h.context);
  tx.setUser(tu);
  tx.start();
  return { ...h, invite, tu, tx };
}

describe('RFC 3261 §17.2.1 INVITE server transaction (Figure 7, RFC 6026)', () => {
  describe('Proceeding', () => {
    it('sends a 100 (Trying) when the TU has not responded within 200 ms', () => {
      const { transport, clock, invite } = setup();
      clock.advance(199);
      expect(transport.sent).toEqual([]);
      clock.advance(1);
      expect(transport.summary()).toEqual([100]);
      const trying = transport.message(0);
      // §8.2.6: Vias (all, in order), From, To, Call-ID and CSeq copied from the request.
      expect(trying.headers.getAll('Via')).toEqual(invite.headers.getAll('Via'));
      for (const name of ['From', 'To', 'Call-ID', 'CSeq']) {
        expect(trying.headers.get(name)).toBe(invite.headers.get(name));
      }
      expect(clock.pending).toBe(0);
    });

    it('sends no automatic 100 when the TU answers within 200 ms', () => {
      const { tx, transport, clock, invite } = setup();
      clock.advance(100);
      tx.respond(responseTo(invite, 180, 'uas'));
      clock.advance(1000);
      expect(transport.summary()).toEqual([180]);
    });

    it('passes every 101-199 from the TU to the transport', () => {
      const { tx, transport, invite } = setup();
      tx.respond(responseTo(invite, 180, 'uas'));
      tx.respond(responseTo(invite, 183, 'uas'));
      expect(tx.state).toBe('Proceeding');
      expect(transport.summary()).toEqual([180, 183]);
    });

    it('re-sends the most recent provisional response on an INVITE retransmission', () => {
      const { tx, transport, invite } = setup();
      tx.respond(responseTo(invite, 180, 'uas'));
      tx.respond(responseTo(invite, 183, 'uas'));
      tx.receiveRequest();
      expect(transport.summary()).toEqual([180, 183, 183]);
    });

    it('answers an INVITE retransmission that arrives before any response with a 100 (Trying)', () => {
      const { tx, transport, clock } = setup();
      clock.advance(50);
      tx.receiveRequest();
      clock.advance(500);
      expect(transport.summary()).toEqual([100]);
    });

    it('Proceeding → Completed on 300-699 from the TU, which is sent', () => {
      const { tx, transport, invite } = setup();
      tx.respond(responseTo(invite, 486, 'uas'));
      expect(tx.state).toBe('Completed');
      expect(transport.summary()).toEqual([486]);
    });

    it('Proceeding → Accepted on a 2xx from the TU (RFC 6026), which is sent', () => {
      const { tx, transport, invite } = setup();
      tx.respond(responseTo(invite, 200, 'uas'));
      expect(tx.state).toBe('Accepted');
      expect(transport.summary()).toEqual([200]);
    });

    it('Proceeding → Terminated on a transport error, informing the TU', () => {
      const { tx, tu, transport, invite, clock } = setup();
      transport.failing = true;
      tx.respond(responseTo(invite, 180, 'uas'));
      expectTerminatedWith(clock, tx, tu, ['transport-error', 'terminated transport-error']);
    });

    it('Proceeding → Terminated when the automatic 100 cannot be sent', () => {
      const { tx, tu, transport, clock } = setup();
      transport.failing = true;
      clock.advance(200);
      expectTerminatedWith(clock, tx, tu, ['transport-error', 'terminated transport-error']);
    });
  });

  describe('Completed', () => {
    it('MUST NOT retransmit the response on a reliable transport (no Timer G)', () => {
      const { tx, transport, invite, clock } = setup();
      tx.respond(responseTo(invite, 486, 'uas'));
      clock.advance(31_999);
      expect(transport.summary()).toEqual([486]);
      expect(tx.state).toBe('Completed');
    });

    it('re-sends the final response on an INVITE retransmission', () => {
      const { tx, transport, invite } = setup();
      tx.respond(responseTo(invite, 486, 'uas'));
      tx.receiveRequest();
      expect(transport.summary()).toEqual([486, 486]);
    });

    it('Completed → Terminated when Timer H (64*T1) fires without an ACK, informing the TU', () => {
      const { tx, tu, invite, clock } = setup();
      tx.respond(responseTo(invite, 486, 'uas'));
      expectTerminatedAfter(clock, tx, 32_000, 'Completed');
      expect(tu.events).toEqual(['timeout', 'terminated timeout']);
    });

    it('Completed → Terminated on a transport error, informing the TU', () => {
      const { tx, tu, transport, invite, clock } = setup();
      tx.respond(responseTo(invite, 486, 'uas'));
      transport.failing = true;
      tx.receiveRequest();
      expectTerminatedWith(clock, tx, tu, ['transport-error', 'terminated transport-error']);
    });

    it('Completed → Confirmed on the ACK, which is absorbed', () => {
      const { tx, invite, transport } = setup();
      const states: string[] = [];
      tx.setUser({ onTerminated: () => states.push('Terminated') });
      tx.respond(responseTo(invite, 486, 'uas'));
      const raw = internals(tx);
      const transition = raw.transition.bind(tx);
      raw.transition = (to) => (states.push(to), transition(to));
      expect(tx.receiveAck()).toBe('absorbed');
      expect(states).toEqual(['Confirmed', 'Terminated']);
      expect(transport.summary()).toEqual([486]);
    });
  });

  describe('Confirmed', () => {
    it('Confirmed → Terminated at once on a reliable transport (Timer I = 0)', () => {
      const { tx, tu, invite, clock } = setup();
      tx.respond(responseTo(invite, 486, 'uas'));
      tx.receiveAck();
      expectTerminatedWith(clock, tx, tu, ['terminated completed']);
    });

    it('absorbs a late ACK and INVITE retransmission once ended', () => {
      const { tx, invite, transport } = setup();
      tx.respond(responseTo(invite, 486, 'uas'));
      tx.receiveAck();
      expect(tx.receiveAck()).toBe('absorbed');
      tx.receiveRequest();
      expect(transport.summary()).toEqual([486]);
    });
  });

  describe('RFC 6026 §8.7 Accepted', () => {
    it('absorbs INVITE retransmissions without answering them', () => {
      const { tx, invite, transport } = setup();
      tx.respond(responseTo(invite, 200, 'uas'));
      tx.receiveRequest();
      expect(transport.summary()).toEqual([200]);
    });

    it('passes an ACK up to the TU', () => {
      const { tx, invite } = setup();
      tx.respond(responseTo(invite, 200, 'uas'));
      expect(tx.receiveAck()).toBe('delivered');
      expect(tx.state).toBe('Accepted');
    });

    it('sends further 2xx from the TU (its own retransmissions, §13.3.1.4)', () => {
      const { tx, invite, transport } = setup();
      const ok = responseTo(invite, 200, 'uas');
      tx.respond(ok);
      tx.respond(ok);
      expect(transport.summary()).toEqual([200, 200]);
    });

    it('refuses a non-2xx from the TU', () => {
      const { tx, invite } = setup();
      tx.respond(responseTo(invite, 200, 'uas'));
      expect(() => tx.respond(responseTo(invite, 500, 'uas'))).toThrow(InvalidStateError);
    });

    it('informs the TU of a transport error and stays Accepted until Timer L', () => {
      const { tx, tu, invite, transport } = setup();
      transport.failing = true;
      tx.respond(responseTo(invite, 200, 'uas'));
      expect(tx.state).toBe('Accepted');
      expect(tu.events).toEqual(['transport-error']);
    });

    it('Accepted → Terminated when Timer L (64*T1) fires', () => {
      const { tx, tu, invite, clock } = setup();
      tx.respond(responseTo(invite, 200, 'uas'));
      expectTerminatedAfter(clock, tx, 32_000, 'Accepted');
      expect(tu.events).toEqual(['terminated completed']);
    });
  });

  describe('state machine guards', () => {
    it('rejects an edge that Figure 7 does not draw', () => {
      const { tx } = setup();
      const raw = internals(tx);
      expect(() => raw.transition('Confirmed')).toThrow(InvalidStateError);
      expect(tx.state).toBe('Proceeding');
    });

    it('refuses a response once Completed', () => {
      const { tx, invite } = setup();
      tx.respond(responseTo(invite, 486, 'uas'));
      expect(() => tx.respond(responseTo(invite, 200, 'uas'))).toThrow(InvalidStateError);
    });

    it('refuses a response once terminated', () => {
      const { tx, invite } = setup();
      tx.dispose();
      expect(() => tx.respond(responseTo(invite, 180, 'uas'))).toThrow(InvalidStateError);
    });

    it('dispose() ends a live transaction without leaving a timer', () => {
      const { tx, tu, clock } = setup();
      tx.dispose();
      expect(tu.events).toEqual(['terminated disposed']);
      expect(clock.pending).toBe(0);
    });
  });

  describe('§8.2.6.1 the automatic 100 (Trying)', () => {
    it('copies the Timestamp header field', () => {
      const invite = request();
      invite.headers.append('Timestamp', '54');
      expect(createTrying(invite).headers.get('Timestamp')).toBe('54');
    });
  });
});
