/**
 * How an action spreads its requests: bounded concurrency for per-photo endpoints, sequential
 * chunks for batch endpoints. Both stop launching new requests at the first failure that is not
 * about one item (server down, session expired, permission, 5xx): the rest is reported as not
 * attempted, never retried. See [Note: Partial failure] in action-service.ts.
 */

/** What happened to each item of a run. */
export interface RunOutcome<T> {
  /** Items the server accepted. */
  readonly done: T[];
  /** Items whose own request failed (with why). */
  readonly failed: Array<{ readonly item: T; readonly error: unknown }>;
  /** Items never sent because the run stopped. */
  readonly notAttempted: T[];
  /** The failure that stopped the run, if one did. */
  readonly stoppedBy: unknown;
}

/**
 * Run `fn` once per item with at most `concurrency` in flight.
 *
 * PhotoPrism has no batch like or batch PUT, so 5,000 favourites are 5,000 requests: bounded so
 * one big selection cannot open thousands of sockets or starve the library refresh. An error for
 * which `isItemError` is true (a 404 for one photo) fails only that item; any other stops the
 * run (requests already in flight still finish and count).
 */
export async function runEach<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
  isItemError: (error: unknown) => boolean,
): Promise<RunOutcome<T>> {
  const done: T[] = [];
  const failed: Array<{ item: T; error: unknown }> = [];
  let next = 0;
  let stopped = false;
  let stoppedBy: unknown;
  const worker = async (): Promise<void> => {
    while (!stopped && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
        done.push(item);
      } catch (error) {
        failed.push({ item, error });
        if (!isItemError(error) && !stopped) {
          stopped = true;
          stoppedBy = error;
        }
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker);
  await Promise.all(workers);
  return { done, failed, notAttempted: items.slice(next), stoppedBy };
}

/**
 * Run `fn` over `items` in chunks of `size`, one request at a time, stopping at the first
 * failure. A chunk whose request failed counts as not done: we cannot know whether the server
 * applied it, so the cache is left alone and the next refresh tells the truth.
 */
export async function runChunks<T>(items: readonly T[], size: number, fn: (chunk: readonly T[]) => Promise<void>): Promise<RunOutcome<T>> {
  const done: T[] = [];
  for (let i = 0; i < items.length; i += size) {
    const chunk = items.slice(i, i + size);
    try {
      await fn(chunk);
      done.push(...chunk);
    } catch (error) {
      return { done, failed: chunk.map((item) => ({ item, error })), notAttempted: items.slice(i + size), stoppedBy: error };
    }
  }
  return { done, failed: [], notAttempted: [], stoppedBy: undefined };
}

/** The items in order, without repeats. */
export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
