import { describe, expect, it } from 'vitest';
import { LatestOnly, retryBrokenImages, ScrollSpeed, SETTLE_MS } from '../../../../renderer/lib/grid/tile-loading';

describe('ScrollSpeed', () => {
  it('calls a fling fast but not one far jump, and settles once the moves slow down', () => {
    const speed = new ScrollSpeed();
    expect(speed.move(0, 0, 900)).toBe(false);
    // A scrubber jump: one far move, then the scroll event's echo at the same place.
    expect(speed.move(2_000_000, 16, 900)).toBe(false);
    expect(speed.move(2_000_000, 20, 900)).toBe(false);
    // A fling: screens per frame, frame after frame.
    expect(speed.move(2_050_000, 36, 900)).toBe(false);
    expect(speed.move(2_100_000, 52, 900)).toBe(true);
    expect(speed.isFast(52 + SETTLE_MS - 1)).toBe(true);
    expect(speed.isFast(52 + SETTLE_MS)).toBe(false);
    // Reading along (a wheel tick or two per frame) never counts.
    const reading = new ScrollSpeed();
    for (let t = 0; t < 1000; t += 16) expect(reading.move(t * 2, t, 900)).toBe(false);
  });
});

describe('LatestOnly', () => {
  it('runs one job at a time, for the newest value only, and skips a repeat of the last one', async () => {
    const started: number[] = [];
    const finish: Array<() => void> = [];
    const latest = new LatestOnly<number>(
      (value) => {
        started.push(value);
        return new Promise<void>((resolve) => finish.push(resolve));
      },
      (a, b) => a === b,
    );
    latest.push(1);
    latest.push(2);
    latest.push(3);
    expect(started).toEqual([1]);
    finish.shift()?.();
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual([1, 3]);
    latest.push(3);
    finish.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started).toEqual([1, 3]);
    latest.reset();
    latest.push(3);
    expect(started).toEqual([1, 3, 3]);
  });

  it('keeps going after a failed job', async () => {
    const started: number[] = [];
    const latest = new LatestOnly<number>(
      (value) => {
        started.push(value);
        return Promise.reject(new Error('offline'));
      },
      (a, b) => a === b,
    );
    latest.push(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    latest.push(2);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started).toEqual([1, 2]);
  });
});

describe('retryBrokenImages', () => {
  it('asks again for the thumbnails that failed, and only those', () => {
    const root = document.createElement('div');
    root.innerHTML = `<img class="broken" src="/thumbs/a/tile_224"><img src="/thumbs/b/tile_224"><img class="broken" src="/thumbs/c/tile_224">`;
    // Every write of `src` is a new load for the browser.
    const writes = new MutationObserver(() => undefined);
    writes.observe(root, { subtree: true, attributeFilter: ['src'] });
    expect(retryBrokenImages(root)).toBe(2);
    const reloaded = writes
      .takeRecords()
      .map((record) => (record.target as HTMLImageElement).getAttribute('src'))
      .filter((src) => src !== null);
    writes.disconnect();
    expect([...new Set(reloaded)].sort()).toEqual(['/thumbs/a/tile_224', '/thumbs/c/tile_224']);
    expect(root.querySelectorAll('img.broken')).toHaveLength(0);
    expect([...root.querySelectorAll('img')].map((image) => image.getAttribute('src'))).toEqual([
      '/thumbs/a/tile_224',
      '/thumbs/b/tile_224',
      '/thumbs/c/tile_224',
    ]);
  });
});
