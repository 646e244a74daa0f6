/**
 * Time as a seam: `now()` and a cancellable timer.
 *
 * Services that wait (reachability backoff, refresh timers, socket reconnects, hint debouncing)
 * take a Clock, so tests drive them with a fake one and never sleep or assert on wall time.
 */
export interface Clock {
  now(): number;
  /** Run `callback` after `delayMs`; answers a function that cancels it. */
  setTimeout(callback: () => void, delayMs: number): () => void;
}

/** The real clock. Timers are unref'd: a pending refresh must not keep a CLI process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => {
    const handle = setTimeout(callback, delayMs);
    handle.unref();
    return () => clearTimeout(handle);
  },
};

/**
 * Exponential backoff without jitter: `initialMs · 2^attempt`, capped.
 *
 * One desktop client talking to its own server has no herd to spread, so no jitter; the cap
 * keeps a long outage from turning into hour-long waits after the server is back.
 */
export function backoffDelayMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}
