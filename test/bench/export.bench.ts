import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { get, type IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { ExportStatus } from '../../shared/export';
import type { LibraryPage } from '../../shared/library/schemas';
import { makeDevice } from '../helpers/devices';
import { median, type Bench, type Metric } from './harness';
import { startEmulatorProcess, type EmulatorProcess } from './library/emulator-process';

const ROUNDS = 5;
const PHOTOS = 24;
/** The export downloads this many files at once (main/export/export-service.ts, PARALLEL_FILES): the fairest raw copy does too. */
const RAW_PARALLEL_WIDTH = 3;

/** Every original (not sidecar) of these photos: its download URL with a fresh download token. */
async function originalUrls(pp: EmulatorProcess, uids: readonly string[]): Promise<string[]> {
  const session = await fetch(`${pp.url}/api/v1/session`, { method: 'POST', body: JSON.stringify(pp.credentials) });
  const body = (await session.json()) as { access_token: string; config: { downloadToken: string } };
  const urls: string[] = [];
  for (const uid of uids) {
    const photo = await fetch(`${pp.url}/api/v1/photos/${uid}`, { headers: { 'x-auth-token': body.access_token } });
    for (const file of ((await photo.json()) as { Files: Array<{ Hash: string; Root: string }> }).Files) {
      if (file.Root !== 'sidecar') urls.push(`${pp.url}/api/v1/dl/${file.Hash}?t=${body.config.downloadToken}`);
    }
  }
  return urls;
}

/**
 * The raw copy: the same bytes over loopback with node:http (no Accept-Encoding, so uncompressed
 * as the export asks for them), piped into files, `width` at a time. `durable` adds what the
 * export's guarantee needs at the least: each file fsynced and renamed from its `.part`, the
 * folder fsynced once at the end (see [Note: Never a half-written file under the final name]).
 */
async function rawCopy(urls: readonly string[], folder: string, durable = false, width = 1): Promise<number> {
  let bytes = 0;
  const queue = [...urls.entries()];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await copyOne(...next);
  };
  const copyOne = async (i: number, url: string) => {
    const res = await new Promise<IncomingMessage>((resolve, reject) => get(url, { agent: false }, resolve).on('error', reject));
    const path = join(folder, `raw-${i}`);
    const out = createWriteStream(durable ? `${path}.part` : path);
    await pipeline(res, out);
    bytes += out.bytesWritten;
    if (durable) {
      const handle = await open(`${path}.part`, 'r+');
      await handle.sync();
      await handle.close();
      await rename(`${path}.part`, path);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  if (durable) {
    const dir = await open(folder, 'r');
    await dir.sync();
    await dir.close();
  }
  return bytes;
}

/**
 * `export.mb_per_s`: Export… of 24 photos' originals (the emulator's JPEGs of a few MB and
 * stubs for videos) through the real core (listing each photo's files, download token, the
 * streamed transport, `.part` + fsync + rename) against the PhotoPrism emulator on loopback,
 * next to a raw copy of the SAME bytes (node:http → file, uncompressed like the export's, see
 * [Note: Originals travel uncompressed]) in the same process, plain and with the durability the
 * export promises (fsync + rename per file, one folder fsync). Target: ≥ 80 % of the plain raw
 * copy. Medians of 5 alternating rounds, after a warm-up that lets the emulator render its
 * originals once; the shares are medians of the per-round ratios (each round's figures are taken
 * in the same minute, so a load change on the shared machine hits them alike).
 *
 * The emulator runs in a process of its own (its CLI, the same code the tests run in process), as
 * a server does: in this process its work shared one thread with the client's. Every copy here
 * fetches from that same emulator process, so the baselines and the export get the same
 * treatment. `export.ours_cpu_ms_per_mb` is the CPU time of our process per MB for the export
 * and for the plain raw copy (less noisy than wall time on a shared machine).
 */
export const exportBench: Bench = {
  name: 'export',
  async run(): Promise<readonly Metric[]> {
    const pp = await startEmulatorProcess({ photos: PHOTOS, albums: 1, seed: 5 });
    const scratch = mkdtempSync(join(tmpdir(), 'pf-bench-export-'));
    const device = await makeDevice({ name: 'bench-export', photoprism: pp, exportFolder: join(scratch, 'unused') });
    try {
      const uids = (await device.call<LibraryPage>('library.query', { view: { kind: 'all' }, offset: 0, limit: PHOTOS })).photos.map(
        (p) => p.uid,
      );
      const urls = await originalUrls(pp, uids);
      await rawCopy(urls, mkdtempSync(join(scratch, 'warm-')));
      const raw: number[] = [];
      const rawSynced: number[] = [];
      const rawParallel: number[] = [];
      const exported: number[] = [];
      const shares = { raw: [] as number[], rawSynced: [] as number[], rawParallel: [] as number[] };
      const cpuPerMb = { raw: [] as number[], exported: [] as number[] };
      const ourCpuMs = () => {
        const used = process.cpuUsage();
        return (used.user + used.system) / 1000;
      };
      for (let round = 0; round < ROUNDS; round++) {
        const rawFolder = mkdtempSync(join(scratch, 'raw-'));
        let cpu = ourCpuMs();
        let start = performance.now();
        const rawBytes = await rawCopy(urls, rawFolder);
        raw.push(rawBytes / 1e6 / ((performance.now() - start) / 1000));
        cpuPerMb.raw.push((ourCpuMs() - cpu) / (rawBytes / 1e6));
        const syncedFolder = mkdtempSync(join(scratch, 'synced-'));
        start = performance.now();
        await rawCopy(urls, syncedFolder, true);
        rawSynced.push(rawBytes / 1e6 / ((performance.now() - start) / 1000));
        rmSync(syncedFolder, { recursive: true, force: true });
        const parallelFolder = mkdtempSync(join(scratch, 'parallel-'));
        start = performance.now();
        await rawCopy(urls, parallelFolder, true, RAW_PARALLEL_WIDTH);
        rawParallel.push(rawBytes / 1e6 / ((performance.now() - start) / 1000));
        rmSync(parallelFolder, { recursive: true, force: true });

        cpu = ourCpuMs();
        start = performance.now();
        const started = await device.call<ExportStatus>('export.photos', { uids });
        await device.core.exports.idle();
        const seconds = (performance.now() - start) / 1000;
        const done = device.core.exports.list().find((s) => s.id === started.id);
        if (done?.state !== 'done') throw new Error(`export ended ${done?.state ?? 'unknown'}: ${done?.message ?? ''}`);
        exported.push(done.bytesDone / 1e6 / seconds);
        cpuPerMb.exported.push((ourCpuMs() - cpu) / (done.bytesDone / 1e6));
        const rate = exported.at(-1) ?? 0;
        shares.raw.push((100 * rate) / (raw.at(-1) ?? 1));
        shares.rawSynced.push((100 * rate) / (rawSynced.at(-1) ?? 1));
        shares.rawParallel.push((100 * rate) / (rawParallel.at(-1) ?? 1));
        await device.call('export.dismiss', { id: started.id });
        rmSync(rawFolder, { recursive: true, force: true });
        rmSync(join(scratch, 'unused'), { recursive: true, force: true });
      }
      const rawMedian = median(raw);
      const exportMedian = median(exported);
      return [
        {
          name: 'export.mb_per_s',
          value: exportMedian,
          target: { op: '>=', value: 0.8 * rawMedian },
          note: `${urls.length} files, median of ${ROUNDS}`,
        },
        { name: 'export.raw_copy_mb_per_s', value: rawMedian, note: 'same bytes, node:http → file on loopback' },
        {
          name: 'export.share_of_raw_pct',
          value: median(shares.raw),
          target: { op: '>=', value: 80 },
          note: 'median of per-round ratios',
        },
        {
          name: 'export.raw_copy_fsync_mb_per_s',
          value: median(rawSynced),
          note: 'the same, each file fsynced and renamed, the folder fsynced once, as the export does',
        },
        { name: 'export.share_of_raw_fsync_pct', value: median(shares.rawSynced), target: { op: '>=', value: 80 } },
        {
          name: 'export.raw_copy_fsync_parallel_mb_per_s',
          value: median(rawParallel),
          note: `the durable raw copy, ${RAW_PARALLEL_WIDTH} files at a time like the export`,
        },
        { name: 'export.share_of_raw_fsync_parallel_pct', value: median(shares.rawParallel) },
        {
          name: 'export.ours_cpu_ms_per_mb',
          value: median(cpuPerMb.exported),
          note: `CPU ms per MB in our process during the export (the plain raw copy: ${median(cpuPerMb.raw).toFixed(2)})`,
        },
      ];
    } finally {
      await device.close();
      await pp.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
