/**
 * A small scoped logger that redacts secrets before anything is written.
 *
 * [Note: Secrets never in logs]
 * Tokens travel in headers (X-Auth-Token, X-Session-ID, Authorization), in CloudKit query
 * strings (ckWebAuthToken, ckAPIToken) and in thumbnail URLs (the preview token is a path
 * segment). The logger never prints a URL's query string and masks any field whose name looks
 * like a secret, so a careless `log.info('x', {headers})` cannot leak one.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

export type LogSink = (line: string) => void;

/** Standard error, the default sink (the shells add the log file: main/log/file-sink.ts). */
export const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRET_KEY = /token|secret|password|passwd|session|authorization|cookie|credential|apikey|api_key/i;

/** Mask secrets in a value about to be logged. Exported for its tests. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 4) return '[…]';
  if (value instanceof Error) {
    // The stack's first line repeats the message, so it is redacted like any other text.
    const stack = value.stack?.split('\n').slice(0, 6).join('\n');
    return { name: value.name, message: redactText(value.message), ...(stack ? { stack: redactText(stack) } : {}) };
  }
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.slice(0, 20).map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}

/** Strip query strings from URLs and mask bearer-like strings inside free text. */
export function redactText(text: string): string {
  return text
    .replace(/(https?|wss?):\/\/([^\s?#"']+)\?[^\s"']*/g, '$1://$2?[query redacted]')
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]');
}

export function createLogger(scope: string, options: { level?: LogLevel; sink?: LogSink } = {}): Logger {
  const minLevel = LEVEL_ORDER[options.level ?? 'info'];
  const sink: LogSink = options.sink ?? stderrSink;
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LEVEL_ORDER[level] < minLevel) return;
    const extra = fields ? ` ${JSON.stringify(redact(fields))}` : '';
    sink(`${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${redactText(message)}${extra}`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (child) => createLogger(`${scope}:${child}`, options),
  };
}

/** A logger that keeps lines in memory: for tests that assert what was (not) logged. */
export function createMemoryLogger(scope = 'test'): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger(scope, { level: 'debug', sink: (line) => lines.push(line) });
  return Object.assign(logger, { lines });
}
