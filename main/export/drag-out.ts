import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import type { DragOutResult } from '../../shared/export';
import type { Logger } from '../log/logger';
import type { ExportService } from './export-service';

/**
 * Start the native drag of files on this Mac (Electron: the window's webContents.startDrag with
 * `files` and an icon). Main alone names the paths: they come from the staging folder, never
 * from the renderer.
 */
export type StartFileDrag = (paths: readonly string[]) => void;

/**
 * [Note: Dragging originals out to Finder]
 * A native drag needs every file on disk the moment it starts (Electron, webContents.startDrag:
 * "the file must exist"), and a Mac user expects the originals under their real names. So a
 * drag of photos whose originals are already staged starts at once with those files; otherwise
 * the drag does not start: the originals are downloaded into the staging folder as an ordinary
 * export (the one download path: `.part`, fsync, rename, Range resume; its progress is in the
 * export panel, and ⇧⌘E stays the keyboard way) and the next drag carries them. The staging
 * folder lives in the profile and is emptied at start and at quit: Finder copies on drop, so
 * nothing the person keeps is lost.
 */
export class DragOutService {
  readonly #exports: ExportService;
  readonly #stagingFolder: string;
  readonly #knows: (uid: string) => boolean;
  readonly #startFileDrag: StartFileDrag | undefined;
  readonly #log: Logger;
  /** Photo UID → its staged originals (every file of it there, whole). */
  readonly #staged = new Map<string, readonly string[]>();
  /** Staging exports still running: their id and photos. */
  readonly #preparing = new Map<number, ReadonlySet<string>>();

  constructor(options: {
    readonly exports: ExportService;
    readonly stagingFolder: string;
    /** Whether the library knows this photo (a UID the cache never saw is refused). */
    readonly knows: (uid: string) => boolean;
    readonly startFileDrag: StartFileDrag | undefined;
    readonly log: Logger;
  }) {
    this.#exports = options.exports;
    this.#stagingFolder = options.stagingFolder;
    this.#knows = options.knows;
    this.#startFileDrag = options.startFileDrag;
    this.#log = options.log;
  }

  /** Drag these photos' originals out: at once when staged, else stage them first (see the Note). */
  start(uids: readonly string[], mode: 'drag' | 'prepare' = 'drag'): DragOutResult {
    const startFileDrag = this.#startFileDrag;
    if (!startFileDrag) {
      throw new AppError('bad-request', 'Only the Mac app can drag originals to Finder. In the browser, use Export… (⇧⌘E).');
    }
    const unique = [...new Set(uids)];
    const unknown = unique.filter((uid) => !this.#knows(uid));
    if (unknown.length > 0) throw new AppError('not-found', `${plural(unknown.length, 'photo is', 'photos are')} not in the library.`);
    // A staged file someone removed meanwhile is fetched again rather than dragged as nothing.
    for (const uid of unique) if (this.#staged.get(uid)?.some((path) => !existsSync(path))) this.#staged.delete(uid);
    const missing = unique.filter((uid) => !this.#staged.has(uid));
    if (missing.length === 0) {
      const paths = unique.flatMap((uid) => this.#staged.get(uid) ?? []);
      if (paths.length === 0) throw new AppError('not-found', 'The server has no original file for these photos.');
      if (mode === 'prepare') return { state: 'ready', files: paths.length };
      startFileDrag(paths);
      return { state: 'dragging', files: paths.length };
    }
    // The same photos already on their way: point at that export instead of fetching them twice.
    for (const [exportId, photos] of this.#preparing) {
      if (missing.every((uid) => photos.has(uid))) return { state: 'preparing', exportId, photos: missing.length };
    }
    const started = this.#exports.exportPhotos(missing, false, this.#stagingFolder);
    this.#preparing.set(started.id, new Set(missing));
    // idle() resolves once every export started so far (this one included) has ended.
    void this.#exports.idle().then(() => this.#collect(started.id));
    return { state: 'preparing', exportId: started.id, photos: missing.length };
  }

  /** Remove every staged original (at start and at quit). */
  async clear(): Promise<void> {
    this.#staged.clear();
    await rm(this.#stagingFolder, { recursive: true, force: true }).catch((error: unknown) =>
      this.#log.warn('could not empty the drag staging folder', { error }),
    );
  }

  #collect(exportId: number): void {
    if (!this.#preparing.delete(exportId)) return;
    // A dismissed export is no longer listed: then nothing of it counts as staged.
    if (!this.#exports.list().some((status) => status.id === exportId)) return;
    for (const [uid, paths] of this.#exports.photoFiles(exportId)) this.#staged.set(uid, paths);
  }
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? `1 ${one}` : `${count} ${many}`;
}
