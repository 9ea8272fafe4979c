import { describe, it, expect } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import type { TransportState } from './transport';
import { createLoopbackPair, LoopbackError, LoopbackNetwork } from './loopback-transport';

const REQUEST = 'OPTIONS sip:b@example.com SIP/2.0\r\n\r\n';
const RESPONSE = 'SIP/2.0 200 OK\r\n\r\n';

async function connectedPair(latencyMs = 0) {
  const clock = new FakeClock();
  const pair = createLoopbackPair({ clock, latencyMs });
  await pair.a.connect();
  await pair.b.connect();
  const received = { a: [] as string[], b: [] as string[] };
  pair.a.on('message', (m) => received.a.push(m));
  pair.b.on('message', (m) => received.b.push(m));
  return { clock, ...pair, received };
}

describe('loopback transport: delivery through the injected clock', () => {
  it('delivers asynchronously, in order, when the clock moves', async () => {
    const { clock, a, received } = await connectedPair();
    expect(a.send(REQUEST)).toBe(true);
    expect(a.send(RESPONSE)).toBe(true);
    expect(received.b).toEqual([]);
    clock.advance(0);
    expect(received.b).toEqual([REQUEST, RESPONSE]);
  });

  it('delivers a reply sent synchronously by the receiver within the same advance', async () => {
    const { clock, a, b, received } = await connectedPair();
    b.on('message', () => b.send(RESPONSE));
    a.send(REQUEST);
    clock.advance(0);
    expect(received.a).toEqual([RESPONSE]);
  });

  it('applies the configured latency', async () => {
    const { clock, a, received } = await connectedPair(50);
    a.send(REQUEST);
    clock.advance(49);
    expect(received.b).toEqual([]);
    clock.advance(1);
    expect(received.b).toEqual([REQUEST]);
  });

  it('records the wire and lets a tap drop frames', async () => {
    const { clock, a, b, network, received } = await connectedPair();
    network.dropNext(1, (f) => f.text.startsWith('OPTIONS'));
    a.send(REQUEST);
    a.send(REQUEST);
    b.send(RESPONSE);
    clock.advance(0);
    expect(received.b).toEqual([REQUEST]);
    expect(received.a).toEqual([RESPONSE]);
    expect(network.frames.map((f) => [f.seq, f.from, f.to, f.status])).toEqual([
      [1, 'a', 'b', 'dropped'],
      [2, 'a', 'b', 'delivered'],
      [3, 'b', 'a', 'delivered'],
    ]);
  });

  it('refuses to send when not connected and loses frames to a disconnected peer', async () => {
    const { clock, a, b, network } = await connectedPair();
    a.send(REQUEST);
    await b.disconnect();
    clock.advance(0);
    expect(network.frames[0]?.status).toBe('undeliverable');
    expect(b.send(RESPONSE)).toBe(false);
  });
});

describe('loopback network: several endpoints behind a proxy hook', () => {
  it('routes through the router and may rewrite the text, like a proxy adding a Via', async () => {
    const clock = new FakeClock();
    const network = new LoopbackNetwork({ clock });
    const alice = network.endpoint('alice');
    const proxy = network.endpoint('proxy');
    const bob = network.endpoint('bob');
    for (const t of [alice, proxy, bob]) await t.connect();
    const atBob: string[] = [];
    bob.on('message', (m) => atBob.push(m));
    network.setRouter(({ from, text }) =>
      from === 'alice'
        ? { to: 'bob', text: text.replace('\r\n', '\r\nVia: SIP/2.0/WS proxy.invalid\r\n') }
        : undefined,
    );
    alice.send(REQUEST);
    bob.send(RESPONSE);
    clock.advance(0);
    expect(atBob).toEqual(['OPTIONS sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/WS proxy.invalid\r\n\r\n']);
    expect(network.frames[1]?.status).toBe('unroutable');
  });

  it('leaves frames unroutable with more than two endpoints and no router', async () => {
    const clock = new FakeClock();
    const network = new LoopbackNetwork({ clock });
    const x = network.endpoint('x');
    network.endpoint('y');
    network.endpoint('z');
    await x.connect();
    x.send(REQUEST);
    expect(network.frames[0]?.status).toBe('unroutable');
    expect(clock.pending).toBe(0);
  });

  it('throws a named error for duplicate or unknown endpoints', () => {
    const network = new LoopbackNetwork({ clock: new FakeClock() });
    network.endpoint('x');
    expect(() => network.endpoint('x')).toThrow(LoopbackError);
    expect(() => network.sever('nobody')).toThrow(LoopbackError);
  });
});

describe('loopback connection loss (same states as the WebSocket transport)', () => {
  it('severs to connecting with connection-lost, then restores to connected', async () => {
    const { clock, a, b, network, received } = await connectedPair();
    const states: TransportState[] = [];
    const errors: string[] = [];
    b.on('state', (s) => states.push(s));
    b.on('error', (e) => errors.push(e.code));
    network.sever('b');
    expect(b.state).toBe('connecting');
    expect(errors).toEqual(['connection-lost']);
    a.send(REQUEST);
    clock.advance(0);
    expect(received.b).toEqual([]);
    network.restore('b');
    a.send(REQUEST);
    clock.advance(0);
    expect(received.b).toEqual([REQUEST]);
    expect(states).toEqual(['connecting', 'connected']);
  });

  it('gives each endpoint a stable .invalid Via host', () => {
    const { a, b } = createLoopbackPair({ clock: new FakeClock() }, ['Alice', 'Bob']);
    expect([a.viaHost, b.viaHost]).toEqual(['alice.invalid', 'bob.invalid']);
    expect(a.viaTransport).toBe('WS');
  });
});
