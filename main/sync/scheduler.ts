import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from '../platform/backoff';
import { systemClock, type Clock } from '../platform/clock';

/** Why a sync run was asked for. Bursts of any mix coalesce into one run. */
export type SyncTrigger = 'local-change' | 'courier' | 'timer' | 'network' | 'wake' | 'focus' | 'manual' | 'start';

/** What a run tells the scheduler to do next. */
export type RunOutcome =
  /** Done: come back on the periodic timer. */
  | { readonly kind: 'ok' }
  /**
   * Transient failure: back off (at least `retryAfterMs` when the server said so). `dependency`
   * names what failed (default iCloud): each has its own backoff ([Note: A backoff per dependency]).
   */
  | {
      readonly kind: 'retry';
      readonly retryAfterMs?: number;
      readonly reason: string;
      readonly dependency?: SyncDependency;
      /**
       * The dependency answered part of this run before it failed: the failure does not add to
       * its backoff ([Note: A backoff per dependency]).
       */
      readonly progressed?: boolean;
    }
  /** Needs the user (sign in, quota, zone deleted): wait for an explicit trigger, no timer. */
  | { readonly kind: 'halt' };

/** What a run depends on, each with its own backoff. */
export type SyncDependency = 'icloud' | 'photoprism';

/** Triggers that may cut a backoff short ([Note: A backoff per dependency]). */
const CUTS_BACKOFF: ReadonlySet<SyncTrigger> = new Set(['manual', 'local-change', 'network']);

export interface SchedulerOptions {
  /** One sync run. Must honour the signal (stop() aborts it). */
  readonly run: (signal: AbortSignal) => Promise<RunOutcome>;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly backoff?: BackoffPolicy;
  /** Quiet period after a local change, so a burst of keypresses makes one push. */
  readonly debounceMs?: number;
  /** Periodic pull while the window is visible / hidden (the courier makes most runs unneeded). */
  readonly intervalMs?: number;
  readonly hiddenIntervalMs?: number;
  /** Told when the scheduler starts waiting out a backoff (for the published state). */
  readonly onBackoff?: (until: number, reason: string, attempt: number) => void;
}

/**
 * Decides WHEN the sync engine runs; the engine decides WHAT a run does.
 *
 * [Note: One run at a time]
 *   - `trigger()` is idempotent: while a run is scheduled or going, more triggers coalesce.
 *     A trigger that arrives during a run schedules exactly one follow-up run (the change it
 *     signals may have missed the running one).
 *   - A local change waits `debounceMs`; everything else runs at once — unless a backoff is
 *     in force, which only "Sync now", a local change and the network coming back may cut
 *     short, and never below a server's retryAfter.
 *
 * [Note: A backoff per dependency]
 * A run needs iCloud (push, pull) and PhotoPrism (replay). Each keeps its own attempt count, so a
 * long PhotoPrism outage does not stretch the wait after an iCloud failure, and a run whose
 * replay failed has reached iCloud (its count starts over). A local change cuts any wait: it only
 * needs iCloud, and the person just did something; "network back" means the failed dependency
 * may answer again.
 *   - After success the periodic timer is armed (slower when the window is hidden); after a
 *     transient failure the next run waits backoffDelayMs(attempt); after a halt nothing is
 *     armed until a trigger.
 *   - stop() aborts the running run through its AbortSignal and clears every timer.
 */
export class SyncScheduler {
  readonly #options: SchedulerOptions;
  readonly #clock: Clock;
  readonly #random: () => number;
  /** Cancels the armed timer. */
  #timer: (() => void) | undefined;
  /** When the armed timer fires (epoch ms), or undefined. */
  #timerAt: number | undefined;
  #running: AbortController | undefined;
  #rerun = false;
  #stopped = true;
  readonly #attempts: Record<SyncDependency, number> = { icloud: 0, photoprism: 0 };
  /** A server-imposed floor for the next run (epoch ms). */
  #notBefore = 0;
  #backingOff = false;
  #visible = true;
  #runs = 0;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
  }

  /** Runs started so far (tests, diagnostics). */
  get runCount(): number {
    return this.#runs;
  }

  get isRunning(): boolean {
    return this.#running !== undefined;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.trigger('start');
  }

  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
    this.#running?.abort();
  }

  /** Window shown/hidden: hidden windows poll less often. */
  setVisible(visible: boolean): void {
    this.#visible = visible;
  }

  trigger(reason: SyncTrigger): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#rerun = true;
      return;
    }
    const now = this.#clock.now();
    let delay = reason === 'local-change' ? (this.#options.debounceMs ?? 1_000) : 0;
    if (this.#backingOff && !CUTS_BACKOFF.has(reason)) {
      // Keep waiting out the backoff; the armed timer will run.
      return;
    }
    delay = Math.max(delay, this.#notBefore - now);
    // Coalesce: keep an earlier armed run rather than pushing it later.
    if (this.#timerAt !== undefined && this.#timerAt <= now + delay) return;
    this.#arm(delay);
  }

  #arm(delayMs: number): void {
    this.#clearTimer();
    const at = this.#clock.now() + Math.max(0, delayMs);
    this.#timerAt = at;
    this.#timer = this.#clock.setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = undefined;
        void this.#runOnce();
      },
      Math.max(0, delayMs),
    );
  }

  #clearTimer(): void {
    this.#timer?.();
    this.#timer = undefined;
    this.#timerAt = undefined;
  }

  async #runOnce(): Promise<void> {
    if (this.#stopped || this.#running) return;
    const controller = new AbortController();
    this.#running = controller;
    this.#rerun = false;
    this.#backingOff = false;
    this.#runs++;
    let outcome: RunOutcome;
    try {
      outcome = await this.#options.run(controller.signal);
    } catch (error) {
      // A run must never kill the loop: an unexpected throw is a transient failure.
      outcome = { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
    } finally {
      this.#running = undefined;
    }
    if (this.#stopped) return;

    switch (outcome.kind) {
      case 'ok': {
        this.#attempts.icloud = 0;
        this.#attempts.photoprism = 0;
        this.#notBefore = 0;
        if (this.#rerun) this.#arm(0);
        else this.#arm(this.#visible ? (this.#options.intervalMs ?? 5 * 60_000) : (this.#options.hiddenIntervalMs ?? 30 * 60_000));
        return;
      }
      case 'retry': {
        const dependency = outcome.dependency ?? 'icloud';
        // Replay runs after push and pull: a PhotoPrism failure means iCloud answered.
        if (dependency === 'photoprism') this.#attempts.icloud = 0;
        // Failures count only while the dependency answers nothing: one that answered part of the
        // run is up, so a passing failure (iCloud failing one request in three) waits the first step.
        if (outcome.progressed) this.#attempts[dependency] = 0;
        const attempt = ++this.#attempts[dependency];
        // PhotoPrism's own reachability checks notice it is back (every few seconds), and its coming
        // online cuts this wait ('network'): a run costs iCloud requests, so it does not poll faster.
        const delay = backoffDelayMs(attempt, this.#options.backoff ?? DEFAULT_BACKOFF, this.#random, outcome.retryAfterMs);
        const until = this.#clock.now() + delay;
        this.#notBefore = outcome.retryAfterMs !== undefined ? this.#clock.now() + outcome.retryAfterMs : 0;
        this.#backingOff = true;
        this.#options.onBackoff?.(until, outcome.reason, attempt);
        this.#arm(delay);
        return;
      }
      case 'halt': {
        this.#attempts.icloud = 0;
        this.#attempts.photoprism = 0;
        if (this.#rerun) this.#arm(0);
        return;
      }
    }
  }
}
