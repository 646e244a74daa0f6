/**
 * The app's ONE backoff: how long to wait before the next attempt after `attempt` failures in a
 * row (1 = the first failure). A pure function, easy to test; each caller keeps its own count
 * and picks a policy below.
 *
 * Exponential, capped at `maxMs`. With `jitter: 'equal'` (half fixed, half random) devices that
 * failed together do not retry together — for iCloud, shared by every device of an account.
 * Without jitter for PhotoPrism: one desktop client talking to its own server has no herd to
 * spread. A server hint (`retryAfterMs`, from CloudKit's THROTTLED or TRY_AGAIN_LATER) is a
 * floor: we never come back sooner than asked.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** Default 'equal'. */
  readonly jitter?: 'equal' | 'none';
}

/** iCloud: Apple asks clients to back off; the cap keeps a long outage from costing requests. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 15 * 60_000 };

/**
 * The person's own PhotoPrism server: checking whether it is back costs one unauthenticated
 * `GET /api/v1/status` (no sign-in limiter, docs/photoprism-api.md §1.5), and waiting longer only
 * delays the person's changes. So the cap is short: a server back from an outage is noticed within
 * seconds (issue 12: every device settles within 10 s of the faults ending).
 */
export const PHOTOPRISM_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 8_000, jitter: 'none' };

export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number, retryAfterMs?: number): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 30));
  const jittered = policy.jitter === 'none' ? ceiling : ceiling / 2 + random() * (ceiling / 2);
  const delay = Math.round(Math.min(policy.maxMs, jittered));
  return retryAfterMs !== undefined ? Math.max(delay, retryAfterMs) : delay;
}
