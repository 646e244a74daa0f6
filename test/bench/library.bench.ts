import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../main/db/database';
import { measureBrowser, SCROLL_DURATION_MS, VIEWPORT, type BrowserResult } from './library/browser';
import { indexLibrary } from './library/index-run';
import { INDEX_PAGE_SIZE, measureIngest } from './library/ingest';
import { INDEX_WRITE_ROWS } from '../../main/library/library-service';
import { ensureRendererBuilt } from './library/paths';
import { median, percentile, type Bench, type Metric } from './harness';

/** The library size the targets are stated for. */
const PHOTOS = 100_000;
const ALBUMS = 8;
/** Thumbnails on disk before the offline runs: the first screens plus the whole scroll path. */
const WARM_THUMBNAILS = 1200;
const INGEST_RUNS = 3;
const PAGE_LOADS = 5;
const QUICK_CHECK_RUNS = 3;
const MIB = 1024 * 1024;
/** A rAF interval this long means at least one 60 Hz frame was missed (1.5 × 16.7 ms). */
const DROPPED_FRAME_MS = 25;

/**
 * The large-library figures: a full index of 100k photos over loopback HTTP, SQLite ingest
 * throughput, cold start to first grid paint from the cache, scroll smoothness and the
 * renderer's heap, in Debian's Chromium through the web shell.
 *
 * Order matters: the index builds the 100k profile (cache, stored session, thumbnails of the
 * first screens) that the offline browser runs then open with the server stopped.
 * Takes about 2–3 minutes on our 2-core machines; every temp folder, the emulator process,
 * the web shells and the browser are gone when it returns (or throws).
 */
export const libraryBench: Bench = {
  name: 'library',
  async run() {
    // `--no-browser`: the index and ingest figures alone (no renderer build, no Chromium runs).
    const browserRuns = !process.argv.includes('--no-browser');
    const rendererDir = browserRuns ? ensureRendererBuilt() : '';
    const ingest = await measureIngest({ rows: PHOTOS, runs: INGEST_RUNS });
    const index = await indexLibrary({ photos: PHOTOS, albums: ALBUMS, seed: 1, warmThumbnails: browserRuns ? WARM_THUMBNAILS : 0 });
    try {
      const browser = !browserRuns
        ? undefined
        : chromiumInstalled()
          ? await measureBrowser({ profileDir: index.profileDir, rendererDir, loads: PAGE_LOADS })
          : undefined;
      const quickCheckMs = browserRuns ? measureQuickCheck(index.profileDir) : [];
      const cached = index.cached.all + index.cached.archived;
      const metrics: Metric[] = [
        {
          name: 'library.index_100k_s',
          value: index.indexMs / 1000,
          target: { op: '<=', value: 5 },
          note: `one run (it is long): sign-in → lastRefreshedAt, ${cached} photos + ${ALBUMS} albums, emulator in its own process`,
        },
        // Where the index's time goes: see [Note: Where the index's time goes] in library/index-run.ts.
        {
          name: 'library.index_100k_our_cpu_s',
          value: index.ourCpuMs / 1000,
          note: `our process's CPU time (all threads) during the index; main thread busy ${(index.clientShare * 100).toFixed(0)} % of the wall time`,
        },
        {
          name: 'library.index_100k_server_cpu_s',
          value: index.serverCpuMs / 1000,
          note: `the emulator process's CPU time during the index (${(index.serverShare * 100).toFixed(0)} % of the wall time): building, serialising and gzipping pages`,
        },
        {
          name: 'library.index_100k_our_idle_s',
          value: index.ourIdleMs / 1000,
          note: 'our main thread idle during the index: waiting on the server (or a timer)',
        },
        {
          name: 'library.ingest_photos_per_s',
          value: median(ingest.insertPerS),
          target: { op: '>=', value: 40_000 },
          note: `median of ${INGEST_RUNS} (${ingest.insertPerS.map((r) => Math.round(r)).join(', ')}): toPhotoRecord + LibraryRepo.upsertPhotos of synthetic rows newest first (as the index asks), pages of ${INDEX_PAGE_SIZE} written ${INDEX_WRITE_ROWS} at a time, temp-file WAL db; unchanged re-upsert ${Math.round(median(ingest.unchangedPerS))}/s; ${Math.round(median(ingest.insertPerCpuS))} rows per CPU second, of which toPhotoRecord ${median(ingest.mapCpuUsPerRow).toFixed(1)} µs/row`,
        },
        {
          name: 'library.months_100k_ms',
          value: median(index.monthsMs),
          target: { op: '<=', value: 10 },
          note: `median of ${index.monthsMs.length} library.months calls for All Photos over IPC on the ${cached} cache (p95 ${percentile(index.monthsMs, 95).toFixed(1)}); from photo_months`,
        },
        {
          name: 'library.deep_page_100k_ms',
          value: median(index.deepPageMs),
          note: `median of ${index.deepPageMs.length} library.query calls of 100 photos at 80 % of All Photos (a scrubber jump's page), total included`,
        },
        ...(browser ? browserMetrics(browser) : browserRuns ? missingBrowserMetrics() : []),
        ...(browser ? launchMetrics(browser, quickCheckMs) : []),
      ];
      const warnings = [...index.warnings, ...(browser?.warnings ?? [])].filter(
        (w) => !w.includes('secrets are kept in a 0600 file') && !w.includes('server unreachable; working from the cache'),
      );
      if (warnings.length > 0)
        process.stderr.write(`library bench: ${warnings.length} unexpected warnings, first:\n${warnings.slice(0, 3).join('\n')}\n`);
      return metrics;
    } finally {
      rmSync(index.profileDir, { recursive: true, force: true });
    }
  },
};

const TARGETS = {
  firstPaintMs: { op: '<=', value: 400 },
  frameP95Ms: { op: '<=', value: 16.7 },
  heapMb: { op: '<=', value: 200 },
} as const;

function browserMetrics(browser: BrowserResult): Metric[] {
  const frames = browser.frameIntervalsMs;
  const p95 = percentile(frames, 95);
  return [
    {
      name: 'library.first_paint_ms',
      value: median(browser.firstPaintMs),
      target: TARGETS.firstPaintMs,
      note: `median of ${PAGE_LOADS} fresh contexts (${browser.firstPaintMs.map((v) => Math.round(v)).join(', ')}), ${VIEWPORT.width}×${VIEWPORT.height}, server down: navigation → first tile painted (redirect, HTML, JS, bridge, counts/albums/months/page queries, thumbnail from disk); LCP ${fmt(median(browser.lcpImageMs))}; core+shell start ${fmt(median(browser.coreStartMs))} ms and browser launch not included`,
    },
    {
      name: 'library.scroll_frame_p95_ms',
      value: p95,
      target: TARGETS.frameP95Ms,
      note: `p95 ${p95.toFixed(2)}, p50 ${percentile(frames, 50).toFixed(2)} ms over ${frames.length} rAF intervals (60 Hz; the page clock's 0.1 ms resolution alone puts p95 at 16.8 even with no frame dropped); ${frames.filter((f) => f > DROPPED_FRAME_MS).length} dropped (> 25 ms), ${frames.filter((f) => f > 50).length} over 50 ms; ${browser.wheelEvents} wheel events in ${SCROLL_DURATION_MS / 1000} s to photo ${browser.scrolledToIndex} (${browser.tilesLoaded} tiles loaded, ${browser.tilesBroken} not on disk); headless Chromium, --disable-gpu, 2 shared cores: pessimistic`,
    },
    {
      // The p95 above sits on the 60 Hz interval itself, where the page clock's 0.1 ms
      // resolution decides the last digit; missed frames are the figure that moves.
      name: 'library.scroll_dropped_frame_share',
      value: frames.filter((f) => f > DROPPED_FRAME_MS).length / frames.length,
      note: `share of rAF intervals over ${DROPPED_FRAME_MS} ms (at least one 60 Hz frame missed) during the same scroll`,
    },
    {
      name: 'library.renderer_heap_mb',
      value: browser.heapUsedBytes / MIB,
      target: TARGETS.heapMb,
      note: `MiB, CDP Runtime.getHeapUsage right after the scroll (${fmt(browser.heapUsedAfterGcBytes / MIB)} after a GC); decoded images are not JS heap`,
    },
  ];
}

/**
 * What a person waits for from launch, which first_paint_ms leaves out: the core's start (the
 * database's open, quick_check and migrations, compose) and the web shell's, before the page is
 * asked for; and quick_check alone, which openCheckedDatabase runs on every start
 * ([Note: A damaged database]). The browser's own launch is not included.
 */
function launchMetrics(browser: BrowserResult, quickCheckMs: readonly number[]): Metric[] {
  const launches = browser.firstPaintMs.map((paint, i) => paint + (browser.coreStartMs[i] ?? Number.NaN));
  return [
    {
      name: 'library.launch_first_paint_ms',
      value: median(launches),
      note: `median of ${launches.length} (${launches.map((v) => Math.round(v)).join(', ')}): core + web shell start (${browser.coreStartMs.map((v) => Math.round(v)).join(', ')} ms) + first_paint_ms, server down; the browser's launch not included`,
    },
    {
      name: 'library.db_quick_check_ms',
      value: median(quickCheckMs),
      note: `median of ${quickCheckMs.length} (${quickCheckMs.map((v) => Math.round(v)).join(', ')}): PRAGMA quick_check(5) on the 100k profile's database, as openCheckedDatabase runs it at every start (main/db/recovery.ts)`,
    },
  ];
}

/** PRAGMA quick_check(5) on the profile's database, timed QUICK_CHECK_RUNS times (the file is in the page cache: a warm start). */
function measureQuickCheck(profileDir: string): number[] {
  const db = new Database(join(profileDir, DATABASE_FILE), { readonly: true });
  try {
    return Array.from({ length: QUICK_CHECK_RUNS }, () => {
      const started = performance.now();
      db.pragma('quick_check(5)');
      return performance.now() - started;
    });
  } finally {
    db.close();
  }
}

function missingBrowserMetrics(): Metric[] {
  const note = `not measured: no Chromium at ${chromiumPath()} (apt-get install -y chromium)`;
  return [
    { name: 'library.first_paint_ms', value: Number.NaN, target: TARGETS.firstPaintMs, note },
    { name: 'library.scroll_frame_p95_ms', value: Number.NaN, target: TARGETS.frameP95Ms, note },
    { name: 'library.scroll_dropped_frame_share', value: Number.NaN, note },
    { name: 'library.renderer_heap_mb', value: Number.NaN, target: TARGETS.heapMb, note },
  ];
}

/** Where launchChromium (test/e2e/helpers/chromium.ts) looks. */
function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
}

function chromiumInstalled(): boolean {
  return existsSync(chromiumPath());
}

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toPrecision(3) : 'n/a';
}
