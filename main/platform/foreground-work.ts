import type { Clock } from './clock';

/**
 * [Note: Background work yields to what is on screen]
 * The first index of a big library pulls pages of 1,000 photos for many seconds, over the same
 * connections, the same event loop and the same server that bring the visible tiles' thumbnails
 * and the grid's live pages; a server busy building a big page answers the thumbnails after it.
 * Foreground requests run through `run`, which counts them; background work awaits `idle()`
 * before each of its requests, which waits until no foreground request has been in flight for
 * `quietMs` (the grid asks for thumbnails in bursts as tiles appear: a gap within a burst must
 * not let a big page in). The wait is bounded (`maxWaitMs` each time), so a screen that keeps
 * asking (a long fling) slows the index down but never stops it. The browse pages' lists fetched
 * ahead (the sidebar's counts, a page's first items; main/library/browse-service.ts) wait the same way.
 */
export class ForegroundWork {
  readonly #clock: Clock;
  readonly #quietMs: number;
  readonly #maxWaitMs: number;
  #inFlight = 0;
  /** When the last foreground request ended (clock ms), or -Infinity. */
  #lastEndedAt = Number.NEGATIVE_INFINITY;

  constructor(options: { clock: Clock; quietMs?: number; maxWaitMs?: number }) {
    this.#clock = options.clock;
    this.#quietMs = options.quietMs ?? 250;
    this.#maxWaitMs = options.maxWaitMs ?? 2000;
  }

  /** Requests in flight for the screen. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** No foreground request in flight, nor one ended within `quietMs`: background work would go on at once. */
  get quiet(): boolean {
    return this.#isQuiet();
  }

  /** Run a request for the screen; background work waits for it. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await fn();
    } finally {
      this.#inFlight--;
      this.#lastEndedAt = this.#clock.now();
    }
  }

  /**
   * Count as a request for the screen until the answered function is called or `maxMs` passed,
   * whichever comes first (calling it again does nothing): for screen work that is more than one
   * request, such as the first screen's thumbnails from their fetch until the grid has them all.
   */
  hold(maxMs: number): () => void {
    this.#inFlight++;
    let held = true;
    let cancelTimer: () => void = () => undefined;
    const release = () => {
      if (!held) return;
      held = false;
      cancelTimer();
      this.#inFlight--;
      this.#lastEndedAt = this.#clock.now();
    };
    cancelTimer = this.#clock.setTimeout(release, maxMs);
    return release;
  }

  /**
   * Resolves once no foreground request has been in flight for `quietMs`, or after `maxWaitMs`,
   * whichever comes first. Polls on the clock (every `quietMs`), so a fake clock drives it in tests.
   * A job that nothing waits for and that would stall the screen may wait longer (`maxWaitMs`).
   */
  idle(maxWaitMs = this.#maxWaitMs): Promise<void> {
    if (this.#isQuiet()) return Promise.resolve();
    const giveUpAt = this.#clock.now() + maxWaitMs;
    return new Promise<void>((resolve) => {
      const check = () => {
        if (this.#isQuiet() || this.#clock.now() >= giveUpAt) resolve();
        else this.#clock.setTimeout(check, Math.min(this.#quietMs, Math.max(1, giveUpAt - this.#clock.now())));
      };
      check();
    });
  }

  #isQuiet(): boolean {
    return this.#inFlight === 0 && this.#clock.now() - this.#lastEndedAt >= this.#quietMs;
  }
}
