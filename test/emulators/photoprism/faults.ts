import { SeededRandom } from './util';

/**
 * Fault injection for the API: added latency, a rate of 500 errors with PhotoPrism's error
 * envelope, and "down" (handled by the server, which closes its listener). The error rate uses
 * its own seeded generator so a given seed fails the same requests every run.
 */

/** What `setFault` accepts. Omitted keys keep their current value. */
export interface FaultSettings {
  latencyMs?: number;
  errorRate?: number;
  down?: boolean;
}

/** The current latency and error-rate settings. */
export class Faults {
  latencyMs = 0;
  errorRate = 0;
  readonly #rng: SeededRandom;

  constructor(seed: number) {
    this.#rng = new SeededRandom(seed ^ 0x5eed);
  }

  /** Applies the latency/error parts of a setting. */
  apply(settings: FaultSettings): void {
    if (settings.latencyMs !== undefined) this.latencyMs = Math.max(0, settings.latencyMs);
    if (settings.errorRate !== undefined) this.errorRate = Math.min(1, Math.max(0, settings.errorRate));
  }

  /** True if this request should fail with a 500. */
  shouldFail(): boolean {
    return this.errorRate > 0 && this.#rng.next() < this.errorRate;
  }

  /** The body of an injected failure: the i18n envelope of a 500 (spec §7.2). */
  static readonly ERROR_BODY = { code: 500, error: 'Something went wrong, try again' } as const;
}
