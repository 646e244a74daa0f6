/**
 * [Note: Search by index]
 * An offline search used to walk every search row (`photo_facets`, [Note: Search rows in grid
 * order]) and test each one: ~27 MB at 100k photos, 70–150 ms per search whatever it asked for
 * (test/bench/search.bench.ts). With the search index, each filter people type most finds its
 * photos by an index that also holds the flags the views filter on (archived, favorite, private,
 * quality; an index of a WITHOUT ROWID table also holds its primary key, the local time taken),
 * so a search's month buckets are counted from the index alone:
 *
 * - `photo_words (word, uid)` (migration 0300): each keyword of a photo's title and description
 *   (the words of `photo_facets.keywords`). A word of the free text is an index look-up: the
 *   word itself or, as a prefix, the words that start with it (PhotoPrism's LikeAnyKeyword rules,
 *   docs/photoprism-api.md §2.9). The uid index with the flags turns each hit into its month.
 * - `search_devices`: each camera and lens the cache has seen (PhotoPrism keeps them in tables of
 *   their own: internal/entity/camera.go, lens.go). A `camera:`/`lens:` prefix is tested on these
 *   few rows, then the photos are found by the device index. Rows are only ever added: a device
 *   no photo uses any more finds no photo, so it changes no result.
 * - covering indexes for year, camera, lens, city, type and title (the title prefix a word-less
 *   text such as `EOS` becomes).
 *
 * Triggers on `photo_facets` keep the words and devices (with `ON CONFLICT DO NOTHING`: an
 * `OR IGNORE` inside a trigger gives way to the conflict rule of the upsert that fired it), so they follow every write of the
 * search rows: an index page, an offline edit (LibraryRepo writes the new keywords), a cascade
 * from a deleted photo. The words are split in SQL by json_each: keywords are runs of letters,
 * digits, `-` and `'` (shared/library/search-query.ts, words), never a quote or a backslash.
 *
 * Built lazily: keeping all this costs ~2.6× the CPU of inserting a new photo (test/bench/
 * library ingest, same-minute A/B), so a first full index writes without it and it is built
 * afterwards in steps, each a short transaction in a quiet moment (LibraryService), which costs
 * a fraction of keeping it row by row (an index is built from sorted rows). Until it is ready
 * (library_meta `searchIndex` = `ready`) the offline search walks the search rows as before:
 * the same answers, only slower. A re-index of known photos writes nothing unchanged, so the
 * index stays in place for it.
 */

const SPLIT = (keywords: string): string => `json_each('["' || replace(trim(${keywords}), ' ', '","') || '"]')`;

/** The library_meta key that says the search index is complete. */
export const SEARCH_INDEX_META = 'searchIndex';

const TRIGGERS = `
  CREATE TRIGGER IF NOT EXISTS photo_words_on_insert AFTER INSERT ON photo_facets
  BEGIN
    INSERT INTO photo_words (word, uid) SELECT value, NEW.uid FROM ${SPLIT('NEW.keywords')} WHERE NEW.keywords <> ''
      ON CONFLICT DO NOTHING;
    INSERT INTO search_devices VALUES ('camera', NEW.camera_id, NEW.camera_name, NEW.camera_model, NEW.camera_slug) ON CONFLICT DO NOTHING;
    INSERT INTO search_devices VALUES ('lens', NEW.lens_id, NEW.lens_name, NEW.lens_model, NEW.lens_slug) ON CONFLICT DO NOTHING;
  END;
  CREATE TRIGGER IF NOT EXISTS photo_words_on_keywords AFTER UPDATE OF keywords ON photo_facets WHEN OLD.keywords IS NOT NEW.keywords
  BEGIN
    DELETE FROM photo_words WHERE uid = OLD.uid AND word IN (SELECT value FROM ${SPLIT('OLD.keywords')} WHERE OLD.keywords <> '');
    INSERT INTO photo_words (word, uid) SELECT value, NEW.uid FROM ${SPLIT('NEW.keywords')} WHERE NEW.keywords <> ''
      ON CONFLICT DO NOTHING;
  END;
  CREATE TRIGGER IF NOT EXISTS photo_words_on_devices AFTER UPDATE OF camera_id, camera_name, camera_model, camera_slug, lens_id,
    lens_name, lens_model, lens_slug ON photo_facets
  BEGIN
    INSERT INTO search_devices VALUES ('camera', NEW.camera_id, NEW.camera_name, NEW.camera_model, NEW.camera_slug) ON CONFLICT DO NOTHING;
    INSERT INTO search_devices VALUES ('lens', NEW.lens_id, NEW.lens_name, NEW.lens_model, NEW.lens_slug) ON CONFLICT DO NOTHING;
  END;
  CREATE TRIGGER IF NOT EXISTS photo_words_on_delete AFTER DELETE ON photo_facets WHEN OLD.keywords <> ''
  BEGIN
    DELETE FROM photo_words WHERE uid = OLD.uid AND word IN (SELECT value FROM ${SPLIT('OLD.keywords')});
  END;`;

const FLAGS = 'archived, favorite, private, quality';

/** The indexes, one build step each (name, columns). */
const INDEXES: ReadonlyArray<readonly [string, string]> = [
  ['photo_facets_search_by_uid', `uid, ${FLAGS}`],
  ['photo_facets_by_year', `year, ${FLAGS}`],
  // With the year: `year:2021 camera:canon` is counted from this index alone.
  ['photo_facets_by_camera', `camera_id, camera_name, camera_model, camera_slug, ${FLAGS}, year`],
  ['photo_facets_by_lens', `lens_id, lens_name, lens_model, lens_slug, ${FLAGS}`],
  ['photo_facets_by_city', `city COLLATE NOCASE, ${FLAGS}`],
  ['photo_facets_by_type', `type, ${FLAGS}`],
  ['photo_facets_by_title', `title COLLATE NOCASE, ${FLAGS}`],
];

/** Removes the search index (before a first full index writes every photo): see the note. */
export const DROP_SEARCH_INDEX_SQL = `
  DROP TRIGGER IF EXISTS photo_words_on_insert;
  DROP TRIGGER IF EXISTS photo_words_on_keywords;
  DROP TRIGGER IF EXISTS photo_words_on_devices;
  DROP TRIGGER IF EXISTS photo_words_on_delete;
  ${INDEXES.map(([name]) => `DROP INDEX IF EXISTS ${name};`).join('\n  ')}
  DELETE FROM photo_words;
  DELETE FROM search_devices;
  DELETE FROM library_meta WHERE key = '${SEARCH_INDEX_META}';`;

/** Photos whose words one build step fills. */
export const WORDS_PER_STEP = 5000;

/** The words of the search rows with `lo < uid <= hi` (`hi` null: to the end). */
export function fillWordsSql(bounded: boolean): string {
  return `INSERT OR IGNORE INTO photo_words (word, uid)
    SELECT j.value, f.uid FROM photo_facets f, ${SPLIT('f.keywords')} j
    WHERE f.uid > ?${bounded ? ' AND f.uid <= ?' : ''} AND f.keywords <> ''`;
}

/**
 * The build's fixed steps, in order: the triggers first (so a write while the words are filled
 * step by step keeps them right), the devices, then the words (LibraryRepo, WORDS_PER_STEP
 * photos a step), then one index a step.
 */
export const SEARCH_INDEX_HEAD_SQL = `${TRIGGERS}
  INSERT OR IGNORE INTO search_devices SELECT DISTINCT 'camera', camera_id, camera_name, camera_model, camera_slug FROM photo_facets;
  INSERT OR IGNORE INTO search_devices SELECT DISTINCT 'lens', lens_id, lens_name, lens_model, lens_slug FROM photo_facets;`;

export const SEARCH_INDEX_INDEX_SQL: readonly string[] = INDEXES.map(
  ([name, columns]) => `CREATE INDEX IF NOT EXISTS ${name} ON photo_facets (${columns})`,
);
