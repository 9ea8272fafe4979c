import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { getAuthValues, getContact, getVias, type SipRequest, type SipResponse } from '../src/sip/index';
import { computeDigestResponse, parseDigestAlgorithm } from '../src/sip/auth/digest';
import { startDevExchange, type DevExchange, type DevExchangeOptions } from './dev-exchange';
import { COMPLETED_ELSEWHERE } from './response-context';
import { cseqOf, DOMAIN, hex, SipWsClient } from './testing/sip-ws-client';

let exchange: DevExchange | undefined;
const clients: SipWsClient[] = [];
let logs: string[] = [];

async function start(options: DevExchangeOptions = {}): Promise<DevExchange> {
  logs = [];
  exchange = await startDevExchange({ port: 0, log: (line) => logs.push(line), ...options });
  return exchange;
}

async function client(user: string): Promise<SipWsClient> {
  if (exchange === undefined) throw new Error('start() first');
  const c = await SipWsClient.connect(exchange.url, user);
  clients.push(c);
  return c;
}

async function registered(user: string): Promise<SipWsClient> {
  const c = await client(user);
  expect((await c.registerAndWait()).status).toBe(200);
  return c;
}

/** Everything the exchange sent `c` before this returns is in `c.inbox` (one ordered socket). */
async function barrier(c: SipWsClient): Promise<void> {
  c.send(c.request('OPTIONS', `sip:${DOMAIN}`, { callId: 'barrier' }));
  await c.next((m) => m.kind === 'response' && m.headers.get('Call-ID') === 'barrier');
}

function answer(c: SipWsClient, credentials: { user: string; password: string }, challenge: SipResponse) {
  const values = getAuthValues(challenge, 'WWW-Authenticate');
  if (!values.ok) throw new Error('bad challenge');
  const chosen = values.value[0];
  if (chosen === undefined) throw new Error('no challenge');
  const algorithm = chosen.params['algorithm'] ?? 'MD5';
  const realm = chosen.params['realm'] ?? '';
  const nonce = chosen.params['nonce'] ?? '';
  const uri = `sip:${DOMAIN}`;
  const cnonce = hex();
  const response = computeDigestResponse({
    algorithm: parseDigestAlgorithm(algorithm)!,
    username: credentials.user,
    realm,
    password: credentials.password,
    method: 'REGISTER',
    uri,
    nonce,
    cnonce,
    nc: '00000001',
    qop: 'auth',
  });
  return c.register(600, {
    cseq: 2,
    headers: [
      [
        'Authorization',
        `Digest username="${credentials.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", ` +
          `response="${response}", algorithm=${algorithm}, cnonce="${cnonce}", nc=00000001, qop=auth`,
      ],
    ],
  });
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await exchange?.stop();
  exchange = undefined;
});

describe('RFC 7118 §4.1 WebSocket handshake', () => {
  it('refuses a connection that does not offer the sip subprotocol', async () => {
    const ex = await start();
    const socket = new WebSocket(ex.url, 'chat');
    const status = await new Promise<number>((resolve) => {
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('open', () => resolve(101));
    });
    expect(status).toBe(400);
  });

  it('accepts the sip subprotocol and reports its URL on the loopback interface', async () => {
    const ex = await start();
    expect(ex.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(logs[0]).toContain(ex.url);
    const c = await client('alice');
    expect(c).toBeDefined();
  });
});

describe('RFC 3261 §10.3 registrar', () => {
  it('registers any user of its domain and lists the contact with its expiry', async () => {
    await start();
    const alice = await client('alice');
    const ok = await alice.registerAndWait(600);
    expect(ok.status).toBe(200);
    const contact = getContact(ok);
    expect(contact.ok && !contact.value?.star ? contact.value?.contacts.map((x) => x.params) : []).toEqual([
      { '+sip.instance': alice.instance, 'reg-id': '1', expires: '600' },
    ]);
  });

  it('replaces a binding refreshed with the same +sip.instance and reg-id, and removes it with expires 0', async () => {
    await start();
    const alice = await client('alice');
    await alice.registerAndWait(600, { callId: 'reg-1', cseq: 1 });
    const refreshed = await alice.registerAndWait(300, { callId: 'reg-1', cseq: 2 });
    expect(refreshed.headers.getAll('Contact')).toHaveLength(1);
    expect(refreshed.headers.get('Contact')).toContain('expires=300');
    const removed = await alice.registerAndWait(0, { callId: 'reg-1', cseq: 3 });
    expect(removed.status).toBe(200);
    expect(removed.headers.has('Contact')).toBe(false);
  });

  it('answers 423 with Min-Expires when the interval is too brief, and caps long ones at the maximum', async () => {
    await start({ minExpires: 10, maxExpires: 3600 });
    const alice = await client('alice');
    const brief = await alice.registerAndWait(5);
    expect(brief.status).toBe(423);
    expect(brief.headers.get('Min-Expires')).toBe('10');
    const long = await alice.registerAndWait(86_400);
    expect(long.status).toBe(200);
    expect(long.headers.get('Contact')).toContain('expires=3600');
  });

  it('answers 404 to a REGISTER for another domain', async () => {
    await start();
    const alice = await client('alice');
    alice.send(alice.request('REGISTER', 'sip:example.com', { to: '<sip:alice@example.com>' }));
    expect((await alice.nextResponse('REGISTER')).status).toBe(404);
  });

  describe('§22.4 digest authentication from a credentials file', () => {
    function credentialsFile(): string {
      const dir = mkdtempSync(join(tmpdir(), 'ringlet-dx-'));
      const file = join(dir, 'users.json');
      writeFileSync(file, JSON.stringify({ users: { alice: 'secret', bob: 'hunter2' } }));
      return file;
    }

    it('challenges with SHA-256 then MD5, qop=auth, and accepts the right password', async () => {
      await start({ credentialsFile: credentialsFile() });
      const alice = await client('alice');
      const challenge = await alice.registerAndWait();
      expect(challenge.status).toBe(401);
      expect(challenge.reason).toBe('Unauthorized');
      const offered = challenge.headers.getAll('WWW-Authenticate');
      expect(offered.map((v) => /algorithm=([\w-]+)/.exec(v)?.[1])).toEqual(['SHA-256', 'MD5']);
      expect(offered.every((v) => v.includes('qop="auth"') && v.includes(`realm="${DOMAIN}"`))).toBe(true);
      alice.send(answer(alice, { user: 'alice', password: 'secret' }, challenge));
      expect((await alice.nextResponse('REGISTER')).status).toBe(200);
      // The Authorization value never reaches the log.
      expect(logs.join('\n')).not.toMatch(/response=|Digest /);
    });

    it('refuses a wrong password with 403 and never logs the credentials', async () => {
      await start({ credentialsFile: credentialsFile() });
      const alice = await client('alice');
      const challenge = await alice.registerAndWait();
      const wrong = answer(alice, { user: 'alice', password: 'guess' }, challenge);
      alice.send(wrong);
      expect((await alice.nextResponse('REGISTER')).status).toBe(403);
      const digest = /response="([0-9a-f]+)"/.exec(wrong.headers.get('Authorization') ?? '')?.[1];
      expect(digest).toBeDefined();
      expect(logs.join('\n')).not.toContain(digest);
    });

    it('refuses a user registering as someone else', async () => {
      await start({ credentialsFile: credentialsFile() });
      const mallory = await client('alice');
      const challenge = await mallory.registerAndWait();
      mallory.send(answer(mallory, { user: 'bob', password: 'hunter2' }, challenge));
      expect((await mallory.nextResponse('REGISTER')).status).toBe(403);
    });
  });
});

describe('RFC 3261 §16 proxy: errors', () => {
  it('answers 404 for a user that never registered and for a foreign domain', async () => {
    await start();
    const alice = await registered('alice');
    alice.send(alice.request('MESSAGE', `sip:nobody@${DOMAIN}`));
    const unknown = await alice.nextResponse('MESSAGE');
    expect(unknown.status).toBe(404);
    // People read the exchange's log and traces: its own answers carry the §21 phrase.
    expect(unknown.reason).toBe('Not Found');
    alice.send(alice.request('MESSAGE', 'sip:bob@example.com'));
    expect((await alice.nextResponse('MESSAGE')).status).toBe(404);
  });

  it('answers 480 for a user whose only WebSocket went away', async () => {
    await start();
    const alice = await registered('alice');
    const bob = await registered('bob');
    await bob.close();
    alice.send(alice.request('INVITE', `sip:bob@${DOMAIN}`, { body: 'v=0\r\n' }));
    const res = await alice.nextResponse('INVITE');
    expect(res.status).toBe(480);
    // §17.2.1: the ACK for our own 480 is absorbed, not routed.
    alice.send(alice.request('ACK', `sip:bob@${DOMAIN}`, { to: res.headers.get('To') ?? '' }));
    await barrier(alice);
    expect(logs.filter((l) => l.startsWith('→ ') && l.includes(' ACK '))).toEqual([]);
  });

  it('answers 483 when Max-Forwards reaches zero', async () => {
    await start();
    const alice = await registered('alice');
    await registered('bob');
    const req = alice.request('MESSAGE', `sip:bob@${DOMAIN}`);
    req.headers.set('Max-Forwards', '0');
    alice.send(req);
    expect((await alice.nextResponse('MESSAGE')).status).toBe(483);
  });

  it('answers 408 when no branch answers in time', async () => {
    await start({ noAnswerMs: 150 });
    const alice = await registered('alice');
    const bob = await registered('bob');
    alice.send(alice.request('MESSAGE', `sip:bob@${DOMAIN}`, { body: 'hello?' }));
    await bob.nextRequest('MESSAGE'); // bob stays silent
    expect((await alice.nextResponse('MESSAGE')).status).toBe(408);
  });

  it('survives garbage frames and answers 400 to a request whose head can be salvaged', async () => {
    await start();
    const alice = await registered('alice');
    alice.sendRaw('garbage\r\n\r\n');
    alice.sendRaw(Buffer.from([0xff, 0xfe, 0x00, 0xc3]));
    alice.sendRaw('SIP/2.0 200 OK\r\nVia: nonsense\r\n\r\n');
    alice.sendRaw('\r\n\r\n');
    const bad = alice.request('MESSAGE', `sip:bob@${DOMAIN}`, { body: 'hi' });
    alice.sendRaw(
      `MESSAGE sip:bob@${DOMAIN} SIP/2.0\r\n` +
        bad.headers
          .fields()
          .map((f) => `${f.name}: ${f.value}`)
          .join('\r\n') +
        '\r\nContent-Length: 99\r\n\r\nhi',
    );
    const res = await alice.nextResponse('MESSAGE');
    expect(res.status).toBe(400);
    // The exchange still works for everybody.
    await barrier(alice);
    const bob = await registered('bob');
    expect(bob).toBeDefined();
  });
});

describe('RFC 3261 §11 OPTIONS to the exchange itself', () => {
  it('answers 200 with the methods it handles', async () => {
    await start();
    const alice = await client('alice');
    alice.send(alice.request('OPTIONS', `sip:${DOMAIN}`));
    const res = await alice.nextResponse('OPTIONS');
    expect(res.status).toBe(200);
    expect(res.headers.get('Allow')).toContain('INVITE');
    expect(res.headers.get('To')).toMatch(/;tag=/);
  });

  it('answers a double-CRLF keep-alive ping with a CRLF pong (RFC 5626 §3.5.1)', async () => {
    const ex = await start();
    const socket = new WebSocket(ex.url, 'sip');
    await new Promise((resolve) => socket.once('open', resolve));
    const pong = new Promise<string>((resolve) => socket.once('message', (d) => resolve(String(d))));
    socket.send('\r\n\r\n');
    expect(await pong).toBe('\r\n');
    socket.close();
  });
});

describe('RFC 3261 §16.6/§16.7 forking, Record-Route and in-dialog routing', () => {
  async function inviteFork() {
    await start();
    const alice = await registered('alice');
    const bob1 = await registered('bob');
    const bob2 = await registered('bob');
    const invite = alice.request('INVITE', `sip:bob@${DOMAIN}`, { body: 'v=0\r\n' });
    alice.send(invite);
    const trying = await alice.next((m) => m.kind === 'response' && m.status === 100);
    expect(cseqOf(trying)).toBe('1 INVITE');
    const at1 = await bob1.nextRequest('INVITE');
    const at2 = await bob2.nextRequest('INVITE');
    return { alice, bob1, bob2, invite, at1, at2 };
  }

  it('forks an INVITE to every contact, adding its Via, a Record-Route with lr, and decrementing Max-Forwards', async () => {
    const { bob1, bob2, at1, at2 } = await inviteFork();
    for (const [req, bob] of [
      [at1, bob1],
      [at2, bob2],
    ] as const) {
      expect(req.uri).toMatchObject({ host: bob.host });
      const vias = getVias(req);
      expect(vias.ok && vias.value.length).toBe(2);
      expect(vias.ok && vias.value[0]?.host).toBe('127.0.0.1');
      expect(req.headers.get('Max-Forwards')).toBe('69');
      expect(req.headers.get('Record-Route')).toMatch(
        /^<sip:127\.0\.0\.1:\d+;transport=ws;lr;conn=[0-9a-f]+\.[0-9a-f]+>$/,
      );
      expect(req.body).toBe('v=0\r\n');
    }
  });

  it('forwards every provisional, one 200, cancels the other branch "completed elsewhere", then routes ACK and BYE by Record-Route', async () => {
    const { alice, bob1, bob2, invite, at1, at2 } = await inviteFork();
    bob1.send(bob1.reply(at1, 180));
    bob2.send(bob2.reply(at2, 180));
    expect((await alice.nextResponse('INVITE')).status).toBe(180);
    expect((await alice.nextResponse('INVITE')).status).toBe(180);

    const ok = bob1.reply(at1, 200, 'bob1tag');
    bob1.send(ok);
    const answered = await alice.nextResponse('INVITE');
    expect(answered.status).toBe(200);
    expect(getVias(answered).ok && (getVias(answered) as { value: unknown[] }).value).toHaveLength(1);

    const cancel = await bob2.nextRequest('CANCEL');
    expect(cancel.headers.get('Reason')).toBe(COMPLETED_ELSEWHERE);
    expect(cancel.headers.getAll('Via')).toEqual([at2.headers.getAll('Via')[0]]);
    expect(cseqOf(cancel)).toBe('1 CANCEL');
    bob2.send(bob2.reply(cancel, 200));
    bob2.send(bob2.reply(at2, 487));
    // The exchange acknowledges the 487 itself (hop-by-hop) and does not forward it.
    const ackOf487 = await bob2.nextRequest('ACK');
    expect(ackOf487.headers.getAll('Via')).toEqual([at2.headers.getAll('Via')[0]]);

    // ACK and BYE follow the route set learned from the 200 (§12.1.2: reversed Record-Route).
    const route = answered.headers.getAll('Record-Route').reverse();
    const to = answered.headers.get('To') ?? '';
    const dialog = {
      to,
      callId: invite.headers.get('Call-ID') ?? '',
      fromTag: /tag=(\w+)/.exec(invite.headers.get('From') ?? '')?.[1] ?? '',
      route,
    };
    alice.send(alice.request('ACK', bob1.contact, { ...dialog, cseq: 1 }));
    const ack = await bob1.nextRequest('ACK');
    expect(ack.headers.has('Route')).toBe(false);
    alice.send(alice.request('BYE', bob1.contact, { ...dialog, cseq: 2 }));
    const bye = await bob1.nextRequest('BYE');
    bob1.send(bob1.reply(bye, 200));
    expect((await alice.nextResponse('BYE')).status).toBe(200);

    // Exactly one final response reached the caller, and bob2 saw neither ACK nor BYE of bob1's dialog.
    await barrier(alice);
    await barrier(bob2);
    expect(alice.inbox.filter((m) => m.kind === 'response' && cseqOf(m) === '1 INVITE')).toEqual([]);
    expect(bob2.inbox.filter((m) => m.kind === 'request')).toEqual([]);
  });

  it('routes a request from the callee back to the caller over the same Record-Route', async () => {
    const { alice, bob1, bob2, at1, at2 } = await inviteFork();
    bob2.send(bob2.reply(at2, 486));
    bob1.send(bob1.reply(at1, 200, 'b1'));
    const answered = await alice.nextResponse('INVITE');
    expect(answered.status).toBe(200);
    // The callee's route set is the Record-Route of the INVITE in order (§12.1.1).
    const info = bob1.request('INFO', alice.contact, {
      to: at1.headers.get('From') ?? '',
      callId: at1.headers.get('Call-ID') ?? '',
      fromTag: 'b1',
      cseq: 1,
      route: at1.headers.getAll('Record-Route'),
    });
    bob1.send(info);
    const delivered = await alice.nextRequest('INFO');
    expect(delivered.uri).toMatchObject({ host: alice.host });
    alice.send(alice.reply(delivered, 200));
    expect((await bob1.nextResponse('INFO')).status).toBe(200);
  });

  it('propagates Busy Here as the best response when nobody answers', async () => {
    const { alice, bob1, bob2, at1, at2 } = await inviteFork();
    bob1.send(bob1.reply(at1, 486));
    bob2.send(bob2.reply(at2, 480));
    const res = await alice.nextResponse('INVITE');
    expect(res.status).toBe(486);
    expect(await bob1.nextRequest('ACK')).toBeDefined();
    expect(await bob2.nextRequest('ACK')).toBeDefined();
  });

  it('relays the caller CANCEL to ringing branches and returns 487', async () => {
    const { alice, bob1, bob2, invite, at1, at2 } = await inviteFork();
    bob1.send(bob1.reply(at1, 180));
    bob2.send(bob2.reply(at2, 180));
    await alice.nextResponse('INVITE');
    const cancel = alice.request('CANCEL', `sip:bob@${DOMAIN}`, {
      callId: invite.headers.get('Call-ID') ?? '',
      fromTag: /tag=(\w+)/.exec(invite.headers.get('From') ?? '')?.[1] ?? '',
      branch: /branch=([\w.-]+)/.exec(invite.headers.get('Via') ?? '')?.[1] ?? '',
    });
    alice.send(cancel);
    expect((await alice.nextResponse('CANCEL')).status).toBe(200);
    for (const [bob, inv] of [
      [bob1, at1],
      [bob2, at2],
    ] as const) {
      const c = await bob.nextRequest('CANCEL');
      bob.send(bob.reply(c, 200));
      bob.send(bob.reply(inv, 487));
    }
    const final = await alice.next(
      (m) => m.kind === 'response' && m.status >= 200 && cseqOf(m) === '1 INVITE',
    );
    expect((final as SipResponse).status).toBe(487);
  });
});

describe('RFC 3428 MESSAGE', () => {
  it('delivers a MESSAGE to the registered user and returns its 200', async () => {
    await start();
    const alice = await registered('alice');
    const bob = await registered('bob');
    alice.send(
      alice.request('MESSAGE', `sip:bob@${DOMAIN}`, {
        body: 'hello bob',
        headers: [['Content-Type', 'text/plain']],
      }),
    );
    const msg: SipRequest = await bob.nextRequest('MESSAGE');
    expect(msg.body).toBe('hello bob');
    bob.send(bob.reply(msg, 200));
    expect((await alice.nextResponse('MESSAGE')).status).toBe(200);
  });

  it('logs each message on one line naming the user, method, URI and Call-ID', async () => {
    await start();
    const alice = await registered('alice');
    const bob = await registered('bob');
    alice.send(alice.request('MESSAGE', `sip:bob@${DOMAIN}`, { callId: 'log-test' }));
    await bob.nextRequest('MESSAGE');
    expect(
      logs.some((l) => /^alice\/\w+ → MESSAGE sip:bob@ringlet\.local \(call-id log-test\)$/.test(l)),
    ).toBe(true);
    expect(
      logs.some((l) => /^→ bob\/\w+ MESSAGE sip:\w+@\w+\.invalid;transport=ws \(call-id log-test\)$/.test(l)),
    ).toBe(true);
    expect(logs.every((l) => !l.includes('\n'))).toBe(true);
  });
});
