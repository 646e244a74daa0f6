import type { WritableDb } from '../database';

/**
 * [Note: Month summary]
 * The grid's layout needs every month of a view with its photo count, and each page its view's
 * total. Counting 100k cached photos for that takes ~50 ms (a scan of the view's index with a
 * GROUP BY), on the first screen's path and after every change. `photo_months` keeps those
 * counts per month and per combination of the flags the views filter on, maintained by
 * triggers in the same transaction as the photo rows, so it can never drift from them: a
 * view's months become a read of a few hundred rows (well under a millisecond), and a deep page
 * can start at its month (see LibraryRepo.query) instead of skipping tens of thousands of rows.
 *
 * `reviewed` is `quality >= 3` (the browse views' quality rule, [Note: What each view shows]).
 * Rows whose count falls to 0 are kept (a month may fill again); readers skip them. Searches
 * and albums still count from `photos`: their filters are not flags.
 */
export function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE photo_months (
      month     TEXT NOT NULL,
      archived  INTEGER NOT NULL,
      favorite  INTEGER NOT NULL,
      private   INTEGER NOT NULL,
      reviewed  INTEGER NOT NULL,
      count     INTEGER NOT NULL,
      PRIMARY KEY (month, archived, favorite, private, reviewed)
    ) WITHOUT ROWID, STRICT;

    INSERT INTO photo_months (month, archived, favorite, private, reviewed, count)
      SELECT substr(taken_at_local, 1, 7), archived, favorite, private, quality >= 3, count(*)
      FROM photos GROUP BY 1, 2, 3, 4, 5;

    CREATE TRIGGER photo_months_insert AFTER INSERT ON photos BEGIN
      INSERT INTO photo_months (month, archived, favorite, private, reviewed, count)
        VALUES (substr(NEW.taken_at_local, 1, 7), NEW.archived, NEW.favorite, NEW.private, NEW.quality >= 3, 1)
        ON CONFLICT DO UPDATE SET count = count + 1;
    END;

    CREATE TRIGGER photo_months_delete AFTER DELETE ON photos BEGIN
      UPDATE photo_months SET count = count - 1
        WHERE month = substr(OLD.taken_at_local, 1, 7) AND archived = OLD.archived AND favorite = OLD.favorite
          AND private = OLD.private AND reviewed = (OLD.quality >= 3);
    END;

    -- Only when a counted property changed: re-indexing unchanged rows costs nothing here.
    CREATE TRIGGER photo_months_update AFTER UPDATE OF taken_at_local, archived, favorite, private, quality ON photos
      WHEN substr(OLD.taken_at_local, 1, 7) IS NOT substr(NEW.taken_at_local, 1, 7) OR OLD.archived IS NOT NEW.archived
        OR OLD.favorite IS NOT NEW.favorite OR OLD.private IS NOT NEW.private OR (OLD.quality >= 3) IS NOT (NEW.quality >= 3)
    BEGIN
      UPDATE photo_months SET count = count - 1
        WHERE month = substr(OLD.taken_at_local, 1, 7) AND archived = OLD.archived AND favorite = OLD.favorite
          AND private = OLD.private AND reviewed = (OLD.quality >= 3);
      INSERT INTO photo_months (month, archived, favorite, private, reviewed, count)
        VALUES (substr(NEW.taken_at_local, 1, 7), NEW.archived, NEW.favorite, NEW.private, NEW.quality >= 3, 1)
        ON CONFLICT DO UPDATE SET count = count + 1;
    END;
  `);
}
