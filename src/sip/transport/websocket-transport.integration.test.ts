/**
 * The transport against a real `ws` server on 127.0.0.1, with real timers and short settings.
 * Also the type-level check that both the browser's and the `ws` WebSocket class fit the port.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import type { TransportState } from './transport';
import type { WebSocketConstructor } from './websocket-like';
import { crlfKeepAlive } from './keep-alive';
import { ConnectError } from './transport';
import { WebSocketTransport } from './websocket-transport';
import type { WebSocketTransportOptions } from './websocket-transport';

// Compile-time: both socket classes satisfy WebSocketConstructor structurally.
const wsClass: WebSocketConstructor = WebSocket;
const browserClass: WebSocketConstructor | undefined = (
  globalThis as { WebSocket?: typeof globalThis.WebSocket }
).WebSocket;
void browserClass;

const servers: WebSocketServer[] = [];
const transports: WebSocketTransport[] = [];

interface SipServer {
  url: string;
  wss: WebSocketServer;
  received: string[];
  connections: WebSocket[];
}

async function startServer(options: { agreeToSip?: boolean; pong?: boolean } = {}): Promise<SipServer> {
  const { agreeToSip = true, pong = true } = options;
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (agreeToSip && protocols.has('sip') ? 'sip' : false),
  });
  servers.push(wss);
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const server: SipServer = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    wss,
    received: [],
    connections: [],
  };
  wss.on('connection', (socket) => {
    server.connections.push(socket);
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      server.received.push(text);
      if (text === '\r\n\r\n' && pong) socket.send('\r\n');
    });
  });
  return server;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function transport(options: Partial<WebSocketTransportOptions> & { servers: string[] }): WebSocketTransport {
  const t = new WebSocketTransport({
    WebSocket: wsClass,
    connectTimeoutMs: 2_000,
    backoffMs: 20,
    ...options,
  });
  transports.push(t);
  return t;
}

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.disconnect()));
  await Promise.all(
    servers.splice(0).map(
      (wss) =>
        new Promise<void>((resolve) => {
          for (const client of wss.clients) client.terminate();
          wss.close(() => resolve());
        }),
    ),
  );
});

describe('WebSocketTransport over a real ws server (RFC 7118)', () => {
  it('connects with the sip subprotocol and exchanges a message each way', async () => {
    const server = await startServer();
    const t = transport({ servers: [server.url] });
    const messages: string[] = [];
    t.on('message', (m) => messages.push(m));
    await t.connect();
    expect(t.state).toBe('connected');
    expect(server.connections[0]?.protocol).toBe('sip');

    const register =
      'REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/WS ' + t.viaHost + ';branch=z9hG4bK1\r\n\r\n';
    expect(t.send(register)).toBe(true);
    await vi.waitFor(() => expect(server.received).toEqual([register]));

    server.connections[0]!.send('SIP/2.0 200 OK\r\n\r\n');
    server.connections[0]!.send(Buffer.from('NOTIFY sip:x SIP/2.0\r\n\r\n'), { binary: true });
    await vi.waitFor(() =>
      expect(messages).toEqual(['SIP/2.0 200 OK\r\n\r\n', 'NOTIFY sip:x SIP/2.0\r\n\r\n']),
    );
  });

  it('reconnects after the server closes the connection', async () => {
    const server = await startServer();
    const t = transport({ servers: [server.url] });
    const states: TransportState[] = [];
    t.on('state', (s) => states.push(s));
    await t.connect();
    server.connections[0]!.close(1001, 'going away');
    await vi.waitFor(() => expect(server.connections).toHaveLength(2));
    await vi.waitFor(() => expect(t.state).toBe('connected'));
    expect(states).toEqual(['connecting', 'connected', 'connecting', 'connected']);
    expect(t.send('OPTIONS sip:x SIP/2.0\r\n\r\n')).toBe(true);
    await vi.waitFor(() => expect(server.received).toEqual(['OPTIONS sip:x SIP/2.0\r\n\r\n']));
  });

  it('fails over from a closed port to the second server', async () => {
    const dead = `ws://127.0.0.1:${await closedPort()}/`;
    const server = await startServer();
    const t = transport({ servers: [dead, server.url] });
    const failed: (string | undefined)[] = [];
    let connectedTo: string | undefined;
    t.on('error', (e) => failed.push(e.server));
    t.on('state', (_, url) => (connectedTo = url));
    await t.connect();
    expect(connectedTo).toBe(server.url);
    expect(failed).toEqual([dead]);
  });

  it('rejects a server that does not agree to the sip subprotocol', async () => {
    const server = await startServer({ agreeToSip: false });
    const t = transport({ servers: [server.url] });
    const failed = new Promise((resolve) => t.on('error', (e) => resolve(e.code)));
    const done = t.connect();
    expect(await failed).toBe('connect-failed');
    expect(t.state).toBe('connecting');
    await t.disconnect();
    await expect(done).rejects.toBeInstanceOf(ConnectError);
    expect(t.state).toBe('disconnected');
  });

  it('keeps the connection alive with CRLF pings and answers the server ping (RFC 5626)', async () => {
    const server = await startServer({ pong: true });
    const t = transport({
      servers: [server.url],
      keepAlive: crlfKeepAlive({ intervalMs: 40, pongTimeoutMs: 500 }),
    });
    const messages: string[] = [];
    t.on('message', (m) => messages.push(m));
    await t.connect();
    await vi.waitFor(() =>
      expect(server.received.filter((f) => f === '\r\n\r\n').length).toBeGreaterThanOrEqual(3),
    );
    server.connections[0]!.send('\r\n\r\n');
    await vi.waitFor(() => expect(server.received).toContain('\r\n'));
    expect(t.state).toBe('connected');
    expect(messages).toEqual([]);
    expect(server.connections).toHaveLength(1);
  });
});
