/**
 * Ringlet's built-in dev exchange: a SIP-over-WebSocket (RFC 7118) registrar and forking proxy on
 * loopback, so `npm start` works without a PBX.
 *
 * DEVELOPMENT CONVENIENCE ONLY. It keeps everything in memory, speaks plain `ws://`, and trusts
 * its loopback clients. Production deployments point Ringlet at Asterisk, FreeSWITCH or Kamailio.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { classifyFrame, CRLF_PONG } from '../src/sip/transport/framing';
import { nodeTimers, type Connection, type Timers } from './connection';
import { loadCredentials } from './credentials';
import { DigestChallenger } from './digest-challenger';
import { Exchange } from './exchange';
import { LocationService } from './location-service';
import { Registrar } from './registrar';

export interface DevExchangeOptions {
  /** Interface to listen on; default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** TCP port; default 5062. 0 picks a free port (tests). */
  readonly port?: number;
  /** SIP domain of the users; default `ringlet.local`. */
  readonly domain?: string;
  /** Path of a JSON file `{ "users": { "alice": "secret" } }`: REGISTER then needs Digest credentials. */
  readonly credentialsFile?: string;
  /** The same as an object (wins over `credentialsFile`). */
  readonly users?: Readonly<Record<string, string>>;
  /** Where log lines go; default `console.log`. */
  readonly log?: (line: string) => void;
  /** Shortest accepted registration in seconds (423 below); default 10. */
  readonly minExpires?: number;
  /** Longest granted registration in seconds; default 3600. */
  readonly maxExpires?: number;
  /** A branch silent this long counts as 408 (Timer B/F); default 32 000 ms. */
  readonly noAnswerMs?: number;
  /** An INVITE branch ringing this long is cancelled (Timer C, > 3 min); default 180 000 ms. */
  readonly ringingMs?: number;
  /** Injected clock and timers (tests). */
  readonly now?: () => number;
  readonly timers?: Timers;
}

export interface DevExchange {
  /** `ws://host:port`, what a Ringlet account's server URL should say. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly domain: string;
  /** Closes every client connection and the listening socket. */
  stop(): Promise<void>;
}

/** RFC 7118 §4.1: the WebSocket subprotocol SIP runs over. */
const SIP_SUBPROTOCOL = 'sip';

/**
 * Starts the dev exchange.
 * @throws CredentialsFileError when `credentialsFile` cannot be used.
 * Rejects when the port cannot be bound (e.g. EADDRINUSE).
 */
export async function startDevExchange(options: DevExchangeOptions = {}): Promise<DevExchange> {
  const host = options.host ?? '127.0.0.1';
  const domain = (options.domain ?? 'ringlet.local').toLowerCase();
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  const timers = options.timers ?? nodeTimers;
  const users =
    options.users ??
    (options.credentialsFile !== undefined ? loadCredentials(options.credentialsFile) : undefined);

  const wss = new WebSocketServer({
    host,
    port: options.port ?? 5062,
    maxPayload: 256 * 1024,
    // RFC 7118 §4.1: "the SIP WebSocket Client MUST include the "sip" subprotocol"; a client
    // that does not is not speaking SIP to us, so the handshake fails.
    verifyClient: (info, done) => {
      const offered = String(info.req.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((p) => p.trim());
      if (offered.includes(SIP_SUBPROTOCOL)) done(true);
      else done(false, 400, 'The "sip" WebSocket subprotocol is required (RFC 7118)');
    },
    handleProtocols: (protocols) => (protocols.has(SIP_SUBPROTOCOL) ? SIP_SUBPROTOCOL : false),
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const port = (wss.address() as AddressInfo).port;
  // Our Via and Record-Route need a host the clients could name; a wildcard bind is not one.
  const advertised = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;

  const location = new LocationService(now);
  const challenger = users !== undefined ? new DigestChallenger({ realm: domain, users, now }) : undefined;
  const exchange: Exchange = new Exchange({
    domain,
    host: advertised.includes(':') ? `[${advertised}]` : advertised,
    port,
    location,
    registrar: new Registrar({
      location,
      now,
      isLocalDomain: (h): boolean => exchange.isLocalHost(h),
      ...(challenger !== undefined ? { challenger } : {}),
      minExpires: options.minExpires ?? 10,
      maxExpires: options.maxExpires ?? 3600,
      newTag: () => randomBytes(6).toString('hex'),
    }),
    ...(challenger !== undefined ? { challenger } : {}),
    timers,
    noAnswerMs: options.noAnswerMs ?? 32_000,
    ringingMs: options.ringingMs ?? 180_000,
    log,
  });

  wss.on('connection', (socket, request) => {
    const connection: Connection = {
      id: exchange.newConnectionId(),
      isOpen: () => socket.readyState === WebSocket.OPEN,
      sendText: (text) => {
        if (socket.readyState !== WebSocket.OPEN) return false;
        socket.send(text);
        return true;
      },
    };
    exchange.connectionOpened(connection, `${request.socket.remoteAddress ?? '?'}`);
    socket.on('message', (data: RawData) => {
      // Whatever a client sends, the exchange keeps running for the others.
      try {
        const frame = classifyFrame(data);
        switch (frame.kind) {
          case 'ping':
            // RFC 5626 §3.5.1: a double-CRLF ping is answered with a single-CRLF pong.
            connection.sendText(CRLF_PONG);
            return;
          case 'pong':
            return;
          case 'invalid':
            log(`connection ${connection.id}: dropped frame (${frame.reason})`);
            return;
          case 'message':
            exchange.receive(connection, frame.text);
        }
      } catch (e) {
        log(`connection ${connection.id}: internal error on a message: ${(e as Error).stack ?? String(e)}`);
      }
    });
    socket.on('error', (e) => log(`connection ${connection.id}: socket error ${e.message}`));
    socket.on('close', () => exchange.connectionClosed(connection));
  });
  wss.on('error', (e) => log(`server error: ${e.message}`));

  const url = `ws://${advertised.includes(':') ? `[${advertised}]` : advertised}:${port}`;
  log(
    `Ringlet dev exchange (development only) listening on ${url} — domain ${domain}` +
      (challenger !== undefined ? ', digest credentials required' : ', any user may register'),
  );

  let stopping: Promise<void> | undefined;
  return {
    url,
    host: advertised,
    port,
    domain,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        exchange.dispose();
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      });
      return stopping;
    },
  };
}
