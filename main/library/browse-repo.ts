import type { Statement } from 'better-sqlite3';
import type { WritableDb } from '../db/database';
import { BrowseSection, type BrowseItem, type BrowseList } from '../../shared/library/schemas';
import type { SearchParams } from '../photoprism/client';

/** A browse item as the service writes it. */
export interface BrowseItemRecord {
  readonly key: string;
  readonly title: string;
  readonly subtitle: string;
  readonly group: string;
  /** The server's count; null when the server does not say (generated albums: docs/photoprism-api.md §12.3). */
  readonly photoCount: number | null;
  readonly coverHash: string;
  /** The photo search listing its photos. */
  readonly filter: SearchParams;
}

/** A city of the cached photos (see BrowseRepo.cachedCities). */
export interface CachedCity {
  readonly country: string;
  readonly city: string;
  readonly state: string;
  readonly coverHash: string;
}

interface ItemRow {
  item_key: string;
  title: string;
  subtitle: string;
  group_title: string;
  photo_count: number | null;
  cover_uid: string | null;
  photos_fetched_at: number | null;
}

/**
 * The item's cover: the photo whose file the server named, else its newest cached photo (the
 * same fallback as album covers in library-repo.ts).
 */
const ITEMS_SQL = `
  SELECT bi.item_key, bi.title, bi.subtitle, bi.group_title, bi.photo_count, bi.photos_fetched_at,
    COALESCE(
      (SELECT p.uid FROM photos p WHERE bi.cover_hash <> '' AND p.thumb_hash = bi.cover_hash AND p.archived = 0 LIMIT 1),
      (SELECT p.uid FROM browse_photos bp CROSS JOIN photos p ON p.uid = bp.photo_uid
        WHERE bp.section = bi.section AND bp.item_key = bi.item_key AND p.archived = 0
        ORDER BY p.taken_at_local DESC, p.uid DESC LIMIT 1)
    ) AS cover_uid
  FROM browse_items bi WHERE bi.section = ? ORDER BY bi.position`;

/** Photos (rowids) grouped by city per step: ~25 ms of main's thread each under load (a profile of scrubber jumps at 100k photos). */
export const CITY_ROWS_PER_STEP = 2500;

/** One step's group of photos by city: what merges into the whole table's (see BrowseRepo.cachedCities). */
interface CityStepRow {
  country: string;
  city: string;
  state: string | null;
  newest: string | null;
}

/** SQLite's max() of two texts: NULL is no value, others compare as BINARY (UTF-8 bytes). */
function maxText(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareBinary(a, b) >= 0 ? a : b;
}

/** SQLite's BINARY collation: UTF-8 bytes, as GROUP BY and ORDER BY compare text. */
function compareBinary(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The SQL of the browse cache (migration 0160). */
export class BrowseRepo {
  readonly #db: WritableDb;
  readonly #statements = new Map<string, Statement>();

  constructor(db: WritableDb) {
    this.#db = db;
  }

  /** A page's items as cached, with when they were listed. */
  list(section: BrowseSection): BrowseList {
    const fetched = this.#prepare('SELECT fetched_at FROM browse_sections WHERE section = ?').get(section) as
      { fetched_at: number } | undefined;
    const rows = this.#prepare(ITEMS_SQL).all(section) as ItemRow[];
    return {
      section,
      fetchedAt: fetched?.fetched_at ?? null,
      items: rows.map((r): BrowseItem => ({
        key: r.item_key,
        title: r.title,
        subtitle: r.subtitle,
        group: r.group_title,
        photoCount: r.photo_count,
        coverUid: r.cover_uid ?? null,
        cached: r.photos_fetched_at !== null,
      })),
    };
  }

  /** Items per page, countries on Places (what its top lists); null = never listed. */
  sectionCounts(): Record<BrowseSection, number | null> {
    const rows = this.#prepare(
      `SELECT s.section, (SELECT count(*) FROM browse_items bi WHERE bi.section = s.section
        AND (s.section <> 'places' OR bi.item_key LIKE 'country:%')) AS n FROM browse_sections s`,
    ).all() as { section: string; n: number }[];
    const out = Object.fromEntries(BrowseSection.options.map((section) => [section, null])) as Record<BrowseSection, number | null>;
    for (const row of rows) {
      const section = BrowseSection.safeParse(row.section);
      if (section.success) out[section.data] = row.n;
    }
    return out;
  }

  /**
   * Replace a page's items with a fresh listing: gone ones go (with their photo lists), kept
   * ones keep the photos listed before and, when the server gives no count, their listed count.
   */
  replaceItems(section: BrowseSection, items: readonly BrowseItemRecord[], fetchedAt: number): void {
    this.#db.transaction(() => {
      const keep = JSON.stringify(items.map((i) => i.key));
      this.#prepare('DELETE FROM browse_items WHERE section = ? AND item_key NOT IN (SELECT value FROM json_each(?))').run(section, keep);
      const upsert = this.#prepare(`
        INSERT INTO browse_items (section, item_key, position, title, subtitle, group_title, photo_count, cover_hash, filter)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (section, item_key) DO UPDATE SET
          position = excluded.position, title = excluded.title, subtitle = excluded.subtitle,
          group_title = excluded.group_title, cover_hash = excluded.cover_hash, filter = excluded.filter,
          photo_count = COALESCE(excluded.photo_count, browse_items.photo_count)`);
      items.forEach((item, position) => {
        upsert.run(
          section,
          item.key,
          position,
          item.title,
          item.subtitle,
          item.group,
          item.photoCount,
          item.coverHash,
          JSON.stringify(item.filter),
        );
      });
      this.#prepare(
        'INSERT INTO browse_sections (section, fetched_at) VALUES (?, ?) ON CONFLICT (section) DO UPDATE SET fetched_at = excluded.fetched_at',
      ).run(section, fetchedAt);
    })();
  }

  /**
   * The cities of the cached photos (not archived), per country: PhotoPrism lists no cities, so
   * the Places page takes them from the photos it has (their search facets, migration 0170). The
   * cover is the newest public photo there.
   *
   * Photos drive the join (read in table order, one index probe into the facets each): facets
   * first walked their uid index and probed both tables per row, 2.7× slower on 100k photos
   * (4.4 s against 1.6 s on a loaded machine), all of it on main's one thread.
   *
   * In one query that still held main's thread 260–360 ms at 100k photos (a scrubber jump's
   * thumbnails waited behind it), so the photos are grouped `rowsPerStep` rowids at a time,
   * awaiting `between()` after each step (the caller waits there for a quiet screen), and the
   * steps' partial groups are merged as SQLite would have grouped the whole table: the same
   * keys (BINARY) and max. A photo written between two steps
   * may be counted by a later step only; the list is background work, listed again later.
   */
  async cachedCities(between: () => Promise<void>, rowsPerStep = CITY_ROWS_PER_STEP): Promise<CachedCity[]> {
    const bounds = this.#prepare('SELECT min(rowid) AS first, max(rowid) AS last FROM photos').get() as {
      first: number | null;
      last: number | null;
    };
    const step = this.#prepare(`
      SELECT f.country, f.city, max(f.state) AS state,
        max(CASE WHEN p.private = 0 THEN p.taken_at || ' ' || p.thumb_hash END) AS newest
      FROM photos p CROSS JOIN photo_facets f ON f.uid = p.uid
      WHERE p.rowid BETWEEN ? AND ?
        AND p.archived = 0 AND length(f.country) = 2 AND f.country <> 'zz' AND f.city NOT IN ('', 'Unknown')
      GROUP BY f.country, f.city`);
    const groups = new Map<string, CityStepRow>();
    for (let from = bounds.first ?? 0; bounds.last !== null && from <= bounds.last; from += rowsPerStep) {
      if (from !== bounds.first) await between();
      for (const row of step.all(from, from + rowsPerStep - 1) as CityStepRow[]) {
        const key = `${row.country}\u0000${row.city}`;
        const group = groups.get(key);
        if (!group) {
          groups.set(key, { ...row });
          continue;
        }
        group.state = maxText(group.state, row.state);
        group.newest = maxText(group.newest, row.newest);
      }
    }
    return [...groups.values()]
      .sort((a, b) => compareBinary(a.country, b.country) || compareBinary(a.city, b.city))
      .map((g) => ({
        country: g.country,
        city: g.city,
        state: g.state ?? '',
        coverHash: g.newest?.slice(g.newest.lastIndexOf(' ') + 1) ?? '',
      }));
  }

  /** An item's search and whether its photos were listed; undefined when the item is not cached. */
  item(section: BrowseSection, key: string): { filter: SearchParams; photosFetchedAt: number | null } | undefined {
    const row = this.#prepare('SELECT filter, photos_fetched_at FROM browse_items WHERE section = ? AND item_key = ?').get(section, key) as
      { filter: string; photos_fetched_at: number | null } | undefined;
    if (!row) return undefined;
    let filter: SearchParams = {};
    try {
      filter = JSON.parse(row.filter) as SearchParams;
    } catch {
      // Written by us; a damaged value lists nothing rather than everything.
      filter = { uid: 'p000000000000000' };
    }
    return { filter, photosFetchedAt: row.photos_fetched_at };
  }

  /** Keys of a page's items whose photos were never listed, in page order. */
  unlisted(section: BrowseSection): string[] {
    const rows = this.#prepare('SELECT item_key FROM browse_items WHERE section = ? AND photos_fetched_at IS NULL ORDER BY position').all(
      section,
    ) as { item_key: string }[];
    return rows.map((r) => r.item_key);
  }

  /** Replace an item's photos (cached photos only) and count them; false if the item is gone. */
  replacePhotos(section: BrowseSection, key: string, photoUids: readonly string[], fetchedAt: number): boolean {
    let found = false;
    this.#db.transaction(() => {
      found = this.#prepare('SELECT 1 FROM browse_items WHERE section = ? AND item_key = ?').get(section, key) !== undefined;
      if (!found) return;
      this.#prepare('DELETE FROM browse_photos WHERE section = ? AND item_key = ?').run(section, key);
      const insert = this.#prepare(
        'INSERT OR IGNORE INTO browse_photos (section, item_key, photo_uid) SELECT ?, ?, uid FROM photos WHERE uid = ?',
      );
      let listed = 0;
      for (const uid of photoUids) listed += insert.run(section, key, uid).changes;
      this.#prepare('UPDATE browse_items SET photo_count = ?, photos_fetched_at = ? WHERE section = ? AND item_key = ?').run(
        listed,
        fetchedAt,
        section,
        key,
      );
    })();
    return found;
  }

  #prepare(sql: string): Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }
}
