/**
 * The store's logger: one line format shared with the SIP core (STYLE.md habit 13),
 * `ringlet:store:<category>: method() | detail [key:value]`, written to the injected {@link LogSink}.
 */
import type { LogLevel, LogSink } from '../../sip/index';

export interface StoreLogger {
  debug(message: string, detail?: Record<string, unknown>): void;
  info(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
  error(message: string, detail?: Record<string, unknown>): void;
  child(category: string): StoreLogger;
}

function format(message: string, detail: Record<string, unknown> | undefined): string {
  if (!detail) return message;
  let out = message;
  for (const [key, value] of Object.entries(detail)) {
    // Secrets never reach a sink, whoever passed them.
    const shown = /pass(word)?|secret|credential/i.test(key) ? '***' : String(value);
    out += ` [${key}:${shown}]`;
  }
  return out;
}

export function createStoreLogger(sink: LogSink | undefined, category = 'ringlet:store'): StoreLogger {
  const emit = (level: LogLevel, message: string, detail?: Record<string, unknown>): void => {
    if (!sink) return;
    try {
      sink({ level, category, message: format(message, detail) });
    } catch {
      // A broken sink must not break the phone.
    }
  };
  return {
    debug: (m, d) => emit('debug', m, d),
    info: (m, d) => emit('info', m, d),
    warn: (m, d) => emit('warn', m, d),
    error: (m, d) => emit('error', m, d),
    child: (name) => createStoreLogger(sink, `${category}:${name}`),
  };
}

/** The message of anything thrown, for a log line or a user-facing reason. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
