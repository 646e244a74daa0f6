import { describe, expect, it } from 'vitest';
import { ForegroundWork } from '../../../main/platform/foreground-work';
import { FakeClock } from '../library/helpers';

/** A promise a test settles by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Whether a promise has settled after pending microtasks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
}

describe('ForegroundWork: background work yields to requests for the screen', () => {
  it('lets background work through at once when nothing has been on its way to the screen', async () => {
    const work = new ForegroundWork({ clock: new FakeClock() });
    expect(await settled(work.idle())).toBe(true);
  });

  it('holds background work while a foreground request is in flight, and a quiet moment after the last one ends', async () => {
    const clock = new FakeClock();
    const work = new ForegroundWork({ clock, quietMs: 250, maxWaitMs: 2000 });
    const a = deferred();
    const b = deferred();
    const first = work.run(() => a.promise);
    const second = work.run(() => b.promise);
    const idle = work.idle();
    a.resolve();
    await first;
    clock.advance(1000);
    expect(await settled(idle)).toBe(false);
    b.resolve();
    await second;
    // The next thumbnail of a burst may follow: not yet.
    clock.advance(200);
    expect(await settled(idle)).toBe(false);
    clock.advance(50);
    expect(await settled(idle)).toBe(true);
  });

  it('never holds background work longer than maxWaitMs, however busy the screen is', async () => {
    const clock = new FakeClock();
    const work = new ForegroundWork({ clock, quietMs: 250, maxWaitMs: 2000 });
    const never = deferred();
    void work.run(() => never.promise);
    const idle = work.idle();
    clock.advance(1999);
    expect(await settled(idle)).toBe(false);
    clock.advance(1);
    expect(await settled(idle)).toBe(true);
  });

  it('counts a failed foreground request as ended', async () => {
    const clock = new FakeClock();
    const work = new ForegroundWork({ clock, quietMs: 250 });
    await expect(work.run(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(work.inFlight).toBe(0);
    clock.advance(250);
    expect(await settled(work.idle())).toBe(true);
  });
});

describe('ForegroundWork.hold: screen work longer than one request', () => {
  it('holds background work until released, then for a quiet moment', async () => {
    const clock = new FakeClock();
    const work = new ForegroundWork({ clock, quietMs: 250, maxWaitMs: 10_000 });
    const release = work.hold(5000);
    const idle = work.idle();
    clock.advance(1000);
    expect(await settled(idle)).toBe(false);
    release();
    release();
    expect(work.inFlight).toBe(0);
    clock.advance(249);
    expect(await settled(idle)).toBe(false);
    clock.advance(1);
    expect(await settled(idle)).toBe(true);
  });

  it('lets go by itself after maxMs (a screen that never says it is done holds nothing for good)', async () => {
    const clock = new FakeClock();
    const work = new ForegroundWork({ clock, quietMs: 250, maxWaitMs: 10_000 });
    const release = work.hold(3000);
    clock.advance(2999);
    expect(work.inFlight).toBe(1);
    clock.advance(1);
    expect(work.inFlight).toBe(0);
    // Released late, it does not count down twice.
    release();
    expect(work.inFlight).toBe(0);
  });
});
