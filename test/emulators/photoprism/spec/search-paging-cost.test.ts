import { describe, expect, it } from 'vitest';
import { generateLibrary } from '../library-generator';
import { PhotoSearch, parsePhotoSearch } from '../search';
import { SeededRandom } from '../util';

/**
 * A real server reads its timeline index in order and stops at the page's end (PhotoPrism
 * internal/entity/search/photos.go, searchPhotos: `s.Limit(f.Count).Offset(f.Offset)` over
 * `files.time_index`, served by idx_files_search_timeline): a first page costs what it holds.
 * The emulator walked every photo of the library on the first page of each new filter, which
 * held a first sign-in's first page for most of a second at 100k photos (the first-run bench's
 * slow first run).
 */
describe('PhotoPrism emulator: a search page costs what it holds', () => {
  const now = Date.UTC(2025, 0, 1);
  const store = generateLibrary(
    { photos: 2000, albums: 2, seed: 5, nowMs: now, ownerUid: 'uqxc08w3d0ej2283' },
    new SeededRandom(5),
    () => now,
  );
  const filterOf = (query: string) => parsePhotoSearch(new URLSearchParams(query), store, true, true).filter;

  it('finds the rows of a first page without walking the whole library', () => {
    const search = new PhotoSearch(store);
    const filter = filterOf('count=200&offset=0&merged=true&primary=true&order=newest&public=true&quality=3');
    const first = search.rows(filter, 200);
    expect(first.length).toBeGreaterThanOrEqual(200);
    // Far fewer than the library's rows: the walk stopped at the page.
    expect(first.length).toBeLessThan(400);
  });

  it('answers every page with the rows a full walk gives, in the same order', () => {
    const paged = new PhotoSearch(store);
    const whole = new PhotoSearch(store);
    for (const query of [
      'order=newest&merged=true',
      'order=newest&primary=true&public=true&quality=3',
      'order=oldest',
      'order=name&merged=true',
    ]) {
      const filter = filterOf(`count=100&${query}`);
      const all = whole.rows(filter);
      for (const end of [50, 100, 700, all.length + 10]) {
        expect(paged.rows(filter, end).slice(0, end)).toEqual(all.slice(0, end));
      }
    }
  });

  it('still sorts every match for orders of the matches themselves (size, duration)', () => {
    const search = new PhotoSearch(store);
    const filter = filterOf('count=10&order=size');
    const firstTen = search.rows(filter, 10).slice(0, 10);
    const sizes = search.rows(filter).map((row) => row.size);
    expect(firstTen.map((row) => row.size)).toEqual(sizes.slice(0, 10));
    expect(Math.max(...sizes)).toBe(sizes[0]);
  });

  it("lists an album's members alone, in the listing's order, as the library's listing filtered to them", () => {
    const search = new PhotoSearch(store);
    const manual = store.albums.filter((album) => album.type === 'album');
    expect(manual.length).toBe(2);
    for (const album of manual) {
      const members = new Set([...album.members.values()].filter((m) => !m.hidden && !m.missing).map((m) => m.photoUid));
      expect(members.size).toBeGreaterThan(0);
      for (const order of ['newest', 'oldest', 'name', 'title', 'added', 'edited', 'updated', 'relevance']) {
        const listed = search.rows(filterOf(`count=100&merged=true&order=${order}&s=${album.uid}`)).map((row) => row.uid);
        const library = search.rows(filterOf(`count=100&merged=true&order=${order}`));
        expect(listed).toEqual(library.filter((row) => members.has(row.photo.uid)).map((row) => row.uid));
      }
    }
  });

  it("lists the photos a uid= list names, in the listing's order, as the library's listing filtered to them", () => {
    const search = new PhotoSearch(store);
    const rng = new SeededRandom(11);
    // Active, archived and missing UIDs alike: the listing's own filters still apply to each.
    const uids = [...new Set(Array.from({ length: 40 }, () => store.photos[rng.int(0, store.photos.length - 1)]?.uid ?? ''))];
    const named = new Set([...uids, 'pqzzzzzzzzzzzzzz']);
    const album = store.albums.find((a) => a.type === 'album');
    expect(search.rows(filterOf(`count=100&order=newest&uid=${[...named].join('|')}`)).length).toBeGreaterThan(20);
    for (const query of ['order=newest', 'order=oldest&archived=true', 'order=title&merged=true', `order=newest&s=${album?.uid ?? ''}`]) {
      const listed = search.rows(filterOf(`count=100&${query}&uid=${[...named].join('|')}`)).map((row) => row.uid);
      const library = search.rows(filterOf(`count=100&${query}`));
      expect(listed).toEqual(library.filter((row) => named.has(row.photo.uid)).map((row) => row.uid));
    }
  });
});
