import { describe, expect, it } from 'vitest';
import { createRequest, createResponse } from '../message/sip-message';
import type { NameAddr, Uri } from '../message/types';
import { formatUri, parseUri } from '../message/uri';
import { inDialogTarget, requestUriFrom, routeSetOf } from './route-set';

function uri(text: string): Uri {
  const r = parseUri(text);
  if (!r.ok) throw new Error(`test URI ${text} does not parse: ${r.error.message}`);
  return r.value;
}

function route(text: string): NameAddr {
  return { uri: uri(text), params: {} };
}

const uris = (routes: readonly NameAddr[]): string[] => routes.map((r) => formatUri(r.uri));

const RECORD_ROUTE: ReadonlyArray<readonly [string, string]> = [
  ['Record-Route', '<sip:p3.example.com;lr>, <sip:p2.example.com;lr;transport=tcp>'],
  ['Record-Route', '<sip:p1.example.com;lr>'],
];

describe('RFC 3261 §12.1.2 UAC route set', () => {
  it('MUST be the Record-Route URIs of the response taken in reverse order', () => {
    const response = createResponse(200, 'OK', [
      ['Record-Route', '<sip:p3.example.com;lr>'],
      ['Record-Route', '<sip:p1.example.com;lr>'],
    ]);
    const routeSet = routeSetOf(response);
    expect(routeSet.ok && uris(routeSet.value)).toEqual(['sip:p1.example.com;lr', 'sip:p3.example.com;lr']);
  });

  it('reverses across several Record-Route header fields and preserves all URI parameters', () => {
    const response = createResponse(200, 'OK', RECORD_ROUTE);
    const routeSet = routeSetOf(response);
    expect(routeSet.ok && uris(routeSet.value)).toEqual([
      'sip:p1.example.com;lr',
      'sip:p2.example.com;lr;transport=tcp',
      'sip:p3.example.com;lr',
    ]);
  });

  it('is the empty set when the response has no Record-Route', () => {
    expect(routeSetOf(createResponse(200, 'OK'))).toEqual({ ok: true, value: [] });
  });

  it('does not reorder the Record-Route values of the message', () => {
    const response = createResponse(200, 'OK', RECORD_ROUTE);
    routeSetOf(response);
    const again = routeSetOf(response);
    expect(again.ok && uris(again.value)[0]).toBe('sip:p1.example.com;lr');
  });
});

describe('RFC 3261 §12.1.1 UAS route set', () => {
  it('MUST be the Record-Route URIs of the request taken in order', () => {
    const request = createRequest('INVITE', 'sip:bob@biloxi.example.com', RECORD_ROUTE);
    const routeSet = routeSetOf(request);
    expect(routeSet.ok && uris(routeSet.value)).toEqual([
      'sip:p3.example.com;lr',
      'sip:p2.example.com;lr;transport=tcp',
      'sip:p1.example.com;lr',
    ]);
  });
});

describe('RFC 3261 §12.2.1.1 Request-URI and Route of a request inside a dialog', () => {
  const remoteTarget = uri('sip:bob@192.0.2.4;transport=ws');

  it('puts the remote target in the Request-URI and adds no Route when the route set is empty', () => {
    const [requestUri, routes] = inDialogTarget([], remoteTarget);
    expect(formatUri(requestUri)).toBe('sip:bob@192.0.2.4;transport=ws');
    expect(routes).toEqual([]);
  });

  it('loose routing: the first route has lr, so Request-URI = remote target and Route = the route set in order', () => {
    const [requestUri, routes] = inDialogTarget(
      [route('sip:p1.example.com;lr'), route('sip:p2.example.com')],
      remoteTarget,
    );
    expect(formatUri(requestUri)).toBe('sip:bob@192.0.2.4;transport=ws');
    expect(uris(routes)).toEqual(['sip:p1.example.com;lr', 'sip:p2.example.com']);
  });

  it('strict routing: Request-URI = first route, Route = the rest then the remote target last', () => {
    const [requestUri, routes] = inDialogTarget(
      [route('sip:p1.example.com'), route('sip:p2.example.com;lr')],
      remoteTarget,
    );
    expect(formatUri(requestUri)).toBe('sip:p1.example.com');
    expect(uris(routes)).toEqual(['sip:p2.example.com;lr', 'sip:bob@192.0.2.4;transport=ws']);
  });

  it('strict routing strips the parameters a Request-URI may not carry (method, URI headers) and keeps the others', () => {
    const [requestUri, routes] = inDialogTarget(
      [route('sip:p1.example.com;method=INVITE;transport=tcp?subject=x')],
      remoteTarget,
    );
    expect(formatUri(requestUri)).toBe('sip:p1.example.com;transport=tcp');
    expect(uris(routes)).toEqual(['sip:bob@192.0.2.4;transport=ws']);
  });

  it('keeps every parameter of the Route values, including those of the header field', () => {
    const withParam: NameAddr = { uri: uri('sip:p1.example.com;lr;ftag=x'), params: { foo: 'bar' } };
    const [, routes] = inDialogTarget([withParam], remoteTarget);
    expect(routes).toEqual([withParam]);
  });

  it('treats only a sip/sips route carrying lr as a loose router (§19.1.1)', () => {
    const loose = (text: string): boolean =>
      formatUri(inDialogTarget([route(text)], remoteTarget)[0]) === formatUri(remoteTarget);
    expect(loose('sip:p.example.com;lr')).toBe(true);
    expect(loose('sips:p.example.com;LR')).toBe(true);
    expect(loose('sip:p.example.com;transport=tcp')).toBe(false);
  });

  it('requestUriFrom leaves a clean URI equal and does not mutate its input', () => {
    const input = uri('sip:alice@example.com;method=BYE?x=y');
    const out = requestUriFrom(input);
    expect(formatUri(out)).toBe('sip:alice@example.com');
    expect(formatUri(input)).toBe('sip:alice@example.com;method=BYE?x=y');
  });
});
