import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type WritableDb } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';
import { DiskLru } from '../../../main/thumbnails/disk-lru';
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
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const make = (budgetBytes: number) => new DiskLru({ dir, db, budgetBytes, clock, log: createMemoryLogger() });

describe('DiskLru', () => {
  it('keeps the byte budget by evicting the least recently used entries', () => {
    const lru = make(300);
    lru.put('aa1', blob(100));
    clock.advance(1);
    lru.put('bb2', blob(100));
    clock.advance(1);
    lru.put('cc3', blob(100));
    clock.advance(1);
    expect(lru.get('aa1')?.body.length).toBe(100); // aa1 is now the most recent
    clock.advance(1);
    lru.put('dd4', blob(100));
    expect(lru.get('bb2')).toBeUndefined();
    expect(lru.get('aa1')).toBeDefined();
    expect(lru.get('cc3')).toBeDefined();
    expect(lru.totalBytes).toBe(300);
  });

  it('survives a restart (the index is in SQLite) and honours a smaller budget at once', () => {
    make(1000).put('aa1', blob(400));
    clock.advance(1);
    make(1000).put('bb2', blob(400));
    const again = make(1000);
    expect(again.totalBytes).toBe(800);
    again.setBudgetBytes(500);
    expect(again.get('aa1')).toBeUndefined();
    expect(again.get('bb2')).toBeDefined();
  });

  it('treats a file deleted behind its back as a miss', () => {
    const lru = make(1000);
    lru.put('aa1', blob(10));
    unlinkSync(join(dir, 'aa', 'aa1'));
    expect(lru.get('aa1')).toBeUndefined();
    expect(lru.totalBytes).toBe(0);
  });
});
