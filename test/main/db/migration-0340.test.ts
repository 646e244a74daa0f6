import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { LibraryRepo } from '../../../main/library/library-repo';
import { createMemoryLogger } from '../../../main/log/logger';
import { photoRecord } from '../../helpers/photo-record';

describe('migration 0340: video index', () => {
  it('indexes the video rows a cache already holds, and the Videos view reads them from it', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 290 });
    const repo = new LibraryRepo(db, log);
    repo.upsertPhotos([
      photoRecord(1, { type: 'video', takenAtLocal: '2024-05-01T12:00:00' }),
      photoRecord(2, { type: 'image' }),
      photoRecord(3, { type: 'video', takenAtLocal: '2024-06-01T12:00:00' }),
      photoRecord(4, { type: 'video', archived: true }),
    ]);

    migrate(db, MIGRATIONS, { log });
    const fresh = new LibraryRepo(db, log);
    expect(fresh.viewTotal({ kind: 'videos' })).toBe(2);
    expect(fresh.query({ kind: 'videos' }, '', 0, 10).photos.map((p) => p.uid)).toEqual(['p000000000000003', 'p000000000000001']);
    const indexed = db
      .prepare(`SELECT count(*) AS n FROM photo_facets INDEXED BY photo_facets_videos WHERE type = 'video' AND archived = 0`)
      .get() as {
      n: number;
    };
    expect(indexed.n).toBe(2);
    // Rows written after the migration are in it too.
    fresh.upsertPhotos([photoRecord(5, { type: 'video' })]);
    expect(fresh.viewTotal({ kind: 'videos' })).toBe(3);
  });
});
