import type { AlbumRec, PhotoRec } from './model';
import { manualAlbum } from './model';
import type { Store } from './store';
import { SeededRandom, makeUid, slugify } from './util';

/**
 * What PhotoPrism's browse pages list besides manual albums: people (subjects) with their faces
 * and markers, and the albums its background workers generate — Calendar (`month`), Places
 * (`state`), Folders (`folder`) and Moments (`moment`) — each a saved search (docs/photoprism-api.md §12).
 *
 * Kept in its own file (and its own random stream, seeded from the library seed) so the rest of
 * the generated library — photo UIDs, hashes, flags — stays exactly what it always was.
 */

/** A person (`subjects` table, subj_type "person"); counts and cover are what the workers store. */
export interface SubjectRec {
  uid: string;
  type: 'person';
  slug: string;
  name: string;
  alias: string;
  favorite: boolean;
  hidden: boolean;
  private: boolean;
  excluded: boolean;
  createdAtMs: number;
}

/** A face cluster (`faces` table); `subjUid` '' = not yet named (PhotoPrism's "new faces"). */
export interface FaceRec {
  id: string;
  subjUid: string;
  samples: number;
  createdAtMs: number;
}

/** A face marker on a file (`markers` table): which person/face is in which file. */
export interface MarkerRec {
  uid: string;
  fileUid: string;
  photoUid: string;
  faceId: string;
  subjUid: string;
  invalid: boolean;
}

/** The browse data of one library. */
export interface BrowseData {
  subjects: SubjectRec[];
  faces: FaceRec[];
  markers: MarkerRec[];
}

const PEOPLE = ['Anna Berg', 'Ben Carter', 'Chloé Dubois', 'Daniel Kim', 'Emma Schulz', 'Felix Novak', 'Grace Lee', 'Hugo Santos'];
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
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

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
 * Adds people, faces and markers (about a third of the images show one or two people) and the
 * generated albums. Deterministic for a seed; called once after the photos exist.
 */
export function generateBrowseData(store: Store, seed: number, nowMs: number): BrowseData {
  const rng = new SeededRandom(seed * 7919 + 17);
  const subjects: SubjectRec[] = PEOPLE.map((name, i) => ({
    uid: makeUid('j', nowMs - (400 - i) * DAY_MS, rng),
    type: 'person',
    slug: slugify(name),
    name,
    alias: '',
    favorite: i === 2,
    hidden: false,
    private: false,
    excluded: false,
    createdAtMs: nowMs - (400 - i) * DAY_MS,
  }));
  const faceId = (): string => Array.from({ length: 32 }, () => BASE32[rng.int(0, 31)]).join('');
  const faces: FaceRec[] = subjects.map((s) => ({ id: faceId(), subjUid: s.uid, samples: rng.int(3, 40), createdAtMs: s.createdAtMs }));
  // Two clusters nobody has named yet: PhotoPrism lists them under People → New.
  faces.push({ id: faceId(), subjUid: '', samples: 2, createdAtMs: nowMs - 30 * DAY_MS });
  faces.push({ id: faceId(), subjUid: '', samples: 1, createdAtMs: nowMs - 20 * DAY_MS });
  const markers: MarkerRec[] = [];
  for (const photo of store.photos) {
    if (photo.type !== 'image' && photo.type !== 'live') continue;
    if (!rng.chance(0.35)) continue;
    const file = photo.files.find((f) => f.primary) ?? photo.files[0];
    if (!file) continue;
    const people = rng.chance(0.3) ? 2 : 1;
    const used = new Set<number>();
    for (let k = 0; k < people; k += 1) {
      const i = rng.int(0, faces.length - 1);
      if (used.has(i)) continue;
      used.add(i);
      const face = faces[i];
      if (!face) continue;
      markers.push({
        uid: makeUid('m', photo.createdAtMs, rng),
        fileUid: file.uid,
        photoUid: photo.uid,
        faceId: face.id,
        subjUid: face.subjUid,
        invalid: false,
      });
    }
  }
  const data: BrowseData = { subjects, faces, markers };
  addGeneratedAlbums(store, rng, nowMs);
  return data;
}

/**
 * The albums PhotoPrism's moments worker and folder indexer create (PhotoPrism
 * internal/photoprism/moments.go, Moments.Start; internal/entity/album.go, NewMonthAlbum,
 * NewStateAlbum, NewFolderAlbum, NewMomentsAlbum). They have no members: opening one searches
 * with its Filter (docs/photoprism-api.md §12.3), so their PhotoCount in album search is 0.
 */
function addGeneratedAlbums(store: Store, rng: SeededRandom, nowMs: number): void {
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

/** Filters of the photo search this file knows how to apply (the rest live in search.ts). */
export interface BrowseTerms {
  /** `path`: regular expression sources (strings, so the search cache can key on them). */
  paths: string[] | null;
  /** `state`: place states (case-sensitive, `|`-separated). */
  states: Set<string> | null;
  /** `city`: place cities (`|`-separated). */
  cities: Set<string> | null;
  /** `subject`/`person`: subject UIDs or slugs; each `&` part must match (OR within a part). */
  subjects: string[][] | null;
}

/** Reads the browse filters from the search form (PhotoPrism internal/entity/search/photos.go, searchPhotos). */
export function browseTerms(params: Map<string, string>): BrowseTerms {
  const list = (key: string): string[] =>
    (params.get(key) ?? '')
      .split('|')
      .map((v) => v.trim())
      .filter((v) => v !== '');
  const rawPath = (params.get('path') ?? params.get('folder') ?? '').trim().replace(/^\//, '');
  let paths: string[] | null = null;
  if (rawPath !== '') {
    // "Filter by storage path": trailing slash = exactly that folder, else OrLike with * → %.
    const parts = rawPath.endsWith('/') ? [rawPath.slice(0, -1)] : rawPath.split('|');
    paths = parts.map((p) => `^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  }
  const subjectRaw = (params.get('subject') || params.get('person') || '').trim().toLowerCase();
  const states = list('state');
  const cities = list('city');
  return {
    paths,
    states: states.length > 0 ? new Set(states) : null,
    cities: cities.length > 0 ? new Set(cities) : null,
    // SplitAnd then SplitOr (same function, "Filter for one or more subjects").
    subjects: subjectRaw === '' ? null : subjectRaw.split('&').map((part) => part.split('|').map((v) => v.trim())),
  };
}

const PATTERNS = new Map<string, RegExp>();
function compiled(source: string): RegExp {
  let re = PATTERNS.get(source);
  if (!re) {
    re = new RegExp(source, 'i');
    if (PATTERNS.size > 256) PATTERNS.clear();
    PATTERNS.set(source, re);
  }
  return re;
}

/** Whether a photo passes the browse filters. */
export function matchesBrowseTerms(photo: PhotoRec, terms: BrowseTerms, data: BrowseData | undefined): boolean {
  if (terms.paths && !terms.paths.some((source) => compiled(source).test(photo.path))) return false;
  if (terms.states && !terms.states.has(photo.place.state)) return false;
  if (terms.cities && !terms.cities.has(photo.place.city)) return false;
  if (terms.subjects) {
    // Markers that are not invalid, joined to their subject by UID or slug.
    const here = new Set<string>();
    for (const m of data?.markers ?? []) {
      if (m.photoUid !== photo.uid || m.invalid || m.subjUid === '') continue;
      here.add(m.subjUid);
      const slug = data?.subjects.find((s) => s.uid === m.subjUid)?.slug;
      if (slug) here.add(slug);
    }
    if (!terms.subjects.every((any) => any.some((v) => here.has(v)))) return false;
  }
  return true;
}

/**
 * A subject's counts as the counts worker stores them: photos (and their files) with a valid
 * marker of the person, not archived (PhotoPrism internal/entity/query/counts.go, UpdateSubjectCounts).
 */
export function subjectCounts(store: Store, data: BrowseData, subjUid: string): { photos: PhotoRec[]; files: number } {
  const photoUids = new Set<string>();
  const fileUids = new Set<string>();
  for (const m of data.markers) {
    if (m.subjUid !== subjUid || m.invalid) continue;
    photoUids.add(m.photoUid);
    fileUids.add(m.fileUid);
  }
  const photos = [...photoUids].flatMap((uid) => {
    const p = store.photosByUid.get(uid);
    return p && p.deletedAtMs === null ? [p] : [];
  });
  return { photos, files: fileUids.size };
}
