import {
  AND,
  BOOL_KEYS,
  interpretFreeText,
  isEmptyValue,
  isNew,
  isNo,
  isYes,
  keywords,
  likeAnyGroups,
  parseSearch,
  slug,
  splitOr,
  txtBool,
  uniqueWords,
  type WordPattern,
} from '../../shared/library/search-query';
import type { SearchPhoto } from '../photoprism/schemas';

/**
 * PhotoPrism's search language over the cache (docs/photoprism-api.md §2.9): the same parser and
 * rules as the server (shared/library/search-query.ts, [Note: One search language]) turned into
 * SQL over `photo_facets`, for every filter whose data the cache holds. The rest is reported, so
 * the search field can say what it could not apply offline instead of silently widening results.
 */

/** A photo's searchable facts, from its search result (migration 0170). */
export interface PhotoFacets {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly country: string;
  readonly state: string;
  readonly city: string;
  readonly cameraId: number;
  readonly cameraName: string;
  readonly cameraModel: string;
  readonly cameraSlug: string;
  readonly lensId: number;
  readonly lensName: string;
  readonly lensModel: string;
  readonly lensSlug: string;
  readonly faces: number;
  readonly path: string;
  readonly name: string;
  /** ` word word `: unique keywords of title and description, each with a space on both sides. */
  readonly keywords: string;
}

const int = (n: number): number => (Number.isFinite(n) ? Math.round(n) : 0);

/** A camera's or a lens's search facets: what `camera:` and `lens:` match (by ID, name, model or slug). */
export interface DeviceFacets {
  readonly id: number;
  readonly name: string;
  readonly model: string;
  readonly slug: string;
}

/**
 * A camera's or lens's facets from its make and model: the name is make and model unless the
 * model starts with the make (as PhotoPrism names a camera: internal/entity/camera.go, NewCamera);
 * with no model it is PhotoPrism's Unknown device (slug `zz`). One rule for the search results
 * the index writes and for the edits made here, so an edited photo is found as the server's
 * next answer would file it.
 */
export function deviceFacets(kind: 'camera' | 'lens', device: { id: number; make: string; model: string }): DeviceFacets {
  const unknown = kind === 'camera' ? device.id <= 1 && device.model === '' : (device.model || 'Unknown') === 'Unknown';
  // A lens without a model is Unknown by name; a camera only when it has no row either (ID 1 is Unknown).
  const model = kind === 'lens' || unknown ? device.model || 'Unknown' : device.model;
  const name =
    kind === 'camera' && unknown ? 'Unknown' : device.make !== '' && !model.startsWith(device.make) ? `${device.make} ${model}` : model;
  return { id: int(device.id), name, model, slug: unknown ? 'zz' : deviceSlug(name) };
}

/**
 * The facets of one search result. LensMake holds the lens model (the swap of
 * docs/photoprism-api.md §2.5); keywords follow internal/entity/photo.go, IndexKeywords, for the
 * title and description (labels and people are not in search results, so not here).
 */
export function toFacets(row: SearchPhoto): PhotoFacets {
  const camera = deviceFacets('camera', { id: row.CameraID, make: row.CameraMake, model: row.CameraModel });
  const lens = deviceFacets('lens', { id: row.LensID, make: row.LensModel, model: row.LensMake });
  return {
    year: int(row.Year),
    month: int(row.Month),
    day: int(row.Day),
    country: row.Country.toLowerCase(),
    state: row.PlaceState,
    city: row.PlaceCity,
    cameraId: camera.id,
    cameraName: camera.name,
    cameraModel: camera.model,
    cameraSlug: camera.slug,
    lensId: lens.id,
    lensName: lens.name,
    lensModel: lens.model,
    lensSlug: lens.slug,
    faces: int(row.Faces),
    path: row.Path,
    name: row.Name,
    keywords: rowKeywords(row.Title, row.Caption || row.Description),
  };
}

/**
 * Answers remembered by key, emptied when full, so a server with endless distinct values cannot grow
 * it (classes are not hoisted: it stands before the memos below).
 *
 * [Note: A memo steps aside when nothing repeats]
 * Remembering costs more than it saves when the values do not repeat: on the ingest bench's 100k
 * distinct titles a miss (a Map entry kept until the next emptying, so it outlives the young
 * generation and is collected the slow way) made the keyword step about 1.5 µs a row dearer than
 * computing every answer (toFacets 3.9–4.4 against 2.5 µs a row). So when a filling was answered
 * from memory fewer times than it holds entries, the next few fillings' worth of calls compute
 * without it, and then it tries again. A library of repeating titles (PhotoPrism's own
 * `Label / City / Year`) fills it rarely or never and keeps its whole gain.
 */
class BoundedMemo {
  readonly #known = new Map<string, string>();
  readonly #max: number;
  /** Answers given from memory since the last emptying. */
  #hits = 0;
  /** Calls left to compute without remembering. */
  #bypass = 0;

  constructor(max: number) {
    this.#max = max;
  }

  get(key: string, compute: () => string): string {
    if (this.#bypass > 0) {
      this.#bypass -= 1;
      return compute();
    }
    let known = this.#known.get(key);
    if (known !== undefined) {
      this.#hits += 1;
      return known;
    }
    if (this.#known.size >= this.#max) {
      if (this.#hits < this.#max) this.#bypass = BYPASS_FILLINGS * this.#max;
      this.#known.clear();
      this.#hits = 0;
    }
    known = compute();
    this.#known.set(key, known);
    return known;
  }
}

/** How many fillings' worth of calls a memo that did not pay for itself computes without it. */
const BYPASS_FILLINGS = 4;

/**
 * [Note: Keywords of a listing, remembered]
 * Most titles repeat: PhotoPrism titles a photo itself from its labels, place and year
 * (`Beach / Lisbon / 2021`: internal/entity/photo_title.go, UpdateTitle), and most photos have no
 * description. Splitting a title into keywords (Unicode word runs, stop words, sorting) was about
 * a tenth of a full index's row mapping, so the keywords of the last titles and descriptions are
 * remembered. Bounded like the device slugs: a library of distinct titles only fills and
 * empties it.
 */
const rememberedKeywords = new BoundedMemo(4096);
const rememberedTitleKeywords = new BoundedMemo(4096);

function rowKeywords(title: string, description: string): string {
  // Most photos have no description: their title is the key, not a new joined string to hash.
  if (description === '') return rememberedTitleKeywords.get(title, () => keywordsColumn(title, ''));
  // The title's length first: no title and description can make another pair's key.
  return rememberedKeywords.get(`${title.length}:${title}${description}`, () => keywordsColumn(title, description));
}

/**
 * Slugs of camera and lens names, remembered: a library has a few dozen devices, and slug()'s
 * Unicode normalisation was about a fifth of the row mapping of a full index (every row has two).
 * Bounded, so a server with endless distinct names cannot grow it.
 */
const rememberedSlugs = new BoundedMemo(1000);

function deviceSlug(name: string): string {
  return rememberedSlugs.get(name, () => slug(name));
}

/**
 * `photo_facets.keywords` of a title and description: their unique keywords (PhotoPrism
 * internal/entity/photo.go, IndexKeywords), ` word word `. Also what an edit of either writes.
 */
export function keywordsColumn(title: string, description: string): string {
  const words = uniqueWords([...keywords(title), ...keywords(description)]);
  return words.length > 0 ? ` ${words.join(' ')} ` : '';
}

/** What the cache can do with a query. */
export interface OfflineSearch {
  /** `AND …` conditions on `photo_facets f` ('' when the query filters nothing locally). */
  readonly sql: string;
  readonly params: unknown[];
  /** Filters (keys, e.g. `label`) the cache cannot apply: the result ignores them. */
  readonly unsupported: string[];
  /** The query is invalid (an unknown key): the server would refuse it, so nothing matches. */
  readonly error: string | null;
  /**
   * When `favorite:` is the only condition the cache applies: its value. The views' month
   * summary counts favourites, so such a search needs no walk of the search rows.
   */
  readonly favoriteOnly?: boolean;
}

/** Filters that only decide the view (the sidebar does this), ignored with a note. */
const VIEW_KEYS = new Set([
  'public',
  'private',
  'archived',
  'review',
  'quality',
  'hidden',
  'error',
  'primary',
  'merged',
  'count',
  'offset',
  'order',
  's',
]);

const MEDIA_FLAGS = ['animated', 'audio', 'document', 'image', 'live', 'raw', 'vector', 'video'] as const;

/** A GLOB pattern matching `value` literally (`*`, `?` and `[` in brackets). */
function globLiteral(value: string): string {
  return value.replace(/[*?[]/g, (c) => `[${c}]`);
}

/** `LIKE` pattern of PhotoPrism's `*` wildcards (conditions.go, OrLike), `%`/`_` typed literally escaped. */
function likePattern(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`).replaceAll('*', '%');
}

/**
 * Builds the offline conditions of a query (see the file comment), all on `photo_facets f`,
 * which also holds the photo columns a search reads ([Note: Search rows in grid order]);
 * `photoAlias` reads those from another table instead (the tests' reference reads `photos p`).
 * `indexed`: the search index is ready ([Note: Search by index]); without it, words and devices
 * are matched on the search rows themselves (the same answers, by a walk of every row).
 */
export function offlineSearch(q: string, photoAlias = 'f', indexed = true): OfflineSearch {
  const text = q.trim();
  if (text === '') return { sql: '', params: [], unsupported: [], error: null };
  const parsed = parseSearch(text);
  if (parsed.error !== null) return { sql: ' AND 0', params: [], unsupported: [], error: parsed.error };
  const fields = new Map<string, string>();
  for (const term of parsed.terms) fields.set(term.key, BOOL_KEYS.has(term.key) ? String(txtBool(term.value)) : term.value);
  for (const [alias, field] of [
    ['folder', 'path'],
    ['person', 'subject'],
    ['people', 'subjects'],
  ] as const) {
    const value = fields.get(alias);
    if (value !== undefined) {
      if ((fields.get(field) ?? '') === '') fields.set(field, value);
      fields.delete(alias);
    }
  }
  const free = interpretFreeText(parsed.text, (fields.get('title') ?? '') !== '');
  if (free.title !== '') fields.set('title', free.title);
  if (free.magic) fields.set(free.magic.key, free.magic.value);

  const facets: string[] = [];
  const photo: string[] = [];
  const facetParams: unknown[] = [];
  const photoParams: unknown[] = [];
  const unsupported: string[] = [];
  const value = (key: string): string => {
    const v = (fields.get(key) ?? '').trim();
    return isEmptyValue(v) ? '' : v;
  };

  // Free text against the keywords of title and description: all &-groups, any word per group,
  // each word looked up in photo_words ([Note: Search by index]): the word itself, or as a
  // prefix every word that starts with it (GLOB: case-sensitive, so its range is an index range;
  // both sides are lowercase keywords).
  // The groups' photos are intersected before any search row is read: `lisbon & sunset` reads
  // the rows of the few photos with both words, not of every photo with one.
  const groups = likeAnyGroups(free.query, true);
  if (indexed && groups.length > 0) {
    const select = (group: readonly WordPattern[]) =>
      `SELECT w.uid FROM photo_words w WHERE ${group.map((w) => (w.prefix ? 'w.word GLOB ?' : 'w.word = ?')).join(' OR ')}`;
    facets.push(`f.uid IN (${groups.map(select).join(' INTERSECT ')})`);
    for (const w of groups.flat()) facetParams.push(w.prefix ? `${globLiteral(w.word)}*` : w.word);
  }
  for (const group of indexed ? [] : groups) {
    // ` word word `: a space before every word makes `% word%` a word prefix.
    facets.push(`(${group.map(() => 'f.keywords LIKE ?').join(' OR ')})`);
    for (const w of group) facetParams.push(`% ${likePattern(w.word)}${w.prefix ? '%' : ' %'}`);
  }

  for (const [key, raw] of fields) {
    const v = raw.trim();
    switch (key) {
      case 'favorite':
        if (v !== '') photo.push(isNo(v) ? `${photoAlias}.favorite = 0` : `${photoAlias}.favorite = 1`);
        break;
      case 'type': {
        const types = splitOr(value('type').toLowerCase());
        if (types.length > 0) {
          photo.push(`${photoAlias}.type IN (${types.map(() => '?').join(', ')})`);
          photoParams.push(...types);
        }
        break;
      }
      case 'year':
      case 'month':
      case 'day': {
        const max = key === 'year' ? 9999 : key === 'month' ? 12 : 31;
        const numbers = v
          .split('|')
          .map((n) => Number.parseInt(n.trim(), 10))
          .filter((n) => Number.isFinite(n) && n !== 0 && n >= -1 && n <= max);
        if (numbers.length > 0) {
          // With a camera filter, the camera index (which holds the year) finds and counts the
          // photos alone; `+` keeps the planner off the year index, which its sampled statistics
          // (LibraryRepo.analyze) take for far more selective than it is.
          const hint = key === 'year' && indexed && value('camera') !== '' ? '+' : '';
          facets.push(`${hint}f.${key} IN (${numbers.map(() => '?').join(', ')})`);
          facetParams.push(...numbers);
        }
        break;
      }
      case 'country':
      case 'state':
      case 'city': {
        const list = splitOr(value(key)).map((c) => c.toLowerCase());
        if (list.length > 0) {
          facets.push(`f.${key} COLLATE NOCASE IN (${list.map(() => '?').join(', ')})`);
          facetParams.push(...list);
        }
        break;
      }
      case 'camera':
      case 'lens': {
        const filter = value(key);
        if (filter === '') break;
        if (/^\d+$/.test(filter)) {
          facets.push(`f.${key}_id = ?`);
          facetParams.push(Number(filter));
        } else {
          // Name, model or slug starts with it: tested on the few devices the cache knows, then
          // their photos found by the device index ([Note: Search by index]); a photo matches
          // exactly when its own (id, name, model, slug) is one of the devices that match.
          const prefix = `${likePattern(filter.replace(/^[*%]+|[*%]+$/g, ''))}%`;
          const column = (c: string): string => (indexed ? `d.${c}` : `f.${key}_${c}`);
          const like = `(${['name', 'model', 'slug'].map((c) => `${column(c)} LIKE ? ESCAPE '\\'`).join(' OR ')})`;
          facets.push(
            indexed
              ? `(f.${key}_id, f.${key}_name, f.${key}_model, f.${key}_slug) IN (SELECT d.id, d.name, d.model, d.slug FROM search_devices d
                  WHERE d.kind = '${key}' AND ${like})`
              : like,
          );
          facetParams.push(prefix, prefix, prefix);
        }
        break;
      }
      case 'faces': {
        if (v === '') break;
        if (/^\d+$/.test(v)) {
          facets.push('f.faces >= ?');
          facetParams.push(Number(v));
        } else if (isNew(v)) unsupported.push('faces');
        else if (isYes(v)) facets.push('f.faces > 0');
        else if (isNo(v)) facets.push('f.faces = 0');
        break;
      }
      case 'title':
      case 'path':
      case 'name': {
        const filter = value(key);
        if (filter === '') break;
        if (key === 'path' && filter.endsWith('/')) {
          facets.push('f.path = ?');
          facetParams.push(filter.replace(/^\//, '').slice(0, -1));
          break;
        }
        const alternatives = filter.split('|').map((alt) => likePattern(alt.trim()));
        const column = key === 'title' ? `${photoAlias}.title` : `f.${key}`;
        const condition = `(${alternatives.map(() => `${column} LIKE ? ESCAPE '\\'`).join(' OR ')})`;
        if (key === 'title') {
          photo.push(condition);
          photoParams.push(...alternatives);
        } else {
          facets.push(condition);
          facetParams.push(...alternatives.map((alt) => (key === 'path' ? alt.replace(/^\//, '') : alt)));
        }
        break;
      }
      case 'photo':
        if (v === 'true' && !fields.has('type')) photo.push(`${photoAlias}.type IN ('image', 'live', 'animated', 'vector', 'raw')`);
        break;
      default:
        if ((MEDIA_FLAGS as readonly string[]).includes(key)) {
          // Only the FIRST media flag applies, and only without `type` (searchPhotos, "Filter by media type").
          const first = MEDIA_FLAGS.find((flag) => fields.get(flag) === 'true');
          if (v === 'true' && first === key && value('type') === '') {
            photo.push(`${photoAlias}.type = ?`);
            photoParams.push(key);
          }
        } else if (v !== '' && v !== 'false' && !VIEW_KEYS.has(key)) {
          unsupported.push(key);
        }
    }
  }
  const sql = [...photo, ...facets].map((c) => ` AND ${c}`).join('');
  const favoriteOnly =
    photo.length === 1 && facets.length === 0 && photo[0] === `${photoAlias}.favorite = ${isNo(fields.get('favorite') ?? '') ? 0 : 1}`
      ? photo[0].endsWith('1')
      : undefined;
  return {
    sql,
    params: [...photoParams, ...facetParams],
    unsupported: [...new Set(unsupported)],
    error: null,
    ...(favoriteOnly === undefined ? {} : { favoriteOnly }),
  };
}

/** True if the free text of a query has words the cache matches only against titles and descriptions. */
export function hasFreeText(q: string): boolean {
  const parsed = parseSearch(q.trim());
  return (
    interpretFreeText(
      parsed.text,
      parsed.terms.some((t) => t.key === 'title'),
    )
      .query.replaceAll(AND, ' ')
      .trim() !== ''
  );
}
