import { describe, expect, it } from 'vitest';
import { createRequest } from '../message/sip-message';
import { createResponseTo, hasTag } from './response-factory';

const request = createRequest('INVITE', 'sip:bob@biloxi.example.com', [
  ['Via', 'SIP/2.0/WSS p1.example.com;branch=z9hG4bK1'],
  ['Via', 'SIP/2.0/WS a.invalid;branch=z9hG4bK2'],
  ['Max-Forwards', '69'],
  ['From', '<sip:alice@atlanta.example.com>;tag=a1'],
  ['To', '<sip:bob@biloxi.example.com>'],
  ['Call-ID', 'c1'],
  ['CSeq', '1 INVITE'],
]);

describe('RFC 3261 §8.2.6 generating a response', () => {
  it('copies Via (in order), From, Call-ID and CSeq, and adds our tag to To', () => {
    const response = createResponseTo(request, 486, { toTag: 'b1', headers: [['Retry-After', '5']] });
    expect(response.headers.getAll('Via')).toEqual(request.headers.getAll('Via'));
    expect(response.headers.get('From')).toBe('<sip:alice@atlanta.example.com>;tag=a1');
    expect(response.headers.get('To')).toBe('<sip:bob@biloxi.example.com>;tag=b1');
    expect(response.headers.get('Call-ID')).toBe('c1');
    expect(response.headers.get('CSeq')).toBe('1 INVITE');
    expect(response.headers.get('Retry-After')).toBe('5');
    expect(response.headers.has('Max-Forwards')).toBe(false);
  });

  it('adds no tag to a 100 (Trying) and keeps a tag already present', () => {
    expect(createResponseTo(request, 100, { toTag: 'b1' }).headers.get('To')).toBe(
      '<sip:bob@biloxi.example.com>',
    );
    const tagged = createRequest('BYE', 'sip:a@a.invalid', [['To', '<sip:bob@b>;tag=old']]);
    expect(createResponseTo(tagged, 200, { toTag: 'new' }).headers.get('To')).toBe('<sip:bob@b>;tag=old');
    expect(hasTag('<sip:bob@b;tag=uri-param>')).toBe(false);
  });

  it('§21: uses the standard phrase of the codes the core sends, else the empty phrase', () => {
    expect(createResponseTo(request, 481).reason).toBe('Call/Transaction Does Not Exist');
    expect(createResponseTo(request, 487).reason).toBe('Request Terminated');
    expect(createResponseTo(request, 404).reason).toBe('');
    expect(createResponseTo(request, 603, { reason: 'Not now' }).reason).toBe('Not now');
  });
});
