/**
 * A small scoped logger that redacts secrets before anything is written.
 *
 * [Note: Secrets never in logs]
 * Every message and every field goes through redact()/redactText() (main/log/redact.ts, which
 * lists the token shapes it masks) before the sink sees the line, so a careless
 * `log.info('x', {headers})` or a logged error carrying a URL cannot leak one.
 */
import { redact, redactText } from './redact';

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

// Redaction lives in one pure function (main/log/redact.ts); re-exported for existing callers.
export { redact, redactText } from './redact';

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
