import { browseTerms, matchesBrowseTerms, type BrowseData, type BrowseTerms } from './browse-data';
import type { FileRec, PhotoRec } from './model';
import type { Store } from './store';
import { SHA1_RE, isUid, parseGoBool } from './util';

/**
 * Photo search (`GET /api/v1/photos`, docs/photoprism-api.md §2.1–docs/photoprism-api.md §2.4). Rows are FILES: a photo with two files
 * yields two rows, `count`/`offset` page over rows, and merging groups consecutive rows of one
 * photo. Sorted photo lists are cached per order and store version, and filtered row lists per
 * filter set, so paging a 100k library costs O(count) per page after the first.
 */

/** A search failure: PhotoPrism answers every one of them with 400 "Unable to do that". */
export class SearchError extends Error {}

/** The normalised search form. */
export interface PhotoSearchForm {
  count: number;
  offset: number;
  order: string;
  merged: boolean;
  filter: PhotoFilter;
}

/** Filters that decide which rows exist (everything but paging and merging). */
export interface PhotoFilter {
  order: string;
  photoUids: Set<string> | null;
  fileUids: Set<string> | null;
  hashes: Set<string> | null;
  albumUids: string[] | null;
  favorite: boolean | null;
  publicOnly: boolean;
  privateOnly: boolean;
  archived: boolean;
  review: boolean;
  /** Broken photos (quality -1) and their files with errors (`hidden=true`). */
  hidden: boolean;
  /** Only files with indexing errors (`error=true`). */
  error: boolean;
  quality: number;
  primary: boolean;
  unsorted: boolean;
  types: Set<string> | null;
  years: Set<number> | null;
  months: Set<number> | null;
  days: Set<number> | null;
  beforeMs: number | null;
  afterMs: number | null;
  takenDay: string | null;
  addedMs: number | null;
  updatedMs: number | null;
  editedMs: number | null;
  words: string[];
  title: string;
  label: string;
  country: string;
  cameraId: number;
  lensId: number;
  /** Path, state, city and subject filters (browse-data.ts). */
  browse: BrowseTerms;
}

const ORDERS = new Set([
  '',
  'added',
  'imported',
  'newest',
  'oldest',
  'name',
  'title',
  'edited',
  'updated',
  'archived',
  'relevance',
  'duration',
  'size',
  'similar',
  'random',
]);

/** Every search form field; a `q` term with any other key is an error (docs/photoprism-api.md §2.1). */
const FORM_KEYS = new Set([
  'q',
  'uid',
  's',
  'album',
  'albums',
  'favorite',
  'public',
  'private',
  'archived',
  'review',
  'quality',
  'hidden',
  'error',
  'primary',
  'unsorted',
  'type',
  'photo',
  'video',
  'live',
  'raw',
  'animated',
  'vector',
  'image',
  'audio',
  'document',
  'year',
  'month',
  'day',
  'before',
  'after',
  'taken',
  'added',
  'updated',
  'edited',
  'label',
  'country',
  'state',
  'city',
  'category',
  'color',
  'camera',
  'lens',
  'iso',
  'mm',
  'f',
  'mp',
  'lat',
  'lng',
  'dist',
  'latlng',
  's2',
  'olc',
  'near',
  'geo',
  'path',
  'folder',
  'name',
  'filename',
  'original',
  'title',
  'hash',
  'id',
  'face',
  'faces',
  'subject',
  'subjects',
  'person',
  'people',
  'keywords',
  'stack',
  'stackable',
  'unstacked',
  'scan',
  'panorama',
  'portrait',
  'landscape',
  'square',
  'mono',
  'chroma',
  'diff',
  'merged',
  'order',
  'count',
  'offset',
]);

const TRUTHY = new Set(['true', 'yes', '1', 'on', 't', 'y', 'include', 'enable', 'enabled']);
const FALSY = new Set(['false', 'no', '0', 'off', 'f', 'n', 'exclude', 'disable', 'disabled']);

function bool(params: Map<string, string>, key: string): boolean {
  const raw = params.get(key) ?? '';
  if (raw === '') return false;
  const v = parseGoBool(raw);
  if (v === 'invalid') throw new SearchError(`invalid ${key}`);
  return v;
}

function intList(raw: string): Set<number> | null {
  if (raw === '' || raw === '0') return null;
  const out = new Set<number>();
  for (const part of raw.split('|')) {
    const n = Number.parseInt(part.trim(), 10);
    if (Number.isFinite(n) && n !== 0) out.add(n);
  }
  return out.size > 0 ? out : null;
}

function dateMs(raw: string, key: string): number | null {
  if (raw === '') return null;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new SearchError(`invalid ${key}`);
  return ms;
}

/**
 * Splits `q` into free words and `key:value` terms (values may be double-quoted). Terms become
 * form fields; an unknown key is an error (docs/photoprism-api.md §2.1).
 */
function parseQuery(q: string, params: Map<string, string>): string[] {
  const words: string[] = [];
  const re = /(\w+):"([^"]*)"|(\w+):(\S*)|"([^"]*)"|(\S+)/g;
  for (const m of q.matchAll(re)) {
    const key = (m[1] ?? m[3])?.toLowerCase();
    if (key !== undefined) {
      if (!FORM_KEYS.has(key)) throw new SearchError(`unknown filter ${key}`);
      params.set(key, m[2] ?? m[4] ?? '');
      continue;
    }
    const word = (m[5] ?? m[6] ?? '').toLowerCase();
    if (word === '') continue;
    // Magic words switch flags instead of searching text (docs/photoprism-api.md §2.1).
    if (word === 'favorites') params.set('favorite', 'true');
    else if (word === 'video' || word === 'videos') params.set('video', 'true');
    else if (word === 'raw' || word === 'raws') params.set('raw', 'true');
    else if (word === 'live') params.set('live', 'true');
    else words.push(word);
  }
  return words;
}

/**
 * Turns the query string into a search form, validating like the real binding and search:
 * `count` required (400 if missing or 0), valid `order`, well-formed and same-kind `uid` values.
 */
export function parsePhotoSearch(
  query: URLSearchParams,
  store: Store,
  canSeePrivate: boolean,
  canSeeArchived: boolean,
  canSeeHidden = canSeeArchived,
): PhotoSearchForm {
  const params = new Map<string, string>();
  for (const [k, v] of query) if (!params.has(k)) params.set(k, v);
  const countRaw = params.get('count') ?? '';
  if (countRaw === '' || !/^-?\d+$/.test(countRaw)) throw new SearchError('count required');
  let count = Number.parseInt(countRaw, 10);
  if (count === 0) throw new SearchError('count required');
  if (count < 0 || count > 100_000) count = 100_000;
  const offsetRaw = params.get('offset') ?? '';
  if (offsetRaw !== '' && !/^-?\d+$/.test(offsetRaw)) throw new SearchError('invalid offset');
  const offset = Math.max(0, Number.parseInt(offsetRaw || '0', 10));
  const words = parseQuery(params.get('q') ?? '', params);
  const order = (params.get('order') ?? '').trim().toLowerCase();
  if (!ORDERS.has(order)) throw new SearchError('invalid order');
  const merged = bool(params, 'merged');

  let photoUids: Set<string> | null = null;
  let fileUids: Set<string> | null = null;
  let hashes: Set<string> | null = null;
  const uidRaw = params.get('uid') ?? '';
  if (uidRaw.trim() !== '') {
    const values = uidRaw
      .split('|')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    const kinds = new Set<string>();
    for (const v of values) {
      if (isUid(v, 'p')) kinds.add('p');
      else if (isUid(v, 'f')) kinds.add('f');
      else if (SHA1_RE.test(v)) kinds.add('h');
      else throw new SearchError('invalid ids specified');
    }
    if (kinds.has('p') && kinds.has('f')) throw new SearchError('invalid ids specified');
    // Quirk (docs/photoprism-api.md §2.1): UIDs mixed with hashes apply no UID filter at all.
    if (kinds.size === 1) {
      const set = new Set(values);
      if (kinds.has('p')) photoUids = set;
      else if (kinds.has('f')) fileUids = set;
      else hashes = set;
    }
  }

  let albumUids: string[] | null = null;
  const scope = (params.get('s') ?? '').trim();
  const albumParam = (params.get('album') ?? '').trim();
  if (scope !== '') {
    const album = isUid(scope, 'a') ? store.liveAlbum(scope) : undefined;
    if (!album) throw new SearchError('invalid album');
    // A generated album (calendar, place, folder, moment) is a saved search: its Filter is
    // unserialized into the form instead of joining members (PhotoPrism
    // internal/entity/search/photos.go, searchPhotos: "Limit search results to a specific UID scope").
    if (album.filter === '') albumUids = [scope];
    else words.push(...parseQuery(album.filter, params));
  }
  if (albumParam !== '') {
    if (isUid(albumParam, 'a')) {
      if (!store.liveAlbum(albumParam)) throw new SearchError('invalid album');
      albumUids = [...(albumUids ?? []), albumParam];
    } else {
      // A title or slug prefix, `*` as wildcard.
      const pattern = new RegExp(
        `^${albumParam
          .toLowerCase()
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')}`,
      );
      albumUids = store.albums
        .filter((a) => a.deletedAtMs === null && (pattern.test(a.title.toLowerCase()) || pattern.test(a.slug)))
        .map((a) => a.uid);
    }
  }

  const fav = (params.get('favorite') ?? '').trim().toLowerCase();
  const favorite = TRUTHY.has(fav) ? true : FALSY.has(fav) ? false : null;
  // Roles without access_private lose `private` (PhotoPrism internal/entity/search/photos.go,
  // searchPhotos: "Exclude private content" sets Public and clears Private).
  const privateOnly = bool(params, 'private') && canSeePrivate;
  const typeList = (params.get('type') ?? '')
    .split('|')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const types = new Set(typeList);
  if (bool(params, 'photo')) ['image', 'live', 'animated', 'vector', 'raw'].forEach((t) => types.add(t));
  for (const t of ['video', 'live', 'raw', 'animated', 'vector', 'image', 'audio', 'document']) if (bool(params, t)) types.add(t);
  const qualityRaw = Number.parseInt(params.get('quality') ?? '0', 10);

  return {
    count,
    offset,
    order,
    merged,
    filter: {
      order,
      photoUids,
      fileUids,
      hashes,
      albumUids,
      favorite,
      // Roles without access_private always get public=true (docs/photoprism-api.md §2.1).
      publicOnly: bool(params, 'public') || !canSeePrivate,
      privateOnly,
      // Archived and Review are silently dropped for roles without delete permission
      // (PhotoPrism internal/entity/search/photos.go, searchPhotos: "Exclude archived content").
      archived: bool(params, 'archived') && canSeeArchived,
      review: bool(params, 'review') && canSeeArchived,
      // Dropped for roles without full file access (same function, "Exclude hidden files").
      hidden: bool(params, 'hidden') && canSeeHidden,
      error: bool(params, 'error'),
      // `quality` applies only when `private` is off (same function, "Filter by status").
      quality: privateOnly || !Number.isFinite(qualityRaw) ? 0 : qualityRaw,
      primary: bool(params, 'primary'),
      unsorted: bool(params, 'unsorted'),
      types: types.size > 0 ? types : null,
      years: intList(params.get('year') ?? ''),
      months: intList(params.get('month') ?? ''),
      days: intList(params.get('day') ?? ''),
      beforeMs: dateMs(params.get('before') ?? '', 'before'),
      afterMs: dateMs(params.get('after') ?? '', 'after'),
      takenDay: (params.get('taken') ?? '').slice(0, 10) || null,
      addedMs: dateMs(params.get('added') ?? '', 'added'),
      updatedMs: dateMs(params.get('updated') ?? '', 'updated'),
      editedMs: dateMs(params.get('edited') ?? '', 'edited'),
      words,
      title: (params.get('title') ?? '').toLowerCase(),
      label: (params.get('label') ?? '').toLowerCase(),
      country: (params.get('country') ?? '').toLowerCase(),
      cameraId: Number.parseInt(params.get('camera') ?? '0', 10) || 0,
      lensId: Number.parseInt(params.get('lens') ?? '0', 10) || 0,
      browse: browseTerms(params),
    },
  };
}

/**
 * Newest first by the time the photo was taken WHERE it was taken: PhotoPrism sorts on
 * `files.time_index`, built from `files.photo_taken_at`, which the indexer fills with the
 * photo's TakenAtLocal (internal/photoprism/index_mediafile.go, Index: `file.PhotoTakenAt =
 * photo.TakenAtLocal`; internal/entity/file.go, RegenerateIndex).
 */
function byNewest(a: PhotoRec, b: PhotoRec): number {
  return b.takenAtLocalMs - a.takenAtLocalMs || b.id - a.id;
}

/** Caches sorted photo lists and filtered row lists; both are dropped when the store changes. */
export class PhotoSearch {
  readonly #store: Store;
  #version = -1;
  readonly #sorted = new Map<string, PhotoRec[]>();
  readonly #rows = new Map<string, FileRec[]>();

  constructor(store: Store) {
    this.#store = store;
  }

  #sync(): void {
    if (this.#version === this.#store.version) return;
    this.#version = this.#store.version;
    this.#sorted.clear();
    this.#rows.clear();
  }

  /** Photos in the row order of `order`; within a photo rows keep primary-first order. */
  #sortedPhotos(order: string): PhotoRec[] {
    const key = ['', 'added', 'imported', 'similar', 'duration', 'size', 'random'].includes(order) ? '' : order;
    const cached = this.#sorted.get(key);
    if (cached) return cached;
    const photos = this.#store.photos;
    let list: PhotoRec[];
    switch (key) {
      case 'newest':
        list = [...photos].sort(byNewest);
        break;
      case 'oldest':
        // files.photo_taken_at ASC (the local time, see byNewest), then media_id (photo ID descending).
        list = [...photos].sort((a, b) => a.takenAtLocalMs - b.takenAtLocalMs || b.id - a.id);
        break;
      case 'name':
        list = [...photos].sort((a, b) => cmp(a.path, b.path) || cmp(a.name, b.name) || b.takenAtMs - a.takenAtMs);
        break;
      case 'title':
        list = [...photos].sort((a, b) => cmp(a.title, b.title) || cmp(a.name, b.name) || b.takenAtMs - a.takenAtMs);
        break;
      case 'edited':
        list = photos.filter((p) => p.editedAtMs !== null).sort((a, b) => (b.editedAtMs ?? 0) - (a.editedAtMs ?? 0) || b.id - a.id);
        break;
      case 'updated':
        list = photos.filter((p) => p.updatedAtMs > p.createdAtMs).sort((a, b) => b.updatedAtMs - a.updatedAtMs || b.id - a.id);
        break;
      case 'archived':
        list = [...photos].sort((a, b) => (b.deletedAtMs ?? 0) - (a.deletedAtMs ?? 0) || b.id - a.id);
        break;
      case 'relevance':
        list = [...photos].sort((a, b) => b.quality - a.quality || byNewest(a, b));
        break;
      default:
        // media_id: most recently indexed photo (highest ID) first.
        list = [...photos].reverse();
    }
    this.#sorted.set(key, list);
    return list;
  }

  /** All matching rows in order (cached per filter set). */
  rows(filter: PhotoFilter): FileRec[] {
    this.#sync();
    const key = JSON.stringify(filter, (_k, v: unknown) => (v instanceof Set ? [...(v as Set<unknown>)] : v));
    const cached = this.#rows.get(key);
    if (cached && filter.order !== 'random') return cached;
    const albumMembers = this.#albumMembers(filter.albumUids);
    const inAnyAlbum = filter.unsorted ? this.#inAnyAlbum() : null;
    const out: FileRec[] = [];
    for (const photo of this.#sortedPhotos(filter.order)) {
      if (!matches(photo, filter, albumMembers, inAnyAlbum, this.#store.browse)) continue;
      for (const file of photo.files) {
        if (filter.primary && !file.primary) continue;
        if (filter.fileUids && !filter.fileUids.has(file.uid)) continue;
        if (filter.hashes && !filter.hashes.has(file.hash)) continue;
        // Files with indexing errors are left out unless asked for (PhotoPrism
        // internal/entity/search/photos.go, searchPhotos: "Exclude files with errors by default").
        if (!filter.hidden && (filter.error ? file.error === '' : file.error !== '')) continue;
        out.push(file);
      }
    }
    if (filter.order === 'size') out.sort((a, b) => b.size - a.size);
    else if (filter.order === 'duration') out.sort((a, b) => b.photo.durationNs - a.photo.durationNs);
    else if (filter.order === 'random') {
      for (let i = out.length - 1; i > 0; i -= 1) {
        const j = Math.floor(Math.random() * (i + 1));
        const t = out[i] as FileRec;
        out[i] = out[j] as FileRec;
        out[j] = t;
      }
    }
    if (this.#rows.size > 64) this.#rows.clear();
    this.#rows.set(key, out);
    return out;
  }

  #albumMembers(albumUids: string[] | null): Set<string> | null {
    if (albumUids === null) return null;
    const set = new Set<string>();
    for (const uid of albumUids) {
      const album = this.#store.liveAlbum(uid);
      if (!album) continue;
      for (const m of album.members.values()) if (!m.hidden && !m.missing) set.add(m.photoUid);
    }
    return set;
  }

  #inAnyAlbum(): Set<string> {
    const set = new Set<string>();
    for (const album of this.#store.albums) {
      if (album.deletedAtMs !== null) continue;
      for (const m of album.members.values()) if (!m.hidden) set.add(m.photoUid);
    }
    return set;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function matches(
  p: PhotoRec,
  f: PhotoFilter,
  albumMembers: Set<string> | null,
  inAnyAlbum: Set<string> | null,
  browse: BrowseData | undefined,
): boolean {
  // "Filter by status" of PhotoPrism internal/entity/search/photos.go, searchPhotos, branch by
  // branch: hidden = broken photos; archived = archived ones that are not broken; otherwise
  // active photos, private OR public, and review (quality < 3) OR a minimum quality.
  if (f.hidden) {
    if (p.quality !== -1 || p.deletedAtMs !== null) return false;
  } else if (f.archived) {
    if (p.quality <= -1 || p.deletedAtMs === null) return false;
  } else {
    if (p.deletedAtMs !== null) return false;
    if (f.privateOnly) {
      if (!p.private) return false;
    } else if (f.publicOnly && p.private) return false;
    if (f.review) {
      if (p.quality >= 3) return false;
    } else if (f.quality !== 0 && !f.privateOnly && p.quality < f.quality) return false;
  }
  if (f.favorite !== null && p.favorite !== f.favorite) return false;
  if (f.photoUids && !f.photoUids.has(p.uid)) return false;
  if (albumMembers && !albumMembers.has(p.uid)) return false;
  if (inAnyAlbum && inAnyAlbum.has(p.uid)) return false;
  if (f.types && !f.types.has(p.type)) return false;
  if (f.years && !f.years.has(p.year)) return false;
  if (f.months && !f.months.has(p.month)) return false;
  if (f.days && !f.days.has(p.day)) return false;
  if (f.beforeMs !== null && p.takenAtMs >= f.beforeMs) return false;
  if (f.afterMs !== null && p.takenAtMs < f.afterMs) return false;
  if (f.takenDay !== null && new Date(p.takenAtMs).toISOString().slice(0, 10) !== f.takenDay) return false;
  if (f.addedMs !== null && p.createdAtMs < f.addedMs) return false;
  if (f.updatedMs !== null && p.updatedAtMs < f.updatedMs) return false;
  if (f.editedMs !== null && (p.editedAtMs === null || p.editedAtMs < f.editedMs)) return false;
  if (f.country !== '' && p.country !== f.country) return false;
  if (f.cameraId > 0 && p.camera.id !== f.cameraId) return false;
  if (f.lensId > 0 && p.lens.id !== f.lensId) return false;
  if (f.label !== '' && !p.labels.some((l) => l.slug === f.label || l.name.toLowerCase() === f.label)) return false;
  if (f.title !== '' && !globMatch(p.title.toLowerCase(), f.title)) return false;
  if (!matchesBrowseTerms(p, f.browse, browse)) return false;
  if (f.words.length > 0) {
    const haystack = `${p.title} ${p.details.keywords} ${p.labels.map((l) => l.name).join(' ')}`.toLowerCase().split(/[^\p{L}\p{N}]+/u);
    // Each word must prefix some word of the title, keywords or labels (`word*`).
    if (!f.words.every((w) => haystack.some((h) => h.startsWith(w)))) return false;
  }
  return true;
}

function globMatch(text: string, pattern: string): boolean {
  if (!pattern.includes('*')) return text.includes(pattern);
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return re.test(text);
}

/**
 * Groups a page of rows into results: consecutive rows of one photo merge when `merged` is on
 * (docs/photoprism-api.md §2.2), so a photo can be split across pages.
 */
export function groupRows(rows: readonly FileRec[], merged: boolean): FileRec[][] {
  if (!merged) return rows.map((r) => [r]);
  const groups: FileRec[][] = [];
  let current: FileRec[] = [];
  for (const row of rows) {
    const last = current[current.length - 1];
    if (last && last.photo !== row.photo) {
      groups.push(current);
      current = [];
    }
    current.push(row);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
