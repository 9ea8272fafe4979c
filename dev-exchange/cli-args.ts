/**
 * Command line and environment of `tsx dev-exchange/main.ts`. Pure, so it is tested without
 * starting anything.
 */
import type { DevExchangeOptions } from './dev-exchange';

export const USAGE = `Ringlet dev exchange — a SIP-over-WebSocket registrar and proxy for development only
(production: Asterisk, FreeSWITCH or Kamailio).

Usage: tsx dev-exchange/main.ts [--host 127.0.0.1] [--port 5062] [--domain ringlet.local]
                                [--credentials users.json]

Environment: DEV_EXCHANGE_HOST, DEV_EXCHANGE_PORT, DEV_EXCHANGE_DOMAIN, DEV_EXCHANGE_CREDENTIALS
(command-line flags win). The credentials file looks like { "users": { "alice": "secret" } };
without it any user may register.`;

export type CliParse =
  | { readonly kind: 'run'; readonly options: DevExchangeOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const FLAGS = {
  '--host': 'host',
  '--port': 'port',
  '--domain': 'domain',
  '--credentials': 'credentials',
} as const;
type Key = (typeof FLAGS)[keyof typeof FLAGS];

/** Parses `argv` (without node and the script) over `env`. Never throws. */
export function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliParse {
  const values: Partial<Record<Key, string>> = {};
  const fromEnv: [Key, string][] = [
    ['host', 'DEV_EXCHANGE_HOST'],
    ['port', 'DEV_EXCHANGE_PORT'],
    ['domain', 'DEV_EXCHANGE_DOMAIN'],
    ['credentials', 'DEV_EXCHANGE_CREDENTIALS'],
  ];
  for (const [key, name] of fromEnv) {
    const v = env[name];
    if (v !== undefined && v !== '') values[key] = v;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!Object.hasOwn(FLAGS, flag)) return { kind: 'error', message: `unknown argument ${arg}` };
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') return { kind: 'error', message: `${flag} needs a value` };
    values[FLAGS[flag as keyof typeof FLAGS]] = value;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      return { kind: 'error', message: `port must be 0-65535, got ${values.port}` };
    }
  }
  return {
    kind: 'run',
    options: {
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(values.domain !== undefined ? { domain: values.domain } : {}),
      ...(values.credentials !== undefined ? { credentialsFile: values.credentials } : {}),
    },
  };
}
