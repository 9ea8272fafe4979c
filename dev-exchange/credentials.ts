/**
 * The optional credentials file of the dev exchange: `{ "users": { "alice": "secret" } }`.
 *
 * DEVELOPMENT CONVENIENCE ONLY: plain-text passwords, fine for a loopback test bench and nothing
 * else.
 */
import { readFileSync } from 'node:fs';

/** The file is missing, is not JSON, or does not have the expected shape. */
export class CredentialsFileError extends Error {
  override readonly name = 'CredentialsFileError';
}

/**
 * Reads and validates a credentials file.
 * @throws CredentialsFileError with a message naming the file and the problem.
 */
export function loadCredentials(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CredentialsFileError(`cannot read credentials file ${path}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CredentialsFileError(`credentials file ${path} is not JSON: ${(e as Error).message}`);
  }
  return parseCredentials(data, path);
}

/** Validates parsed JSON; exported for tests. @throws CredentialsFileError */
export function parseCredentials(data: unknown, source = 'credentials'): Record<string, string> {
  const users = (data as { users?: unknown } | null)?.users;
  if (typeof users !== 'object' || users === null || Array.isArray(users)) {
    throw new CredentialsFileError(`${source}: expected { "users": { "<name>": "<password>" } }`);
  }
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, password] of Object.entries(users)) {
    if (typeof password !== 'string' || !/^[A-Za-z0-9._~!$&'()*+,;=%-]+$/.test(name)) {
      throw new CredentialsFileError(`${source}: user ${JSON.stringify(name)} needs a string password`);
    }
    out[name] = password;
  }
  return out;
}
