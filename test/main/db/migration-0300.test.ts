import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { LibraryRepo } from '../../../main/library/library-repo';
import { createMemoryLogger } from '../../../main/log/logger';

describe('migration 0300: search words', () => {
  it('upgrades a cache without holding its start: searches walk the rows until the index is built from the cached keywords', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 290 });
    const insert = db.prepare(
      `INSERT INTO photos (uid, title, description, taken_at, taken_at_local, quality, width, height, type, favorite, private, archived,
        thumb_hash, file_name, file_size, camera_model, lens_model, iso, exposure, f_number, focal_length, place_label, lat, lng, server_updated_at)
       VALUES (?, ?, '', ?, ?, 4, 1, 1, 'image', 0, 0, 0, '', '', 0, '', '', 0, '', 0, 0, '', 0, 0, '')`,
    );
    insert.run('p000000000000001', 'Beach Lisbon', '2024-05-01T10:00:00.000Z', '2024-05-01T12:00:00');
    insert.run('p000000000000002', 'Forest', '2024-06-01T10:00:00.000Z', '2024-06-01T12:00:00');
    db.prepare(
      `INSERT INTO photo_facets VALUES ('2024-05-01T12:00:00', 'p000000000000001', 0, 0, 0, 4, 'image', 'Beach Lisbon', 2024, 5, 1, 'pt',
        'Lisboa', 'Lisbon', 3, 'Canon EOS 6D', 'EOS 6D', 'canon-eos-6d', 2, 'EF 24mm', 'EF 24mm', 'ef-24mm', 1, '2024/05', 'IMG_1.jpg',
        ' beach lisbon ')`,
    ).run();
    db.prepare(
      `INSERT INTO photo_facets VALUES ('2024-06-01T12:00:00', 'p000000000000002', 0, 0, 0, 4, 'image', 'Forest', 2024, 6, 1, 'de',
        'Berlin', 'Berlin', 4, 'Sony ILCE-7M3', 'ILCE-7M3', 'sony-ilce-7m3', 1, 'Unknown', 'Unknown', 'zz', 0, '2024/06', 'IMG_2.jpg',
        ' forest ')`,
    ).run();
    db.prepare(`INSERT INTO library_meta (key, value) VALUES ('lastFullIndexAt', '1')`).run();

    migrate(db, MIGRATIONS, { log });
    const repo = new LibraryRepo(db, log);
    const found = (q: string) => repo.query({ kind: 'all' }, q, 0, 10).photos.map((p) => p.uid);
    // Nothing built during the upgrade: the tables are empty, the rows answer.
    expect(db.prepare('SELECT count(*) AS n FROM photo_words').get()).toEqual({ n: 0 });
    expect(repo.searchIndexReady()).toBe(false);
    const before = ['beach', 'lisb', 'camera:canon', 'camera:sony', 'forest & beach', 'year:2024'].map(found);
    expect(before).toEqual([
      ['p000000000000001'],
      ['p000000000000001'],
      ['p000000000000001'],
      ['p000000000000002'],
      [],
      ['p000000000000002', 'p000000000000001'],
    ]);
    // No re-index is needed: the next full index stays incremental.
    expect(repo.getMeta('lastFullIndexAt')).toBe('1');

    let steps = 0;
    while (!repo.buildSearchIndexStep()) steps++;
    expect(steps).toBeGreaterThan(2);
    expect(repo.searchIndexReady()).toBe(true);
    expect(db.prepare('SELECT word, uid FROM photo_words ORDER BY word').all()).toEqual([
      { word: 'beach', uid: 'p000000000000001' },
      { word: 'forest', uid: 'p000000000000002' },
      { word: 'lisbon', uid: 'p000000000000001' },
    ]);
    expect(['beach', 'lisb', 'camera:canon', 'camera:sony', 'forest & beach', 'year:2024'].map(found)).toEqual(before);
    // Ready is remembered: a new repo (the next start) uses the index at once.
    expect(new LibraryRepo(db, log).searchIndexReady()).toBe(true);
    db.close();
  });
});
