import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DATABASE_FILE, openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { LibraryRepo, type PhotoRecord } from '../../../main/library/library-repo';
import { INDEX_WRITE_ROWS } from '../../../main/library/library-service';
import { toPhotoRecord } from '../../../main/library/photo-mapping';
import { SearchPhoto } from '../../../main/photoprism/schemas';
import { benchLogger } from './profile';

/**
 * Rows per page, as the full index pages them: LibraryService's default `pageSize` (one search
 * request = one mapping pass); pages are written INDEX_WRITE_ROWS at a time ([Note: Index writes in batches]).
 */
export const INDEX_PAGE_SIZE = 1000;

/** What {@link measureIngest} found. */
export interface IngestResult {
  /** Rows/s of each run inserting `rows` new photos into an empty database. */
  readonly insertPerS: readonly number[];
  /** Rows/s of re-upserting the same rows unchanged (what every later full index does). */
  readonly unchangedPerS: readonly number[];
  /** Rows per CPU second of each insert run (this process, all threads): steadier than wall time on a shared machine. */
  readonly insertPerCpuS: readonly number[];
  /** CPU µs per row of each insert run spent in toPhotoRecord (the rest of the CPU is upsertPhotos). */
  readonly mapCpuUsPerRow: readonly number[];
}

/**
 * SQLite upsert throughput through the index's own code path: `toPhotoRecord` (the mapping the
 * index applies to every merged search row) then `LibraryRepo.upsertPhotos` in pages of
 * {@link INDEX_PAGE_SIZE}, written {@link INDEX_WRITE_ROWS} at a time, on a migrated temp-file database with the app's pragmas (WAL,
 * synchronous=FULL), inside `bulkWrites` as the full index runs it (one WAL checkpoint); the inserts as a first index
 * writes them, its bulk-load indexes (thumbnail hashes, search rows by uid) dropped before and built after, inside the timed run. JSON parsing and zod are the HTTP client's, and are not timed here:
 * the rows are parsed with the same `SearchPhoto` schema once, up front.
 */
export async function measureIngest(options: { rows: number; runs: number }): Promise<IngestResult> {
  const pages = makePages(options.rows);
  const insertPerS: number[] = [];
  const unchangedPerS: number[] = [];
  const insertPerCpuS: number[] = [];
  const mapCpuUsPerRow: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'photoflare-bench-ingest-'));
    const db = openDatabase(join(dir, DATABASE_FILE));
    try {
      const log = benchLogger('bench-ingest');
      migrate(db, MIGRATIONS, { log });
      const repo = new LibraryRepo(db, log);
      // Into an empty cache, as a first index writes (its bulk-load indexes built at the end, inside the timed run).
      const insert = await timeIngest(repo, pages, { first: true });
      insertPerS.push(options.rows / (insert.wallMs / 1000));
      insertPerCpuS.push(options.rows / (insert.cpuMs / 1000));
      mapCpuUsPerRow.push((insert.mapCpuMs * 1000) / options.rows);
      unchangedPerS.push(options.rows / ((await timeIngest(repo, pages, { first: false })).wallMs / 1000));
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { insertPerS, unchangedPerS, insertPerCpuS, mapCpuUsPerRow };
}

/**
 * One pass over every page as the full index writes it. `first`: a first index (an empty cache),
 * which drops its bulk-load indexes before its pages and builds them after (LibraryService,
 * [Note: A first index builds the hash index at its end]); both inside the timed run.
 */
async function timeIngest(
  repo: LibraryRepo,
  pages: readonly (readonly SearchPhoto[])[],
  options: { first: boolean },
): Promise<{ wallMs: number; cpuMs: number; mapCpuMs: number }> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let mapCpuMs = 0;
  if (options.first) repo.dropBulkLoadIndexes();
  await repo.bulkWrites(async () => {
    // As the full index writes: each page mapped as it arrives, a batch of pages per transaction.
    let batch: PhotoRecord[] = [];
    for (const [i, page] of pages.entries()) {
      const mapBefore = process.cpuUsage();
      for (const row of page) {
        const record = toPhotoRecord(row, { archived: false });
        if (record) batch.push(record);
      }
      mapCpuMs += cpuMs(process.cpuUsage(mapBefore));
      if (batch.length >= INDEX_WRITE_ROWS || i === pages.length - 1) {
        repo.upsertPhotos(batch);
        batch = [];
      }
    }
    if (options.first) repo.buildBulkLoadIndexes();
  });
  return { wallMs: performance.now() - started, cpuMs: cpuMs(process.cpuUsage(cpuBefore)), mapCpuMs };
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/**
 * `rows` merged search results shaped like a PhotoPrism library's, in index-sized pages, in the
 * order the full index receives them: it asks for `order=newest` (LibraryService's full index),
 * so rows arrive newest taken first, and their UIDs (made at indexing time, see syntheticRow)
 * follow no order. Rows in UID order with random dates would insert every page at random
 * places in the grid-ordered tables: a load the index never puts on them.
 */
export function makePages(rows: number): SearchPhoto[][] {
  const all: SearchPhoto[] = [];
  for (let i = 0; i < rows; i++) all.push(SearchPhoto.parse(syntheticRow(i)));
  // Newest first as text (ISO 8601 UTC sorts as time); ties in any fixed order (by UID).
  all.sort((a, b) => (a.TakenAt === b.TakenAt ? (a.UID < b.UID ? 1 : -1) : a.TakenAt < b.TakenAt ? 1 : -1));
  const pages: SearchPhoto[][] = [];
  for (let start = 0; start < all.length; start += INDEX_PAGE_SIZE) pages.push(all.slice(start, start + INDEX_PAGE_SIZE));
  return pages;
}

const CAMERAS = ['iPhone 15 Pro', 'Canon EOS R6', 'Pixel 8', 'X-T5', 'ILCE-7M4'] as const;
const PLACES = ['Berlin, Germany', 'Lisbon, Portugal', 'Kyoto, Japan', 'Unknown', 'Zürich, Switzerland'] as const;

/**
 * One row with realistic sizes: a 16-character UID, SHA-1 hashes, a date spread over 15 years,
 * camera and place strings, one primary JPEG (and a sidecar for every fifth photo).
 */
function syntheticRow(i: number): unknown {
  // PhotoPrism's UIDs: the prefix, six base-36 digits of the Unix time of indexing, nine random
  // ones (PhotoPrism pkg/rnd/uid.go, generateUID): a library indexed in a few batches.
  // Distinct per row (i times a constant, below 36^9 for any library we bench), unordered by date.
  const uid = `p${(1_700_000_000 + (i % 4) * 86_400).toString(36).slice(0, 6)}${(i * 48_271_043).toString(36).padStart(9, '0')}`;
  const hash = createHash('sha1').update(uid).digest('hex');
  const taken = new Date(Date.UTC(2010, 0, 1) + ((i * 7_919_333) % (15 * 365 * 86_400)) * 1000).toISOString();
  const name = `${taken.slice(0, 4)}/${taken.slice(5, 7)}/IMG_${String(i).padStart(6, '0')}.jpg`;
  const files = [
    {
      UID: `f${uid.slice(1)}`,
      Name: name,
      Root: '/',
      Hash: hash,
      Size: 2_000_000 + (i % 3_000_000),
      Primary: true,
      Sidecar: false,
      FileType: 'jpg',
      Width: 4032,
      Height: 3024,
    },
  ];
  if (i % 5 === 0) {
    files.push({
      UID: `s${uid.slice(1)}`,
      Name: `${name}.xmp`,
      Root: 'sidecar',
      Hash: createHash('sha1').update(name).digest('hex'),
      Size: 4_000,
      Primary: false,
      Sidecar: true,
      FileType: 'xmp',
      Width: 0,
      Height: 0,
    });
  }
  return {
    UID: uid,
    Type: i % 40 === 0 ? 'video' : 'image',
    TakenAt: taken,
    Title: `Photo ${i} in ${PLACES[i % PLACES.length]}`,
    Description: '',
    Caption: i % 7 === 0 ? 'A caption someone typed' : '',
    Favorite: i % 13 === 0,
    Private: i % 50 === 0,
    Iso: 100 * (1 + (i % 32)),
    FocalLength: 24 + (i % 50),
    FNumber: 1.8 + (i % 10) / 2,
    Exposure: `1/${60 + (i % 1000)}`,
    CameraModel: CAMERAS[i % CAMERAS.length],
    LensMake: 'RF24-105mm F4 L IS USM',
    LensModel: '',
    Lat: 40 + (i % 1000) / 100,
    Lng: -3 + (i % 700) / 100,
    PlaceLabel: PLACES[i % PLACES.length],
    FileName: name,
    Hash: hash,
    Width: 4032,
    Height: 3024,
    UpdatedAt: '2024-12-13T10:00:00Z',
    DeletedAt: '',
    Files: files,
  };
}
