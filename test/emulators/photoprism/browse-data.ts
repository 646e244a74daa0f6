import type { AlbumRec, PhotoRec } from './model';
import { manualAlbum } from './model';
import type { Store } from './store';
import { SeededRandom, makeUid, slugify } from './util';

/**
 * The albums PhotoPrism's background workers generate — Calendar (`month`), Places (`state`),
 * Folders (`folder`) and Moments (`moment`) — each a saved search (docs/photoprism-api.md §12.3).
 * People live with the photos (library-generator.ts, addPeople; people.ts).
 *
 * Kept in its own file (and its own random stream, seeded from the library seed) so the rest of
 * the generated library — photo UIDs, hashes, flags — stays exactly what it always was.
 */

/** Country names as PhotoPrism's maps package spells them (internal/service/maps/countries.go). */
const COUNTRY_NAMES: Record<string, string> = {
  de: 'Germany',
  fr: 'France',
  us: 'USA',
  jp: 'Japan',
  pt: 'Portugal',
  is: 'Iceland',
  au: 'Australia',
};
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAY_MS = 86_400_000;

/** A country's English name, or '' for `zz`. */
export function countryName(code: string): string {
  return COUNTRY_NAMES[code] ?? '';
}

/**
 * A search form value as `form.Serialize` writes it: quoted when it holds a space or one of
 * `:'()[]-+` and a backtick (PhotoPrism internal/form/serialize.go, Serialize).
 */
function serializeValue(value: string): string {
  return /[ :'()[\]\-+`]/.test(value) ? `"${value}"` : value;
}

/** Photos the moments worker counts: reviewed, active, public (PhotoPrism internal/entity/query/moments.go, MomentsTime). */
function momentPhotos(store: Store): PhotoRec[] {
  return store.photos.filter((p) => p.quality >= 3 && p.deletedAtMs === null && !p.private);
}

/** Best cover among photos: highest quality, then most recently taken (as recomputeThumb picks). */
export function coverHash(photos: readonly PhotoRec[]): string {
  let best: PhotoRec | undefined;
  for (const p of photos) if (!best || p.quality > best.quality || (p.quality === best.quality && p.takenAtMs > best.takenAtMs)) best = p;
  return (best?.files.find((f) => f.primary) ?? best?.files[0])?.hash ?? '';
}

/**
 * The albums PhotoPrism's moments worker and folder indexer create (PhotoPrism
 * internal/photoprism/moments.go, Moments.Start; internal/entity/album.go, NewMonthAlbum,
 * NewStateAlbum, NewFolderAlbum, NewMomentsAlbum). They have no members: opening one searches
 * with its Filter (docs/photoprism-api.md §12.3), so their PhotoCount in album search is 0.
 */
export function addGeneratedAlbums(store: Store, seed: number, nowMs: number): void {
  const rng = new SeededRandom(seed * 7919 + 17);
  const photos = momentPhotos(store);
  let id = store.albums.reduce((max, a) => Math.max(max, a.id), 0) + 1;
  const add = (fields: Partial<AlbumRec> & Pick<AlbumRec, 'type' | 'title' | 'slug' | 'filter' | 'order'>, members: PhotoRec[]): void => {
    const createdAtMs = nowMs - rng.int(1, 300) * DAY_MS;
    const album: AlbumRec = {
      ...manualAlbum({
        id,
        uid: makeUid('a', createdAtMs, rng),
        title: fields.title,
        slug: fields.slug,
        createdBy: '',
        createdAtMs,
        favorite: false,
      }),
      ...fields,
      thumb: coverHash(members),
    };
    id += 1;
    store.albums.push(album);
    store.albumsByUid.set(album.uid, album);
  };

  // Calendar: one album per month with photos (MomentsTime, threshold 1).
  const byMonth = groupBy(photos, (p) => `${p.year}-${String(p.month).padStart(2, '0')}`);
  for (const [, list] of [...byMonth].sort(([a], [b]) => (a < b ? 1 : -1))) {
    const { year, month } = list[0] as PhotoRec;
    if (year < 1 || month < 1) continue;
    const title = `${MONTHS[month - 1] ?? ''} ${year}`;
    add(
      { type: 'month', title, slug: slugify(title), filter: `public:true year:${year} month:${month}`, order: 'oldest', year, month },
      list,
    );
  }

  // Places: one album per country and state (MomentsStates, threshold 1); title = state,
  // location = country name, slug from "Country-State" (query.Moment Title/Slug).
  const byState = groupBy(
    photos.filter((p) => p.place.country !== 'zz' && p.place.state !== ''),
    (p) => `${p.place.country}\u0000${p.place.state}`,
  );
  for (const [, list] of byState) {
    const { country, state } = (list[0] as PhotoRec).place;
    add(
      {
        type: 'state',
        title: state,
        slug: slugify(`${countryName(country)}-${state}`),
        filter: `public:true country:${country} state:${serializeValue(state)}`,
        order: 'newest',
        location: countryName(country),
        country,
        state,
      },
      list,
    );
  }

  // Folders: one album per originals folder with photos (query.AlbumFolders, threshold 1);
  // "2024/03" is titled "March 2024" (entity.Folder.SetValuesFromPath).
  const byPath = groupBy(photos, (p) => p.path);
  for (const [path, list] of [...byPath].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [y, m] = path.split('/').map((part) => Number.parseInt(part, 10));
    const title = y && m ? `${MONTHS[m - 1] ?? ''} ${y}` : path;
    add(
      {
        type: 'folder',
        title,
        slug: slugify(path),
        path,
        filter: `path:${serializeValue(path)} public:true`,
        order: 'added',
        year: y ?? 0,
        month: m ?? 0,
      },
      list,
    );
  }

  // Moments: a country in a year with enough photos (MomentsCountries, threshold log2(n)+1).
  const threshold = photos.length > 4 ? Math.floor(Math.log2(photos.length)) + 1 : 3;
  const byCountryYear = groupBy(
    photos.filter((p) => p.country !== 'zz' && p.year > 0),
    (p) => `${p.country}-${p.year}`,
  );
  for (const [, list] of byCountryYear) {
    if (list.length < threshold) continue;
    const { country, year } = list[0] as PhotoRec;
    const title = `${countryName(country)} ${year}`;
    add(
      {
        type: 'moment',
        title,
        slug: slugify(title),
        filter: `public:true country:${country} year:${year}`,
        order: 'oldest',
        country,
        year,
        location: countryName(country),
      },
      list,
    );
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
