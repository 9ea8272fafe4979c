import { describe, expect, it } from 'vitest';
import { getContact, getCSeq, getExpires, getVias } from '../message/headers';
import { createRequest, type SipResponse } from '../message/sip-message';
import { parseMessage } from '../parser/parse-message';
import { createLogger, type LogRecord } from '../support/logger';
import { createRandom } from '../support/random';
import { FakeClock, sequentialBytes } from '../testing/fake-clock';
import { FakeSessionDescriptionHandler } from '../testing/fake-session-description-handler';
import { ScriptedRegistrar, type ScriptedRegistrarOptions } from '../testing/scripted-registrar';
import { LoopbackNetwork } from '../transport/loopback-transport';
import { infoMethod } from '../session/info-method';
import { gruu } from './gruu';
import { outbound } from './outbound';
import type { RegistrationStatus } from './registration';
import { UserAgent } from './user-agent';

/** Lets loopback deliveries (clock timers at +0) and the promise chains they resolve run out. */
async function settle(clock: FakeClock, ms = 0): Promise<void> {
  for (let i = 0; i < 30; i++) {
    clock.advance(i === 0 ? ms : 0);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function setup(
  registrarOptions: ScriptedRegistrarOptions = {},
  password = 'alice-secret',
  extra: Partial<ConstructorParameters<typeof UserAgent>[0]> = {},
) {
  const clock = new FakeClock();
  const network = new LoopbackNetwork({ clock });
  const registrarEndpoint = network.endpoint('registrar');
  void registrarEndpoint.connect();
  const registrar = new ScriptedRegistrar(registrarEndpoint, registrarOptions);
  const logs: LogRecord[] = [];
  const ua = new UserAgent({
    uri: 'sip:alice@ringlet.test',
    password,
    displayName: 'Alice "A" Smith',
    transport: network.endpoint('alice', { viaHost: 'a1b2c3.invalid' }),
    clock,
    random: createRandom(sequentialBytes(7)),
    instanceId: 'urn:uuid:00000000-0000-4000-8000-000000000001',
    logger: createLogger((record) => logs.push(record), 'ringlet', 'debug'),
    ...extra,
  });
  const statuses: RegistrationStatus[] = [];
  ua.on('registration', (s) => statuses.push(s));
  return { clock, network, registrar, ua, logs, statuses };
}

async function register(ctx: ReturnType<typeof setup>): Promise<RegistrationStatus> {
  const done = ctx.ua.register();
  await settle(ctx.clock);
  return done;
}

describe('RFC 3261 §10.2 registration', () => {
  it('registers after a digest challenge and reports the expiry the registrar granted', async () => {
    const ctx = setup({ maxExpires: 300 });
    const status = await register(ctx);
    expect(status).toMatchObject({ state: 'registered', expires: 300 });
    expect(ctx.statuses.map((s) => s.state)).toEqual(['registering', 'registered']);
    const [first, second] = ctx.registrar.registers;
    expect(first?.headers.has('Authorization')).toBe(false);
    expect(second?.headers.get('Authorization')).toMatch(/^Digest username="alice"/);
    // §22.2: the retry is a new request with the CSeq incremented, same Call-ID.
    expect(getCSeq(second!).ok && getCSeq(second!)).toMatchObject({ value: { seq: 2, method: 'REGISTER' } });
    expect(second?.headers.get('Call-ID')).toBe(first?.headers.get('Call-ID'));
  });

  const bindingOf = (request: Parameters<typeof getContact>[0]) => {
    const contact = getContact(request);
    return contact.ok && contact.value && !contact.value.star ? contact.value.contacts[0] : undefined;
  };

  it('builds REGISTER as RFC 7118 §5 describes, with no extension tag by default', async () => {
    const ctx = setup();
    await register(ctx);
    const request = ctx.registrar.registers[0]!;
    expect(request.uri).toMatchObject({ scheme: 'sip', host: 'ringlet.test' });
    expect('user' in request.uri && request.uri.user).toBeFalsy();
    const via = getVias(request);
    expect(via.ok && via.value[0]).toMatchObject({ transport: 'WS', host: 'a1b2c3.invalid' });
    const binding = bindingOf(request);
    expect(binding?.uri).toMatchObject({ host: 'a1b2c3.invalid', params: { transport: 'ws' } });
    expect(binding?.params).toEqual({ expires: '600' });
    expect(request.headers.get('To')).toBe('"Alice \\"A\\" Smith" <sip:alice@ringlet.test>');
    expect(request.headers.has('Supported')).toBe(false);
  });

  it('with outbound(): +sip.instance and reg-id on the Contact, Supported outbound and path (RFC 5626 §4.2)', async () => {
    const ctx = setup({}, 'alice-secret', { extensions: [outbound({ keepAliveIntervalMs: 0 })] });
    expect(await register(ctx)).toMatchObject({ state: 'registered' });
    const request = ctx.registrar.registers[0]!;
    expect(bindingOf(request)?.params).toMatchObject({
      '+sip.instance': '<urn:uuid:00000000-0000-4000-8000-000000000001>',
      'reg-id': '1',
    });
    expect(request.headers.get('Supported')).toBe('outbound, path');
  });

  it('with outbound() and gruu(): one +sip.instance, generated as a version-4 UUID when not given', async () => {
    const ctx = setup({}, 'alice-secret', { instanceId: undefined, extensions: [outbound(), gruu()] });
    await register(ctx);
    const request = ctx.registrar.registers[0]!;
    expect(request.headers.get('Contact')?.match(/\+sip\.instance/g)).toHaveLength(1);
    expect(bindingOf(request)?.params['+sip.instance']).toMatch(
      /^<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}>$/,
    );
    expect(request.headers.get('Supported')).toBe('outbound, path, gruu');
  });

  it('refuses an instanceId that is not a URN when an extension uses it', () => {
    expect(() => setup({}, 'x', { instanceId: 'not-a-urn' })).not.toThrow();
    expect(() => setup({}, 'x', { instanceId: 'not-a-urn', extensions: [gruu()] })).toThrow(/URN/);
  });

  it('refreshes before the granted expiry, not the one asked for', async () => {
    const ctx = setup({ maxExpires: 120 });
    await register(ctx);
    const before = ctx.registrar.registers.length;
    // 120 s granted (600 asked): the refresh comes 30 s early, at 90 s.
    await settle(ctx.clock, 89_000);
    expect(ctx.registrar.registers.length).toBe(before);
    await settle(ctx.clock, 2_000);
    expect(ctx.registrar.registers.length).toBeGreaterThan(before);
    expect(ctx.ua.registration).toMatchObject({ state: 'registered', expires: 120 });
  });

  it('§10.2.8 retries with Min-Expires after 423 Interval Too Brief', async () => {
    const ctx = setup({ minExpires: 1200, maxExpires: 3600 });
    const status = await register(ctx);
    expect(status).toMatchObject({ state: 'registered', expires: 1200 });
    const last = ctx.registrar.registers.at(-1)!;
    expect(getExpires(last)).toMatchObject({ ok: true, value: 1200 });
  });

  it('fails cleanly with a wrong password and does not retry forever', async () => {
    const ctx = setup({}, 'wrong');
    const status = await register(ctx);
    expect(status).toMatchObject({ state: 'failed', cause: 'auth-failed', status: 401 });
    expect(ctx.registrar.registers.length).toBe(2);
    await settle(ctx.clock, 600_000);
    expect(ctx.registrar.registers.length).toBe(2);
  });

  it('retries a transient failure (503) after Retry-After', async () => {
    let fail = true;
    const ctx = setup({ override: () => (fail ? 503 : undefined) });
    const status = await register(ctx);
    expect(status).toMatchObject({ state: 'failed', cause: 'rejected', status: 503 });
    fail = false;
    await settle(ctx.clock, 7_000);
    expect(ctx.ua.registration.state).toBe('registered');
  });

  it('reports a definite rejection with the registrar’s phrase and does not retry it (4xx, 6xx)', async () => {
    for (const code of [404, 603]) {
      const ctx = setup({ override: () => code });
      const status = await register(ctx);
      expect(status).toEqual({
        state: 'failed',
        cause: 'rejected',
        status: code,
        reason: code === 404 ? 'Not Found' : 'Decline',
      });
      await settle(ctx.clock, 600_000);
      expect(ctx.registrar.registers.length).toBe(1);
    }
  });

  it('a 403 means the credentials were refused: auth-failed', async () => {
    const ctx = setup({ override: (r) => (r.headers.has('Authorization') ? 403 : undefined) });
    expect(await register(ctx)).toMatchObject({ state: 'failed', cause: 'auth-failed', status: 403 });
  });

  it('unregisters its own binding only (expires=0, never *)', async () => {
    const ctx = setup();
    await register(ctx);
    expect(ctx.registrar.bindings.size).toBe(1);
    const done = ctx.ua.unregister();
    await settle(ctx.clock);
    expect(await done).toEqual({ state: 'unregistered' });
    expect(ctx.registrar.bindings.size).toBe(0);
    const last = ctx.registrar.registers.at(-1)!;
    expect(last.headers.get('Contact')).toMatch(/expires=0/);
    expect(last.headers.get('Contact')).not.toBe('*');
  });

  it('re-registers when the transport reconnects, leaving one binding', async () => {
    const ctx = setup();
    await register(ctx);
    const count = ctx.registrar.registers.length;
    ctx.network.sever('alice');
    await settle(ctx.clock);
    ctx.network.restore('alice');
    await settle(ctx.clock);
    expect(ctx.registrar.registers.length).toBeGreaterThan(count);
    expect(ctx.ua.registration.state).toBe('registered');
    expect(ctx.registrar.bindings.size).toBe(1);
  });

  it('registers as soon as the transport first connects when the first attempt found it down', async () => {
    const ctx = setup();
    ctx.network.sever('alice');
    expect(await register(ctx)).toMatchObject({ state: 'failed', cause: 'transport' });
    ctx.network.restore('alice');
    // Without waiting for the 5 s back-off of the failed attempt.
    await settle(ctx.clock);
    expect(ctx.ua.registration.state).toBe('registered');
    expect(ctx.registrar.bindings.size).toBe(1);
  });

  it.each([
    ['with gruu()', [gruu()], '<sip:alice@ringlet.test;gr=urn:uuid:1>'],
    ['not without it', [], /^<sip:[0-9a-f]+@a1b2c3\.invalid;transport=ws>$/],
  ])(
    'RFC 5627 §4.2: uses the GRUU as the Contact of a call %s; REGISTER keeps the real contact',
    async (_, extensions, contact) => {
      const ctx = setup({ gruu: 'sip:alice@ringlet.test;gr=urn:uuid:1' }, 'alice-secret', {
        extensions,
        sessionDescriptionHandlerFactory: () => new FakeSessionDescriptionHandler('alice'),
      });
      await register(ctx);
      ctx.ua.call('sip:bob@ringlet.test');
      await settle(ctx.clock);
      const invite = ctx.registrar.received.find((r) => r.method === 'INVITE');
      expect(invite?.headers.get('Contact')).toMatch(contact);
      expect(ctx.registrar.registers.at(-1)?.headers.get('Contact')).toMatch(
        /^<sip:[0-9a-f]+@a1b2c3\.invalid;transport=ws>/,
      );
    },
  );

  it('never puts the password or the digest response in a log line', async () => {
    const ctx = setup();
    await register(ctx);
    const text = ctx.logs.map((l) => l.message).join('\n');
    expect(text).toContain('REGISTER sip:ringlet.test SIP/2.0');
    expect(text).not.toContain('alice-secret');
    expect(text).not.toMatch(/response="[0-9a-f]{32}"/);
  });

  it('stop() unregisters then leaves no timer running', async () => {
    const ctx = setup();
    await register(ctx);
    const stopped = ctx.ua.stop();
    await settle(ctx.clock);
    await stopped;
    expect(ctx.registrar.bindings.size).toBe(0);
    await settle(ctx.clock, 5_000);
    expect(ctx.clock.pending).toBe(0);
  });
});

/** Two user agents on one loopback network; B's requests reach A. */
function pair() {
  const clock = new FakeClock();
  const network = new LoopbackNetwork({ clock });
  const make = (name: string, seed: number) =>
    new UserAgent({
      uri: `sip:${name}@ringlet.test`,
      transport: network.endpoint(name, { viaHost: `${name}.invalid` }),
      clock,
      random: createRandom(sequentialBytes(seed)),
    });
  const a = make('a', 1);
  const b = make('b', 2);
  return { clock, network, a, b };
}

function rawRequest(
  method: string,
  extra: string[] = [],
  body = '',
  options: { toTag?: boolean; scheme?: string } = {},
) {
  const lines = [
    `${method} ${options.scheme ?? 'sip'}:a@a.invalid SIP/2.0`,
    'Via: SIP/2.0/WS b.invalid;branch=z9hG4bK-raw-' + method,
    'Max-Forwards: 70',
    `To: <sip:a@ringlet.test>${options.toTag ? ';tag=xyz' : ''}`,
    'From: <sip:b@ringlet.test>;tag=from1',
    'Call-ID: raw-call-1',
    `CSeq: 1 ${method}`,
    ...extra,
    `Content-Length: ${new TextEncoder().encode(body).length}`,
  ];
  return lines.join('\r\n') + '\r\n\r\n' + body;
}

describe('RFC 3261 §8.2 UAS core behaviour (two UAs over the loopback transport)', () => {
  /**
   * A started UA and a raw loopback peer that records what it gets: every message as text, and the
   * status of every response.
   */
  async function uaWithRawPeer(extra: Partial<ConstructorParameters<typeof UserAgent>[0]> = {}) {
    const clock = new FakeClock();
    const network = new LoopbackNetwork({ clock });
    const ua = new UserAgent({
      uri: 'sip:a@ringlet.test',
      transport: network.endpoint('a', { viaHost: 'a.invalid' }),
      clock,
      random: createRandom(sequentialBytes(3)),
      ...extra,
    });
    const peer = network.endpoint('peer');
    const replies: string[] = [];
    const statuses: number[] = [];
    peer.on('message', (t) => {
      replies.push(t);
      const r = parseMessage(t);
      if (r.ok && r.value.kind === 'response') statuses.push(r.value.status);
    });
    await ua.start();
    await peer.connect();
    return { clock, ua, peer, replies, statuses };
  }

  /** The first response the UA sends to `text`, read leniently. */
  async function ask(
    text: string,
    extra: Partial<ConstructorParameters<typeof UserAgent>[0]> = {},
  ): Promise<SipResponse | undefined> {
    const { clock, ua, peer, replies } = await uaWithRawPeer(extra);
    peer.send(text);
    await settle(clock);
    await ua.stop();
    const parsed =
      replies[0] === undefined ? undefined : parseMessage(replies[0], { requireMandatoryHeaders: false });
    return parsed?.ok && parsed.value.kind === 'response' ? parsed.value : undefined;
  }

  it('§8.2.2.2 answers a merged request (same From tag, Call-ID and CSeq, another branch) with 482', async () => {
    const { clock, ua, peer, statuses } = await uaWithRawPeer();
    const first = rawRequest('OPTIONS');
    peer.send(first);
    peer.send(first.replace('z9hG4bK-raw-OPTIONS', 'z9hG4bK-raw-OPTIONS-fork2'));
    // A retransmission (same branch) is absorbed by its transaction, not taken for a merged request.
    peer.send(first);
    await settle(clock);
    await ua.stop();
    expect(statuses).toEqual([200, 482, 200]);
  });

  it('§8.2.2.2 remembers a request for 64·T1 only: later, the same From tag, Call-ID and CSeq is new', async () => {
    const { clock, ua, peer, statuses } = await uaWithRawPeer();
    const first = rawRequest('OPTIONS');
    peer.send(first);
    await settle(clock, 31_000);
    peer.send(first.replace('z9hG4bK-raw-OPTIONS', 'z9hG4bK-raw-OPTIONS-2'));
    await settle(clock, 33_000);
    peer.send(first.replace('z9hG4bK-raw-OPTIONS', 'z9hG4bK-raw-OPTIONS-3'));
    await settle(clock);
    await ua.stop();
    expect(statuses).toEqual([200, 482, 200]);
  });

  it('§11.2 answers OPTIONS with 200, Allow, Accept and Supported', async () => {
    const r = await ask(rawRequest('OPTIONS'));
    expect(r?.status).toBe(200);
    expect(r?.headers.get('Allow')).toContain('OPTIONS');
    expect(r?.headers.get('Accept')).toBe('application/sdp');
    expect(r?.headers.get('To')).toMatch(/;tag=/);
  });

  it('§8.2.1 answers an unknown method with 501 and a known unsupported one with 405 + Allow', async () => {
    expect((await ask(rawRequest('FOOBAR')))?.status).toBe(501);
    const r = await ask(rawRequest('PUBLISH'));
    expect(r?.status).toBe(405);
    expect(r?.headers.get('Allow')).toBeDefined();
  });

  it('§8.2.2.1 answers an unsupported Request-URI scheme with 416', async () => {
    const text = rawRequest('OPTIONS').replace('OPTIONS sip:a@a.invalid', 'OPTIONS urn:service:sos');
    expect((await ask(text))?.status).toBe(416);
  });

  it('§8.2.2.3 answers an unknown Require with 420 and Unsupported', async () => {
    const r = await ask(rawRequest('OPTIONS', ['Require: foo, outbound']));
    expect(r?.status).toBe(420);
    // outbound is an opt-in extension: without it, a request requiring it is refused too.
    expect(r?.headers.get('Unsupported')).toBe('foo, outbound');
  });

  it('answers 481 to an in-dialog method that arrives outside a dialog (RFC 6086 §4.2.2 for INFO)', async () => {
    expect((await ask(rawRequest('INFO'), { sessionExtensions: [infoMethod()] }))?.status).toBe(481);
    // Without the extension, INFO is a known method this UA does not allow.
    expect((await ask(rawRequest('INFO')))?.status).toBe(405);
  });

  it('§12.2.2 answers a request for an unknown dialog with 481', async () => {
    expect((await ask(rawRequest('BYE', [], '', { toTag: true })))?.status).toBe(481);
    expect((await ask(rawRequest('BYE')))?.status).toBe(481);
  });

  it('§21.4.1 answers a request whose body disagrees with Content-Length with 400 and says why', async () => {
    const text = rawRequest('OPTIONS').replace('Content-Length: 0', 'Content-Length: 50') + 'short';
    const r = await ask(text);
    expect(r?.status).toBe(400);
    expect(r?.reason).toMatch(/Bad Request \(.+\)/);
  });

  it('§21.5.6 answers a request of another SIP version with 505', async () => {
    const r = await ask(rawRequest('OPTIONS').replace('sip:a@a.invalid SIP/2.0', 'sip:a@a.invalid SIP/7.0'));
    expect(r?.status).toBe(505);
  });

  it('§8.1.1 answers a request without a Call-ID with 400 rather than dropping it', async () => {
    const r = await ask(rawRequest('OPTIONS').replace('Call-ID: raw-call-1\r\n', ''));
    expect(r?.status).toBe(400);
    expect(r?.reason).toMatch(/Call-ID/i);
  });

  it('§8.1.1.5 answers a CSeq method that differs from the request method with 400', async () => {
    const text = rawRequest('OPTIONS').replace('CSeq: 1 OPTIONS', 'CSeq: 1 INFO');
    expect((await ask(text))?.status).toBe(400);
  });
});

describe('RFC 3261 §8.1 UAC core (two UAs over the loopback transport)', () => {
  it('B sends OPTIONS to A and gets A’s 200 back through its client transaction', async () => {
    const ctx = pair();
    await ctx.a.start();
    await ctx.b.start();
    const request = createRequest('OPTIONS', 'sip:a@a.invalid', [
      ['Max-Forwards', '70'],
      ['To', '<sip:a@ringlet.test>'],
      ['From', '<sip:b@ringlet.test>;tag=b1'],
      ['Call-ID', 'call-b-1'],
      ['CSeq', '1 OPTIONS'],
    ]);
    const outcome = ctx.b.sendRequest(request);
    await settle(ctx.clock);
    const result = await outcome;
    expect(result.kind).toBe('response');
    expect(result.kind === 'response' && result.response.status).toBe(200);
    expect(result.kind === 'response' && result.response.headers.get('Allow')).toContain('OPTIONS');
  });

  it('§8.1.3.1 reports a timeout (treated as 408) when nobody answers', async () => {
    const ctx = pair();
    await ctx.a.start();
    await ctx.b.start();
    ctx.network.tap(() => 'drop');
    const outcome = ctx.b.sendRequest(
      createRequest('OPTIONS', 'sip:a@a.invalid', [
        ['Max-Forwards', '70'],
        ['To', '<sip:a@ringlet.test>'],
        ['From', '<sip:b@ringlet.test>;tag=b1'],
        ['Call-ID', 'call-b-2'],
        ['CSeq', '1 OPTIONS'],
      ]),
    );
    await settle(ctx.clock, 32_000);
    expect((await outcome).kind).toBe('timeout');
  });
});

describe('start() and stop() with an unreachable server', () => {
  /** A WebSocket that never opens and reports an error at once, like a refused connection. */
  class RefusedSocket {
    static readonly instances: RefusedSocket[] = [];
    readyState = 0;
    protocol = '';
    onopen: (() => void) | null = null;
    onclose: ((e: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
    onerror: ((e: unknown) => void) | null = null;
    onmessage: ((e: { data: unknown }) => void) | null = null;
    constructor() {
      RefusedSocket.instances.push(this);
      queueMicrotask(() => {
        this.readyState = 3;
        this.onerror?.({});
        this.onclose?.({ code: 1006, reason: '', wasClean: false });
      });
    }
    send(): void {}
    close(): void {}
    addEventListener(): void {}
    removeEventListener(): void {}
  }

  function unreachable() {
    const clock = new FakeClock();
    const ua = new UserAgent({
      servers: ['ws://127.0.0.1:9', 'ws://127.0.0.1:10'],
      uri: 'sip:alice@ringlet.test',
      password: 'x',
      WebSocket: RefusedSocket as unknown as NonNullable<
        ConstructorParameters<typeof UserAgent>[0]['WebSocket']
      >,
      clock,
      random: createRandom(sequentialBytes(9)),
    });
    return { clock, ua };
  }

  it('start() rejects once every configured server has failed', async () => {
    const { ua, clock } = unreachable();
    const started = ua.start();
    const outcome = started.then(
      () => 'connected',
      (e: Error) => e.name,
    );
    await settle(clock, 1000);
    expect(await outcome).toBe('ConnectError');
    await ua.stop();
  });

  it('a stop() during a pending register() leaves the agent stopped, with no timer', async () => {
    const { ua, clock } = unreachable();
    const statuses: string[] = [];
    ua.on('registration', (s) => statuses.push(s.state));
    const registering = ua.register();
    const stopping = ua.stop();
    await settle(clock, 1000);
    await stopping;
    await registering;
    const sockets = RefusedSocket.instances.length;
    await settle(clock, 120_000);
    expect(RefusedSocket.instances.length).toBe(sockets);
    expect(statuses).not.toContain('registering');
    expect(clock.pending).toBe(0);
    await expect(ua.start()).rejects.toThrow(/stopped/);
  });
});
