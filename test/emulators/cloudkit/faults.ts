/**
 * Fault injection: rules that make matching requests fail the way the live service fails (docs/cloudkit.md §5, docs/cloudkit.md §9.8).
 *
 * Probabilities draw from a seeded generator so a "flaky network" test replays identically.
 */
import type { Settings } from './context';
import { ckError, type CloudKitError } from './errors';
import type { FaultKind, FaultSpec } from './types';

interface FaultRule {
  id: string;
  operation: string;
  kind: FaultKind;
  remaining: number;
  probability: number;
  retryAfterSeconds: number;
}

/** What the server must do for a fault. */
export type FaultAction =
  | { type: 'error'; error: CloudKitError }
  | { type: 'drop' }
  | { type: 'drop-after-commit' }
  | { type: 'raw'; status: number; contentType: string; body: string };

/** Faults that hit before authentication (no token is consumed, no rotated token is sent). */
export const PRE_AUTH_FAULTS: ReadonlySet<FaultKind> = new Set(['drop-connection', 'auth-failed', 'auth-required']);

const DEFAULT_RETRY_AFTER_SECONDS = 3;

/** mulberry32: a tiny, good-enough seeded PRNG. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Holds the active fault rules and decides, per request, whether one fires. */
export class FaultInjector {
  #rules: FaultRule[] = [];
  #nextId = 1;
  readonly #random: () => number;

  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }

  add(spec: FaultSpec): string {
    const id = `fault-${this.#nextId++}`;
    this.#rules.push({
      id,
      operation: spec.operation ?? '*',
      kind: spec.kind,
      remaining: spec.times ?? Number.POSITIVE_INFINITY,
      probability: spec.probability ?? 1,
      retryAfterSeconds: spec.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
    });
    return id;
  }

  remove(id: string): void {
    this.#rules = this.#rules.filter((rule) => rule.id !== id);
  }

  clear(): void {
    this.#rules = [];
  }

  /**
   * The first rule for this operation that fires (and counts it), if any. `phase` separates faults
   * that act before authentication from the ones that answer after it.
   */
  take(operation: string, phase: 'pre-auth' | 'post-auth'): FaultRule | undefined {
    for (const rule of this.#rules) {
      if (rule.operation !== '*' && rule.operation !== operation) continue;
      if (PRE_AUTH_FAULTS.has(rule.kind) !== (phase === 'pre-auth')) continue;
      if (rule.remaining <= 0) continue;
      if (rule.probability < 1 && this.#random() >= rule.probability) continue;
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.remove(rule.id);
      return rule;
    }
    return undefined;
  }
}

/** What a fired rule does on the wire. */
export function faultAction(rule: Pick<FaultRule, 'kind' | 'retryAfterSeconds'>, settings: Settings): FaultAction {
  const retryAfter = settings.retryAfterUnit === 'seconds' ? rule.retryAfterSeconds : rule.retryAfterSeconds * 1000;
  switch (rule.kind) {
    case 'throttled':
      // TN3162's body carries error_code and messageForDeveloper as well (docs/cloudkit.md §3.8).
      return {
        type: 'error',
        error: ckError('THROTTLED', 'Database throttled, retry later', {
          retryAfter,
          error_code: 'THROTTLED',
          messageForDeveloper: 'Database throttled, retry later',
        }),
      };
    case 'try-again-later':
      return { type: 'error', error: ckError('TRY_AGAIN_LATER', 'Service temporarily unavailable, try again later', { retryAfter }) };
    case 'server-error':
      return { type: 'error', error: ckError('INTERNAL_ERROR', 'Internal server error') };
    case 'service-unavailable-html':
      // A 503 whose body is not JSON (CloudKit JS: SERVICE_UNAVAILABLE).
      return { type: 'raw', status: 503, contentType: 'text/html', body: '<html><body>Service Unavailable</body></html>' };
    case 'quota-exceeded':
      return { type: 'error', error: ckError('QUOTA_EXCEEDED', "The user's iCloud storage is full") };
    case 'auth-failed':
      return { type: 'error', error: ckError('AUTHENTICATION_FAILED', 'Authentication failed') };
    case 'auth-required':
      return { type: 'error', error: ckError('AUTHENTICATION_REQUIRED', 'request needs authorization') };
    case 'zone-not-found':
      return { type: 'error', error: ckError('ZONE_NOT_FOUND', 'Zone does not exist') };
    case 'bad-request':
      return { type: 'error', error: ckError('BAD_REQUEST', 'Bad request') };
    case 'drop-connection':
      return { type: 'drop' };
    case 'drop-after-commit':
      return { type: 'drop-after-commit' };
  }
}
