import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DATABASE_FILE, openDatabase, type WritableDb } from '../../main/db/database';
import { migrate } from '../../main/db/migrate';
import { MIGRATIONS } from '../../main/db/migrations';
import { EventLog } from '../../main/eventlog/event-log';
import { createMemoryLogger } from '../../main/log/logger';
import type { SyncEvent } from '../../shared/events/schema';
import { median, type Bench } from './harness';

const EVENTS_PER_TRANSACTION = 1000;
const TRANSACTIONS = 50;
const ROUNDS = 3;

/** A valid 16-character photo UID for the i-th event (base36, `p` prefix). */
function photoUid(i: number): string {
  return `p${i.toString(36).padStart(15, '0')}`;
}

/** Events per second appending 1-UID events, 1,000 per transaction (one appendLocal call each). */
function measure(db: WritableDb, round: number): number {
  const log = new EventLog({ db, log: createMemoryLogger() });
  const batches: SyncEvent[][] = [];
  for (let t = 0; t < TRANSACTIONS; t++) {
    const batch: SyncEvent[] = [];
    for (let i = 0; i < EVENTS_PER_TRANSACTION; i++) {
      const n = (round * TRANSACTIONS + t) * EVENTS_PER_TRANSACTION + i;
      batch.push({ event: 'photos.updated', data: { entities: [{ UID: photoUid(n) }] } });
    }
    batches.push(batch);
  }
  const started = performance.now();
  for (const batch of batches) log.appendLocal(batch, { syncEnabled: true, action: 'favourite' });
  const elapsedMs = performance.now() - started;
  return (TRANSACTIONS * EVENTS_PER_TRANSACTION) / (elapsedMs / 1000);
}

/**
 * `eventlog.append_per_s`: how fast the event log takes local events when they come in batches,
 * as a 5,000-photo action appends them (strict schema parse + id + insert, one transaction per
 * 1,000). In memory (the SQL and validation cost alone) and in a WAL file on disk (what the app
 * does; synchronous=NORMAL, so commits do not fsync).
 */
export const eventLogBench: Bench = {
  name: 'eventlog',
  async run() {
    const memory = openDatabase(':memory:');
    migrate(memory, MIGRATIONS, { log: createMemoryLogger() });
    const memorySamples = Array.from({ length: ROUNDS }, (_, round) => measure(memory, round));
    memory.close();

    const dir = mkdtempSync(join(tmpdir(), 'photoflare-bench-eventlog-'));
    const file = openDatabase(join(dir, DATABASE_FILE));
    migrate(file, MIGRATIONS, { log: createMemoryLogger() });
    const fileSamples = Array.from({ length: ROUNDS }, (_, round) => measure(file, round));
    file.close();
    rmSync(dir, { recursive: true, force: true });

    const target = { op: '>=' as const, value: 50_000 };
    return [
      { name: 'eventlog.append_per_s', value: median(fileSamples), target, note: 'temp-file WAL DB, 1,000 1-UID events per transaction' },
      { name: 'eventlog.append_memory_per_s', value: median(memorySamples), target, note: 'in-memory DB, same batches' },
    ];
  },
};
