/** Facts about the machine and the dependencies that every bench section records next to its numbers. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly platform: string;
  /** 1-minute load average when the bench started: other work on a shared machine skews absolute numbers. */
  readonly load: number;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    load: os.loadavg()[0] ?? 0,
  };
}

const require = createRequire(import.meta.url);

/** Installed version of a package, read from its package.json (not from our semver range). */
export function installedVersion(pkg: string): string {
  try {
    const file = require.resolve(`${pkg}/package.json`);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { version?: string };
    return json.version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

/** Today's date as YYYY-MM-DD (UTC), for the "measured on" line. */
export function isoDate(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
