/**
 * CLI entry of Ringlet's dev exchange: `tsx dev-exchange/main.ts [--port 5062] …`.
 *
 * DEVELOPMENT CONVENIENCE ONLY: production deployments use Asterisk, FreeSWITCH or Kamailio.
 */
import { parseCliArgs, USAGE } from './cli-args';
import { startDevExchange } from './dev-exchange';

const parsed = parseCliArgs(process.argv.slice(2), process.env);
if (parsed.kind === 'help') {
  console.log(USAGE);
} else if (parsed.kind === 'error') {
  console.error(`dev-exchange: ${parsed.message}\n\n${USAGE}`);
  process.exitCode = 2;
} else {
  try {
    const exchange = await startDevExchange(parsed.options);
    const shutdown = (): void => {
      void exchange.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (e) {
    console.error(`dev-exchange: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
