import { SeededRandom } from './util';

/**
 * Fault injection for the API: added latency, a rate of 500 errors with PhotoPrism's error
 * envelope, "down" (handled by the server, which closes its listener), and lost answers: a
 * change the server made whose response never arrives. The error rate uses its own seeded
 * generator so a given seed fails the same requests every run.
 */

/** What `setFault` accepts. Omitted keys keep their current value. */
export interface FaultSettings {
  latencyMs?: number;
  errorRate?: number;
  down?: boolean;
  /**
   * The next N changing API requests (POST/PUT/DELETE, sign-in excluded) are handled in full —
   * the change is saved — and then the connection is dropped instead of the answer being sent.
   * That is what a client sees when a proxy times out or the link fails after the request
   * arrived: PhotoPrism saves first and answers last (internal/api/reactions.go, LikePhoto:
   * `m.SetFavorite(true)` … then `c.JSON(http.StatusOK, …)`; the batch and album handlers do
   * the same), so a lost answer does not mean a lost change.
   */
  dropResponsesAfterApply?: number;
}

/** The current latency and error-rate settings. */
export class Faults {
  latencyMs = 0;
  errorRate = 0;
  /** How many more changing requests get applied and then lose their answer. */
  dropResponsesAfterApply = 0;
  readonly #rng: SeededRandom;

  constructor(seed: number) {
    this.#rng = new SeededRandom(seed ^ 0x5eed);
  }

  /** Applies the latency/error parts of a setting. */
  apply(settings: FaultSettings): void {
    if (settings.latencyMs !== undefined) this.latencyMs = Math.max(0, settings.latencyMs);
    if (settings.errorRate !== undefined) this.errorRate = Math.min(1, Math.max(0, settings.errorRate));
    if (settings.dropResponsesAfterApply !== undefined)
      this.dropResponsesAfterApply = Math.max(0, Math.floor(settings.dropResponsesAfterApply));
  }

  /** True if this request's answer should be dropped after it is handled (and counts it). */
  takeDroppedResponse(method: string, path: string): boolean {
    if (this.dropResponsesAfterApply <= 0 || method === 'GET' || method === 'HEAD' || path === '/api/v1/session') return false;
    this.dropResponsesAfterApply--;
    return true;
  }

  /** True if this request should fail with a 500. */
  shouldFail(): boolean {
    return this.errorRate > 0 && this.#rng.next() < this.errorRate;
  }

  /** The body of an injected failure: the i18n envelope of a 500 (docs/photoprism-api.md §7.2). */
  static readonly ERROR_BODY = { code: 500, error: 'Something went wrong, try again' } as const;
}
