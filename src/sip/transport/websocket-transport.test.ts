import { describe, it, expect } from 'vitest';
import { createRandom } from '../support/random';
import { crlfKeepAlive, type KeepAliveOptions } from './keep-alive';
import { FakeClock } from '../testing/fake-clock';
import type { TransportError, TransportState } from './transport';
import type {
  SocketCloseEventLike,
  SocketMessageEventLike,
  WebSocketConstructor,
  WebSocketLike,
} from './websocket-like';
import { InvalidArgumentError } from '../support/errors';
import type { ConnectError } from './transport';
import { WebSocketTransport } from './websocket-transport';
import type { WebSocketTransportOptions } from './websocket-transport';

/** A socket the test drives by hand: it opens, refuses, talks and closes only when told to. */
class FakeSocket implements WebSocketLike {
  readyState = 0;
  protocol = '';
  binaryType = 'blob';
  readonly sent: string[] = [];
  closedWith: { code: number | undefined; reason: string | undefined } | undefined;
  /** When false, close() does not answer with a close event (a peer that never completes). */
  echoClose = true;
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: SocketCloseEventLike) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: SocketMessageEventLike) => void) | null = null;

  constructor(
    readonly url: string,
    readonly protocols: string | string[],
    readonly createdAt: number,
  ) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: not open');
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    if (this.readyState === 3) return;
    this.readyState = 2;
    if (this.echoClose) this.#closed(code ?? 1005, reason ?? '');
  }

  /** The server completes the handshake, selecting `protocol`. */
  accept(protocol = 'sip'): void {
    this.readyState = 1;
    this.protocol = protocol;
    this.onopen?.({});
  }

  /** The TCP connection or the handshake fails. */
  refuse(): void {
    this.onerror?.({});
    this.#closed(1006, '');
  }

  receive(data: unknown): void {
    this.onmessage?.({ data });
  }

  /** The server (or the network) closes the connection. */
  drop(code = 1006, reason = ''): void {
    this.#closed(code, reason);
  }

  #closed(code: number, reason: string): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

interface Harness {
  clock: FakeClock;
  transport: WebSocketTransport;
  sockets: FakeSocket[];
  states: TransportState[];
  errors: TransportError[];
  messages: string[];
  /** The server URL reported by the last state event (set only while connected). */
  server(): string | undefined;
  /** The byte every random draw returns (0xff ≈ fraction 1, 0x00 = fraction 0). */
  setRandomByte(byte: number): void;
  last(): FakeSocket;
}

function setup(options: Partial<WebSocketTransportOptions> = {}): Harness {
  const clock = new FakeClock();
  const sockets: FakeSocket[] = [];
  let byte = 0xff;
  const random = createRandom((n) => new Uint8Array(n).fill(byte));
  const Ctor: WebSocketConstructor = class extends FakeSocket {
    constructor(url: string, protocols: string | string[]) {
      super(url, protocols, clock.now());
      sockets.push(this);
    }
  };
  const transport = new WebSocketTransport({
    servers: ['wss://edge1.example.com/ws'],
    WebSocket: Ctor,
    clock,
    random,
    ...options,
  });
  const states: TransportState[] = [];
  const errors: TransportError[] = [];
  const messages: string[] = [];
  let server: string | undefined;
  transport.on('state', (s, url) => (states.push(s), (server = url)));
  transport.on('error', (e) => errors.push(e));
  transport.on('message', (m) => messages.push(m));
  return {
    clock,
    transport,
    sockets,
    states,
    errors,
    messages,
    server: () => server,
    setRandomByte: (b) => (byte = b),
    last: () => sockets[sockets.length - 1]!,
  };
}

/** Lets promise callbacks (connect() settlement, OPTIONS hook results) run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

async function connected(h: Harness): Promise<FakeSocket> {
  const done = h.transport.connect();
  h.last().accept();
  await done;
  return h.last();
}

const INVITE = 'INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/WSS x.invalid;branch=z9hG4bK1\r\n\r\n';

describe('WebSocketTransport configuration', () => {
  it('refuses an empty server list and non-WebSocket URLs with a named error', () => {
    expect(() => setup({ servers: [] })).toThrow(InvalidArgumentError);
    expect(() => setup({ servers: ['https://example.com'] })).toThrow(InvalidArgumentError);
    expect(() => setup({ connectTimeoutMs: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('RFC 7118 §4.1 handshake: the "sip" subprotocol', () => {
  it('asks for the sip subprotocol when opening the socket', () => {
    const h = setup();
    void h.transport.connect();
    expect(h.sockets).toHaveLength(1);
    expect(h.last().url).toBe('wss://edge1.example.com/ws');
    expect(h.last().protocols).toBe('sip');
    expect(h.last().binaryType).toBe('arraybuffer');
  });

  it('is connected once the server agrees to sip, and reports the server', async () => {
    const h = setup();
    const serverAtConnected: (string | undefined)[] = [];
    h.transport.on('state', (s, server) => s === 'connected' && serverAtConnected.push(server));
    await connected(h);
    expect(h.transport.state).toBe('connected');
    expect(h.states).toEqual(['connecting', 'connected']);
    expect(serverAtConnected).toEqual(['wss://edge1.example.com/ws']);
    expect(h.server()).toBe('wss://edge1.example.com/ws');
  });

  it('closes a connection where the server did not agree to sip and tries the next server', async () => {
    const h = setup({ servers: ['wss://a.example.com', 'wss://b.example.com'] });
    const done = h.transport.connect();
    const first = h.last();
    first.accept('');
    expect(first.closedWith?.code).toBe(1000);
    expect(h.errors[0]).toMatchObject({ code: 'connect-failed', server: 'wss://a.example.com' });
    expect(h.transport.state).toBe('connecting');
    expect(h.sockets).toHaveLength(2);
    expect(h.last().url).toBe('wss://b.example.com');
    h.last().accept('sip');
    await done;
    expect(h.server()).toBe('wss://b.example.com');
  });
});

describe('RFC 7118 §5.2 Via transport and host', () => {
  it('uses a random token under .invalid as Via host, stable across reconnections', async () => {
    const h = setup();
    const host = h.transport.viaHost;
    expect(host).toMatch(/^[0-9a-f]{12}\.invalid$/);
    const socket = await connected(h);
    socket.drop();
    h.clock.advance(1_000);
    h.last().accept();
    expect(h.transport.state).toBe('connected');
    expect(h.transport.viaHost).toBe(host);
  });

  it('derives WS or WSS from the scheme of the server in use', async () => {
    const h = setup({ servers: ['ws://plain.example.com', 'wss://secure.example.com'] });
    expect(h.transport.viaTransport).toBe('WS');
    const done = h.transport.connect();
    h.last().refuse();
    h.last().accept();
    await done;
    expect(h.transport.viaTransport).toBe('WSS');
  });
});

describe('Failover and connection timeout', () => {
  it('tries the servers in order at once, then backs off before starting over', () => {
    const h = setup({ servers: ['wss://a.example', 'wss://b.example', 'wss://c.example'] });
    void h.transport.connect().catch(() => undefined);
    h.last().refuse();
    h.last().refuse();
    h.last().refuse();
    expect(h.sockets.map((s) => s.url)).toEqual(['wss://a.example', 'wss://b.example', 'wss://c.example']);
    expect(h.sockets.every((s) => s.createdAt === 0)).toBe(true);
    expect(h.errors.map((e) => e.server)).toEqual(['wss://a.example', 'wss://b.example', 'wss://c.example']);
    h.clock.advance(998);
    expect(h.sockets).toHaveLength(3);
    h.clock.advance(1);
    expect(h.sockets).toHaveLength(4);
    expect(h.last().url).toBe('wss://a.example');
  });

  it('closes a socket that is not open within connectTimeoutMs and counts it as a connect-timeout', async () => {
    const h = setup({ servers: ['wss://slow.example', 'wss://fast.example'], connectTimeoutMs: 3_000 });
    const done = h.transport.connect();
    const slow = h.last();
    h.clock.advance(2_999);
    expect(h.sockets).toHaveLength(1);
    h.clock.advance(1);
    expect(slow.closedWith?.code).toBe(1000);
    expect(h.errors).toEqual([
      expect.objectContaining({ code: 'connect-timeout', server: 'wss://slow.example' }),
    ]);
    expect(h.last().url).toBe('wss://fast.example');
    // A late open of the abandoned socket changes nothing.
    slow.accept();
    expect(h.transport.state).toBe('connecting');
    h.last().accept();
    await done;
    expect(h.server()).toBe('wss://fast.example');
  });
});

describe('Reconnection back-off (full jitter, base 1 s, factor 2, cap 30 s)', () => {
  /** Refuses every socket and returns the delays between consecutive attempts. */
  function delaysOfRefusals(h: Harness, attempts: number): number[] {
    void h.transport.connect().catch(() => undefined);
    for (let i = 0; i < attempts; i++) {
      const before = h.sockets.length;
      h.last().refuse();
      // Step one millisecond at a time: a coarse advance would also fire the connect timeout.
      for (let t = 0; t <= 30_000 && h.sockets.length === before; t++) h.clock.advance(t === 0 ? 0 : 1);
      expect(h.sockets.length).toBe(before + 1);
    }
    return h.sockets.slice(1).map((s, i) => s.createdAt - h.sockets[i]!.createdAt);
  }

  it('grows the delay bound exponentially up to the cap (random near 1)', () => {
    const h = setup();
    h.setRandomByte(0xff);
    // With a fraction just below 1 each delay sits just below its bound.
    expect(delaysOfRefusals(h, 7)).toEqual([999, 1_999, 3_999, 7_999, 15_999, 29_999, 29_999]);
  });

  it('keeps every delay within [0, bound]: a zero draw retries at once', () => {
    const h = setup();
    h.setRandomByte(0x00);
    expect(delaysOfRefusals(h, 4)).toEqual([0, 0, 0, 0]);
  });

  it('spreads the delay uniformly under the bound (random ≈ 0.5)', () => {
    const h = setup();
    h.setRandomByte(0x80);
    expect(delaysOfRefusals(h, 3)).toEqual([501, 1_003, 2_007]);
  });

  it('never gives up: connect() rejects after one failed pass, the retries go on at most 30 s apart', async () => {
    const h = setup({ servers: ['wss://a.example', 'wss://b.example'] });
    const first = h.transport.connect().then(
      () => 'resolved',
      (e: unknown) => (e as ConnectError).reason,
    );
    h.last().refuse();
    expect(h.sockets).toHaveLength(2);
    h.last().refuse();
    expect(await first).toBe('no-server');
    for (let pass = 0; pass < 20; pass++) {
      h.clock.advance(30_000);
      h.last().refuse();
      h.last().refuse();
      expect(h.transport.state).toBe('connecting');
    }
    h.clock.advance(30_000);
    expect(h.sockets.length).toBeGreaterThanOrEqual(43);
    // A connect() during the retries joins them and settles on success.
    const done = h.transport.connect();
    expect(h.errors.every((e) => e.code.startsWith('connect-'))).toBe(true);
    h.last().accept();
    await done;
    expect(h.transport.state).toBe('connected');
  });

  it('reconnects after an unexpected close, starting again from the preferred server', async () => {
    const h = setup({ servers: ['wss://a.example', 'wss://b.example'] });
    const done = h.transport.connect();
    h.last().refuse();
    h.last().accept();
    await done;
    expect(h.server()).toBe('wss://b.example');
    h.last().drop(1001, 'going away');
    expect(h.transport.state).toBe('connecting');
    expect(h.errors.at(-1)).toMatchObject({ code: 'connection-lost', server: 'wss://b.example' });
    h.clock.advance(999);
    expect(h.last().url).toBe('wss://a.example');
    h.last().accept();
    expect(h.states).toEqual(['connecting', 'connected', 'connecting', 'connected']);
    expect(h.transport.send(INVITE)).toBe(true);
    expect(h.last().sent).toEqual([INVITE]);
  });
});

describe('RFC 5626 §4.4.1 CRLF keep-alive', () => {
  const keepAlive = { keepAlive: crlfKeepAlive({ intervalMs: 25_000, pongTimeoutMs: 10_000 }) };
  const withOptions = (optionsPing: KeepAliveOptions['optionsPing']) => ({
    keepAlive: crlfKeepAlive({ intervalMs: 25_000, pongTimeoutMs: 10_000, optionsPing }),
  });

  it('sends a double-CRLF ping each interval and accepts a single-CRLF pong', async () => {
    const h = setup(keepAlive);
    const socket = await connected(h);
    for (let i = 1; i <= 3; i++) {
      h.clock.advance(25_000);
      expect(socket.sent).toEqual(Array.from({ length: i }, () => '\r\n\r\n'));
      socket.receive('\r\n');
    }
    h.clock.advance(10_000);
    expect(h.transport.state).toBe('connected');
    expect(h.messages).toEqual([]);
  });

  it('declares a server that answered pings before dead when a pong is missing, then reconnects', async () => {
    const h = setup(keepAlive);
    const socket = await connected(h);
    h.clock.advance(25_000);
    socket.receive('\r\n');
    h.clock.advance(25_000);
    expect(socket.sent).toHaveLength(2);
    h.clock.advance(9_999);
    expect(h.transport.state).toBe('connected');
    h.clock.advance(1);
    expect(socket.closedWith?.code).toBe(1000);
    expect(h.transport.state).toBe('connecting');
    expect(h.errors.at(-1)?.code).toBe('connection-lost');
    h.clock.advance(1_000);
    expect(h.sockets).toHaveLength(2);
  });

  it('never declares dead a server that never answered a ping when no OPTIONS hook is given', async () => {
    const h = setup(keepAlive);
    const socket = await connected(h);
    h.clock.advance(10 * 25_000);
    expect(h.transport.state).toBe('connected');
    expect(socket.sent.length).toBeGreaterThanOrEqual(9);
    expect(socket.sent.every((f) => f === '\r\n\r\n')).toBe(true);
  });

  it('falls back to the OPTIONS hook at the keep-alive interval for a server that never ponged', async () => {
    const calls: number[] = [];
    const h = setup(withOptions(() => (calls.push(h.clock.now()), Promise.resolve(true))));
    const socket = await connected(h);
    h.clock.advance(25_000); // first ping: the probe
    h.clock.advance(10_000); // no pong: fall back
    expect(calls).toEqual([]);
    h.clock.advance(25_000);
    expect(calls).toEqual([60_000]);
    await flush();
    h.clock.advance(25_000);
    expect(calls).toEqual([60_000, 85_000]);
    await flush();
    expect(h.transport.state).toBe('connected');
    // No CRLF pings are sent to a server that ignores them.
    expect(socket.sent).toEqual(['\r\n\r\n']);
  });

  it('declares the connection dead only when an OPTIONS ping fails', async () => {
    let answer = true;
    const h = setup(withOptions(() => Promise.resolve(answer)));
    await connected(h);
    h.clock.advance(35_000);
    h.clock.advance(25_000);
    await flush();
    expect(h.transport.state).toBe('connected');
    answer = false;
    h.clock.advance(25_000);
    await flush();
    expect(h.transport.state).toBe('connecting');
    expect(h.errors.at(-1)).toMatchObject({ code: 'connection-lost' });
  });

  it('treats an OPTIONS ping without a response within pongTimeoutMs as failed', async () => {
    const h = setup(withOptions(() => new Promise<boolean>(() => undefined)));
    await connected(h);
    h.clock.advance(35_000 + 25_000);
    h.clock.advance(9_999);
    expect(h.transport.state).toBe('connected');
    h.clock.advance(1);
    expect(h.transport.state).toBe('connecting');
  });

  it('promotes a server that answers late to CRLF mode: a later missing pong is fatal', async () => {
    const h = setup(keepAlive);
    const socket = await connected(h);
    h.clock.advance(35_000); // the probe went unanswered: blind
    h.clock.advance(25_000);
    expect(h.transport.state).toBe('connected');
    socket.receive('\r\n'); // a late pong proves the server answers
    h.clock.advance(25_000 + 9_999);
    expect(h.transport.state).toBe('connected');
    h.clock.advance(1);
    expect(h.transport.state).toBe('connecting');
    expect(h.errors.at(-1)).toMatchObject({ code: 'connection-lost' });
  });

  it.each([
    ['rejects', () => Promise.reject(new Error('408'))],
    [
      'throws',
      () => {
        throw new Error('no transaction layer');
      },
    ],
  ])('treats an OPTIONS hook that %s as a failed ping', async (_, optionsPing) => {
    const h = setup(withOptions(optionsPing));
    await connected(h);
    h.clock.advance(35_000 + 25_000);
    await flush();
    expect(h.transport.state).toBe('connecting');
  });

  it('ignores an OPTIONS result that settles after disconnect()', async () => {
    let answer!: (ok: boolean) => void;
    const h = setup(withOptions(() => new Promise<boolean>((r) => (answer = r))));
    await connected(h);
    h.clock.advance(35_000 + 25_000);
    await h.transport.disconnect();
    answer(false);
    await flush();
    expect(h.transport.state).toBe('disconnected');
    expect(h.errors).toEqual([]);
    expect(h.clock.pending).toBe(0);
  });

  it('spreads the interval between 80 % and 100 % with the random source', async () => {
    for (const [byte, first] of [
      [0x00, 20_000],
      [0x80, 22_510],
    ] as const) {
      const h = setup(keepAlive);
      h.setRandomByte(byte);
      const socket = await connected(h);
      h.clock.advance(first - 1);
      expect(socket.sent).toEqual([]);
      h.clock.advance(1);
      expect(socket.sent).toEqual(['\r\n\r\n']);
    }
  });

  it('RFC 5626 §3.5.1: answers the server ping with a single CRLF', async () => {
    const h = setup(keepAlive);
    const socket = await connected(h);
    socket.receive('\r\n\r\n');
    expect(socket.sent).toEqual(['\r\n']);
  });

  it('never reports CRLF keep-alive frames as messages', async () => {
    const h = setup(keepAlive);
    const socket = await connected(h);
    socket.receive('\r\n\r\n');
    socket.receive('\r\n');
    socket.receive(new TextEncoder().encode('\r\n\r\n'));
    expect(h.messages).toEqual([]);
  });
});

describe('RFC 7118 §5 messages: one SIP message per WebSocket message', () => {
  it('reports each text frame as one message', async () => {
    const h = setup();
    const socket = await connected(h);
    socket.receive(INVITE);
    socket.receive('SIP/2.0 200 OK\r\n\r\n');
    expect(h.messages).toEqual([INVITE, 'SIP/2.0 200 OK\r\n\r\n']);
  });

  it('decodes binary frames as UTF-8 and drops undecodable ones', async () => {
    const h = setup();
    const socket = await connected(h);
    const bytes = new TextEncoder().encode('MESSAGE sip:zoë@example.com SIP/2.0\r\n\r\n');
    socket.receive(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    socket.receive(new Uint8Array([0xc3, 0x28]));
    expect(h.messages).toEqual(['MESSAGE sip:zoë@example.com SIP/2.0\r\n\r\n']);
    expect(h.transport.state).toBe('connected');
  });

  it('sends one frame per message, and refuses to send when not connected', async () => {
    const h = setup();
    expect(h.transport.send(INVITE)).toBe(false);
    const socket = await connected(h);
    expect(h.transport.send(INVITE)).toBe(true);
    expect(socket.sent).toEqual([INVITE]);
  });

  it('reports a socket that throws on send as send-failed', async () => {
    const h = setup();
    const socket = await connected(h);
    socket.readyState = 1;
    socket.send = () => {
      throw new Error('buffer full');
    };
    expect(h.transport.send(INVITE)).toBe(false);
    expect(h.errors.at(-1)?.code).toBe('send-failed');
  });
});

describe('disconnect(): clean shutdown', () => {
  it('closes with code 1000, does not reconnect and leaves no timer', async () => {
    const h = setup({ keepAlive: crlfKeepAlive() });
    const socket = await connected(h);
    expect(h.clock.pending).toBeGreaterThan(0);
    await h.transport.disconnect();
    expect(socket.closedWith?.code).toBe(1000);
    expect(h.transport.state).toBe('disconnected');
    expect(h.states.slice(-2)).toEqual(['closing', 'disconnected']);
    expect(h.clock.pending).toBe(0);
    h.clock.advance(120_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.errors).toEqual([]);
  });

  it('cancels a pending back-off and rejects the pending connect()', async () => {
    const h = setup();
    const reason = (e: unknown) => (e as ConnectError).reason;
    const first = h.transport.connect().then(() => 'resolved', reason);
    h.last().refuse();
    expect(await first).toBe('no-server');
    expect(h.clock.pending).toBe(1);
    const outcome = h.transport.connect().then(() => 'resolved', reason);
    await h.transport.disconnect();
    expect(await outcome).toBe('disconnected');
    expect(h.clock.pending).toBe(0);
    h.clock.advance(60_000);
    expect(h.sockets).toHaveLength(1);
  });

  it('closes a socket still opening', async () => {
    const h = setup();
    void h.transport.connect().catch(() => undefined);
    await h.transport.disconnect();
    expect(h.last().closedWith?.code).toBe(1000);
    expect(h.transport.state).toBe('disconnected');
    expect(h.clock.pending).toBe(0);
  });

  it('gives up waiting for a close handshake after 2 s', async () => {
    const h = setup();
    const socket = await connected(h);
    socket.echoClose = false;
    let done = false;
    void h.transport.disconnect().then(() => (done = true));
    expect(h.transport.state).toBe('closing');
    h.clock.advance(2_000);
    await flush();
    expect(done).toBe(true);
    expect(h.transport.state).toBe('disconnected');
    expect(h.clock.pending).toBe(0);
  });

  it('can connect again after a disconnect', async () => {
    const h = setup();
    await connected(h);
    await h.transport.disconnect();
    await connected(h);
    expect(h.transport.state).toBe('connected');
    expect(h.sockets).toHaveLength(2);
  });

  it('survives a state listener that disconnects synchronously', async () => {
    const h = setup({ keepAlive: crlfKeepAlive() });
    h.transport.on('state', (s) => {
      if (s === 'connected') void h.transport.disconnect();
    });
    const done = h.transport.connect();
    h.last().accept();
    await done.catch(() => undefined);
    expect(h.transport.state).toBe('disconnected');
    expect(h.clock.pending).toBe(0);
  });
});
