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

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Header names whose values carry credentials (the digest response is a password oracle). */
const SECRET_HEADERS = /^(authorization|proxy-authorization)[ \t]*:/i;

/**
 * Masks credential-bearing header values in a SIP message text or a single header line, keeping
 * the scheme and the username so a trace still tells who authenticated.
 */
export function redactSipText(text: string): string {
  if (!/authorization/i.test(text)) return text;
  const lines = text.split(/(\r?\n)/);
  let inHeaders = true;
  for (let i = 0; i < lines.length; i += 2) {
    const line = lines[i] ?? '';
    if (line === '') inHeaders = false;
    if (!inHeaders) break;
    if (SECRET_HEADERS.test(line)) {
      const colon = line.indexOf(':');
      const value = line.slice(colon + 1);
      const username = /username="([^"\\]*)"/i.exec(value)?.[1];
      const scheme = /^\s*([A-Za-z-]+)/.exec(value)?.[1] ?? '';
      lines[i] =
        `${line.slice(0, colon)}: ${scheme} ${username !== undefined ? `username="${username}", ` : ''}[redacted]`;
    }
  }
  return lines.join('');
}

function formatDetail(detail: Record<string, unknown> | undefined): string {
  if (!detail) return '';
  let out = '';
  for (const [key, value] of Object.entries(detail)) {
    if (/pass(word)?|secret|ha1|credential/i.test(key)) {
      out += ` [${key}:***]`;
      continue;
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    out += ` [${key}:${redactSipText(String(text))}]`;
  }
  return out;
}

export function createLogger(sink: LogSink, category = 'ringlet', minLevel: LogLevel = 'info'): Logger {
  const log = (level: LogLevel, message: string, detail?: Record<string, unknown>): void => {
    if (LEVELS[level] < LEVELS[minLevel]) return;
    try {
      sink({ level, category, message: redactSipText(message) + formatDetail(detail) });
    } catch {
      // A failing sink must never break SIP processing.
    }
  };
  return {
    debug: (m, d) => log('debug', m, d),
    info: (m, d) => log('info', m, d),
    warn: (m, d) => log('warn', m, d),
    error: (m, d) => log('error', m, d),
    child: (sub) => createLogger(sink, `${category}.${sub}`, minLevel),
  };
}

/** A logger that drops everything; the default when the embedder gives none. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
