import { afterEach, describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../../main/photoprism/transport';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeHarness, type Harness } from './helpers';

// [Note: Album members are listed side by side]: a full index asks its albums' members a few at a time.

let emu: PhotoPrismEmulator;
let h: Harness;

afterEach(async () => {
  h.library.dispose();
  h.connection.dispose();
  await emu.close();
});

/** The album whose members this request lists, if it is such a listing (`s` = the album's UID). */
function listedAlbum(req: HttpRequest): string | undefined {
  const url = new URL(req.url);
  return url.pathname === '/api/v1/photos' ? (url.searchParams.get('s') ?? undefined) : undefined;
}

/**
 * A full index of 8 albums whose member listings are held until `heldAtOnce` are in flight (or
 * none are left to come), then answered by `answer`; `asked` records the listings in order.
 */
async function indexWithListingsHeld(answer: (album: string, index: number) => Promise<void>) {
  emu = await startPhotoPrismEmulator({ photos: 120, albums: 8, seed: 5 });
  const asked: string[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  let waiting: (() => void)[] = [];
  const albums = emu.admin.snapshot().albums.filter((a) => !a.DeletedAt).length;
  h = makeHarness({
    library: { pageSize: 1000 },
    beforeSend: (req) => {
      const album = listedAlbum(req);
      if (album === undefined) return undefined;
      const index = asked.push(album) - 1;
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const held = new Promise<void>((resolve) => waiting.push(resolve));
      // Released once 4 are held, or when the last listings are all in.
      if (waiting.length === 4 || asked.length === albums) {
        for (const release of waiting) release();
        waiting = [];
      }
      return held.then(() => answer(album, index)).finally(() => inFlight--);
    },
  });
  await h.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
  const refreshed = h.library.refresh('full');
  return { asked, albums, refreshed, mostInFlight: () => mostInFlight };
}

describe('a full index lists album members side by side', () => {
  it('asks 4 listings at once and writes every album with its members', async () => {
    const run = await indexWithListingsHeld(() => Promise.resolve());
    await run.refreshed;
    expect(run.albums).toBe(8);
    // In turn, the first listing would wait forever for 3 more and the index would never end.
    expect(run.mostInFlight()).toBe(4);
    expect(new Set(run.asked).size).toBe(8);
    const server = emu.admin.snapshot();
    for (const album of server.albums.filter((a) => !a.DeletedAt)) {
      const members = server.photos.filter((p) => !p.Archived && p.Quality !== -1 && p.Albums.includes(album.UID)).length;
      expect(h.library.albums().find((a) => a.uid === album.UID)?.photoCount, album.Title).toBe(members);
    }
  });

  it('one listing that fails fails the index, as in turn: no listing is asked after it, those under way are kept', async () => {
    const run = await indexWithListingsHeld((_album, index) =>
      index === 1 ? Promise.reject(new Error('listing failed')) : Promise.resolve(),
    );
    await run.refreshed;
    // The refresh failed with that listing's error: reported, and the index not counted as done.
    expect(h.log.lines.some((line) => line.includes('library refresh failed') && line.includes('listing failed'))).toBe(true);
    expect(h.repo.getMeta('lastFullIndexAt')).toBeFalsy();
    // The 4 asked at once; none after the failure.
    expect(run.asked.length).toBe(4);
    const written = new Map(h.library.albums().map((a) => [a.uid, a.photoCount]));
    const server = emu.admin.snapshot();
    for (const [i, uid] of run.asked.entries()) {
      if (i === 1) continue;
      const members = server.photos.filter((p) => !p.Archived && p.Quality !== -1 && p.Albums.includes(uid)).length;
      expect(written.get(uid), `album ${i}`).toBe(members);
    }
  });
});
