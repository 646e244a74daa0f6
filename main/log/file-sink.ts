import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface RotatingFileSinkOptions {
  /** The folder: `~/Library/Logs/Photoflare` in the Mac app (app.getPath('logs')), the profile folder in the web shell. */
  readonly dir: string;
  readonly fileName?: string;
  /** Rotate when the current file would pass this many bytes (default 5 MiB). */
  readonly maxBytes?: number;
  /** Files kept in all, the current one included (default 3: photoflare.log, .1, .2). */
  readonly files?: number;
  /** Lines kept in memory for diagnostics (default 500). */
  readonly recentLines?: number;
  /** Bytes waiting for the disk before new lines are dropped (a stalled disk must not eat memory). */
  readonly maxQueuedBytes?: number;
}

export const LOG_FILE_NAME = 'photoflare.log';

/**
 * The log file of a profile: `photoflare.log` for the default one, `photoflare-NAME.log` for
 * others, so two profiles running side by side (two "devices") never interleave in one file.
 */
export function logFileName(profile: string): string {
  return profile === 'default' ? LOG_FILE_NAME : `photoflare-${profile}.log`;
}
const MIB = 1024 * 1024;

/**
 * The log on disk: one file, size-bounded, rotated (photoflare.log → .1 → .2, the oldest
 * dropped), so messages that say "details are in the log" point somewhere real.
 *
 * [Note: Logging never hurts the app]
 * `write()` only queues the line (already formatted and redacted by the logger: this sink is
 * the seam, it never sees fields) and returns; one asynchronous append at a time drains the
 * queue, so the event loop never waits for the disk. Nothing here throws: a failing disk is
 * remembered in `lastError()` (diagnostics shows it) and lines are dropped and counted, never
 * allowed to crash or stall the process. `flushSync()` is for the last words before exit.
 */
export class RotatingFileSink {
  readonly path: string;
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #files: number;
  readonly #recentMax: number;
  readonly #maxQueued: number;
  readonly #recent: string[] = [];
  #queue: string[] = [];
  #queuedBytes = 0;
  #size: number;
  #draining: Promise<void> | undefined;
  #dropped = 0;
  #lastError: string | undefined;

  constructor(options: RotatingFileSinkOptions) {
    this.#dir = options.dir;
    this.path = join(options.dir, options.fileName ?? LOG_FILE_NAME);
    this.#maxBytes = options.maxBytes ?? 5 * MIB;
    this.#files = Math.max(1, options.files ?? 3);
    this.#recentMax = options.recentLines ?? 500;
    this.#maxQueued = options.maxQueuedBytes ?? 4 * MIB;
    this.#size = this.#currentSize();
  }

  /** Queue one line (no newline). Never throws, never waits. */
  readonly write = (line: string): void => {
    this.#recent.push(line);
    if (this.#recent.length > this.#recentMax) this.#recent.splice(0, this.#recent.length - this.#recentMax);
    const bytes = Buffer.byteLength(line) + 1;
    if (this.#queuedBytes + bytes > this.#maxQueued) {
      this.#dropped += 1;
      return;
    }
    this.#queue.push(line);
    this.#queuedBytes += bytes;
    // Start draining on the next turn of the event loop: the lines of this turn go as one batch.
    this.#draining ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#drain())
      .finally(() => (this.#draining = undefined));
  };

  /** The last lines written, oldest first (for diagnostics). */
  recentLines(): string[] {
    return [...this.#recent];
  }

  /** Why the last write failed, if it did; lines dropped because the disk could not keep up. */
  health(): { lastError: string | undefined; droppedLines: number } {
    return { lastError: this.#lastError, droppedLines: this.#dropped };
  }

  /** Resolves once everything queued so far is on disk (or failed). */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  /**
   * Write what is queued now, synchronously: for an uncaught exception just before exit. A
   * batch the drain is already appending may land after these lines.
   */
  flushSync(): void {
    const batch = this.#take();
    if (batch === '') return;
    try {
      this.#rotateIfNeeded(Buffer.byteLength(batch));
      appendFileSync(this.path, batch, { mode: 0o600 });
      this.#size += Buffer.byteLength(batch);
    } catch (error) {
      this.#fail(error);
    }
  }

  async #drain(): Promise<void> {
    for (;;) {
      const batch = this.#take();
      if (batch === '') return;
      try {
        this.#rotateIfNeeded(Buffer.byteLength(batch));
        await appendFile(this.path, batch, { mode: 0o600 });
        this.#size += Buffer.byteLength(batch);
        this.#lastError = undefined;
      } catch (error) {
        this.#fail(error);
      }
    }
  }

  #take(): string {
    if (this.#queue.length === 0) return '';
    const batch = `${this.#queue.join('\n')}\n`;
    this.#queue = [];
    this.#queuedBytes = 0;
    return batch;
  }

  /** Shift the files when this batch would pass the bound (renames only: quick, and rare). */
  #rotateIfNeeded(incoming: number): void {
    if (this.#size === 0) mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    if (this.#size + incoming <= this.#maxBytes || this.#size === 0) return;
    rmSync(`${this.path}.${this.#files - 1}`, { force: true });
    for (let n = this.#files - 2; n >= 1; n -= 1) {
      try {
        renameSync(`${this.path}.${n}`, `${this.path}.${n + 1}`);
      } catch {
        // That generation does not exist yet.
      }
    }
    if (this.#files > 1) renameSync(this.path, `${this.path}.1`);
    else rmSync(this.path, { force: true });
    this.#size = 0;
  }

  #currentSize(): number {
    try {
      return statSync(this.path).size;
    } catch {
      return 0;
    }
  }

  #fail(error: unknown): void {
    this.#lastError = error instanceof Error ? error.message : String(error);
    // The file may be gone or replaced: measure again next time rather than trust the count.
    this.#size = this.#currentSize();
  }
}

/** Send each line to every sink (stderr and the file); one failing sink does not stop the rest. */
export function teeSink(...sinks: ((line: string) => void)[]): (line: string) => void {
  return (line) => {
    for (const sink of sinks) {
      try {
        sink(line);
      } catch {
        // A closed stderr (a detached app) must not break logging to the file.
      }
    }
  };
}
