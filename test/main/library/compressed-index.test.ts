import { afterEach, describe, expect, it } from 'vitest';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeDevice, type TestDevice } from '../../helpers/devices';

let emu: PhotoPrismEmulator | undefined;
let device: TestDevice | undefined;

afterEach(async () => {
  await device?.close();
  await emu?.close();
  emu = undefined;
  device = undefined;
});

/**
 * [Note: Compressed answers] from the outside: the index asks for gzip, and the cache ends up the
 * same whether the server compresses (`--http-compression gzip`) or not (its default, 'none').
 */
describe.each(['gzip', 'none'] as const)('the first index against a server with http compression %s', (httpCompression) => {
  it('asks for gzip on every search page and caches every photo the server lists', async () => {
    emu = await startPhotoPrismEmulator({ photos: 300, albums: 3, seed: 11, httpCompression });
    device = await makeDevice({ name: `gzip-${httpCompression}`, photoprism: emu });
    const counts = await device.call<{ all: number; archived: number }>('library.counts');
    // "Library" is PhotoPrism's browse view: no archived, private or review photos.
    const photos = emu.admin.snapshot().photos;
    expect(counts.all).toBe(photos.filter((p) => !p.Archived && !p.DeletedAt && !p.Private && p.Quality >= 3).length);
    expect(counts.archived).toBeGreaterThan(0);
    expect(counts.archived).toBe(photos.filter((p) => p.Archived).length);

    const searches = emu.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/photos');
    expect(searches.length).toBeGreaterThan(0);
    for (const search of searches) expect(search.headers['accept-encoding']).toMatch(/\bgzip\b/);
  });
});
