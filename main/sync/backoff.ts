/**
 * How long to wait before the next attempt after a failure: a pure function, easy to test.
 *
 * Exponential with "equal jitter" (half fixed, half random) so devices that failed together do
 * not retry together, capped at `maxMs`. A server hint (`retryAfter` from CloudKit's THROTTLED
 * or TRY_AGAIN_LATER) is a floor: we never come back sooner than asked.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 15 * 60_000 };

export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number, retryAfterMs?: number): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 30));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  const delay = Math.round(Math.min(policy.maxMs, jittered));
  return retryAfterMs !== undefined ? Math.max(delay, retryAfterMs) : delay;
}
