import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelayMs } from '../../../main/platform/backoff';
import { SyncScheduler, type RunOutcome } from '../../../main/sync/scheduler';

/** A run whose outcome and duration the test controls. */
function scriptedRun(outcomes: RunOutcome[], durationMs = 0) {
  const signals: AbortSignal[] = [];
  const startedAt: number[] = [];
  const run = vi.fn(async (signal: AbortSignal) => {
    signals.push(signal);
    startedAt.push(Date.now());
    if (durationMs > 0) await new Promise((resolve) => setTimeout(resolve, durationMs));
    return outcomes.shift() ?? { kind: 'ok' as const };
  });
  return { run, signals, startedAt };
}

const T0 = 1_000_000;

describe('backoffDelayMs', () => {
  it('doubles per attempt with equal jitter, capped', () => {
    const policy = { baseMs: 1000, maxMs: 10_000 };
    expect(backoffDelayMs(1, policy, () => 0)).toBe(500);
    expect(backoffDelayMs(1, policy, () => 1)).toBe(1000);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(2000);
    expect(backoffDelayMs(3, policy, () => 1)).toBe(4000);
    expect(backoffDelayMs(20, policy, () => 1)).toBe(10_000);
  });

  it("never comes back sooner than the server's retryAfter", () => {
    expect(backoffDelayMs(1, { baseMs: 1000, maxMs: 10_000 }, () => 0, 30_000)).toBe(30_000);
  });
});

describe('SyncScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('runs at start, then on the periodic timer', async () => {
    const { run, startedAt } = scriptedRun([]);
    const scheduler = new SyncScheduler({ run, intervalMs: 60_000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(startedAt).toEqual([T0, T0 + 60_000]);
    scheduler.stop();
  });

  it('batches a burst of local changes: the first push waits the debounce, later changes share one more', async () => {
    const { run, startedAt } = scriptedRun([]);
    const scheduler = new SyncScheduler({ run, debounceMs: 500, intervalMs: 600_000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 10; i++) {
      scheduler.trigger('local-change');
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(1_000);
    // Ten changes over one second make two pushes, not ten: one 500 ms after the first change,
    // one for the changes that arrived after it ran.
    expect(startedAt).toEqual([T0, T0 + 500, T0 + 1_000]);
    scheduler.stop();
  });

  it('coalesces triggers during a run into exactly one follow-up run', async () => {
    const { run, startedAt } = scriptedRun([], 1_000);
    const scheduler = new SyncScheduler({ run, intervalMs: 600_000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(100);
    scheduler.trigger('courier');
    scheduler.trigger('manual');
    scheduler.trigger('focus');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(startedAt).toHaveLength(2);
    // The follow-up starts as soon as the first run ends (Node's setTimeout(0) may add 1 ms).
    expect((startedAt[1] as number) - T0).toBeGreaterThanOrEqual(1_000);
    expect((startedAt[1] as number) - T0).toBeLessThan(1_010);
    expect(scheduler.runCount).toBe(2);
    scheduler.stop();
  });

  it('backs off after a transient failure, honouring retryAfter, and ignores non-manual triggers meanwhile', async () => {
    const onBackoff = vi.fn();
    const { run, startedAt } = scriptedRun([{ kind: 'retry', reason: 'THROTTLED', retryAfterMs: 30_000 }]);
    const scheduler = new SyncScheduler({ run, random: () => 0, backoff: { baseMs: 2_000, maxMs: 60_000 }, onBackoff });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(onBackoff).toHaveBeenCalledWith(T0 + 30_000, 'THROTTLED', 1);
    scheduler.trigger('focus');
    scheduler.trigger('courier');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(1);
    // Even "Sync now" waits for the server's retryAfter.
    scheduler.trigger('manual');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(startedAt).toEqual([T0, T0 + 30_000]);
    scheduler.stop();
  });

  it('lets "Sync now" cut a plain backoff short', async () => {
    const { run, startedAt } = scriptedRun([{ kind: 'retry', reason: 'network' }]);
    const scheduler = new SyncScheduler({ run, random: () => 1, backoff: { baseMs: 60_000, maxMs: 600_000 } });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    scheduler.trigger('manual');
    await vi.advanceTimersByTimeAsync(0);
    expect(startedAt).toEqual([T0, T0 + 1_000]);
    scheduler.stop();
  });

  it('grows the delay with each failed attempt and resets after a success', async () => {
    const { startedAt, run } = scriptedRun([
      { kind: 'retry', reason: 'a' },
      { kind: 'retry', reason: 'b' },
      { kind: 'ok' },
      { kind: 'retry', reason: 'c' },
    ]);
    const scheduler = new SyncScheduler({ run, random: () => 1, backoff: { baseMs: 1_000, maxMs: 60_000 }, intervalMs: 10_000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(startedAt.map((t) => t - T0)).toEqual([0, 1_000, 3_000, 13_000, 14_000, 24_000]);
    scheduler.stop();
  });

  it('does not grow the wait for a dependency that answered part of the failed run (a passing failure, not an outage)', async () => {
    const { startedAt, run } = scriptedRun([
      { kind: 'retry', reason: 'a' },
      { kind: 'retry', reason: 'b' },
      { kind: 'retry', reason: 'c', progressed: true },
      { kind: 'retry', reason: 'd', progressed: true },
      { kind: 'retry', reason: 'e' },
    ]);
    const scheduler = new SyncScheduler({ run, random: () => 1, backoff: { baseMs: 1_000, maxMs: 60_000 }, intervalMs: 600_000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(30_000);
    const gaps = startedAt.slice(1).map((t, i) => t - (startedAt[i] as number));
    // 1 s, 2 s; then iCloud answered part of each run: back to the first step, and growing from there.
    expect(gaps).toEqual([1_000, 2_000, 1_000, 1_000, 2_000]);
    scheduler.stop();
  });

  it('keeps a backoff per dependency: a PhotoPrism outage does not lengthen the wait after an iCloud failure', async () => {
    const photoprismDown = Array.from({ length: 8 }, () => ({
      kind: 'retry' as const,
      reason: 'PhotoPrism down',
      dependency: 'photoprism' as const,
    }));
    const { run, startedAt } = scriptedRun([...photoprismDown, { kind: 'retry', reason: 'iCloud busy', dependency: 'icloud' }]);
    const scheduler = new SyncScheduler({ run, random: () => 1, backoff: { baseMs: 1_000, maxMs: 15 * 60_000 }, intervalMs: 60 * 60_000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(20 * 60_000);
    const gaps = startedAt.slice(1).map((t, i) => t - (startedAt[i] as number));
    // PhotoPrism's wait grows 1, 2, 4 … s; the first iCloud failure waits iCloud's first step (1 s).
    expect(gaps.slice(0, 8)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000]);
    expect(gaps[8]).toBe(1_000);
    scheduler.stop();
  });

  it('lets a local change or the network coming back cut a backoff short (never below retryAfter)', async () => {
    const { run, startedAt } = scriptedRun([
      { kind: 'retry', reason: 'PhotoPrism down', dependency: 'photoprism' },
      { kind: 'retry', reason: 'offline', dependency: 'icloud' },
      { kind: 'retry', reason: 'THROTTLED', retryAfterMs: 30_000 },
    ]);
    const scheduler = new SyncScheduler({ run, random: () => 1, debounceMs: 500, backoff: { baseMs: 600_000, maxMs: 900_000 } });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    scheduler.trigger('local-change');
    await vi.advanceTimersByTimeAsync(500);
    expect(startedAt.map((t) => t - T0)).toEqual([0, 1_500]);
    await vi.advanceTimersByTimeAsync(1_000);
    scheduler.trigger('network');
    await vi.advanceTimersByTimeAsync(0);
    expect(startedAt.map((t) => t - T0)).toEqual([0, 1_500, 2_500]);
    // A server's retryAfter still holds.
    scheduler.trigger('local-change');
    await vi.advanceTimersByTimeAsync(29_000);
    expect(startedAt).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(startedAt.map((t) => t - T0)).toEqual([0, 1_500, 2_500, 32_500]);
    scheduler.stop();
  });

  it('after a halt (needs the user) waits for a trigger instead of polling', async () => {
    const { run } = scriptedRun([{ kind: 'halt' }]);
    const scheduler = new SyncScheduler({ run, intervalMs: 1_000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(1);
    scheduler.trigger('manual');
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(2);
    scheduler.stop();
  });

  it('polls less often while the window is hidden', async () => {
    const { startedAt, run } = scriptedRun([]);
    const scheduler = new SyncScheduler({ run, intervalMs: 1_000, hiddenIntervalMs: 10_000 });
    scheduler.setVisible(false);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(startedAt.map((t) => t - T0)).toEqual([0, 10_000, 20_000]);
    scheduler.stop();
  });

  it('stop() aborts the running run and nothing runs afterwards', async () => {
    const { run, signals } = scriptedRun([], 10_000);
    const scheduler = new SyncScheduler({ run, intervalMs: 1_000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(100);
    scheduler.stop();
    expect(signals[0]?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('survives a run that throws, treating it as a transient failure', async () => {
    let calls = 0;
    const scheduler = new SyncScheduler({
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('bug');
        return { kind: 'ok' };
      },
      random: () => 0,
      backoff: { baseMs: 1_000, maxMs: 10_000 },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(2);
    scheduler.stop();
  });
});
