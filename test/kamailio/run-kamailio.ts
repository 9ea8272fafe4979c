/**
 * Manual use: start the test PBX and print where to connect.
 *
 *   npx tsx test/kamailio/run-kamailio.ts            # two free ports
 *   npx tsx test/kamailio/run-kamailio.ts 5066 5067  # fixed ports
 *
 * Ctrl-C stops it.
 */
import { startKamailio, type KamailioOptions } from './kamailio-server';

async function main(): Promise<void> {
  const [a, b] = process.argv.slice(2).map(Number);
  const opts: KamailioOptions = {};
  if (a !== undefined && b !== undefined && Number.isInteger(a) && Number.isInteger(b)) opts.ports = [a, b];
  const server = await startKamailio(opts);
  console.log('Kamailio test PBX is running.');
  for (const url of server.wsUrls) console.log(`  WebSocket: ${url}  (subprotocol "sip")`);
  console.log(`  Domain / realm: ${server.domain}`);
  for (const [name, password] of Object.entries(server.users)) {
    console.log(`  User: sip:${name}@${server.domain}  password ${password}`);
  }
  console.log(`  Log: ${server.logFile}`);
  console.log('Press Ctrl-C to stop.');
  const shutdown = (): void => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
