/**
 * A bare SIP-over-WebSocket test client for the dev exchange's tests: a real `ws` socket speaking
 * the `sip` subprotocol, hand-built messages, and a queue of what the exchange sent back.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import {
  createRequest,
  getCSeq,
  parseMessage,
  serializeMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../../src/sip/index';
import { createResponseTo } from '../../src/sip/ua/response-factory';

export const DOMAIN = 'ringlet.local';

export function hex(bytes = 4): string {
  return randomBytes(bytes).toString('hex');
}

type Waiter = { match: (m: SipMessage) => boolean; resolve: (m: SipMessage) => void };

export interface RequestSpec {
  readonly to?: string;
  readonly callId?: string;
  readonly cseq?: number;
  readonly fromTag?: string;
  readonly route?: readonly string[];
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: string;
  readonly branch?: string;
}

export class SipWsClient {
  readonly user: string;
  readonly host = `${hex(3)}.invalid`;
  readonly contact: string;
  readonly instance = `<urn:uuid:${hex(4)}-0000-4000-8000-${hex(6)}>`;
  /** Everything received and not yet taken by a `next…` call. */
  readonly inbox: SipMessage[] = [];
  readonly #socket: WebSocket;
  readonly #waiters: Waiter[] = [];

  private constructor(socket: WebSocket, user: string) {
    this.#socket = socket;
    this.user = user;
    this.contact = `sip:${hex(4)}@${this.host};transport=ws`;
    socket.on('message', (data) => {
      const parsed = parseMessage(String(data));
      if (!parsed.ok) return;
      const i = this.#waiters.findIndex((w) => w.match(parsed.value));
      if (i >= 0) this.#waiters.splice(i, 1)[0]?.resolve(parsed.value);
      else this.inbox.push(parsed.value);
    });
  }

  static connect(url: string, user: string): Promise<SipWsClient> {
    const socket = new WebSocket(url, 'sip');
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new SipWsClient(socket, user)));
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  get aor(): string {
    return `sip:${this.user}@${DOMAIN}`;
  }

  sendRaw(data: string | Buffer): void {
    this.#socket.send(data);
  }

  send(message: SipMessage): void {
    this.#socket.send(serializeMessage(message));
  }

  /** The first received message matching `match` (already queued or yet to come). */
  next(match: (m: SipMessage) => boolean = () => true, timeoutMs = 4000): Promise<SipMessage> {
    const i = this.inbox.findIndex(match);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0] as SipMessage);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`${this.user}: nothing matching arrived in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  async nextRequest(method: string): Promise<SipRequest> {
    return (await this.next((m) => m.kind === 'request' && m.method === method)) as SipRequest;
  }

  /** The next response to a request of `method` (100 Trying skipped unless asked for). */
  async nextResponse(method: string, withTrying = false): Promise<SipResponse> {
    return (await this.next(
      (m) =>
        m.kind === 'response' &&
        (withTrying || m.status !== 100) &&
        (m.headers.get('CSeq') ?? '').endsWith(` ${method}`),
    )) as SipResponse;
  }

  request(method: string, uri: string, spec: RequestSpec = {}): SipRequest {
    const req = createRequest(method, uri, [
      ['Via', `SIP/2.0/WS ${this.host};branch=${spec.branch ?? `z9hG4bK${hex()}`}`],
      ['Max-Forwards', '70'],
      ['From', `<${this.aor}>;tag=${spec.fromTag ?? hex()}`],
      ['To', spec.to ?? `<${uri}>`],
      ['Call-ID', spec.callId ?? hex(8)],
      ['CSeq', `${spec.cseq ?? 1} ${method}`],
      ['Contact', `<${this.contact}>`],
    ]);
    if (spec.route !== undefined && spec.route.length > 0) req.headers.set('Route', [...spec.route]);
    for (const [name, value] of spec.headers ?? []) req.headers.append(name, value);
    if (spec.body !== undefined) req.body = spec.body;
    return req;
  }

  register(expires = 600, extra: RequestSpec = {}): SipRequest {
    const req = this.request('REGISTER', `sip:${DOMAIN}`, { to: `<${this.aor}>`, ...extra });
    req.headers.set(
      'Contact',
      `<${this.contact}>;+sip.instance="${this.instance}";reg-id=1;expires=${expires}`,
    );
    return req;
  }

  /** Sends REGISTER and returns the final response. */
  async registerAndWait(expires = 600, extra: RequestSpec = {}): Promise<SipResponse> {
    this.send(this.register(expires, extra));
    return this.nextResponse('REGISTER');
  }

  /** A response to `req` with our To-tag and, for dialog-creating 2xx, our Contact. */
  reply(req: SipRequest, status: number, toTag = hex()): SipResponse {
    const res = createResponseTo(req, status, { toTag });
    if (status >= 200 && status < 300) {
      for (const rr of req.headers.getAll('Record-Route')) res.headers.append('Record-Route', rr);
      res.headers.append('Contact', `<${this.contact}>`);
    }
    return res;
  }

  close(): Promise<void> {
    if (this.#socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#socket.close();
    });
  }
}

/** `seq METHOD` of a message. */
export function cseqOf(m: SipMessage): string {
  const c = getCSeq(m);
  return c.ok ? `${c.value.seq} ${c.value.method}` : '?';
}
