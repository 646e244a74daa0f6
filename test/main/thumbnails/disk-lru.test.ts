import { existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type WritableDb } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';
import { ForegroundWork } from '../../../main/platform/foreground-work';
import { DiskLru, INDEX_FLUSH_DELAY_MS } from '../../../main/thumbnails/disk-lru';
import { FakeClock } from '../library/helpers';

let dir: string;
let db: WritableDb;
const clock = new FakeClock();
const blob = (bytes: number) => ({ contentType: 'image/jpeg', body: Buffer.alloc(bytes, 1) });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pf-lru-'));
  db = openDatabase(':memory:');
  migrate(db, MIGRATIONS, { log: createMemoryLogger() });
});
/** Every cache a test made: their file writes end before the folder is removed. */
const made: DiskLru[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((lru) => lru.settled()));
  rmSync(dir, { recursive: true, force: true });
});

const track = (lru: DiskLru) => (made.push(lru), lru);
const make = (budgetBytes: number) => track(new DiskLru({ dir, db, budgetBytes, clock, log: createMemoryLogger() }));

describe('DiskLru', () => {
  it('keeps the byte budget by evicting the least recently used entries', async () => {
    const lru = make(300);
    lru.put('aa1', blob(100));
    clock.advance(1);
    lru.put('bb2', blob(100));
    clock.advance(1);
    lru.put('cc3', blob(100));
    clock.advance(1);
    expect((await lru.get('aa1'))?.body.length).toBe(100); // aa1 is now the most recent
    clock.advance(1);
    lru.put('dd4', blob(100));
    expect(await lru.get('bb2')).toBeUndefined();
    expect(await lru.get('aa1')).toBeDefined();
    expect(await lru.get('cc3')).toBeDefined();
    expect(lru.totalBytes).toBe(300);
  });

  it('says whether it holds an entry without reading its file or counting it as used', async () => {
    const lru = make(200);
    expect(lru.has('aa1')).toBe(false);
    lru.put('aa1', blob(100));
    expect(lru.has('aa1')).toBe(true); // while its file is written
    await lru.settled();
    lru.flush();
    expect(lru.has('aa1')).toBe(true); // from the index
    clock.advance(1);
    lru.put('bb2', blob(100));
    clock.advance(1);
    // Asking did not make aa1 the most recent: it is the one evicted.
    expect(lru.has('aa1')).toBe(true);
    lru.put('cc3', blob(100));
    expect(lru.has('aa1')).toBe(false);
    expect(lru.has('bb2')).toBe(true);
  });

  it('survives a restart (the index is in SQLite) and honours a smaller budget at once', async () => {
    const first = make(1000);
    first.put('aa1', blob(400));
    await first.dispose();
    clock.advance(1);
    const second = make(1000);
    second.put('bb2', blob(400));
    await second.dispose();
    const again = make(1000);
    expect(again.totalBytes).toBe(800);
    again.setBudgetBytes(500);
    expect(await again.get('aa1')).toBeUndefined();
    expect(await again.get('bb2')).toBeDefined();
  });

  it('writes its index in one batch after a burst of thumbnails, not one synchronous commit per thumbnail', async () => {
    // Each commit is fsynced (main/db/database.ts): one per thumbnail stalled main for every
    // tile of a screen. A second connection sees whether anything was committed.
    const path = join(dir, 'index.db');
    const fileDb = openDatabase(path);
    migrate(fileDb, MIGRATIONS, { log: createMemoryLogger() });
    const observer = openDatabase(path);
    const committed = (() => {
      let last = observer.pragma('data_version', { simple: true });
      return () => {
        const now = observer.pragma('data_version', { simple: true });
        const changed = now !== last;
        last = now;
        return changed;
      };
    })();
    const lru = track(new DiskLru({ dir, db: fileDb, budgetBytes: 10_000, clock, log: createMemoryLogger() }));
    for (let i = 0; i < 40; i++) lru.put(`k${String(i).padStart(2, '0')}`, blob(100));
    for (let i = 0; i < 40; i += 3) expect((await lru.get(`k${String(i).padStart(2, '0')}`))?.body.length).toBe(100);
    expect(committed()).toBe(false);
    expect(lru.totalBytes).toBe(4000);

    clock.advance(INDEX_FLUSH_DELAY_MS);
    expect(committed()).toBe(true);
    expect(observer.prepare('SELECT count(*) AS n, sum(bytes) AS bytes FROM thumbnail_cache').get()).toEqual({ n: 40, bytes: 4000 });
    // The uses were kept too: the ones read last are the most recent.
    const newest = observer.prepare('SELECT key FROM thumbnail_cache ORDER BY last_used_at DESC, key DESC LIMIT 1').get();
    expect(newest).toEqual({ key: 'k39' });
    observer.close();
    fileDb.close();
  });

  it('flushes what it has not written yet when disposed, and evicts from the unflushed entries too', async () => {
    const lru = make(250);
    lru.put('aa1', blob(100));
    clock.advance(1);
    lru.put('bb2', blob(100));
    clock.advance(1);
    lru.put('cc3', blob(100)); // over budget: the oldest goes at once
    expect(await lru.get('aa1')).toBeUndefined();
    expect(lru.totalBytes).toBe(200);
    await lru.dispose();
    expect(make(250).totalBytes).toBe(200);
  });

  it('stores again after its folder was deleted behind its back', async () => {
    const lru = make(1000);
    lru.put('aa1', blob(10));
    await lru.settled();
    rmSync(join(dir, 'aa'), { recursive: true, force: true });
    lru.put('aa2', blob(20));
    expect((await lru.get('aa2'))?.body.length).toBe(20);
    expect(await lru.get('aa1')).toBeUndefined();
  });

  it('treats a file deleted behind its back as a miss', async () => {
    const lru = make(1000);
    lru.put('aa1', blob(10));
    await lru.settled();
    unlinkSync(join(dir, 'aa', 'aa1'));
    expect(await lru.get('aa1')).toBeUndefined();
    expect(lru.totalBytes).toBe(0);
  });

  it('answers a new entry from memory while its file is written, then from disk', async () => {
    const lru = make(1000);
    lru.put('aa1', blob(10));
    expect((await lru.get('aa1'))?.body.length).toBe(10);
    await lru.settled();
    expect(readdirSync(join(dir, 'aa'))).toEqual(['aa1']);
    expect((await lru.get('aa1'))?.body.length).toBe(10);
  });

  it('writes a new file only once the screen’s requests are quiet, answering from memory meanwhile', async () => {
    const foreground = new ForegroundWork({ clock, quietMs: 250, maxWaitMs: 2000 });
    const lru = track(new DiskLru({ dir, db, budgetBytes: 1000, clock, log: createMemoryLogger(), foreground }));
    let endRequest: () => void = () => undefined;
    const request = foreground.run(() => new Promise<void>((resolve) => (endRequest = resolve)));
    lru.put('aa1', blob(10));
    // Give a write that did not wait every chance to reach the disk.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(join(dir, 'aa', 'aa1'))).toBe(false);
    expect((await lru.get('aa1'))?.body.length).toBe(10);
    endRequest();
    await request;
    clock.advance(250);
    await lru.settled();
    expect(readdirSync(join(dir, 'aa'))).toEqual(['aa1']);
    expect((await lru.get('aa1'))?.body.length).toBe(10);
  });

  it('writes the files still waiting for a quiet screen at once when disposed: quitting never waits for the screen', async () => {
    // The clock stands still: a shutdown that waited for quiet (or for its bound) would hang.
    const foreground = new ForegroundWork({ clock, quietMs: 250, maxWaitMs: 2000 });
    const lru = track(new DiskLru({ dir, db, budgetBytes: 1000, clock, log: createMemoryLogger(), foreground }));
    void foreground.run(() => new Promise<void>(() => undefined));
    lru.put('aa1', blob(10));
    await lru.dispose();
    expect(readdirSync(join(dir, 'aa'))).toEqual(['aa1']);
  });

  it('a file it cannot write (disk full, a file where its folder goes) costs only that entry, with a warning', async () => {
    const log = createMemoryLogger();
    const lru = track(new DiskLru({ dir, db, budgetBytes: 1000, clock, log }));
    writeFileSync(join(dir, 'aa'), 'not a folder');
    expect(() => lru.put('aa1', blob(10))).not.toThrow();
    lru.put('bb1', blob(20));
    await lru.settled();
    expect(await lru.get('aa1')).toBeUndefined();
    expect((await lru.get('bb1'))?.body.length).toBe(20);
    expect(lru.totalBytes).toBe(20);
    expect(log.lines.some((line) => line.includes('could not store a thumbnail in the disk cache'))).toBe(true);
  });

  it('an entry evicted while its file is written leaves no file behind', async () => {
    const lru = make(150);
    lru.put('aa1', blob(100));
    clock.advance(1);
    lru.put('bb1', blob(100)); // over budget: aa1 goes before its file is written
    await lru.settled();
    // Its write never started (it waits a turn, see #writeWhenQuiet) or deleted its temp file.
    expect(existsSync(join(dir, 'aa')) ? readdirSync(join(dir, 'aa')) : []).toEqual([]);
    expect(await lru.get('aa1')).toBeUndefined();
    expect(lru.totalBytes).toBe(100);
  });
});
