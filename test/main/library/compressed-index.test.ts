import { afterEach, describe, expect, it } from 'vitest';
import { createNodeTransport } from '../../../main/photoprism/transport';
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

/** The cache holds every photo the emulator lists: "Library" (its browse view) and the archive. */
async function expectEveryPhotoCached(server: PhotoPrismEmulator, dev: TestDevice): Promise<void> {
  const counts = await dev.call<{ all: number; archived: number }>('library.counts');
  // "Library" is PhotoPrism's browse view: no archived, private or review photos.
  const photos = server.admin.snapshot().photos;
  expect(counts.all).toBe(photos.filter((p) => !p.Archived && !p.DeletedAt && !p.Private && p.Quality >= 3).length);
  expect(counts.archived).toBeGreaterThan(0);
  expect(counts.archived).toBe(photos.filter((p) => p.Archived).length);
}

function searches(server: PhotoPrismEmulator) {
  const found = server.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/photos');
  expect(found.length).toBeGreaterThan(0);
  return found;
}

/**
 * [Note: Compressed answers] from the outside: the index asks a server on the network for gzip,
 * and the cache ends up the same whether it compresses (`--http-compression gzip`) or not (its
 * default, 'none'). The emulator only listens on loopback, so the transport is told to treat it
 * as a server elsewhere (the decision the app takes by the server's host).
 */
describe.each(['gzip', 'none'] as const)('the first index against a server on the network with http compression %s', (httpCompression) => {
  it('asks for gzip on every search page and caches every photo the server lists', async () => {
    emu = await startPhotoPrismEmulator({ photos: 300, albums: 3, seed: 11, httpCompression });
    device = await makeDevice({
      name: `gzip-${httpCompression}`,
      photoprism: emu,
      createTransport: (o) => createNodeTransport({ ...o, askForGzip: () => true }),
    });
    await expectEveryPhotoCached(emu, device);
    for (const search of searches(emu)) expect(search.headers['accept-encoding']).toMatch(/\bgzip\b/);
  });
});

describe('the first index against a PhotoPrism on this Mac (loopback)', () => {
  it('asks for uncompressed answers (gzip would only cost both sides CPU) and still caches every photo', async () => {
    emu = await startPhotoPrismEmulator({ photos: 300, albums: 3, seed: 11, httpCompression: 'gzip' });
    device = await makeDevice({ name: 'gzip-loopback', photoprism: emu });
    await expectEveryPhotoCached(emu, device);
    for (const search of searches(emu)) expect(search.headers['accept-encoding'] ?? '').not.toMatch(/gzip/i);
  });
});
