import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args';
import { CredentialsFileError, parseCredentials } from './credentials';

describe('dev exchange command line', () => {
  it('reads flags in both --flag value and --flag=value forms, over the environment', () => {
    expect(
      parseCliArgs(['--port', '6000', '--domain=example.test', '--credentials', 'u.json'], {
        DEV_EXCHANGE_PORT: '7000',
        DEV_EXCHANGE_HOST: '0.0.0.0',
      }),
    ).toEqual({
      kind: 'run',
      options: { host: '0.0.0.0', port: 6000, domain: 'example.test', credentialsFile: 'u.json' },
    });
  });

  it('leaves defaults to startDevExchange when nothing is given', () => {
    expect(parseCliArgs([], {})).toEqual({ kind: 'run', options: {} });
  });

  it('reports unknown flags, missing values and bad ports instead of throwing', () => {
    expect(parseCliArgs(['--prot', '1'], {}).kind).toBe('error');
    expect(parseCliArgs(['--port'], {}).kind).toBe('error');
    expect(parseCliArgs(['--port', '70000'], {}).kind).toBe('error');
    expect(parseCliArgs(['--help'], {}).kind).toBe('help');
  });
});

describe('credentials file', () => {
  it('accepts { users: { name: password } }', () => {
    expect({ ...parseCredentials({ users: { alice: 'secret' } }) }).toEqual({ alice: 'secret' });
  });

  it('refuses any other shape with a named error', () => {
    expect(() => parseCredentials({ alice: 'secret' })).toThrow(CredentialsFileError);
    expect(() => parseCredentials({ users: { alice: 42 } })).toThrow(CredentialsFileError);
    expect(() => parseCredentials({ users: { 'a b': 'x' } })).toThrow(CredentialsFileError);
  });
});
