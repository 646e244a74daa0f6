import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../../main/platform/serial-queue';

/** A promise the test settles by hand, so the order of events is the test's, not the clock's. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SerialQueue', () => {
  it('runs one task at a time, in the order queued', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const first = deferred();
    const a = queue.run(async () => {
      log.push('a starts');
      await first.promise;
      log.push('a ends');
      return 'a';
    });
    const b = queue.run(() => {
      log.push('b runs');
      return 'b';
    });
    await Promise.resolve();
    expect(log).toEqual(['a starts']);
    first.resolve();
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(log).toEqual(['a starts', 'a ends', 'b runs']);
  });

  it('a failing task fails its caller only: the tasks behind it still run', async () => {
    const queue = new SerialQueue();
    const failing = queue.run(() => Promise.reject(new Error('server down')));
    const next = queue.run(() => 'still ran');
    await expect(failing).rejects.toThrow('server down');
    expect(await next).toBe('still ran');
  });

  it('idle() waits for everything queued so far, and never rejects', async () => {
    const queue = new SerialQueue();
    const gate = deferred();
    let done = false;
    void queue.run(() => gate.promise.then(() => (done = true)));
    void queue.run(() => Promise.reject(new Error('refused'))).catch(() => undefined);
    const idle = queue.idle();
    gate.resolve();
    await idle;
    expect(done).toBe(true);
  });
});
