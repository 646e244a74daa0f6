import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installCrashGuard, ReloadBudget } from '../../../main/lifecycle/crash-guard';
import { createMemoryLogger } from '../../../main/log/logger';

describe('installCrashGuard (see [Note: The process keeps running])', () => {
  it('logs an uncaught exception and an unhandled rejection, flushing the log file each time', () => {
    const proc = new EventEmitter();
    const log = createMemoryLogger();
    let flushes = 0;
    const remove = installCrashGuard(proc, { log, flushSync: () => (flushes += 1) });
    proc.emit('uncaughtException', new Error('boom in a timer'));
    proc.emit('unhandledRejection', new Error('nobody awaited me'));
    expect(log.lines.filter((line) => line.includes('ERROR'))).toHaveLength(2);
    expect(log.lines.join('\n')).toContain('boom in a timer');
    expect(log.lines.join('\n')).toContain('nobody awaited me');
    expect(flushes).toBe(2);
    remove();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
    expect(proc.listenerCount('unhandledRejection')).toBe(0);
  });
});

describe('ReloadBudget', () => {
  it('allows a few reloads, then refuses until the window of time has passed', () => {
    let now = 0;
    const budget = new ReloadBudget({ max: 3, windowMs: 60_000, now: () => now });
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([true, true, true, false]);
    now = 59_999;
    expect(budget.take()).toBe(false);
    now = 60_000;
    expect(budget.take()).toBe(true);
  });
});
