import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../support/errors';
import { InviteClientTransaction } from './invite-client-transaction';
import {
  createHarness,
  expectTerminatedAfter,
  expectTerminatedWith,
  internals,
  request,
  responseTo,
  startClient,
} from './testing/transaction-harness';

const ROUTES = ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>'];

function setup({ invite = request({ method: 'INVITE', routes: ROUTES }), failing = false } = {}) {
  return { ...startClient(InviteClientTransaction, invite, { failing }), invite };
}

describe('RFC 3261 §17.1.1 INVITE client transaction (Figure 5)', () => {
  describe('Calling', () => {
    it('passes the INVITE to the transport when started', () => {
      const { transport } = setup();
      expect(transport.summary()).toEqual(['INVITE']);
    });

    it('MUST NOT retransmit on a reliable transport (no Timer A)', () => {
      const { transport, clock } = setup();
      clock.advance(31_999);
      expect(transport.summary()).toEqual(['INVITE']);
    });

    it('SHOULD inform the TU of a timeout when Timer B (64*T1) fires', () => {
      const { tx, tu, clock } = setup();
      expectTerminatedAfter(clock, tx, 32_000, 'Calling');
      expect(tu.terminated).toEqual(['timeout']);
      expect(tu.events).toEqual(['timeout', 'terminated timeout']);
    });

    it('Calling → Terminated: a transport error on the first send informs the TU (§17.1.4)', () => {
      const { tx, tu, clock } = setup({ invite: request(), failing: true });
      expectTerminatedWith(clock, tx, tu, ['transport-error', 'terminated transport-error']);
    });

    it('Calling → Proceeding on a 1xx, which is passed to the TU and stops Timer B', () => {
      const { tx, tu, invite, clock, transport } = setup();
      tx.receiveResponse(responseTo(invite, 180, 'b1'));
      expect(tx.state).toBe('Proceeding');
      expect(tu.events).toEqual(['provisional 180']);
      clock.advance(60_000);
      // "In the Proceeding state, the client transaction SHOULD NOT retransmit the request any
      // longer"; Timer B no longer applies.
      expect(transport.summary()).toEqual(['INVITE']);
      expect(tx.state).toBe('Proceeding');
    });
  });

  describe('Proceeding', () => {
    it('passes every further 1xx to the TU', () => {
      const { tx, tu, invite } = setup();
      tx.receiveResponse(responseTo(invite, 100));
      tx.receiveResponse(responseTo(invite, 180, 'b1'));
      tx.receiveResponse(responseTo(invite, 183, 'b1'));
      expect(tx.state).toBe('Proceeding');
      expect(tu.events).toEqual(['provisional 100', 'provisional 180', 'provisional 183']);
    });

    it.each([
      ['Calling', false],
      ['Proceeding', true],
    ])('%s → Completed on 300-699: ACK sent, response passed to the TU', (_, provisionalFirst) => {
      const { tx, tu, invite, transport } = setup();
      const states: string[] = [];
      tu.onFinal = () => states.push(tx.state);
      if (provisionalFirst) tx.receiveResponse(responseTo(invite, 180, 'b1'));
      tx.receiveResponse(responseTo(invite, 486, 'b1'));
      expect(states).toEqual(['Completed']);
      expect(transport.summary()).toEqual(['INVITE', 'ACK']);
    });

    it.each([
      ['Calling', false],
      ['Proceeding', true],
    ])(
      '%s → Accepted on 2xx (RFC 6026): passed to the TU, no ACK from the transaction',
      (_, provisionalFirst) => {
        const { tx, tu, invite, transport, clock } = setup();
        if (provisionalFirst) tx.receiveResponse(responseTo(invite, 180, 'b1'));
        tx.receiveResponse(responseTo(invite, 200, 'b1'));
        expect(tx.state).toBe('Accepted');
        expect(tu.events.at(-1)).toBe('final 200');
        clock.advance(5000);
        expect(transport.summary()).toEqual(['INVITE']);
      },
    );
  });

  describe('§17.1.1.3 Construction of the ACK request', () => {
    it('builds the ACK from the request and the response being acknowledged', () => {
      const { invite, tx, transport } = setup();
      tx.receiveResponse(responseTo(invite, 603, 'callee-tag'));
      const ack = transport.message(1);
      if (ack.kind !== 'request') throw new Error('expected a request');
      expect(ack.method).toBe('ACK');
      // "The Request-URI ... MUST be equal to the Request-URI of the original request"
      expect(ack.uri).toEqual(invite.uri);
      // "The ACK MUST contain a single Via header field, and this MUST be equal to the top Via
      // header field of the original request."
      expect(ack.headers.getAll('Via')).toEqual([invite.headers.getAll('Via')[0]]);
      expect(ack.headers.get('Call-ID')).toBe(invite.headers.get('Call-ID'));
      expect(ack.headers.get('From')).toBe(invite.headers.get('From'));
      // "The To header field in the ACK MUST equal the To header field in the response"
      expect(ack.headers.get('To')).toBe('Bob <sip:bob@example.com>;tag=callee-tag');
      expect(ack.headers.get('CSeq')).toBe('314159 ACK');
      // "If the INVITE request whose response is being acknowledged had Route header fields, those
      // header fields MUST appear in the ACK."
      expect(ack.headers.getAll('Route')).toEqual(ROUTES);
      expect(ack.body).toBe('');
    });

    it('keeps the branch of the INVITE so the server transaction matches the ACK', () => {
      const { invite, tx, transport } = setup();
      tx.receiveResponse(responseTo(invite, 404, 'x'));
      expect(transport.message(1).headers.get('Via')).toContain('branch=z9hG4bK776asdhds');
    });
  });

  describe('Completed', () => {
    it('Completed → Terminated at once on a reliable transport (Timer D = 0)', () => {
      const { tx, tu, invite, clock } = setup();
      tx.receiveResponse(responseTo(invite, 486, 'b1'));
      expectTerminatedWith(clock, tx, tu, ['final 486', 'terminated completed']);
    });

    it('absorbs a final response received after the ACK was sent', () => {
      const { tx, tu, invite, transport } = setup();
      const busy = responseTo(invite, 486, 'b1');
      tx.receiveResponse(busy);
      tx.receiveResponse(busy);
      expect(transport.summary()).toEqual(['INVITE', 'ACK']);
      expect(tu.events).toEqual(['final 486', 'terminated completed']);
    });

    it('Completed → Terminated on a transport error sending the ACK, informing the TU', () => {
      const { tx, tu, invite, transport, clock } = setup();
      transport.failing = true;
      tx.receiveResponse(responseTo(invite, 486, 'b1'));
      expectTerminatedWith(clock, tx, tu, ['final 486', 'transport-error', 'terminated transport-error']);
    });
  });

  describe('RFC 6026 §8.4 Accepted', () => {
    it('passes 2xx retransmissions up to the TU so it can re-ACK them', () => {
      const { tx, tu, invite } = setup();
      const ok = responseTo(invite, 200, 'b1');
      tx.receiveResponse(ok);
      tx.receiveResponse(ok);
      expect(tu.events).toEqual(['final 200', 'additional 200']);
    });

    it('passes a 2xx from another fork up to the TU', () => {
      const { tx, tu, invite } = setup();
      tx.receiveResponse(responseTo(invite, 200, 'fork-1'));
      tx.receiveResponse(responseTo(invite, 200, 'fork-2'));
      expect(tu.events).toEqual(['final 200', 'additional 200']);
      expect(tu.responses[1]?.headers.get('To')).toContain('tag=fork-2');
    });

    it('absorbs provisional and non-2xx responses', () => {
      const { tx, tu, invite, transport } = setup();
      tx.receiveResponse(responseTo(invite, 200, 'b1'));
      tx.receiveResponse(responseTo(invite, 180, 'b1'));
      tx.receiveResponse(responseTo(invite, 500, 'b2'));
      expect(tu.events).toEqual(['final 200']);
      expect(transport.summary()).toEqual(['INVITE']);
    });

    it('Accepted → Terminated when Timer M (64*T1) fires', () => {
      const { tx, tu, invite, clock } = setup();
      clock.advance(1000);
      tx.receiveResponse(responseTo(invite, 200, 'b1'));
      expectTerminatedAfter(clock, tx, 32_000, 'Accepted');
      expect(tu.events).toEqual(['final 200', 'terminated completed']);
    });
  });

  describe('state machine guards', () => {
    it('rejects an edge that Figure 5 does not draw', () => {
      const { tx, invite } = setup();
      tx.receiveResponse(responseTo(invite, 200, 'b1'));
      const raw = internals(tx);
      expect(() => raw.transition('Proceeding')).toThrow(InvalidStateError);
      expect(() => raw.transition('Completed')).toThrow(InvalidStateError);
      expect(tx.state).toBe('Accepted');
    });

    it('draws Calling → Proceeding but not its reverse', () => {
      const { tx, invite } = setup();
      tx.receiveResponse(responseTo(invite, 180, 'b1'));
      const raw = internals(tx);
      expect(() => raw.transition('Calling')).toThrow(InvalidStateError);
      expect(tx.state).toBe('Proceeding');
    });

    it('dispose() ends a live transaction without leaving a timer', () => {
      const { tx, tu, clock } = setup();
      tx.dispose();
      expect(tx.state).toBe('Terminated');
      expect(tu.terminated).toEqual(['disposed']);
      expect(clock.pending).toBe(0);
      tx.dispose();
      expect(tu.terminated).toEqual(['disposed']);
    });

    it('keeps running when a TU callback throws', () => {
      const h = createHarness();
      const invite = request();
      const tx = new InviteClientTransaction(
        invite,
        {
          onFinal: () => {
            throw new Error('TU bug');
          },
        },
        h.context,
      );
      tx.start();
      tx.receiveResponse(responseTo(invite, 486, 'b1'));
      expect(tx.state).toBe('Terminated');
      expect(h.transport.summary()).toEqual(['INVITE', 'ACK']);
    });
  });
});
