/**
 * One logger per module, one line format, secrets masked at the source (STYLE.md habit 13).
 * Format: `category: message [key:value]`. Every SIP text that reaches a sink passes through
 * {@link redactSipText} first, so a password-derived digest never lands in a log or a trace.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  readonly level: LogLevel;
  readonly category: string;
  readonly message: string;
}

export type LogSink = (record: LogRecord) => void;

export interface Logger {
  debug(message: string, detail?: Record<string, unknown>): void;
  info(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
  error(message: string, detail?: Record<string, unknown>): void;
  child(category: string): Logger;
}

/** In increasing severity; a logger passes a record whose level is at or after its minimum. */
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * An `Authorization` or `Proxy-Authorization` field (the digest response is a password oracle),
 * with its folded continuation lines (§7.3.1): its name, its scheme and, if on the first line, its
 * username, which a trace may show.
 */
const SECRET_LINE =
  /^((?:proxy-)?authorization[ \t]*):[ \t]*([\w-]*)(?:.*?username="([^"\\]*)")?.*(?:\r?\n[ \t].*)*$/gim;

/**
 * Masks credential-bearing header values in a SIP message text or a single header line, keeping
 * the scheme and the username so a trace still tells who authenticated. Only the head (up to the
 * first empty line) is searched: a body is never a header.
 */
export function redactSipText(text: string): string {
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const masked = head.replace(
    SECRET_LINE,
    (_, name: string, scheme: string, user?: string) =>
      `${name}: ${scheme} ${user === undefined ? '' : `username="${user}", `}[redacted]`,
  );
  return end < 0 ? masked : masked + text.slice(end);
}

function formatDetail(detail: Record<string, unknown> = {}): string {
  let out = '';
  for (const [key, value] of Object.entries(detail)) {
    const text = /pass|secret|ha1|credential/i.test(key)
      ? '***'
      : redactSipText(typeof value === 'string' ? value : String(JSON.stringify(value)));
    out += ` [${key}:${text}]`;
  }
  return out;
}

export function createLogger(sink: LogSink, category = 'ringlet', minLevel: LogLevel = 'info'): Logger {
  const log =
    (level: LogLevel) =>
    (message: string, detail?: Record<string, unknown>): void => {
      if (LEVELS.indexOf(level) < LEVELS.indexOf(minLevel)) return;
      try {
        sink({ level, category, message: redactSipText(message) + formatDetail(detail) });
      } catch {
        // A failing sink must never break SIP processing.
      }
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (sub) => createLogger(sink, `${category}.${sub}`, minLevel),
  };
}

const drop = (): void => undefined;

/** A logger that drops everything; the default when the embedder gives none. */
export const silentLogger: Logger = {
  debug: drop,
  info: drop,
  warn: drop,
  error: drop,
  child: () => silentLogger,
};
