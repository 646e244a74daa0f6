import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, isAppError } from '../../shared/errors';
import type { ExportStatus } from '../../shared/export';
import type { Logger } from '../log/logger';
import type { PhotoPrismClient } from '../photoprism/client';
import { withDownloadToken, type DownloadTokenSource } from '../thumbnails/preview-token';
import { downloadViaPart, isSameFile, removePart, syncFolder, type FetchInto } from './part-file';
import { safeFileName, uniqueName } from './unique-name';
import { SerialQueue } from '../platform/serial-queue';

export interface ExportServiceOptions {
  readonly source: DownloadTokenSource;
  /** An album's title for its zip's name (from the cache). */
  readonly albumTitle: (albumUid: string) => string | undefined;
  readonly onStatus: (status: ExportStatus) => void;
  readonly log: Logger;
}

/** One file of an export: what the server calls it and where it goes. */
interface ExportItem {
  /** The photo this file belongs to (null: an album zip). */
  readonly photoUid: string | null;
  readonly target: { readonly kind: 'file'; readonly hash: string } | { readonly kind: 'album'; readonly albumUid: string };
  readonly serverName: string;
  /** The server's size (0 = unknown until it arrives). */
  readonly sizeBytes: number;
  /** Chosen once, so a retry continues the same `.part`. */
  finalName: string | null;
  state: 'pending' | 'done' | 'skipped' | 'failed';
}

interface ExportJob {
  status: ExportStatus;
  items: ExportItem[];
  /** The photos of a photos export, whose file lists are read from the server (none for an album). */
  readonly photoUids: readonly string[];
  /** How many of `photoUids`, from the first, have their files in `items` (a resume lists the rest). */
  listedPhotos: number;
  readonly sidecars: boolean;
  controller: AbortController;
  /** `bytesDone` as last reported (progress is reported in steps). */
  reportedBytes: number;
}

const PROGRESS_STEP_BYTES = 1024 * 1024;
/** Files downloading at once (and photos whose file lists are asked for at once). */
const PARALLEL_FILES = 3;

/** The whole request's deadline grows with the size: 60 s plus 256 KiB/s, far below any honest link. */
export const deadlineFor = (bytes: number) => 60_000 + Math.ceil(bytes / 256);
/** An album zip's size is unknown: a day, so only the idle timeout ends a stalled one. */
const ALBUM_DEADLINE_MS = 24 * 3_600_000;
/** A server must not fill the disk: a file may exceed its indexed size by this much, no more. */
export const SIZE_SLACK_BYTES = 64 * 1024 * 1024;
const ALBUM_MAX_BYTES = 1024 ** 4;

/**
 * Exports: originals (with sidecars when asked) of chosen photos into a folder, or an album as
 * PhotoPrism's zip. One export runs at a time; its progress goes out as `export.progress`.
 * Bytes stream from the server to disk (never a whole file in memory) through `.part` files:
 * see [Note: Never a half-written file under the final name]. A failed or cancelled export can
 * be resumed: what is done stays done, a `.part` continues where it stopped.
 */
export class ExportService {
  readonly #o: ExportServiceOptions;
  readonly #jobs = new Map<number, ExportJob>();
  #nextId = 1;
  /** One export at a time. */
  readonly #running = new SerialQueue();
  /** Name choosing, one item at a time (see #name). */
  readonly #naming = new SerialQueue();

  constructor(options: ExportServiceOptions) {
    this.#o = options;
  }

  /** Start exporting photos' originals into `folder`; answers at once with the first status. */
  exportPhotos(uids: readonly string[], sidecars: boolean, folder: string): ExportStatus {
    return this.#start({ kind: 'photos', folder, photoUids: uids, sidecars, items: [], forDrag: false });
  }

  /** Stage photos' originals into `folder` for a drag to Finder: an export like any other, marked `forDrag`. */
  stageForDrag(uids: readonly string[], folder: string): ExportStatus {
    return this.#start({ kind: 'photos', folder, photoUids: uids, sidecars: false, items: [], forDrag: true });
  }

  /** Start exporting an album as one zip into `folder`. */
  exportAlbum(albumUid: string, folder: string): ExportStatus {
    const title = this.#o.albumTitle(albumUid) ?? 'Album';
    const item: ExportItem = {
      photoUid: null,
      target: { kind: 'album', albumUid },
      serverName: `${safeFileName(title, 'Album')}.zip`,
      sizeBytes: 0,
      finalName: null,
      state: 'pending',
    };
    return this.#start({ kind: 'album', folder, photoUids: [], sidecars: false, items: [item], forDrag: false });
  }

  /** Stop an export; what is written stays (`.part` files too, for Resume). */
  cancel(id: number): ExportStatus {
    const job = this.#job(id);
    job.controller.abort();
    return job.status;
  }

  /** Run a failed or cancelled export again: done files stay done, `.part` files continue. */
  resume(id: number): ExportStatus {
    const job = this.#job(id);
    if (job.status.state !== 'failed' && job.status.state !== 'cancelled') return job.status;
    job.controller = new AbortController();
    for (const item of job.items) if (item.state === 'failed') item.state = 'pending';
    this.#update(job, { state: job.listedPhotos < job.photoUids.length ? 'preparing' : 'running', failures: [], message: null });
    this.#enqueue(job);
    return job.status;
  }

  /** Forget a finished export; the `.part` files of what did not finish are removed. */
  async dismiss(id: number): Promise<void> {
    const job = this.#jobs.get(id);
    if (!job) return;
    job.controller.abort();
    await this.#running.idle();
    for (const item of job.items) {
      if (item.finalName && item.state !== 'done' && item.state !== 'skipped') await removePart(join(job.status.folder, item.finalName));
    }
    this.#jobs.delete(id);
  }

  /** Every export this session knows, oldest first. */
  list(): ExportStatus[] {
    return [...this.#jobs.values()].map((job) => job.status);
  }

  /**
   * Where each photo of a finished export is on disk: only photos whose every file is there
   * (written or already identical), for dragging them out (main/export/drag-out.ts).
   */
  photoFiles(id: number): Map<string, string[]> {
    const job = this.#job(id);
    const files = new Map<string, string[]>();
    const incomplete = new Set<string>();
    for (const item of job.items) {
      if (item.photoUid === null) continue;
      if (item.state !== 'done' && item.state !== 'skipped') incomplete.add(item.photoUid);
      else files.set(item.photoUid, [...(files.get(item.photoUid) ?? []), join(job.status.folder, item.finalName ?? item.serverName)]);
    }
    for (const uid of incomplete) files.delete(uid);
    return files;
  }

  /** Resolves when every export started so far has ended (tests, quitting). */
  idle(): Promise<void> {
    return this.#running.idle();
  }

  #start(spec: {
    kind: ExportStatus['kind'];
    folder: string;
    photoUids: readonly string[];
    sidecars: boolean;
    items: ExportItem[];
    forDrag: boolean;
  }): ExportStatus {
    const id = this.#nextId++;
    const job: ExportJob = {
      status: {
        id,
        kind: spec.kind,
        state: spec.items.length > 0 ? 'running' : 'preparing',
        folder: spec.folder,
        filesDone: 0,
        filesTotal: spec.items.length || spec.photoUids.length,
        filesSkipped: 0,
        bytesDone: 0,
        bytesTotal: 0,
        current: null,
        failures: [],
        message: null,
        forDrag: spec.forDrag,
      },
      items: spec.items,
      photoUids: spec.photoUids,
      listedPhotos: 0,
      sidecars: spec.sidecars,
      controller: new AbortController(),
      reportedBytes: 0,
    };
    this.#jobs.set(id, job);
    this.#o.onStatus(job.status);
    this.#enqueue(job);
    return job.status;
  }

  #enqueue(job: ExportJob): void {
    // #run reports its own failures in the job's status; anything else is a bug, logged, never an unhandled rejection.
    this.#running.run(() => this.#run(job)).catch((error: unknown) => this.#o.log.error('export stopped unexpectedly', { error }));
  }

  async #run(job: ExportJob): Promise<void> {
    const signal = job.controller.signal;
    try {
      if (signal.aborted) throw new AppError('network', 'Cancelled.');
      await mkdir(job.status.folder, { recursive: true });
      const given = new Set(job.items.flatMap((item) => (item.finalName ? [item.finalName.toLowerCase()] : [])));
      // A few files at a time: one file's fsync and the next request's round trip overlap the
      // other downloads, which keeps the link busy (test/bench/export.bench.ts). Names are
      // still chosen one at a time (#naming), in the order of the selection.
      const pending = job.items.filter((item) => item.state !== 'done' && item.state !== 'skipped');
      // [Note: Exports download while their file lists are read] Reading every photo's file list
      // first (a request per photo) took a sixth of a 24-photo export on loopback before the first
      // byte moved. Files now join the queue as their photos' lists arrive, in selection order;
      // meanwhile the export says "preparing" and its totals grow toward the real ones.
      let listing = job.listedPhotos < job.photoUids.length;
      let wakeWorkers: Array<() => void> = [];
      const wake = () => {
        const waiting = wakeWorkers;
        wakeWorkers = [];
        for (const resume of waiting) resume();
      };
      const listed = listing
        ? this.#listFiles(job, signal, (items) => {
            pending.push(...items);
            wake();
          }).finally(() => {
            listing = false;
            wake();
          })
        : Promise.resolve();
      // Awaited below, once the workers are done; until then a failure must not count as unhandled.
      listed.catch(() => undefined);
      // A cancel frees workers waiting for a list (a list request under way may take a while).
      signal.addEventListener('abort', wake, { once: true });
      const nextItem = async (): Promise<ExportItem | undefined> => {
        for (;;) {
          const item = pending.shift();
          if (item || !listing || signal.aborted) return item;
          await new Promise<void>((resolve) => wakeWorkers.push(resolve));
        }
      };
      if (!listing) this.#update(job, { state: 'running', bytesTotal: job.items.reduce((sum, item) => sum + item.sizeBytes, 0) });
      await Promise.all(
        Array.from({ length: PARALLEL_FILES }, async () => {
          for (let item = await nextItem(); item && !signal.aborted; item = await nextItem()) {
            await this.#exportItem(job, item, given, signal);
          }
        }),
      );
      // A list that could not be read fails the export once the files already queued are written (Resume lists the rest).
      await listed;
      // One folder fsync for the whole batch's renames, before the export says it is done.
      await syncFolder(job.status.folder);
      const failed = job.items.filter((item) => item.state === 'failed').length;
      this.#update(job, { state: signal.aborted ? 'cancelled' : failed > 0 ? 'failed' : 'done', current: null });
    } catch (error) {
      if (signal.aborted) {
        this.#update(job, { state: 'cancelled', current: null });
      } else {
        this.#o.log.warn('export failed', { error });
        this.#update(job, { state: 'failed', current: null, message: describe(error) });
      }
    }
  }

  /**
   * The files of every photo not listed yet, from the server (PhotoPrism GET /api/v1/photos/:uid),
   * a few photos at a time; each batch's files go to `onItems` in selection order as it arrives.
   * See [Note: Exports download while their file lists are read].
   */
  async #listFiles(job: ExportJob, signal: AbortSignal, onItems: (items: readonly ExportItem[]) => void): Promise<void> {
    while (job.listedPhotos < job.photoUids.length) {
      const first = job.listedPhotos;
      const uids = job.photoUids.slice(first, first + PARALLEL_FILES);
      const photos = await Promise.all(
        uids.map((uid) => {
          if (signal.aborted) throw new AppError('network', 'Cancelled.');
          const active = this.#o.source.active();
          if (!active) throw new AppError('network', 'Exporting needs the PhotoPrism server, which is not reachable now.');
          return active.client.photo(uid);
        }),
      );
      const items: ExportItem[] = [];
      for (const [index, photo] of photos.entries()) {
        for (const file of photo.Files) {
          const sidecar = file.Sidecar || file.Root === 'sidecar';
          if ((sidecar && !job.sidecars) || file.Hash === '') continue;
          items.push({
            photoUid: uids[index] ?? null,
            target: { kind: 'file', hash: file.Hash },
            serverName: safeFileName(file.Name, `${file.Hash}.${file.FileType || 'bin'}`),
            sizeBytes: file.Size,
            finalName: null,
            state: 'pending',
          });
        }
      }
      job.items.push(...items);
      job.listedPhotos = first + uids.length;
      const listedAll = job.listedPhotos === job.photoUids.length;
      this.#update(job, {
        // Until every list is read, each photo still to read counts as one file.
        filesTotal: job.items.length + (job.photoUids.length - job.listedPhotos),
        bytesTotal: job.status.bytesTotal + items.reduce((sum, item) => sum + item.sizeBytes, 0),
        ...(listedAll ? { state: 'running' as const } : {}),
      });
      onItems(items);
    }
  }

  async #exportItem(job: ExportJob, item: ExportItem, given: Set<string>, signal: AbortSignal): Promise<void> {
    const folder = job.status.folder;
    try {
      const named = this.#naming.run(() => this.#name(job, item, given));
      if ((await named) === 'skipped' || item.finalName === null) return;
      const finalName = item.finalName;
      this.#update(job, { current: finalName });
      const target = item.target;
      const fetch: FetchInto = (fromByte, sink) =>
        withDownloadToken(this.#o.source, (client: PhotoPrismClient, token) =>
          client.download(target, token, {
            sink,
            fromByte,
            signal,
            maxBytes: target.kind === 'file' ? item.sizeBytes + SIZE_SLACK_BYTES : ALBUM_MAX_BYTES,
            deadlineMs: target.kind === 'file' ? deadlineFor(item.sizeBytes) : ALBUM_DEADLINE_MS,
          }),
        );
      let received = 0;
      const { bytes } = await downloadViaPart({
        finalPath: join(folder, finalName),
        fetch,
        resumable: target.kind === 'file',
        onBytes: (delta) => {
          received += delta;
          this.#update(job, { bytesDone: Math.max(0, job.status.bytesDone + delta) });
        },
      });
      item.state = 'done';
      // The server's size may differ from the index's (an album zip has none): count what came.
      const correction = item.sizeBytes > 0 ? bytes - item.sizeBytes : bytes;
      this.#update(job, {
        filesDone: job.status.filesDone + 1,
        bytesTotal: Math.max(job.status.bytesTotal + correction, job.status.bytesDone),
        bytesDone: job.status.bytesDone + (bytes - received),
      });
    } catch (error) {
      if (signal.aborted) return;
      item.state = 'failed';
      this.#o.log.warn('export: a file failed', { error });
      this.#update(job, { failures: [...job.status.failures, { name: item.finalName ?? item.serverName, message: describe(error) }] });
    }
  }

  /**
   * Give an item its final name once (a retry keeps it, so its `.part` continues), or mark it
   * skipped when the file is already there, whole and identical (size and SHA-1 = PhotoPrism's
   * file hash). Runs one at a time, so two files never get the same name.
   */
  async #name(job: ExportJob, item: ExportItem, given: Set<string>): Promise<'named' | 'skipped'> {
    if (item.finalName !== null) return 'named';
    const folder = job.status.folder;
    if (item.target.kind === 'file' && !given.has(item.serverName.toLowerCase())) {
      if (await isSameFile(join(folder, item.serverName), { bytes: item.sizeBytes, sha1: item.target.hash })) {
        item.state = 'skipped';
        given.add(item.serverName.toLowerCase());
        this.#update(job, {
          filesDone: job.status.filesDone + 1,
          filesSkipped: job.status.filesSkipped + 1,
          bytesDone: job.status.bytesDone + item.sizeBytes,
        });
        return 'skipped';
      }
    }
    item.finalName = await this.#freeName(folder, item.serverName, given);
    given.add(item.finalName.toLowerCase());
    return 'named';
  }

  /** A name free on disk (neither the file nor its `.part`) and not given to another file of this export. */
  async #freeName(folder: string, name: string, given: ReadonlySet<string>): Promise<string> {
    const onDisk = new Set<string>();
    for (;;) {
      const candidate = uniqueName(name, (c) => given.has(c.toLowerCase()) || onDisk.has(c.toLowerCase()));
      if (!(await exists(join(folder, candidate))) && !(await exists(join(folder, `${candidate}.part`)))) return candidate;
      onDisk.add(candidate.toLowerCase());
    }
  }

  #update(job: ExportJob, patch: Partial<ExportStatus>): void {
    job.status = { ...job.status, ...patch };
    // Bytes arrive in 64 KB chunks: the panel hears of them every MiB, of everything else at once.
    const bytesOnly = Object.keys(patch).every((key) => key === 'bytesDone');
    if (bytesOnly && Math.abs(job.status.bytesDone - job.reportedBytes) < PROGRESS_STEP_BYTES) return;
    job.reportedBytes = job.status.bytesDone;
    this.#o.onStatus(job.status);
  }

  #job(id: number): ExportJob {
    const job = this.#jobs.get(id);
    if (!job) throw new AppError('not-found', 'This export is no longer listed.');
    return job;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function describe(error: unknown): string {
  if (isAppError(error)) return error.message;
  const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : '';
  if (code === 'ENOSPC') return 'The disk is full. Free some space, then choose Resume.';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'Photoflare may not write to this folder. Choose another folder.';
  return 'The file could not be written. Choose Resume to try again.';
}
