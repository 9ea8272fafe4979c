import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { NameAddr } from '../message/types';
import { formatUri, parseUri } from '../message/uri';
import { parseMessage } from '../parser/parse-message';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import { createRandom } from '../support/random';
import { Dialog, type DialogState } from './dialog';
import { DialogTable } from './dialog-table';

// ---------------------------------------------------------------------------------------------
// Wire-text fixtures: Alice (a WebSocket softphone) calls Bob through two record-routing proxies.

function parse(lines: readonly string[], body = ''): SipRequest | SipResponse {
  const text = [...lines, `Content-Length: ${body.length}`, '', body].join('\r\n');
  const r = parseMessage(text);
  if (!r.ok) throw new Error(`fixture does not parse: ${r.error.message}`);
  return r.value;
}

function request(lines: readonly string[]): SipRequest {
  const m = parse(lines);
  if (m.kind !== 'request') throw new Error('fixture is not a request');
  return m;
}

function response(lines: readonly string[]): SipResponse {
  const m = parse(lines);
  if (m.kind !== 'response') throw new Error('fixture is not a response');
  return m;
}

const CALL_ID = 'a84b4c76e66710@atlanta.example.com';
const ALICE_TAG = '1928301774';

function aliceInvite(requestUri = 'sip:bob@biloxi.example.com'): SipRequest {
  return request([
    `INVITE ${requestUri} SIP/2.0`,
    'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK776asdhds',
    'Max-Forwards: 70',
    `From: "Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
    'To: Bob <sip:bob@biloxi.example.com>',
    `Call-ID: ${CALL_ID}`,
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws;ob>',
  ]);
}

interface ResponseSpec {
  toTag?: string;
  contact?: string;
  recordRoute?: string;
  cseq?: string;
}

/** A response to Alice's INVITE (or, with `cseq`, to a later request of hers) as it reaches her. */
function toAlice(status: number, reason: string, spec: ResponseSpec = {}): SipResponse {
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK776asdhds',
    `From: "Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
    `To: Bob <sip:bob@biloxi.example.com>${spec.toTag === undefined ? '' : `;tag=${spec.toTag}`}`,
    `Call-ID: ${CALL_ID}`,
    `CSeq: ${spec.cseq ?? '314159 INVITE'}`,
  ];
  if (spec.recordRoute !== undefined) lines.push(`Record-Route: ${spec.recordRoute}`);
  if (spec.contact !== undefined) lines.push(`Contact: ${spec.contact}`);
  return response(lines);
}

/** A 2xx from Bob (To tag bob-tag) reaching Alice. */
const okFromBob = (spec: ResponseSpec = {}): SipResponse => toAlice(200, 'OK', { toTag: 'bob-tag', ...spec });

// Each proxy prepends its Record-Route: p1 is next to Alice, p2 next to Bob.
const RECORD_ROUTE = '<sip:p2.biloxi.example.com;lr>, <sip:p1.atlanta.example.com;lr>';
const BOB_CONTACT = '<sip:bob@192.0.2.4;transport=ws>';

/** Alice's route set, in the order her requests take it (the Record-Route reversed, §12.1.2). */
const ALICE_ROUTE_SET = ['<sip:p1.atlanta.example.com;lr>', '<sip:p2.biloxi.example.com;lr>'];

function aliceDialog(status = 200, spec: ResponseSpec = {}): Dialog {
  const r = Dialog.fromUacResponse(
    aliceInvite(),
    toAlice(status, status === 200 ? 'OK' : 'Ringing', {
      toTag: 'bob-tag',
      contact: BOB_CONTACT,
      recordRoute: RECORD_ROUTE,
      ...spec,
    }),
  );
  if (!r.ok || !r.value) throw new Error('fixture dialog not created');
  return r.value;
}

/** A request from Bob inside Alice's dialog, as it reaches her. */
function fromBob(method: string, cseq: number, extra: readonly string[] = []): SipRequest {
  return request([
    `${method} sip:alice@df7jal23ls0d.invalid;transport=ws SIP/2.0`,
    'Via: SIP/2.0/WSS p1.atlanta.example.com;branch=z9hG4bKnashds8',
    'Max-Forwards: 68',
    'From: Bob <sip:bob@biloxi.example.com>;tag=bob-tag',
    `To: "Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
    `Call-ID: ${CALL_ID}`,
    `CSeq: ${cseq} ${method}`,
    ...extra,
  ]);
}

/** A request from Alice inside Bob's dialog, as it reaches him. */
function fromAlice(method: string, cseq: number): SipRequest {
  return request([
    `${method} sip:bob@192.0.2.4;transport=ws SIP/2.0`,
    'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKa1',
    'Max-Forwards: 70',
    `From: "Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
    'To: Bob <sip:bob@biloxi.example.com>;tag=bob-tag',
    `Call-ID: ${CALL_ID}`,
    `CSeq: ${cseq} ${method}`,
  ]);
}

const BOB_LOCAL_CONTACT: NameAddr = (() => {
  const u = parseUri('sip:bob@192.0.2.4;transport=ws');
  if (!u.ok) throw new Error('bad fixture');
  return { uri: u.value, params: {} };
})();

/** Bob's view: the INVITE as it reaches him, record-routed by both proxies. */
function bobDialog(options: { confirmed?: boolean; randomByte?: number } = {}): Dialog {
  const invite = request([
    'INVITE sip:bob@192.0.2.4;transport=ws SIP/2.0',
    'Via: SIP/2.0/WSS p2.biloxi.example.com;branch=z9hG4bK4b43c2ff8.1',
    'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK776asdhds',
    'Max-Forwards: 68',
    `Record-Route: ${RECORD_ROUTE}`,
    `From: "Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
    'To: Bob <sip:bob@biloxi.example.com>',
    `Call-ID: ${CALL_ID}`,
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws;ob>',
  ]);
  const byte = options.randomByte ?? 0x12;
  const random = createRandom((n) => new Uint8Array(n).fill(byte));
  const r = Dialog.fromUasRequest(invite, 'bob-tag', BOB_LOCAL_CONTACT, { random });
  if (!r.ok) throw new Error(`fixture dialog not created: ${r.error.message}`);
  if (options.confirmed) r.value.confirm();
  return r.value;
}

const cseqOf = (m: SipRequest): string | undefined => m.headers.get('CSeq');
const routesOf = (m: SipRequest): string[] => m.headers.getAll('Route');

// ---------------------------------------------------------------------------------------------

describe('RFC 3261 §12.1.2 UAC behavior: creating a dialog from a response', () => {
  it('a 1xx with a To tag creates an early dialog whose id is Call-ID, From tag (local) and To tag (remote)', () => {
    const dialog = aliceDialog(180);
    expect(dialog.state).toBe('early');
    expect(dialog.id).toMatchObject({ callId: CALL_ID, localTag: ALICE_TAG, remoteTag: 'bob-tag' });
  });

  it('a 2xx creates a confirmed dialog', () => {
    expect(aliceDialog(200).state).toBe('confirmed');
  });

  it('a 1xx without a To tag, a 100 and a final non-2xx create no dialog', () => {
    const invite = aliceInvite();
    expect(Dialog.fromUacResponse(invite, toAlice(180, 'Ringing', { contact: BOB_CONTACT }))).toEqual({
      ok: true,
      value: undefined,
    });
    expect(Dialog.fromUacResponse(invite, toAlice(100, 'Trying'))).toEqual({ ok: true, value: undefined });
    expect(Dialog.fromUacResponse(invite, toAlice(486, 'Busy Here', { toTag: 'x' }))).toEqual({
      ok: true,
      value: undefined,
    });
  });

  it('a 2xx without a To tag (RFC 2543 peer) gives a null remote tag, and the To of later requests has no tag', () => {
    const r = Dialog.fromUacResponse(aliceInvite(), toAlice(200, 'OK', { contact: BOB_CONTACT }));
    const dialog = r.ok ? r.value : undefined;
    expect(dialog?.id.remoteTag).toBe('');
    expect(dialog?.createRequest('BYE').headers.get('To')).not.toMatch(/tag=/);
  });

  it('sets the local sequence number to the CSeq of the request and leaves the remote one empty', () => {
    const dialog = aliceDialog();
    // Empty: any first CSeq from the peer is accepted, however low.
    expect(dialog.receiveRequest(fromBob('INFO', 0))).toEqual({ kind: 'accept' });
    expect(cseqOf(dialog.createRequest('BYE'))).toBe('314160 BYE');
  });

  it('sets the remote target from the response Contact, local/remote URIs from From/To, route set reversed', () => {
    const dialog = aliceDialog();
    expect(formatUri(dialog.remoteTarget)).toBe('sip:bob@192.0.2.4;transport=ws');
    const info = dialog.createRequest('INFO');
    expect(info.headers.get('From')).toBe(`"Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`);
    expect(info.headers.get('To')).toBe('"Bob" <sip:bob@biloxi.example.com>;tag=bob-tag');
    expect(routesOf(info)).toEqual(['<sip:p1.atlanta.example.com;lr>', '<sip:p2.biloxi.example.com;lr>']);
  });

  it('reports a 2xx without a Contact as a value, not an exception', () => {
    const r = Dialog.fromUacResponse(aliceInvite(), toAlice(200, 'OK', { toTag: 't' }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ code: 'missing-header', header: 'Contact' });
    const star = Dialog.fromUacResponse(aliceInvite(), toAlice(200, 'OK', { toTag: 't', contact: '*' }));
    expect(!star.ok && star.error).toMatchObject({ code: 'missing-header', header: 'Contact' });
  });
});

describe('RFC 3261 §12.1.1 UAS behavior: creating a dialog from a request', () => {
  it('takes the route set from Record-Route in order, and the remote target from the Contact', () => {
    const dialog = bobDialog();
    const info = dialog.createRequest('INFO');
    expect(routesOf(info)).toEqual(['<sip:p2.biloxi.example.com;lr>', '<sip:p1.atlanta.example.com;lr>']);
    expect(formatUri(dialog.remoteTarget)).toBe('sip:alice@df7jal23ls0d.invalid;transport=ws;ob');
  });

  it('sets the remote sequence number from the request CSeq and leaves the local one to be chosen', () => {
    const dialog = bobDialog({ randomByte: 0x01 });
    expect(dialog.receiveRequest(fromAlice('INFO', 314158))).toEqual({ kind: 'reject', status: 500 });
    expect(dialog.receiveRequest(fromAlice('INFO', 314159))).toEqual({ kind: 'accept' });
    expect(cseqOf(dialog.createRequest('BYE'))).toBe(`${(0x01010101 >>> 2) + 1} BYE`);
  });

  it('uses the local tag of its response, the From tag as remote tag, and From/To URIs swapped', () => {
    const dialog = bobDialog();
    expect(dialog.id).toMatchObject({ callId: CALL_ID, localTag: 'bob-tag', remoteTag: ALICE_TAG });
    const info = dialog.createRequest('INFO');
    expect(info.headers.get('From')).toBe('"Bob" <sip:bob@biloxi.example.com>;tag=bob-tag');
    expect(info.headers.get('To')).toBe(`"Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`);
  });

  it('starts early and is confirmed when the UAS sends its 2xx', () => {
    const dialog = bobDialog();
    const seen: DialogState[] = [];
    dialog.on('state', (s) => seen.push(s));
    expect(dialog.state).toBe('early');
    dialog.confirm();
    expect(dialog.state).toBe('confirmed');
    expect(seen).toEqual(['confirmed']);
    expect(() => dialog.confirm()).toThrow(InvalidStateError);
  });
});

describe('RFC 3261 §12.2.1.1 generating a request inside a dialog', () => {
  it('builds From, To, Call-ID, CSeq, Max-Forwards, Request-URI and Route from the dialog state', () => {
    const bye = aliceDialog().createRequest('BYE');
    expect(bye.method).toBe('BYE');
    expect(formatUri(bye.uri)).toBe('sip:bob@192.0.2.4;transport=ws');
    expect(bye.headers.getAll('Route')).toEqual(ALICE_ROUTE_SET);
    expect(bye.headers.get('From')).toBe(`"Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`);
    expect(bye.headers.get('To')).toBe('"Bob" <sip:bob@biloxi.example.com>;tag=bob-tag');
    expect(bye.headers.get('Call-ID')).toBe(CALL_ID);
    expect(cseqOf(bye)).toBe('314160 BYE');
    expect(bye.headers.get('Max-Forwards')).toBe('70');
    // Via is added by the transaction layer; BYE is no target refresh, so it needs no Contact.
    expect(bye.headers.has('Via')).toBe(false);
    expect(bye.headers.has('Contact')).toBe(false);
  });

  it('uses strict routing when the first route lacks lr: Request-URI = that route, remote target last in Route', () => {
    const dialog = aliceDialog(200, { recordRoute: '<sip:p2.example.com;lr>, <sip:p1.example.com>' });
    const bye = dialog.createRequest('BYE');
    expect(formatUri(bye.uri)).toBe('sip:p1.example.com');
    expect(bye.headers.getAll('Route')).toEqual([
      '<sip:p2.example.com;lr>',
      '<sip:bob@192.0.2.4;transport=ws>',
    ]);
  });

  it('puts the local target in the Contact of a re-INVITE, and extra headers and body after', () => {
    const reinvite = aliceDialog().createRequest('INVITE', {
      headers: [['Content-Type', 'application/sdp']],
      body: 'v=0\r\n',
    });
    expect(reinvite.headers.get('Contact')).toBe('<sip:alice@df7jal23ls0d.invalid;transport=ws;ob>');
    expect(reinvite.headers.get('Content-Type')).toBe('application/sdp');
    expect(reinvite.body).toBe('v=0\r\n');
  });

  it('MUST increment the local CSeq by one for each new request', () => {
    const dialog = aliceDialog();
    expect(cseqOf(dialog.createRequest('INFO'))).toBe('314160 INFO');
    expect(cseqOf(dialog.createRequest('INVITE'))).toBe('314161 INVITE');
  });

  it('ACK reuses the CSeq number of the INVITE and does not advance the local sequence number', () => {
    const dialog = aliceDialog();
    const reinvite = dialog.createRequest('INVITE');
    const ack = dialog.createAck(314160);
    expect(cseqOf(reinvite)).toBe('314160 INVITE');
    expect(cseqOf(ack)).toBe('314160 ACK');
    expect(formatUri(ack.uri)).toBe('sip:bob@192.0.2.4;transport=ws');
    expect(ack.headers.getAll('Route')).toHaveLength(2);
    expect(cseqOf(dialog.createRequest('BYE'))).toBe('314161 BYE');
  });

  it('does not burn a CSeq number on a request that cannot be built', () => {
    const dialog = aliceDialog();
    expect(() => dialog.createRequest('INFO', { headers: [['Bad Name', 'x']] })).toThrow(
      InvalidArgumentError,
    );
    expect(cseqOf(dialog.createRequest('INFO'))).toBe('314160 INFO');
  });

  it('a UAS picks an initial local CSeq below 2**31 from the injected randomness', () => {
    const dialog = bobDialog({ confirmed: true, randomByte: 0xff });
    expect(cseqOf(dialog.createRequest('BYE'))).toBe(`${2 ** 30} BYE`);
    expect(cseqOf(bobDialog({ confirmed: true, randomByte: 0 }).createRequest('BYE'))).toBe('1 BYE');
  });

  it('a UAS request goes back along the route set in order, To = the caller with her tag', () => {
    const bye = bobDialog({ confirmed: true }).createRequest('BYE');
    expect(formatUri(bye.uri)).toBe('sip:alice@df7jal23ls0d.invalid;transport=ws;ob');
    expect(bye.headers.getAll('Route')).toEqual([
      '<sip:p2.biloxi.example.com;lr>',
      '<sip:p1.atlanta.example.com;lr>',
    ]);
    expect(bye.headers.get('From')).toBe('"Bob" <sip:bob@biloxi.example.com>;tag=bob-tag');
    expect(bye.headers.get('To')).toBe(`"Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`);
  });
});

describe('RFC 3261 §12.2.2 UAS behavior: requests received inside a dialog', () => {
  it('sets an empty remote sequence number from the first request', () => {
    const dialog = aliceDialog();
    expect(dialog.receiveRequest(fromBob('INFO', 10))).toEqual({ kind: 'accept' });
    expect(dialog.receiveRequest(fromBob('INFO', 9))).toEqual({ kind: 'reject', status: 500 });
  });

  it('MUST reject a request with a lower CSeq with a 500 verdict and leave the dialog unchanged', () => {
    const dialog = aliceDialog();
    dialog.receiveRequest(fromBob('INFO', 10));
    const verdict = dialog.receiveRequest(fromBob('INVITE', 9, ['Contact: <sip:bob@198.51.100.7>']));
    expect(verdict).toEqual({ kind: 'reject', status: 500 });
    expect(formatUri(dialog.remoteTarget)).toBe('sip:bob@192.0.2.4;transport=ws');
    expect(dialog.receiveRequest(fromBob('INFO', 10)).kind).toBe('accept');
  });

  it('accepts a CSeq more than one higher and records it', () => {
    const dialog = aliceDialog();
    dialog.receiveRequest(fromBob('INFO', 10));
    expect(dialog.receiveRequest(fromBob('INFO', 15)).kind).toBe('accept');
    expect(dialog.receiveRequest(fromBob('INFO', 14)).kind).toBe('reject');
  });

  it('ACK and CANCEL always pass and leave the remote sequence number alone', () => {
    const dialog = aliceDialog();
    dialog.receiveRequest(fromBob('INFO', 10));
    expect(dialog.receiveRequest(fromBob('ACK', 3))).toEqual({ kind: 'accept' });
    expect(dialog.receiveRequest(fromBob('CANCEL', 3))).toEqual({ kind: 'accept' });
    expect(dialog.receiveRequest(fromBob('INFO', 10))).toEqual({ kind: 'accept' });
    expect(dialog.receiveRequest(fromBob('INFO', 3))).toEqual({ kind: 'reject', status: 500 });
  });

  it('answers a CSeq that does not parse with a 400 verdict', () => {
    const bad = fromBob('INFO', 1);
    bad.headers.set('CSeq', 'x INFO');
    expect(aliceDialog().receiveRequest(bad)).toMatchObject({ kind: 'reject', status: 400 });
  });

  it('answers a target refresh whose Contact does not parse with a 400 verdict, and takes `*` as no Contact', () => {
    const dialog = aliceDialog();
    expect(dialog.receiveRequest(fromBob('INVITE', 2, ['Contact: <:::>']))).toEqual({
      kind: 'reject',
      status: 400,
    });
    expect(dialog.receiveRequest(fromBob('INVITE', 3, ['Contact: *']))).toEqual({ kind: 'accept' });
    expect(formatUri(dialog.remoteTarget)).toBe('sip:bob@192.0.2.4;transport=ws');
  });
});

describe('RFC 3261 §12.2 target refresh', () => {
  it('a re-INVITE received replaces the remote target with its Contact', () => {
    const dialog = aliceDialog();
    dialog.receiveRequest(fromBob('INVITE', 1, ['Contact: <sip:bob@198.51.100.7;transport=ws>']));
    expect(formatUri(dialog.remoteTarget)).toBe('sip:bob@198.51.100.7;transport=ws');
  });

  it('an UPDATE received is a target refresh too; an INFO with a Contact is not', () => {
    const dialog = aliceDialog();
    dialog.receiveRequest(fromBob('INFO', 1, ['Contact: <sip:bob@203.0.113.9>']));
    expect(formatUri(dialog.remoteTarget)).toBe('sip:bob@192.0.2.4;transport=ws');
    dialog.receiveRequest(fromBob('UPDATE', 2, ['Contact: <sip:bob@203.0.113.9>']));
    expect(formatUri(dialog.remoteTarget)).toBe('sip:bob@203.0.113.9');
  });

  it('a target refresh request does not modify the route set', () => {
    const dialog = aliceDialog();
    dialog.receiveRequest(
      fromBob('INVITE', 1, [
        'Record-Route: <sip:elsewhere.example.com;lr>',
        'Contact: <sip:bob@203.0.113.9>',
      ]),
    );
    expect(routesOf(dialog.createAck(1))).toEqual(ALICE_ROUTE_SET);
  });

  it('a 2xx to our re-INVITE or UPDATE replaces the remote target; a 2xx to INFO does not', () => {
    const dialog = aliceDialog();
    dialog.createRequest('INVITE');
    const reinvite200 = okFromBob({
      cseq: '314160 INVITE',
      contact: '<sip:bob@198.51.100.7>',
      recordRoute: '<sip:other.example.com;lr>',
    });
    expect(dialog.receiveResponse(reinvite200)).toEqual({ ok: true, value: 'target-refreshed' });
    expect(formatUri(dialog.remoteTarget)).toBe('sip:bob@198.51.100.7');
    // The route set is fixed once the dialog is confirmed.
    expect(routesOf(dialog.createAck(1))).toEqual(ALICE_ROUTE_SET);

    dialog.createRequest('INFO');
    const info200 = okFromBob({
      cseq: '314161 INFO',
      contact: '<sip:bob@203.0.113.9>',
    });
    expect(dialog.receiveResponse(info200)).toEqual({ ok: true, value: 'none' });
    expect(formatUri(dialog.remoteTarget)).toBe('sip:bob@198.51.100.7');

    dialog.createRequest('UPDATE');
    const update200 = okFromBob({
      cseq: '314162 UPDATE',
      contact: '<sip:bob@203.0.113.9>',
    });
    expect(dialog.receiveResponse(update200)).toEqual({ ok: true, value: 'target-refreshed' });
    expect(formatUri(dialog.remoteTarget)).toBe('sip:bob@203.0.113.9');
  });

  it('a late 2xx retransmission of an older target refresh does not roll the target back', () => {
    const dialog = aliceDialog();
    dialog.createRequest('INVITE');
    dialog.receiveResponse(okFromBob({ cseq: '314160 INVITE', contact: '<sip:bob@198.51.100.7>' }));
    dialog.receiveResponse(okFromBob({ contact: BOB_CONTACT }));
    expect(formatUri(dialog.remoteTarget)).toBe('sip:bob@198.51.100.7');
  });
});

describe('RFC 3261 §12.1.2 / §13.2.2.4 early dialog confirmed by the 2xx', () => {
  it('MUST recompute the route set from the 2xx, take its Contact, and move early → confirmed', () => {
    const dialog = aliceDialog(180, {
      recordRoute: '<sip:p1.atlanta.example.com;lr>',
      contact: '<sip:bob@early.example.com>',
    });
    const seen: Array<[DialogState, DialogState]> = [];
    dialog.on('state', (s, previous) => seen.push([s, previous]));
    const ok200 = okFromBob({ contact: BOB_CONTACT, recordRoute: RECORD_ROUTE });

    expect(dialog.receiveResponse(ok200)).toEqual({ ok: true, value: 'confirmed' });
    expect(dialog.state).toBe('confirmed');
    expect(seen).toEqual([['confirmed', 'early']]);
    expect(routesOf(dialog.createAck(1))).toEqual(ALICE_ROUTE_SET);
    expect(formatUri(dialog.remoteTarget)).toBe('sip:bob@192.0.2.4;transport=ws');
  });

  it('a later 1xx or a 2xx to PRACK does not confirm the early dialog', () => {
    const dialog = aliceDialog(180);
    dialog.receiveResponse(toAlice(183, 'Session Progress', { toTag: 'bob-tag', contact: BOB_CONTACT }));
    dialog.createRequest('PRACK');
    dialog.receiveResponse(okFromBob({ cseq: '314160 PRACK' }));
    expect(dialog.state).toBe('early');
  });
});

describe('RFC 3261 §12.1.2 forking: one INVITE, several dialogs', () => {
  const ringing = (tag: string, host: string): SipResponse =>
    toAlice(180, 'Ringing', {
      toTag: tag,
      contact: `<sip:bob@${host}>`,
      recordRoute: '<sip:p1.atlanta.example.com;lr>',
    });

  it('two 1xx with different To tags create two early dialogs kept apart', () => {
    const table = new DialogTable();
    const invite = aliceInvite();
    const a = table.receiveUacResponse(invite, ringing('fork-a', 'a.example.com'));
    const b = table.receiveUacResponse(invite, ringing('fork-b', 'b.example.com'));
    const dialogA = a.ok ? a.value.dialog : undefined;
    const dialogB = b.ok ? b.value.dialog : undefined;

    expect(a.ok && a.value.created).toBe(true);
    expect(b.ok && b.value.created).toBe(true);
    expect(dialogA).not.toBe(dialogB);
    expect(table.size).toBe(2);
    expect(dialogA?.state).toBe('early');
    expect(formatUri(dialogA!.remoteTarget)).toBe('sip:bob@a.example.com');
    expect(formatUri(dialogB!.remoteTarget)).toBe('sip:bob@b.example.com');
    expect(table.forks(CALL_ID, ALICE_TAG)).toHaveLength(2);
  });

  it('the 2xx of one fork confirms that dialog only', () => {
    const table = new DialogTable();
    const invite = aliceInvite();
    table.receiveUacResponse(invite, ringing('fork-a', 'a.example.com'));
    table.receiveUacResponse(invite, ringing('fork-b', 'b.example.com'));
    const ok200 = toAlice(200, 'OK', {
      toTag: 'fork-b',
      contact: '<sip:bob@b.example.com>',
      recordRoute: RECORD_ROUTE,
    });

    const outcome = table.receiveUacResponse(invite, ok200);
    expect(outcome.ok && outcome.value).toMatchObject({ created: false, effect: 'confirmed' });
    expect(table.get({ callId: CALL_ID, localTag: ALICE_TAG, remoteTag: 'fork-b' })?.state).toBe('confirmed');
    expect(table.get({ callId: CALL_ID, localTag: ALICE_TAG, remoteTag: 'fork-a' })?.state).toBe('early');
  });

  it('a 2xx with a new To tag creates a new confirmed dialog; a tag-less 1xx creates none', () => {
    const table = new DialogTable();
    const invite = aliceInvite();
    const none = table.receiveUacResponse(invite, toAlice(180, 'Ringing', { contact: BOB_CONTACT }));
    expect(none.ok && none.value).toEqual({ dialog: undefined, created: false, effect: 'none' });
    const c = table.receiveUacResponse(invite, toAlice(200, 'OK', { toTag: 'fork-c', contact: BOB_CONTACT }));
    expect(c.ok && c.value.created).toBe(true);
    expect(c.ok && c.value.dialog?.state).toBe('confirmed');
  });

  it('finds the dialog of an incoming in-dialog request, and forgets a dialog when it terminates or is removed', () => {
    const table = new DialogTable();
    const invite = aliceInvite();
    table.receiveUacResponse(invite, ringing('fork-a', 'a.example.com'));
    table.receiveUacResponse(invite, ringing('bob-tag', 'b.example.com'));

    const found = table.findForRequest(fromBob('BYE', 5));
    const dialog = found.ok ? found.value : undefined;
    expect(dialog?.id.remoteTag).toBe('bob-tag');

    dialog?.terminate();
    expect(table.findForRequest(fromBob('BYE', 5))).toEqual({ ok: true, value: undefined });
    expect(table.remove({ callId: CALL_ID, localTag: ALICE_TAG, remoteTag: 'fork-a' })).toBe(true);
    expect(table.size).toBe(0);
  });

  it('refuses a duplicate dialog id with InvalidArgumentError', () => {
    const table = new DialogTable();
    const dialog = aliceDialog();
    table.add(dialog);
    expect(() => table.add(dialog)).toThrow(InvalidArgumentError);
  });
});

describe('RFC 3261 §12.3 termination', () => {
  it('a terminated dialog rejects createRequest with InvalidStateError', () => {
    const dialog = aliceDialog();
    dialog.terminate();
    expect(dialog.state).toBe('terminated');
    expect(() => dialog.createRequest('BYE')).toThrow(InvalidStateError);
  });

  it('an early dialog can terminate directly; terminate() is idempotent; no edge leaves terminated', () => {
    const dialog = aliceDialog(180);
    const seen: DialogState[] = [];
    dialog.on('state', (s) => seen.push(s));
    dialog.terminate();
    dialog.terminate();
    expect(seen).toEqual(['terminated']);
    expect(() => bobDialog().confirm()).not.toThrow();
    const ended = bobDialog();
    ended.terminate();
    expect(() => ended.confirm()).toThrow(InvalidStateError);
  });

  it('a response on a terminated dialog (e.g. the 200 to our BYE) changes nothing', () => {
    const dialog = aliceDialog();
    dialog.createRequest('BYE');
    dialog.terminate();
    const bye200 = okFromBob({ cseq: '314160 BYE' });
    expect(dialog.receiveResponse(bye200)).toEqual({ ok: true, value: 'none' });
  });

  it('a request on a terminated dialog gets a 481 verdict (§12.2.2)', () => {
    const dialog = aliceDialog();
    dialog.terminate();
    expect(dialog.receiveRequest(fromBob('BYE', 1))).toEqual({ kind: 'reject', status: 481 });
  });
});
