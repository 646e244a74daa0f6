import type { Clock } from './clock';

/**
 * [Note: Background work yields to what is on screen]
 * The first index of a big library pulls pages of 1,000 photos for many seconds, over the same
 * connections and the same event loop that bring the visible tiles' thumbnails and the grid's
 * live pages. Foreground requests run through `run`, which counts them; background work awaits
 * `idle()` before each of its requests, which waits while any foreground request is in flight.
 * The wait is bounded (`maxWaitMs` each time), so a screen that keeps asking (a long fling)
 * slows the index down but never stops it.
 */
export class ForegroundWork {
  readonly #clock: Clock;
  readonly #maxWaitMs: number;
  #inFlight = 0;
  #waiters: (() => void)[] = [];

  constructor(options: { clock: Clock; maxWaitMs?: number }) {
    this.#clock = options.clock;
    this.#maxWaitMs = options.maxWaitMs ?? 500;
  }

  /** Requests in flight for the screen. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Run a request for the screen; background work waits for it. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await fn();
    } finally {
      this.#inFlight--;
      if (this.#inFlight === 0) this.#wake();
    }
  }

  /** Resolves once no foreground request is in flight, or after `maxWaitMs`, whichever comes first. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let cancelTimer = (): void => undefined;
      const done = () => {
        cancelTimer();
        this.#waiters = this.#waiters.filter((w) => w !== done);
        resolve();
      };
      this.#waiters.push(done);
      cancelTimer = this.#clock.setTimeout(done, this.#maxWaitMs);
    });
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
