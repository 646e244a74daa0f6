import { describe, expect, it, vi } from 'vitest';
import { tileImageUrl } from '../../../renderer/lib/tile-urls';

const ORIGINS = ['http://127.0.0.1:5001', 'http://127.0.0.1:5002', 'http://127.0.0.1:5003'];

/** See [Note: Grid thumbnails over more connections]. */
describe('tileImageUrl', () => {
  it('is the same-origin path where the page names no image origins (Electron)', () => {
    expect(tileImageUrl(7, 'pr1abcdefghijklm', 'tile_224', [])).toBe('/thumbs/pr1abcdefghijklm/tile_224');
    // This page (happy-dom) has no meta tag either.
    expect(tileImageUrl(7, 'pr1abcdefghijklm', 'tile_224')).toBe('/thumbs/pr1abcdefghijklm/tile_224');
  });

  it('spreads any run of tiles evenly over the image origins, so a screen asks each about as often', () => {
    const screen = Array.from({ length: 30 }, (_, i) => new URL(tileImageUrl(1000 + i, 'pr1abcdefghijklm', 'tile_224', ORIGINS)).origin);
    for (const origin of ORIGINS) expect(screen.filter((o) => o === origin)).toHaveLength(10);
  });

  it('gives a tile the same URL every time, so the first screen’s preloads are what its tiles ask for', () => {
    expect(tileImageUrl(4, 'pr1abcdefghijklm', 'tile_500', ORIGINS)).toBe(tileImageUrl(4, 'pr1abcdefghijklm', 'tile_500', ORIGINS));
    expect(tileImageUrl(4, 'pr1abcdefghijklm', 'tile_500', ORIGINS)).toBe('http://127.0.0.1:5002/thumbs/pr1abcdefghijklm/tile_500');
  });

  it('reads the image origins from the page the web shell sent, and only loopback ones', async () => {
    const meta = document.createElement('meta');
    meta.name = 'photoflare-image-origins';
    meta.content = 'http://127.0.0.1:5001 https://evil.example http://127.0.0.1:5002';
    document.head.append(meta);
    try {
      vi.resetModules();
      const fresh = await import('../../../renderer/lib/tile-urls');
      expect([0, 1, 2, 3].map((index) => new URL(fresh.tileImageUrl(index, 'pr1abcdefghijklm', 'tile_224')).origin)).toEqual([
        'http://127.0.0.1:5001',
        'http://127.0.0.1:5002',
        'http://127.0.0.1:5001',
        'http://127.0.0.1:5002',
      ]);
    } finally {
      meta.remove();
    }
  });
});
