import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import type { DragOutResult } from '../../shared/export';
import { MAX_ONE_DRAG_PHOTOS } from '../../shared/limits';
import type { Logger } from '../log/logger';
import { systemClock, type Clock } from '../platform/clock';
import type { ExportService } from './export-service';

/**
 * Start the native drag of files on this Mac (Electron: the window's webContents.startDrag with
 * `files` and an icon). Main alone names the paths: they come from the staging folder, never
 * from the renderer.
 */
export type StartFileDrag = (paths: readonly string[]) => void;

/**
 * The mouse button that started a drag, as main sees it (Electron: the window's `input-event`
 * mouse events, main/window/main-window.ts). Main asks before a late native drag: a drag started
 * after the button went up would not follow the person's gesture.
 */
export interface DragButton {
  isDown(): boolean;
  /** Call `listener` once when the button goes up; answers a function that forgets it. */
  onUp(listener: () => void): () => void;
}

/** What the library knows of a photo (undefined: a UID the cache never saw). */
export type DragOutLookup = (uid: string) => { readonly sizeBytes: number } | undefined;

/**
 * The budget of one gesture: how long a held button waits for its originals, and how many bytes
 * may be fetched meanwhile. A LAN server delivers a few photos in well under a second; 200 MB
 * is about 2 s on gigabit, so a selection past that is told at once rather than held in vain.
 */
export const ONE_DRAG_WAIT_MS = 2_500;
export const ONE_DRAG_MAX_BYTES = 200 * 1024 * 1024;

/** A button nobody watches is never down: main then never starts a drag late. */
const NO_BUTTON: DragButton = { isDown: () => false, onUp: () => () => undefined };

/**
 * [Note: Dragging originals out to Finder]
 * A native drag needs every file on disk the moment it starts (Electron, webContents.startDrag:
 * "the file must exist"; a file still downloading cannot be promised, electron issue 1085), and
 * a Mac user expects the originals under their real names and one gesture. So:
 * - Staging starts early: when the button goes down on a selection one drag can carry (mode
 *   `prefetch`), the originals are downloaded into the staging folder as an ordinary export (the
 *   one download path: `.part`, fsync, rename, Range resume; its progress is in the export panel).
 * - At dragstart (mode `drag`) the page drag gives way. Staged photos start the native drag at
 *   once. Otherwise main waits, while the button is held, up to ONE_DRAG_WAIT_MS, then starts the
 *   native drag where the pointer is. Electron's startDrag synthesises its drag event at the
 *   current mouse location (electron shell/browser/ui/drag_util_mac.mm, DragFileItems), which is
 *   why the usual call after an IPC round trip works; it has no notion of a released button, so
 *   main never calls it once the button is up (DragButton).
 * - What cannot be one gesture says so (the renderer's toast offers Export…, ⇧⌘E): more than
 *   MAX_ONE_DRAG_PHOTOS photos or ONE_DRAG_MAX_BYTES (`too-big`), not ready in time (`slow`), the
 *   button up first (`released`). The staging goes on, so the next drag starts at once.
 * The staging folder lives in the profile and is emptied at start and at quit: Finder copies on
 * drop, so nothing the person keeps is lost.
 */
export class DragOutService {
  readonly #exports: ExportService;
  readonly #stagingFolder: string;
  readonly #lookup: DragOutLookup;
  readonly #startFileDrag: StartFileDrag | undefined;
  readonly #button: DragButton;
  readonly #clock: Clock;
  readonly #log: Logger;
  /** Photo UID → its staged originals (every file of it there, whole). */
  readonly #staged = new Map<string, readonly string[]>();
  /** Staging exports still running: their id, photos, and when they have ended (and were collected). */
  readonly #preparing = new Map<number, { readonly photos: ReadonlySet<string>; readonly ended: Promise<void> }>();

  constructor(options: {
    readonly exports: ExportService;
    readonly stagingFolder: string;
    readonly lookup: DragOutLookup;
    readonly startFileDrag: StartFileDrag | undefined;
    readonly button?: DragButton | undefined;
    readonly clock?: Clock | undefined;
    readonly log: Logger;
  }) {
    this.#exports = options.exports;
    this.#stagingFolder = options.stagingFolder;
    this.#lookup = options.lookup;
    this.#startFileDrag = options.startFileDrag;
    this.#button = options.button ?? NO_BUTTON;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log;
  }

  /** Drag these photos' originals out, or stage them for it: see the Note. */
  async start(uids: readonly string[], mode: 'drag' | 'prefetch' | 'prepare' = 'drag'): Promise<DragOutResult> {
    const startFileDrag = this.#startFileDrag;
    if (!startFileDrag) {
      throw new AppError('bad-request', 'Only the Mac app can drag originals to Finder. In the browser, use Export… (⇧⌘E).');
    }
    const unique = [...new Set(uids)];
    const unknown = unique.filter((uid) => this.#lookup(uid) === undefined);
    if (unknown.length > 0) throw new AppError('not-found', `${plural(unknown.length, 'photo is', 'photos are')} not in the library.`);
    // A staged file someone removed meanwhile is fetched again rather than dragged as nothing.
    for (const uid of unique) if (this.#staged.get(uid)?.some((path) => !existsSync(path))) this.#staged.delete(uid);
    const missing = unique.filter((uid) => !this.#staged.has(uid));
    if (missing.length === 0) {
      const paths = this.#stagedPaths(unique);
      if (mode !== 'drag') return { state: 'ready', files: paths.length };
      startFileDrag(paths);
      return { state: 'dragging', files: paths.length };
    }
    const bytes = missing.reduce((sum, uid) => sum + (this.#lookup(uid)?.sizeBytes ?? 0), 0);
    const oneDrag = missing.length <= MAX_ONE_DRAG_PHOTOS && bytes <= ONE_DRAG_MAX_BYTES;
    // A press is only a guess that a drag follows: never fetch more than one drag would carry for it.
    if (mode === 'prefetch' && !oneDrag) return { state: 'too-big', photos: unique.length };
    const staging = this.#stage(missing);
    const preparing = (why: 'asked' | 'too-big' | 'slow' | 'released'): DragOutResult => ({
      state: 'preparing',
      exportId: staging.exportId,
      photos: missing.length,
      why,
    });
    if (mode !== 'drag') return preparing('asked');
    if (!oneDrag) return preparing('too-big');
    if (!this.#button.isDown()) return preparing('released');
    const outcome = await this.#waitWhileHeld(staging.ended);
    if (outcome !== 'staged') return preparing(outcome);
    const unstaged = unique.filter((uid) => !this.#staged.has(uid));
    if (unstaged.length > 0) {
      throw new AppError('network', `${plural(unstaged.length, 'original', 'originals')} could not be fetched. The export panel says why.`);
    }
    // Checked again at the last moment: the button may have gone up as the last file landed.
    if (!this.#button.isDown()) return preparing('released');
    const paths = this.#stagedPaths(unique);
    startFileDrag(paths);
    return { state: 'dragging', files: paths.length };
  }

  /** Remove every staged original (at start and at quit). */
  async clear(): Promise<void> {
    this.#staged.clear();
    await rm(this.#stagingFolder, { recursive: true, force: true }).catch((error: unknown) =>
      this.#log.warn('could not empty the drag staging folder', { error }),
    );
  }

  /** Every staged file of these photos; none at all is an error (the server has no original). */
  #stagedPaths(uids: readonly string[]): string[] {
    const paths = uids.flatMap((uid) => this.#staged.get(uid) ?? []);
    if (paths.length === 0) throw new AppError('not-found', 'The server has no original file for these photos.');
    return paths;
  }

  /** Stage these photos, or point at the staging export already fetching them all (never twice). */
  #stage(uids: readonly string[]): { readonly exportId: number; readonly ended: Promise<void> } {
    for (const [exportId, staging] of this.#preparing) {
      if (uids.every((uid) => staging.photos.has(uid))) return { exportId, ended: staging.ended };
    }
    const started = this.#exports.stageForDrag(uids, this.#stagingFolder);
    // idle() resolves once every export started so far (this one included) has ended.
    const ended = this.#exports.idle().then(() => this.#collect(started.id));
    this.#preparing.set(started.id, { photos: new Set(uids), ended });
    return { exportId: started.id, ended };
  }

  /** Wait for the staging to end, the button to go up, or the budget to run out, whichever is first. */
  #waitWhileHeld(staged: Promise<void>): Promise<'staged' | 'released' | 'slow'> {
    return new Promise((resolve) => {
      let settled = false;
      let forgetButton = () => {};
      let cancelTimer = () => {};
      const finish = (outcome: 'staged' | 'released' | 'slow') => {
        if (settled) return;
        settled = true;
        forgetButton();
        cancelTimer();
        resolve(outcome);
      };
      forgetButton = this.#button.onUp(() => finish('released'));
      cancelTimer = this.#clock.setTimeout(() => finish('slow'), ONE_DRAG_WAIT_MS);
      void staged.then(() => finish('staged'));
    });
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
