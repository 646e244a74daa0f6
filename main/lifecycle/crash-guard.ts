import type { Logger } from '../log/logger';

/** The part of `process` the guard listens on (a fake in tests). */
export interface ProcessEvents {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  off(event: 'uncaughtException' | 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

/**
 * Log what would otherwise vanish or kill the process: an exception nobody caught, a promise
 * nobody awaited. Both shells install it first thing.
 *
 * [Note: The process keeps running]
 * Node's default for an uncaught exception is to exit, and Electron's is a raw dialog. The
 * work that matters is already safe on disk (every change commits with its event in one
 * SQLite transaction, fsynced), and one failed request or timer must not close the app, so the
 * guard logs the error — flushing the log file at once, in case the process dies anyway — and
 * lets the app go on. Answers a function that removes the handlers.
 */
export function installCrashGuard(proc: ProcessEvents, options: { log: Logger; flushSync?: () => void }): () => void {
  const onException = (error: unknown) => {
    options.log.error('uncaught exception', { error });
    options.flushSync?.();
  };
  const onRejection = (reason: unknown) => {
    options.log.error('unhandled promise rejection', { error: reason });
    options.flushSync?.();
  };
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}

/**
 * How often a crashed window is reloaded: a page that crashes on load would otherwise reload
 * forever, burning CPU. At most `max` reloads within `windowMs`; after that the window stays
 * as it is (the log says why) until the person reopens it.
 */
export class ReloadBudget {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #times: number[] = [];

  constructor(options: { max?: number; windowMs?: number; now?: () => number } = {}) {
    this.#max = options.max ?? 3;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** True (and counted) when one more reload is allowed now. */
  take(): boolean {
    const now = this.#now();
    this.#times = this.#times.filter((time) => now - time < this.#windowMs);
    if (this.#times.length >= this.#max) return false;
    this.#times.push(now);
    return true;
  }
}
