/**
 * Time as a seam: `now()` and a cancellable timer. The app's ONE clock: every service that waits
 * (reachability checks, refresh timers, socket reconnects, hint debouncing, the sync scheduler,
 * the offline queue's retries) takes a Clock, so tests drive them with a fake one and never sleep
 * or assert on wall time.
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
