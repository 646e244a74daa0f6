import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Core } from '../../../main/compose';
import type { ConnectionStatus, LibraryCounts, LibraryPage } from '../../../shared/library/schemas';
import type { PhotoUid } from '../../../shared/ids';
import { startEmulatorProcess } from './emulator-process';
import { benchLogger, call, composeBenchCore, makeProfileDir } from './profile';

/** What one full index of the emulator's library measured, and the profile it left behind. */
export interface IndexRun {
  /** The indexed profile (cache + warmed thumbnails + stored session); the caller removes it. */
  readonly profileDir: string;
  readonly photos: number;
  readonly indexMs: number;
  /** Share of the index's wall time our main thread was busy (event-loop utilisation). */
  readonly clientShare: number;
  /** Share of the index's wall time the emulator process was on a CPU. */
  readonly serverShare: number;
  /** CPU time (user + system, every thread) our process spent during the index. */
  readonly ourCpuMs: number;
  /** CPU time the emulator process spent during the index (building and sending pages). */
  readonly serverCpuMs: number;
  /** Wall time our main thread had nothing to run during the index (waiting on the server, or on a timer). */
  readonly ourIdleMs: number;
  readonly cached: LibraryCounts;
  readonly thumbnailsWarmed: number;
  /** `library.months` of "All Photos" over IPC on the complete cache, one figure per call. */
  readonly monthsMs: readonly number[];
  /** `library.query` of 100 photos at 80 % of "All Photos" (a scrubber jump's page), one per call. */
  readonly deepPageMs: readonly number[];
  readonly warnings: readonly string[];
}

/** Calls timed for each read figure (the first warms the statement cache and is dropped). */
const READ_SAMPLES = 21;

async function timeCalls(core: Core, channel: string, request: unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < READ_SAMPLES; i++) {
    const started = performance.now();
    await call(core, channel, request);
    if (i > 0) times.push(performance.now() - started);
  }
  return times;
}

/** Concurrent thumbnail fetches while warming (a grid screen asks for about this many at once). */
const THUMB_CONCURRENCY = 6;
/** The contract's largest `library.query` page. */
const QUERY_LIMIT = 1000;

/**
 * Index `photos` photos from an emulator in its own process, through a composed core over
 * loopback HTTP, exactly as the app's first sign-in does; then warm the thumbnails of the first
 * `warmThumbnails` photos of "All Photos" (what a user who browsed there has on disk) and stop
 * the server.
 *
 * [Note: Where the index's time goes]
 * The index asks for the next page while it writes this one (main/photoprism/paging.ts, [Note:
 * Reading ahead]). With the server in another process, the time splits into our process's CPU
 * (HTTP client, gunzip, JSON.parse, validation, row mapping, SQLite, progress events), the
 * emulator's CPU (building, serialising and compressing pages), and our main thread's idle time
 * (waiting on the server, or on a timer such as the wait for a quiet screen). The figures are
 * CPU times, steadier than wall time on a shared machine: wall ≈ our CPU + our idle, and on two
 * cores the server's CPU overlaps ours except where we wait on it. Node's event-loop
 * utilisation is our main thread's share of the time (busy includes synchronous waits on disk).
 */
export async function indexLibrary(options: { photos: number; albums: number; seed: number; warmThumbnails: number }): Promise<IndexRun> {
  const emulator = await startEmulatorProcess(options);
  const profileDir = makeProfileDir();
  const log = benchLogger('bench-index');
  const core = composeBenchCore(profileDir, log);
  let ok = false;
  try {
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = emulator.cpuMs();
    const ourCpu0 = process.cpuUsage();
    const started = performance.now();
    // Signing in starts the first index by itself (LibraryService follows the connection);
    // an 'incremental' refresh joins that run instead of queueing a second full one.
    await call<ConnectionStatus>(core, 'connection.signIn', { serverUrl: emulator.url, ...emulator.credentials });
    await core.library.refresh();
    const indexMs = performance.now() - started;
    const ourCpu = process.cpuUsage(ourCpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const serverCpuMs = emulator.cpuMs() - cpu0;

    const status = await call<ConnectionStatus>(core, 'connection.status');
    if (status.lastRefreshedAt === null || status.lastError) {
      throw new Error(`The index did not finish: ${status.lastError?.message ?? 'no lastRefreshedAt'}`);
    }
    const cached = await call<LibraryCounts>(core, 'library.counts');
    const thumbnailsWarmed = await warmThumbnails(core, options.warmThumbnails);
    const all = { view: { kind: 'all' }, q: '' };
    const monthsMs = await timeCalls(core, 'library.months', all);
    const deepPageMs = await timeCalls(core, 'library.query', { ...all, offset: Math.floor(cached.all * 0.8), limit: 100 });
    ok = true;
    return {
      profileDir,
      photos: options.photos,
      indexMs,
      clientShare: elu.utilization,
      serverShare: serverCpuMs / indexMs,
      ourCpuMs: (ourCpu.user + ourCpu.system) / 1000,
      serverCpuMs,
      ourIdleMs: elu.idle,
      cached,
      thumbnailsWarmed,
      monthsMs,
      deepPageMs,
      warnings: log.warnings,
    };
  } finally {
    await core.dispose();
    await emulator.stop();
    if (!ok) rmSync(profileDir, { recursive: true, force: true });
  }
}

async function warmThumbnails(core: Core, count: number): Promise<number> {
  const uids: PhotoUid[] = [];
  while (uids.length < count) {
    // library.query answers at most QUERY_LIMIT photos per call.
    const limit = Math.min(QUERY_LIMIT, count - uids.length);
    const page = await call<LibraryPage>(core, 'library.query', { view: { kind: 'all' }, q: '', offset: uids.length, limit });
    uids.push(...page.photos.map((p) => p.uid));
    if (page.photos.length < limit) break;
  }
  let next = 0;
  let warmed = 0;
  const worker = async () => {
    while (next < uids.length) {
      const uid = uids[next++];
      if (uid === undefined) return;
      // tile_224: what the grid asks for at the default zoom in a 1280 px window (dpr 1).
      await core.thumbnails.get(uid, 'tile_224');
      warmed++;
    }
  };
  await Promise.all(Array.from({ length: THUMB_CONCURRENCY }, worker));
  return warmed;
}
