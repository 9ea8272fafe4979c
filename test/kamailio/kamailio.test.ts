/**
 * Proves test/kamailio/kamailio.cfg against a real Kamailio with hand-written SIP over the `ws`
 * package: digest-authenticated registration (RFC 3261 section 10 and 22), OPTIONS to the
 * server, and a call routed between two WebSocket users on different listeners (RFC 7118),
 * including the ACK and BYE that only arrive when the `.invalid` contact aliasing works.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startKamailio, type KamailioServer } from './kamailio-server';

const STEP_MS = 5000;

interface SipMessage {
  raw: string;
  method?: string;
  requestUri?: string;
  status?: number;
  headers: Array<[string, string]>;
  body: string;
}

const COMPACT: Record<string, string> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
};

function parseSip(raw: string): SipMessage {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const [startLine = '', ...lines] = head.split('\r\n');
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase();
      headers.push([COMPACT[name] ?? name, line.slice(colon + 1).trim()]);
    }
  }
  const status = /^SIP\/2\.0 (\d{3}) /.exec(startLine);
  if (status) return { raw, status: Number(status[1]), headers, body };
  const [method, requestUri] = startLine.split(' ');
  return { raw, method, requestUri, headers, body };
}

function all(msg: SipMessage, name: string): string[] {
  return msg.headers.filter(([n]) => n === name.toLowerCase()).map(([, v]) => v);
}

function one(msg: SipMessage, name: string): string {
  const value = all(msg, name)[0];
  if (value === undefined) throw new Error(`no ${name} header in:\n${msg.raw}`);
  return value;
}

function cseqMethod(msg: SipMessage): string {
  return one(msg, 'CSeq').split(/\s+/)[1] ?? '';
}

const token = (): string => randomBytes(6).toString('hex');
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

function digestParams(challenge: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of challenge.replace(/^Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) {
    params[(m[1] ?? '').toLowerCase()] = m[2] ?? m[3] ?? '';
  }
  return params;
}

/** RFC 2617 section 3.2.2 response (MD5, qop=auth when offered). */
function digestAuthorization(
  challenge: string,
  user: string,
  password: string,
  method: string,
  uri: string,
): string {
  const p = digestParams(challenge);
  const realm = p['realm'] ?? '';
  const nonce = p['nonce'] ?? '';
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const parts = [
    `username="${user}"`,
    `realm="${realm}"`,
    `nonce="${nonce}"`,
    `uri="${uri}"`,
    'algorithm=MD5',
  ];
  if ((p['qop'] ?? '').split(',').includes('auth')) {
    const cnonce = token();
    const nc = '00000001';
    parts.push(`response="${md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`, 'qop=auth', `nc=${nc}`);
    parts.push(`cnonce="${cnonce}"`);
  } else {
    parts.push(`response="${md5(`${ha1}:${nonce}:${ha2}`)}"`);
  }
  if (p['opaque'] !== undefined) parts.push(`opaque="${p['opaque']}"`);
  return `Digest ${parts.join(', ')}`;
}

/** One SIP-over-WebSocket peer with a message inbox. */
class Peer {
  readonly host = `${token()}.invalid`;
  private readonly inbox: SipMessage[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly ws: WebSocket,
    readonly user: string,
    readonly domain: string,
  ) {
    ws.on('message', (data) => {
      this.inbox.push(parseSip(data.toString()));
      for (const wake of [...this.waiters]) wake();
    });
  }

  static async connect(url: string, user: string, domain: string): Promise<Peer> {
    const ws = new WebSocket(url, 'sip');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no WebSocket open on ${url}`)), STEP_MS);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve();
      });
      ws.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    expect(ws.protocol).toBe('sip');
    return new Peer(ws, user, domain);
  }

  get aor(): string {
    return `sip:${this.user}@${this.domain}`;
  }

  get contact(): string {
    return `<sip:${this.user}@${this.host};transport=ws>`;
  }

  via(branch = `z9hG4bK${token()}`): string {
    return `SIP/2.0/WS ${this.host};branch=${branch}`;
  }

  send(startLine: string, headers: Array<[string, string]>, body = ''): void {
    const lines = [
      startLine,
      ...headers.map(([n, v]) => `${n}: ${v}`),
      `Content-Length: ${Buffer.byteLength(body)}`,
    ];
    this.ws.send(`${lines.join('\r\n')}\r\n\r\n${body}`);
  }

  /** Waits for (and removes from the inbox) the first message matching `match`. */
  async next(match: (m: SipMessage) => boolean, what: string): Promise<SipMessage> {
    const deadline = Date.now() + STEP_MS;
    for (;;) {
      const index = this.inbox.findIndex(match);
      if (index !== -1) return this.inbox.splice(index, 1)[0] as SipMessage;
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.inbox.map((m) => m.raw.split('\r\n')[0]).join(' | ');
        throw new Error(`${this.user}: timed out waiting for ${what}; inbox: ${seen || '(empty)'}`);
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** Final (>= 200) response to the request with this Call-ID and CSeq method. */
  finalResponse(callId: string, method: string): Promise<SipMessage> {
    return this.next(
      (m) => (m.status ?? 0) >= 200 && one(m, 'Call-ID') === callId && cseqMethod(m) === method,
      `final response to ${method}`,
    );
  }

  request(method: string): Promise<SipMessage> {
    return this.next((m) => m.method === method, `${method} request`);
  }

  /** Answers a received request, copying the headers RFC 3261 section 8.2.6.2 requires. */
  reply(
    req: SipMessage,
    status: number,
    reason: string,
    extra: Array<[string, string]> = [],
    body = '',
  ): void {
    const to = one(req, 'To');
    const headers: Array<[string, string]> = [
      ...all(req, 'Via').map((v): [string, string] => ['Via', v]),
      ...all(req, 'Record-Route').map((v): [string, string] => ['Record-Route', v]),
      ['From', one(req, 'From')],
      ['To', /;tag=/.test(to) || status === 100 ? to : `${to};tag=${token()}`],
      ['Call-ID', one(req, 'Call-ID')],
      ['CSeq', one(req, 'CSeq')],
      ...extra,
    ];
    this.send(`SIP/2.0 ${status} ${reason}`, headers, body);
  }

  close(): void {
    this.ws.terminate();
  }
}

interface Registration {
  challenge: SipMessage;
  final: SipMessage;
}

/** REGISTER, then REGISTER again with credentials computed from the 401 challenge. */
async function register(
  peer: Peer,
  password: string,
  expires = 600,
  authUser = peer.user,
): Promise<Registration> {
  const callId = token();
  const fromTag = token();
  const uri = `sip:${peer.domain}`;
  const base = (cseq: number): Array<[string, string]> => [
    ['Via', peer.via()],
    ['Max-Forwards', '70'],
    ['From', `<${peer.aor}>;tag=${fromTag}`],
    ['To', `<${peer.aor}>`],
    ['Call-ID', callId],
    ['CSeq', `${cseq} REGISTER`],
    ['Contact', `${peer.contact};expires=${expires}`],
  ];
  peer.send(`REGISTER ${uri} SIP/2.0`, base(1));
  const challenge = await peer.finalResponse(callId, 'REGISTER');
  if (challenge.status !== 401) return { challenge, final: challenge };
  const auth = digestAuthorization(one(challenge, 'WWW-Authenticate'), authUser, password, 'REGISTER', uri);
  peer.send(`REGISTER ${uri} SIP/2.0`, [...base(2), ['Authorization', auth]]);
  return { challenge, final: await peer.finalResponse(callId, 'REGISTER') };
}

/** Out-of-dialog INVITE with the 407 round trip (the 407 is ACKed as RFC 3261 section 17.1.1.3 says). */
async function invite(
  caller: Peer,
  password: string,
  target: string,
): Promise<{ callId: string; fromTag: string }> {
  const callId = token();
  const fromTag = token();
  const sdp =
    'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n';
  const headers = (branch: string, cseq: number): Array<[string, string]> => [
    ['Via', caller.via(branch)],
    ['Max-Forwards', '70'],
    ['From', `<${caller.aor}>;tag=${fromTag}`],
    ['To', `<${target}>`],
    ['Call-ID', callId],
    ['CSeq', `${cseq} INVITE`],
    ['Contact', caller.contact],
    ['Content-Type', 'application/sdp'],
  ];
  const firstBranch = `z9hG4bK${token()}`;
  caller.send(`INVITE ${target} SIP/2.0`, headers(firstBranch, 1), sdp);
  const challenge = await caller.finalResponse(callId, 'INVITE');
  expect(challenge.status).toBe(407);
  caller.send(`ACK ${target} SIP/2.0`, [
    ['Via', caller.via(firstBranch)],
    ['Max-Forwards', '70'],
    ['From', `<${caller.aor}>;tag=${fromTag}`],
    ['To', one(challenge, 'To')],
    ['Call-ID', callId],
    ['CSeq', '1 ACK'],
  ]);
  const auth = digestAuthorization(
    one(challenge, 'Proxy-Authenticate'),
    caller.user,
    password,
    'INVITE',
    target,
  );
  caller.send(
    `INVITE ${target} SIP/2.0`,
    [...headers(`z9hG4bK${token()}`, 2), ['Proxy-Authorization', auth]],
    sdp,
  );
  return { callId, fromTag };
}

/** Strips the <> of a name-addr. */
const uriOf = (nameAddr: string): string => /<([^>]+)>/.exec(nameAddr)?.[1] ?? nameAddr;

describe('test PBX (test/kamailio/kamailio.cfg on a real Kamailio)', () => {
  let server: KamailioServer;
  const peers: Peer[] = [];
  const connect = async (user: string, listener = 0): Promise<Peer> => {
    const peer = await Peer.connect(server.wsUrls[listener] as string, user, server.domain);
    peers.push(peer);
    return peer;
  };
  const password = (user: string): string => server.users[user] as string;

  beforeAll(async () => {
    server = await startKamailio();
  }, 30_000);

  afterAll(async () => {
    for (const peer of peers) peer.close();
    await server?.stop();
  }, 15_000);

  describe('RFC 7118 section 4: WebSocket handshake', () => {
    it('accepts the sip subprotocol on both listeners', async () => {
      expect(server.ports).toHaveLength(2);
      expect(server.ports[0]).not.toBe(server.ports[1]);
      for (const listener of [0, 1]) {
        const peer = await connect('alice', listener);
        expect(peer.ws.protocol).toBe('sip');
      }
    });
  });

  describe('RFC 3261 section 11: OPTIONS to the server', () => {
    it.each([0, 1])('answers 200 on listener %i', async (listener) => {
      const peer = await connect('alice', listener);
      const callId = token();
      peer.send(`OPTIONS sip:${server.domain} SIP/2.0`, [
        ['Via', peer.via()],
        ['Max-Forwards', '70'],
        ['From', `<${peer.aor}>;tag=${token()}`],
        ['To', `<sip:${server.domain}>`],
        ['Call-ID', callId],
        ['CSeq', '1 OPTIONS'],
      ]);
      const response = await peer.finalResponse(callId, 'OPTIONS');
      expect(response.status).toBe(200);
    });
  });

  describe('RFC 3261 section 10 and 22: registration with digest authentication', () => {
    it('challenges a REGISTER without credentials with 401 and a Digest WWW-Authenticate', async () => {
      const peer = await connect('alice');
      const { challenge } = await register(peer, 'irrelevant');
      expect(challenge.status).toBe(401);
      const header = one(challenge, 'WWW-Authenticate');
      expect(header).toMatch(/^Digest /);
      const params = digestParams(header);
      expect(params['realm']).toBe(server.realm);
      expect(params['nonce']).toBeTruthy();
      expect(params['qop']).toContain('auth');
    });

    it('accepts the correct digest response with 200 and returns the Contact', async () => {
      const peer = await connect('alice');
      const { final } = await register(peer, password('alice'), 600);
      expect(final.status).toBe(200);
      const contacts = all(final, 'Contact').join(',');
      expect(contacts).toContain(peer.host);
      expect(contacts).toMatch(/expires=(\d+)/);
    });

    it('refuses a wrong password (challenged again or 403)', async () => {
      const peer = await connect('alice');
      const { final } = await register(peer, 'not-the-password');
      expect([401, 403]).toContain(final.status);
    });

    it('refuses an unknown user with 403', async () => {
      const peer = await connect('mallory');
      const { final } = await register(peer, 'whatever');
      expect(final.status).toBe(403);
    });

    it('refuses credentials of one user for another address of record with 403', async () => {
      const peer = await connect('bob');
      const { final } = await register(peer, password('alice'), 600, 'alice');
      expect(final.status).toBe(403);
    });

    it('answers 423 with Min-Expires when the interval is below the minimum (section 10.3 step 7)', async () => {
      const peer = await connect('carol');
      const { final } = await register(peer, password('carol'), 5);
      expect(final.status).toBe(423);
      expect(Number(one(final, 'Min-Expires'))).toBe(10);
    });
  });

  describe('RFC 3261 section 16: proxying a call between WebSocket users', () => {
    it('routes INVITE, 200, ACK and BYE between users on different listeners', async () => {
      const bob = await connect('bob', 1);
      expect((await register(bob, password('bob'))).final.status).toBe(200);
      const alice = await connect('alice', 0);
      const target = `sip:bob@${server.domain}`;
      const { callId } = await invite(alice, password('alice'), target);

      // Bob receives the INVITE over his own socket: the registered `.invalid` contact was
      // reached through the alias stored by fix_nated_register().
      const incoming = await bob.request('INVITE');
      expect(one(incoming, 'Call-ID')).toBe(callId);
      expect(incoming.requestUri).toContain(bob.host);
      expect(all(incoming, 'Proxy-Authorization')).toHaveLength(0);
      expect(all(incoming, 'Record-Route').length).toBeGreaterThan(0);
      bob.reply(incoming, 180, 'Ringing', [['Contact', bob.contact]]);
      const answer =
        'v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n';
      bob.reply(
        incoming,
        200,
        'OK',
        [
          ['Contact', bob.contact],
          ['Content-Type', 'application/sdp'],
        ],
        answer,
      );

      const ok = await alice.finalResponse(callId, 'INVITE');
      expect(ok.status).toBe(200);
      const bobTarget = uriOf(one(ok, 'Contact'));
      expect(bobTarget).toContain(bob.host);
      expect(bobTarget).toContain('alias=');

      // ACK for the 2xx goes end to end along the route set (RFC 3261 section 13.2.2.4).
      const aliceRoutes = all(ok, 'Record-Route')
        .flatMap((v) => v.split(/,(?=\s*<)/))
        .reverse();
      const aliceTo = one(ok, 'To');
      const aliceFrom = one(ok, 'From');
      alice.send(`ACK ${bobTarget} SIP/2.0`, [
        ['Via', alice.via()],
        ...aliceRoutes.map((r): [string, string] => ['Route', r.trim()]),
        ['Max-Forwards', '70'],
        ['From', aliceFrom],
        ['To', aliceTo],
        ['Call-ID', callId],
        ['CSeq', '2 ACK'],
      ]);
      const ack = await bob.request('ACK');
      expect(one(ack, 'Call-ID')).toBe(callId);

      // Bob hangs up: his BYE reaches alice's aliased contact through the route set.
      const bobRoutes = all(incoming, 'Record-Route').flatMap((v) => v.split(/,(?=\s*<)/));
      const aliceTarget = uriOf(one(incoming, 'Contact'));
      expect(aliceTarget).toContain('alias=');
      bob.send(`BYE ${aliceTarget} SIP/2.0`, [
        ['Via', bob.via()],
        ...bobRoutes.map((r): [string, string] => ['Route', r.trim()]),
        ['Max-Forwards', '70'],
        ['From', aliceTo],
        ['To', aliceFrom],
        ['Call-ID', callId],
        ['CSeq', '1 BYE'],
      ]);
      const bye = await alice.request('BYE');
      expect(one(bye, 'Call-ID')).toBe(callId);
      alice.reply(bye, 200, 'OK');
      expect((await bob.finalResponse(callId, 'BYE')).status).toBe(200);
    });

    it('answers 404 for an unknown user and 480 for a known user who is not registered', async () => {
      const alice = await connect('alice');
      const unknown = await invite(alice, password('alice'), `sip:nobody@${server.domain}`);
      expect((await alice.finalResponse(unknown.callId, 'INVITE')).status).toBe(404);
      const absent = await invite(alice, password('alice'), `sip:dave@${server.domain}`);
      expect((await alice.finalResponse(absent.callId, 'INVITE')).status).toBe(480);
    });

    it('forgets registrations on restart() and serves the same URLs again', async () => {
      const carol = await connect('carol');
      expect((await register(carol, password('carol'))).final.status).toBe(200);
      const urls = [...server.wsUrls];
      await server.restart();
      expect(server.wsUrls).toEqual(urls);
      const alice = await connect('alice');
      const call = await invite(alice, password('alice'), `sip:carol@${server.domain}`);
      expect((await alice.finalResponse(call.callId, 'INVITE')).status).toBe(480);
    }, 30_000);
  });
});
