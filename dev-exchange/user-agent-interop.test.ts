import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { UserAgent, type WebSocketConstructor } from '../src/sip/index';
import { startDevExchange, type DevExchange } from './dev-exchange';

let exchange: DevExchange | undefined;
const agents: UserAgent[] = [];

afterEach(async () => {
  await Promise.all(agents.splice(0).map((ua) => ua.stop()));
  await exchange?.stop();
  exchange = undefined;
});

function agent(user: string, password?: string): UserAgent {
  if (exchange === undefined) throw new Error('start the exchange first');
  const ua = new UserAgent({
    servers: [exchange.url],
    uri: `sip:${user}@ringlet.local`,
    ...(password !== undefined ? { password } : {}),
    WebSocket: WebSocket as unknown as WebSocketConstructor,
  });
  agents.push(ua);
  return ua;
}

describe("Ringlet's own UserAgent against the dev exchange", () => {
  it('registers without credentials', async () => {
    exchange = await startDevExchange({ port: 0, log: () => undefined });
    const ua = agent('alice');
    await ua.start();
    expect((await ua.register()).state).toBe('registered');
  });

  it('answers the SHA-256 digest challenge from a credentials file, and fails on a wrong password', async () => {
    exchange = await startDevExchange({ port: 0, users: { alice: 'secret' }, log: () => undefined });
    const good = agent('alice', 'secret');
    await good.start();
    expect((await good.register()).state).toBe('registered');
    const bad = agent('alice', 'wrong');
    await bad.start();
    expect(await bad.register()).toMatchObject({ state: 'failed', status: 403 });
  });
});
