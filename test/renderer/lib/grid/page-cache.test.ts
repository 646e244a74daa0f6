import { describe, expect, test } from 'vitest';
import type { LibraryPage } from '../../../../shared/library/schemas';
import { MAX_PINNED_PAGES, PageCache } from '../../../../renderer/lib/grid/page-cache';
import { makePhotos } from '../../helpers/fake-bridge';

const photos = makePhotos(10_000, 100);

/** A fetcher over `photos` that records requests and can be held open. */
function fakeFetcher() {
  const requests: number[] = [];
  const held: (() => void)[] = [];
  let hold = false;
  const fetchPage = (offset: number, limit: number): Promise<LibraryPage> => {
    requests.push(offset);
    const page = { total: photos.length, offset, photos: photos.slice(offset, offset + limit) };
    if (!hold) return Promise.resolve(page);
    return new Promise((resolve) => held.push(() => resolve(page)));
  };
  return {
    fetchPage,
    requests,
    holdNext: () => (hold = true),
    release: () => {
      hold = false;
      for (const resolve of held.splice(0)) resolve();
    },
  };
}

describe('PageCache', () => {
  test('fetches only the pages covering the asked range', async () => {
    const fetcher = fakeFetcher();
    const cache = new PageCache({ fetchPage: fetcher.fetchPage, pageSize: 100 });
    await cache.ensure(150, 320);
    expect(fetcher.requests).toEqual([100, 200, 300]);
    expect(cache.get(150)?.uid).toBe(photos[150]?.uid);
    expect(cache.get(99)).toBeUndefined();
    expect(cache.total).toBe(10_000);
  });

  test('does not refetch loaded pages and shares in-flight requests', async () => {
    const fetcher = fakeFetcher();
    const cache = new PageCache({ fetchPage: fetcher.fetchPage, pageSize: 100 });
    fetcher.holdNext();
    const first = cache.ensure(0, 150);
    const second = cache.ensure(50, 199);
    fetcher.release();
    await Promise.all([first, second]);
    await cache.ensure(0, 199);
    expect(fetcher.requests).toEqual([0, 100]);
  });

  test('evicts the pages farthest from where the user is', async () => {
    const fetcher = fakeFetcher();
    const cache = new PageCache({ fetchPage: fetcher.fetchPage, pageSize: 100, maxPages: 4 });
    await cache.ensure(0, 399);
    await cache.ensure(5000, 5199);
    expect(cache.pageOffsets).toHaveLength(4);
    expect(cache.pageOffsets).toContain(5000);
    expect(cache.pageOffsets).toContain(5100);
    expect(cache.pageOffsets).not.toContain(0);
    // Scrolling back fetches the evicted page again.
    await cache.ensure(0, 10);
    expect(fetcher.requests.filter((offset) => offset === 0)).toHaveLength(2);
  });

  test('memory stays bounded however far the user scrolls', async () => {
    const fetcher = fakeFetcher();
    const cache = new PageCache({ fetchPage: fetcher.fetchPage, pageSize: 100, maxPages: 6 });
    for (let index = 0; index < 10_000; index += 250) await cache.ensure(index, index + 150);
    expect(cache.pageOffsets.length).toBeLessThanOrEqual(6);
  });

  test('pinned pages stay outside the budget, up to MAX_PINNED_PAGES of them', async () => {
    const fetcher = fakeFetcher();
    // A photo on each of the first 30 pages is pinned (selected).
    const pinned = Array.from({ length: 30 }, (_, page) => page * 100 + 5);
    const cache = new PageCache({ fetchPage: fetcher.fetchPage, pageSize: 100, maxPages: 4, pinned: () => pinned });
    for (let index = 0; index < 3000; index += 100) await cache.ensure(index, index + 50);
    for (let index = 8000; index < 10_000; index += 250) await cache.ensure(index, index + 150);
    const near = cache.pageOffsets.filter((offset) => offset >= 8000);
    const kept = cache.pageOffsets.filter((offset) => offset < 3000);
    // The viewport still has its whole budget; the first MAX_PINNED_PAGES pinned pages stayed.
    expect(near).toHaveLength(4);
    expect(kept).toEqual(Array.from({ length: MAX_PINNED_PAGES }, (_, page) => page * 100));
  });

  test('reset drops answers to the previous query', async () => {
    const fetcher = fakeFetcher();
    let changes = 0;
    const cache = new PageCache({ fetchPage: fetcher.fetchPage, pageSize: 100, onChange: () => changes++ });
    fetcher.holdNext();
    const stale = cache.ensure(0, 10);
    cache.reset();
    fetcher.release();
    await stale;
    expect(cache.get(0)).toBeUndefined();
    expect(changes).toBe(0);
  });

  test('a failed page is reported and retried on the next ensure', async () => {
    let fail = true;
    const errors: unknown[] = [];
    const cache = new PageCache({
      pageSize: 100,
      fetchPage: (offset, limit) =>
        fail
          ? Promise.reject(new Error('offline'))
          : Promise.resolve({ total: photos.length, offset, photos: photos.slice(offset, offset + limit) }),
      onError: (error) => errors.push(error),
    });
    await cache.ensure(0, 10);
    expect(errors).toHaveLength(1);
    fail = false;
    await cache.ensure(0, 10);
    expect(cache.get(0)?.uid).toBe(photos[0]?.uid);
  });

  test('refresh re-fetches only pages holding changed photos, keeping old rows meanwhile', async () => {
    const fetcher = fakeFetcher();
    const cache = new PageCache({ fetchPage: fetcher.fetchPage, pageSize: 100 });
    await cache.ensure(0, 299);
    fetcher.requests.length = 0;
    fetcher.holdNext();
    const refreshing = cache.refresh([photos[150]?.uid ?? '']);
    expect(cache.get(150)).toBeDefined();
    fetcher.release();
    await refreshing;
    expect(fetcher.requests).toEqual([100]);
  });

  test('indexOfUid finds loaded photos', async () => {
    const cache = new PageCache({ fetchPage: fakeFetcher().fetchPage, pageSize: 100 });
    await cache.ensure(200, 250);
    expect(cache.indexOfUid(photos[230]?.uid ?? '')).toBe(230);
    expect(cache.indexOfUid(photos[5]?.uid ?? '')).toBe(-1);
  });
});
