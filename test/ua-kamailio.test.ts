/**
 * The Ringlet SIP core, run in Node with the `ws` package, against a real Kamailio on loopback
 * (issue 3, "Prove it"): registration with digest, a clean failure with the wrong password,
 * refresh, unregister, surviving a server restart, and failover between listeners.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  UserAgent,
  createLogger,
  outbound,
  type RegistrationStatus,
  type UserAgentOptions,
} from '../src/sip/index';
import { findFreePorts, startKamailio, type KamailioServer } from './kamailio/kamailio-server';

let pbx: KamailioServer;
const agents: UserAgent[] = [];

beforeAll(async () => {
  pbx = await startKamailio();
});

afterAll(async () => {
  await Promise.all(agents.map((ua) => ua.stop().catch(() => undefined)));
  await pbx?.stop();
});

function agent(user: string, overrides: Partial<UserAgentOptions> = {}): { ua: UserAgent; trace: string[] } {
  const trace: string[] = [];
  const ua = new UserAgent({
    servers: pbx.wsUrls,
    uri: `sip:${user}@${pbx.domain}`,
    password: pbx.users[user] ?? 'unknown',
    WebSocket: WebSocket as unknown as UserAgentOptions['WebSocket'],
    connectTimeoutMs: 2000,
    logger: createLogger((record) => trace.push(record.message), 'ringlet', 'debug'),
    ...overrides,
  });
  agents.push(ua);
  return { ua, trace };
}

function nextStatus(
  ua: UserAgent,
  predicate: (s: RegistrationStatus) => boolean,
  timeoutMs = 8000,
): Promise<RegistrationStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(
          `no matching registration status within ${timeoutMs} ms (now ${JSON.stringify(ua.registration)})`,
        ),
      );
    }, timeoutMs);
    const off = ua.on('registration', (s) => {
      if (!predicate(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

/** Bindings Kamailio holds for `user`, read from a fresh REGISTER query by a second agent. */
async function bindingsOf(user: string): Promise<number> {
  const { ua, trace } = agent(user);
  const status = await ua.register();
  expect(status.state).toBe('registered');
  const last200 = [...trace].reverse().find((t) => /^received\nSIP\/2\.0 200/.test(t)) ?? '';
  await ua.stop();
  // Contacts other than the probe's own are the bindings that were there before it.
  return (
    (last200.match(/^Contact:.*$/gim) ?? [])
      .join(',')
      .split(/,\s*(?=<)/)
      .filter((c) => c.trim()).length - 1
  );
}

describe('registration against a real Kamailio', () => {
  it('registers with the right password, with the expiry the server granted', async () => {
    const { ua, trace } = agent('alice', { registerExpires: 7200 });
    const status = await ua.register();
    expect(status).toMatchObject({ state: 'registered' });
    // Kamailio caps at max_expires 3600: the grant, not the 7200 asked for.
    expect(status.state === 'registered' && status.expires).toBe(3600);
    expect(trace.join('\n')).toMatch(/SIP\/2\.0 401/);
    await ua.stop();
  });

  it('fails cleanly with the wrong password and stops retrying', async () => {
    const { ua, trace } = agent('bob', { password: 'not-bobs' });
    const status = await ua.register();
    expect(status).toMatchObject({ state: 'failed', cause: 'auth-failed' });
    await new Promise((r) => setTimeout(r, 1000));
    const registers = trace.filter((t) => /^sent\nREGISTER /.test(t)).length;
    expect(registers).toBeLessThanOrEqual(3);
    expect(trace.join('\n')).not.toContain('not-bobs');
    await ua.stop();
  });

  it('refreshes before the granted expiry', async () => {
    const { ua, trace } = agent('carol', { registerExpires: 12 });
    const first = await ua.register();
    expect(first).toMatchObject({ state: 'registered', expires: 12 });
    // Granted 12 s → refreshed 6 s early: a second 200 arrives within ~6-8 s.
    const count = () =>
      trace.filter((t) => t.startsWith('received\nSIP/2.0 200') && /^CSeq: \d+ REGISTER/m.test(t)).length;
    const before = count();
    await new Promise((r) => setTimeout(r, 8000));
    expect(count()).toBeGreaterThan(before);
    expect(ua.registration.state).toBe('registered');
    await ua.stop();
  }, 20_000);

  it('unregisters: the binding is gone from the registrar', async () => {
    const { ua } = agent('dave');
    expect((await ua.register()).state).toBe('registered');
    expect(await bindingsOf('dave')).toBe(1);
    expect(await ua.unregister()).toEqual({ state: 'unregistered' });
    expect(await bindingsOf('dave')).toBe(0);
    await ua.stop();
  });

  it('survives a Kamailio restart: re-registers within seconds, no duplicate binding', async () => {
    const { ua } = agent('alice', { extensions: [outbound({ keepAliveIntervalMs: 1000 })] });
    expect((await ua.register()).state).toBe('registered');
    const reRegistered = nextStatus(ua, (s) => s.state === 'registered', 15_000);
    await pbx.restart();
    await reRegistered;
    expect(await bindingsOf('alice')).toBe(1);
    await ua.stop();
  }, 30_000);
});

describe('failover', () => {
  let refusing: Server;
  let refusedUrl: string;

  beforeAll(async () => {
    // A port that accepts TCP and closes at once: the WebSocket upgrade is refused.
    const [port] = await findFreePorts(1);
    refusing = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => refusing.listen(port, '127.0.0.1', resolve));
    refusedUrl = `ws://127.0.0.1:${port}`;
  });

  afterAll(() => new Promise<void>((resolve) => refusing.close(() => resolve())));

  it('moves to the second server URL when the first refuses', async () => {
    const transports: Array<string | undefined> = [];
    const { ua } = agent('bob', { servers: [refusedUrl, pbx.wsUrls[1]!] });
    ua.on('transport', (state, server) => {
      if (state === 'connected') transports.push(server);
    });
    const status = await ua.register();
    expect(status.state).toBe('registered');
    expect(transports[0]).toBe(pbx.wsUrls[1]);
    await ua.stop();
  });
});
