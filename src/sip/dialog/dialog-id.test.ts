import { describe, expect, it } from 'vitest';
import { createRequest, createResponse } from '../message/sip-message';
import { dialogIdEquals, dialogIdFromRequest, dialogIdFromResponse, dialogKey } from './dialog-id';

const HEADERS = {
  From: '<sip:alice@atlanta.example.com>;tag=from-tag',
  To: '<sip:bob@biloxi.example.com>;tag=to-tag',
  'Call-ID': 'call-1@atlanta.example.com',
};

describe('RFC 3261 §12 dialog id', () => {
  it('gives equal ids the same key and different ids different keys', () => {
    const id = { callId: 'c', localTag: 'l', remoteTag: 'r' };
    expect(dialogKey({ ...id })).toBe(dialogKey(id));
    expect(dialogKey({ ...id, remoteTag: 'x' })).not.toBe(dialogKey(id));
    // The key must not be fooled by a separator moving between fields.
    expect(dialogKey({ callId: 'a|b', localTag: 'c', remoteTag: '' })).not.toBe(
      dialogKey({ callId: 'a', localTag: 'b|c', remoteTag: '' }),
    );
    expect(dialogIdEquals(id, { ...id })).toBe(true);
    expect(dialogIdEquals(id, { ...id, callId: 'C' })).toBe(false);
  });
});

describe('RFC 3261 §12.1.2 UAC dialog id', () => {
  it('is the Call-ID, the From tag as local tag and the To tag of the response as remote tag', () => {
    const r = dialogIdFromResponse(createResponse(180, 'Ringing', HEADERS));
    expect(r).toMatchObject({
      ok: true,
      value: { callId: HEADERS['Call-ID'], localTag: 'from-tag', remoteTag: 'to-tag' },
    });
  });

  it('treats a missing To tag as null (empty string)', () => {
    const r = dialogIdFromResponse(
      createResponse(200, 'OK', { ...HEADERS, To: '<sip:bob@biloxi.example.com>' }),
    );
    expect(r.ok && r.value.remoteTag).toBe('');
  });

  it('returns a failure, not an exception, when a header does not parse', () => {
    const r = dialogIdFromResponse(createResponse(200, 'OK', { ...HEADERS, From: '<<<' }));
    expect(r.ok).toBe(false);
  });
});

describe('RFC 3261 §12.1.1 UAS dialog id', () => {
  it('is the Call-ID, the tag of our response as local tag and the From tag as remote tag', () => {
    const invite = createRequest('INVITE', 'sip:bob@biloxi.example.com', {
      ...HEADERS,
      To: '<sip:bob@biloxi.example.com>',
    });
    expect(dialogIdFromRequest(invite, 'my-tag')).toMatchObject({
      ok: true,
      value: { callId: HEADERS['Call-ID'], localTag: 'my-tag', remoteTag: 'from-tag' },
    });
  });

  it('takes the local tag from the To of a request received inside the dialog (§12.2.2)', () => {
    const bye = createRequest('BYE', 'sip:bob@192.0.2.4', HEADERS);
    expect(dialogIdFromRequest(bye)).toMatchObject({
      ok: true,
      value: { callId: HEADERS['Call-ID'], localTag: 'to-tag', remoteTag: 'from-tag' },
    });
  });

  it('treats a missing From tag as null (empty string)', () => {
    const r = dialogIdFromRequest(
      createRequest('INVITE', 'sip:bob@biloxi.example.com', {
        ...HEADERS,
        From: '<sip:alice@atlanta.example.com>',
      }),
      'my-tag',
    );
    expect(r.ok && r.value.remoteTag).toBe('');
  });
});
