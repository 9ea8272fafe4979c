import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../message/sip-message';
import { createResponse } from '../message/sip-message';
import { createRandom } from '../support/random';
import { FakeClock, sequentialBytes } from '../testing/fake-clock';
import type { RequestOutcome } from './authenticated-request';
import { gruu } from './gruu';
import { outbound } from './outbound';
import type { UserAgentContext } from './ua-extension';

const DOMAIN = { scheme: 'sip', host: 'ringlet.test', params: {}, headers: {} } as const;

function context(answer: (request: SipRequest) => RequestOutcome | undefined) {
  const sent: SipRequest[] = [];
  const ua: UserAgentContext = {
    random: createRandom(sequentialBytes(3)),
    instanceId: 'urn:uuid:00000000-0000-4000-8000-000000000001',
    identity: { uri: { ...DOMAIN, user: 'alice' }, params: {} },
    domain: DOMAIN,
    send: (request) => {
      sent.push(request);
      const outcome = answer(request);
      return outcome ? Promise.resolve(outcome) : new Promise(() => undefined);
    },
  };
  return { ua, sent };
}

/** Runs the extension's keep-alive on a flow whose server never answers CRLF pings. */
function watch(ua: UserAgentContext, options: Parameters<typeof outbound>[0] = {}) {
  const clock = new FakeClock();
  const frames: string[] = [];
  const failures: string[] = [];
  const keepAlive = outbound(options).attach(ua).keepAlive;
  keepAlive?.({ clock, random: ua.random, send: (f) => frames.push(f), fail: (why) => failures.push(why) });
  return { clock, frames, failures, keepAlive };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('RFC 5626 outbound()', () => {
  it('§4.2: puts +sip.instance and reg-id on the REGISTER Contact and lists outbound and path', () => {
    const { ua } = context(() => undefined);
    const extension = outbound();
    expect(extension.tags).toEqual(['outbound', 'path']);
    expect(extension.attach(ua).contactParams).toEqual({
      '+sip.instance': '"<urn:uuid:00000000-0000-4000-8000-000000000001>"',
      'reg-id': '1',
    });
  });

  it('shares the instance id with gruu() on the same user agent', () => {
    const { ua } = context(() => undefined);
    const generated = { ...ua, instanceId: undefined };
    expect(outbound().attach(generated).contactParams?.['+sip.instance']).toBe(
      gruu().attach(generated).contactParams?.['+sip.instance'],
    );
  });

  it('§4.4.1: falls back to an OPTIONS to the domain for a server that ignores CRLF, alive on any answer', async () => {
    const { ua, sent } = context((request) => ({
      kind: 'response',
      response: createResponse(404, 'Not Found'),
      request,
    }));
    const h = watch(ua);
    h.clock.advance(25_000 + 10_000); // the CRLF probe goes unanswered
    h.clock.advance(25_000);
    await flush();
    expect(h.frames).toEqual(['\r\n\r\n']);
    expect(sent.map((r) => `${r.method} ${'host' in r.uri ? r.uri.host : ''}`)).toEqual([
      'OPTIONS ringlet.test',
    ]);
    expect(sent[0]?.headers.get('From')).toMatch(/^<sip:alice@ringlet\.test>;tag=/);
    expect(h.failures).toEqual([]);
  });

  it('§4.4.1: declares the flow dead when the OPTIONS ping times out', async () => {
    const { ua } = context((request) => ({ kind: 'timeout', request }));
    const h = watch(ua);
    h.clock.advance(35_000 + 25_000);
    await flush();
    expect(h.failures).toEqual(['OPTIONS ping failed']);
  });

  it('installs no keep-alive with keepAliveIntervalMs 0', () => {
    expect(watch(context(() => undefined).ua, { keepAliveIntervalMs: 0 }).keepAlive).toBeUndefined();
  });
});
