import { describe, expect, test } from 'vitest';
import { DecodedImageCache } from '../../../../renderer/lib/viewer/decoded-image-cache';

const MB = 1024 * 1024;

function fakeDecode(failing: ReadonlySet<string> = new Set()) {
  const calls: string[] = [];
  const decode = async (url: string) => {
    calls.push(url);
    if (failing.has(url)) throw new Error('EncodingError');
    return { width: 1024, height: 1024, image: { url } };
  };
  return { calls, decode };
}

describe('DecodedImageCache', () => {
  test('charges width × height × 4 and evicts the least recently used past the budget', async () => {
    const { decode } = fakeDecode();
    const cache = new DecodedImageCache({ budgetBytes: 10 * MB, maxEntries: 100, decode });
    for (let i = 0; i < 5; i++) await cache.load(`/thumbs/p${i}/fit_1280`);
    // 4 MB each: two fit in 10 MB.
    expect(cache.decodedBytes).toBe(8 * MB);
    expect(cache.size).toBe(2);
    expect(cache.peek('/thumbs/p4/fit_1280')).toBeDefined();
    expect(cache.peek('/thumbs/p0/fit_1280')).toBeUndefined();
  });

  test('decodes once however many ask, and keeps no failure', async () => {
    const url = '/thumbs/p1/fit_1920';
    const failing = new Set([url]);
    const { calls, decode } = fakeDecode(failing);
    const cache = new DecodedImageCache({ budgetBytes: 100 * MB, maxEntries: 4, decode });
    await expect(Promise.all([cache.load(url), cache.load(url)])).rejects.toThrow();
    expect(calls).toEqual([url]);
    failing.clear();
    await cache.load(url);
    expect(calls).toEqual([url, url]);
    expect(cache.size).toBe(1);
  });

  test('holds at most maxEntries', async () => {
    const { decode } = fakeDecode();
    const cache = new DecodedImageCache({ budgetBytes: 1000 * MB, maxEntries: 3, decode });
    for (let i = 0; i < 10; i++) await cache.load(`/u${i}`);
    expect(cache.size).toBe(3);
  });
});
