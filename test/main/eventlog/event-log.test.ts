import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase, type WritableDb } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { EventLog } from '../../../main/eventlog/event-log';
import { createMemoryLogger } from '../../../main/log/logger';
import { makeEvents, MAX_ENTITIES_PER_EVENT, SyncEvent } from '../../../shared/events/schema';

function openLog(now = () => 1_700_000_000_000): { db: WritableDb; log: EventLog } {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS, { log: createMemoryLogger() });
  let n = 0;
  const log = new EventLog({ db, log: createMemoryLogger(), now, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
  return { db, log };
}

const P1 = 'ptajmyx4rf5gni6h';
const P2 = 'pqbcdefghijklmn2';
const A1 = 'aqbcdefghijklmn1';

describe('the synced event schema (strict)', () => {
  it('accepts exactly the seed event', () => {
    const seed = { event: 'photos.updated', data: { entities: [{ UID: 'ptajmyx4rf5gni6h' }] } };
    expect(SyncEvent.parse(seed)).toEqual(seed);
  });

  it.each([
    ['an extra top-level key', { event: 'photos.updated', data: { entities: [{ UID: P1 }] }, device: 'mac' }],
    ['an extra key in data', { event: 'photos.updated', data: { entities: [{ UID: P1 }], title: 'x' } }],
    ['an extra key on an entity', { event: 'photos.updated', data: { entities: [{ UID: P1, Title: 'Beach' }] } }],
    ['an unknown event name', { event: 'photos.liked', data: { entities: [{ UID: P1 }] } }],
    ['an album UID in a photo event', { event: 'photos.updated', data: { entities: [{ UID: A1 }] } }],
    ['a photo UID in an album event', { event: 'albums.updated', data: { entities: [{ UID: P1 }] } }],
    ['an upper-case UID', { event: 'photos.updated', data: { entities: [{ UID: 'PTAJMYX4RF5GNI6H' }] } }],
    ['a short UID', { event: 'photos.updated', data: { entities: [{ UID: 'p123' }] } }],
    ['no entities', { event: 'photos.updated', data: { entities: [] } }],
    ['a file path as UID', { event: 'photos.updated', data: { entities: [{ UID: '/photos/2024/a.jpg' }] } }],
  ])('rejects %s', (_what, payload) => {
    expect(SyncEvent.safeParse(payload).success).toBe(false);
  });

  it('splits an action over many items at the documented cap, deduplicated', () => {
    const uids = Array.from({ length: 450 }, (_, i) => `p${i.toString(36).padStart(15, '0')}`);
    const events = makeEvents('photos.updated', [...uids, uids[0] as string]);
    expect(events.map((e) => e.data.entities.length)).toEqual([MAX_ENTITIES_PER_EVENT, MAX_ENTITIES_PER_EVENT, 50]);
    expect(events.flatMap((e) => e.data.entities.map((x) => x.UID))).toEqual(uids);
  });
});

describe('EventLog', () => {
  it('stores events as local-only while iCloud Sync is off, and never offers them for push', () => {
    const { log } = openLog();
    log.appendLocal(makeEvents('photos.updated', [P1]), { syncEnabled: false, action: 'favourite' });
    expect(log.pending(100)).toEqual([]);
    expect(log.countPending()).toBe(0);
    expect(log.recent(10)[0]).toMatchObject({ status: 'local-only', summary: 'Favourited 1 photo' });
  });

  it('queues events as pending while sync is on, oldest first, until pushed', () => {
    const { log } = openLog();
    const [first] = log.appendLocal(makeEvents('photos.updated', [P1]), { syncEnabled: true });
    const [second] = log.appendLocal(makeEvents('albums.created', [A1]), { syncEnabled: true });
    expect(log.pending(10).map((e) => e.id)).toEqual([first?.id, second?.id]);
    log.markPushed([first?.id as string]);
    expect(log.pending(10).map((e) => e.id)).toEqual([second?.id]);
    expect(log.countPending()).toBe(1);
  });

  it('describes events as a person would read them, with the raw JSON alongside', () => {
    const { log } = openLog();
    log.appendLocal(makeEvents('photos.updated', [P1, P2]), { syncEnabled: false, action: 'add-to-album', detail: 'Holiday 2024' });
    const [entry] = log.recent(1);
    expect(entry?.summary).toBe('Added 2 photos to “Holiday 2024”');
    expect(entry?.event).toEqual({ event: 'photos.updated', data: { entities: [{ UID: P1 }, { UID: P2 }] } });
  });

  it('ties the events of one action together, marking the ones that only accompany it', () => {
    const { log } = openLog();
    log.transaction(() => {
      log.appendLocal(makeEvents('photos.updated', [P1]), { syncEnabled: true, action: 'add-to-album', detail: 'Trip', groupId: 'g1' });
      log.appendLocal(makeEvents('albums.updated', [A1]), { syncEnabled: true, groupId: 'g1' });
    });
    log.appendLocal(makeEvents('photos.updated', [P2]), { syncEnabled: true, action: 'favourite' });
    const [alone, companion, primary] = log.recent(10);
    expect(alone).toMatchObject({ groupId: null, companion: false });
    expect(companion).toMatchObject({ groupId: 'g1', companion: true });
    expect(primary).toMatchObject({ groupId: 'g1', companion: false, summary: 'Added 1 photo to “Trip”' });
  });

  it('refuses to append anything outside the schema, and stores nothing', () => {
    const { log } = openLog();
    const bad = { event: 'photos.updated', data: { entities: [{ UID: P1, FileName: 'IMG_0001.jpg' }] } } as unknown as SyncEvent;
    expect(() => log.appendLocal([makeEvents('photos.updated', [P2])[0] as SyncEvent, bad], { syncEnabled: true })).toThrow();
    // All or nothing: the valid event before the bad one was rolled back too.
    expect(log.recent(10)).toEqual([]);
  });

  it('rolls the append back with the surrounding transaction (cache update + event are one unit)', () => {
    const { db, log } = openLog();
    expect(() =>
      db.transaction(() => {
        log.appendLocal(makeEvents('photos.updated', [P1]), { syncEnabled: true });
        throw new Error('cache update failed');
      })(),
    ).toThrow('cache update failed');
    expect(log.countPending()).toBe(0);
  });

  it('inserts remote records once, recognises its own events, and quarantines bad ones', () => {
    const { log } = openLog();
    const [own] = log.appendLocal(makeEvents('photos.updated', [P1]), { syncEnabled: true });
    const result = log.insertRemote([
      { id: own?.id as string, payload: own?.event },
      { id: 'remote-1', payload: { event: 'photos.archived', data: { entities: [{ UID: P2 }] } } },
      { id: 'remote-2', payload: { event: 'photos.updated', data: { entities: [{ UID: P2 }] }, title: 'leak' } },
      { id: 'remote-3', payload: 'not even an object' },
    ]);
    expect(result).toEqual({ inserted: ['remote-1'], quarantined: ['remote-2', 'remote-3'], known: [own?.id] });
    // Pulling the same page again changes nothing.
    expect(log.insertRemote([{ id: 'remote-1', payload: { event: 'photos.archived', data: { entities: [{ UID: P2 }] } } }]).known).toEqual([
      'remote-1',
    ]);
    expect(log.unapplied().map((e) => e.id)).toEqual(['remote-1']);
    log.markApplied(['remote-1']);
    expect(log.unapplied()).toEqual([]);
    const quarantined = log.recent(10).filter((e) => e.status === 'quarantined');
    expect(quarantined.map((e) => e.event)).toEqual([null, null]);
  });

  it('keeps a small key/value cursor for the sync engine', () => {
    const { log } = openLog();
    expect(log.getMeta('zoneSyncToken')).toBeUndefined();
    log.setMeta('zoneSyncToken', 'abc');
    log.setMeta('zoneSyncToken', 'def');
    expect(log.getMeta('zoneSyncToken')).toBe('def');
    log.setMeta('zoneSyncToken', undefined);
    expect(log.getMeta('zoneSyncToken')).toBeUndefined();
  });

  it('finds events past the retention horizon', () => {
    let now = 1_000;
    const { log } = openLog(() => now);
    const [old] = log.appendLocal(makeEvents('photos.updated', [P1]), { syncEnabled: true });
    now = 50_000;
    log.appendLocal(makeEvents('photos.updated', [P2]), { syncEnabled: true });
    expect(log.olderThan(10_000, 100).map((e) => e.id)).toEqual([old?.id]);
    log.delete([old?.id as string]);
    expect(log.has(old?.id as string)).toBe(false);
  });

  it('answers the outbox and replay queries from the (status, seq) index', () => {
    const { db } = openLog();
    for (const sql of [
      `SELECT * FROM events WHERE status = 'pending' ORDER BY seq LIMIT 200`,
      `SELECT * FROM events WHERE status = 'received' ORDER BY seq LIMIT 200`,
    ]) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('\n');
      expect(plan).toContain('USING INDEX events_status_seq');
      expect(plan).not.toContain('TEMP B-TREE');
    }
  });

  it('property: any sequence of appends stores only names and UIDs that pass the strict schema', () => {
    const uid = (prefix: string) => fc.stringMatching(/^[0-9a-z]{15}$/).map((rest) => `${prefix}${rest}`);
    const action = fc.oneof(
      fc.record({
        name: fc.constantFrom('photos.updated', 'photos.archived', 'photos.restored', 'photos.deleted' as const),
        uids: fc.array(uid('p'), { minLength: 1, maxLength: 450 }),
      }),
      fc.record({
        name: fc.constantFrom('albums.created', 'albums.updated', 'albums.deleted' as const),
        uids: fc.array(uid('a'), { minLength: 1, maxLength: 5 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 8 }), fc.boolean(), (actions, syncEnabled) => {
        const { db, log } = openLog();
        for (const a of actions) log.appendLocal(makeEvents(a.name, a.uids), { syncEnabled, detail: 'Some album title' });
        const rows = db.prepare(`SELECT name, uids FROM events`).all() as Array<{ name: string; uids: string }>;
        for (const row of rows) {
          const uids = JSON.parse(row.uids) as string[];
          expect(SyncEvent.safeParse({ event: row.name, data: { entities: uids.map((UID) => ({ UID })) } }).success).toBe(true);
        }
        const total = actions.reduce((n, a) => n + new Set(a.uids).size, 0);
        expect(rows.reduce((n, r) => n + (JSON.parse(r.uids) as string[]).length, 0)).toBe(total);
      }),
      { numRuns: 40 },
    );
  });
});
