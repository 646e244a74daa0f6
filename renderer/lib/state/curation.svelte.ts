/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps and Sets here are scratch values or
   bookkeeping; reactive collections are replaced wholesale in `$state.raw` and never mutated. */
import type { ActionHistory, ActionResult, PendingChanges } from '../../../shared/ipc/contract';
import { MAX_ACTION_UIDS } from '../../../shared/ipc/names';
import type { AlbumSummary, LibraryView, PhotoSummary } from '../../../shared/library/schemas';
import type { MetadataEdit } from '../../../shared/library/metadata';
import { MAX_EDIT_UIDS } from '../../../shared/limits';
import { api } from '../api';
import { countLabel, photosLabel } from '../format';
import type { LibraryState } from './library.svelte';
import type { PhotoPatch } from './library-optimistic.svelte';
import { causeOf, type ToastState } from './toasts.svelte';
import type { ViewerState } from './viewer.svelte';

/**
 * [Note: Curation actions in the renderer]
 *
 * Every curation command (favourite, archive, album membership, album create/rename/delete,
 * undo/redo) goes through this class, in the same steps:
 *
 * 1. Find the photos it applies to: the photo open in the viewer, else the selection, else
 *    the focused photo.
 * 2. Show the result at once (optimistic): the heart appears, the tile leaves Favourites or the
 *    album. View refreshes wait meanwhile (`library.hold()`), so main's rows and the hidden
 *    tiles stay in step.
 * 3. Call the action channel. Main answers which UIDs it applied and which failed, and why.
 * 4. Roll back exactly the failed UIDs and say what failed in a toast (never a modal: the next
 *    keystroke must work). A thrown error rolls back everything.
 * 5. Release the hold: the view is re-read from main and the optimistic state dropped in one
 *    step; focus and selection stay on the same photos (by UID).
 *
 * Culling mode (Lightroom's auto-advance): after an action on the focused photo, the focus
 * moves to the next photo, so a person can go through a shoot with one hand.
 */

/** Where the last used album is remembered between launches (an album UID, nothing else). */
const LAST_ALBUM_KEY = 'photoflare.lastAlbumUid';

const NO_HISTORY: ActionHistory = { canUndo: false, canRedo: false, undoLabel: 'Undo', redoLabel: 'Redo' };

/** The photos an action applies to. */
interface Targets {
  readonly photos: readonly PhotoSummary[];
  /** Just the focused (or open) photo: culling mode advances after acting on it. */
  readonly focusedOnly: boolean;
}

/** A sentence builder: `(n) => "favourite 3 photos"` for "Couldn't favourite 3 photos". */
type Phrase = (photos: string) => string;

export class CurationState {
  history = $state.raw<ActionHistory>(NO_HISTORY);
  /** Changes waiting for the PhotoPrism server (offline queue) and the ones it refused: status, Activity. */
  queue = $state.raw<PendingChanges>({ waiting: 0, items: [] });
  /** Culling mode: auto-advance after an action. */
  culling = $state(false);
  lastAlbumUid = $state<string | null>(null);
  /** Actions in flight (for a busy hint). */
  pending = $state(0);

  /** The album ⌃⌘A adds to, when it still exists. */
  readonly lastAlbum = $derived.by(() => this.#library.sidebar.albums.find((album) => album.uid === this.lastAlbumUid));

  readonly #library: LibraryState;
  readonly #viewer: ViewerState;
  readonly #toasts: ToastState;
  readonly #storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  #unsubscribe: (() => void) | undefined;
  #unsubscribeQueue: (() => void) | undefined;

  constructor(options: {
    library: LibraryState;
    viewer: ViewerState;
    toasts: ToastState;
    storage?: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  }) {
    this.#library = options.library;
    this.#viewer = options.viewer;
    this.#toasts = options.toasts;
    this.#storage = options.storage;
    this.lastAlbumUid = safeGet(this.#storage, LAST_ALBUM_KEY);
  }

  /** Follow the undo history (Edit menu labels, palette, toolbar). */
  async load(): Promise<void> {
    this.#unsubscribe ??= api.on('actions.history', (history) => (this.history = history));
    this.#unsubscribeQueue ??= api.on('actions.pending', (queue) => (this.queue = queue));
    await this.#refreshHistory();
    try {
      this.queue = await api.call('actions.pending', {});
    } catch {
      // The core is busy: the next `actions.pending` event brings the queue.
    }
  }

  /** The person read a refused change in Activity: forget it. */
  async dismissConflict(id: number): Promise<void> {
    try {
      this.queue = await api.call('actions.dismissConflict', { id });
    } catch (error) {
      this.#toasts.error("Couldn't dismiss the message", error instanceof Error ? error.message : String(error));
    }
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#unsubscribeQueue?.();
    this.#unsubscribeQueue = undefined;
  }

  toggleCulling(): void {
    this.culling = !this.culling;
  }

  /**
   * Favourite (toggle). Mixed selection: any not favourite → favourite all; else unfavourite all.
   * `at`: just these photos (the heart on a tile), whatever is selected.
   */
  async toggleFavourite(at?: readonly number[]): Promise<void> {
    const targets = await this.#targets(at ? { at } : {});
    if (!targets) return;
    const favorite = targets.photos.some((photo) => !photo.favorite);
    const view = this.#library.view;
    await this.#run(targets, {
      phrase: (photos) => `${favorite ? 'favourite' : 'unfavourite'} ${photos}`,
      patch: { favorite },
      // Unfavourited photos leave Favourites.
      hide: view.kind === 'favorites' && !favorite,
      call: (uids) => api.call('actions.setFavorite', { uids, favorite }),
    });
  }

  /** Private (toggle), as favourite: any not private → make all private; else make all public. */
  async togglePrivate(): Promise<void> {
    const targets = await this.#targets();
    if (!targets) return;
    const value = targets.photos.some((photo) => !photo.private);
    await this.#run(targets, {
      phrase: (photos) => `make ${photos} ${value ? 'private' : 'public'}`,
      patch: { private: value },
      hide: false,
      call: (uids) => api.call('actions.setPrivate', { uids, private: value }),
    });
  }

  /** Archive (⌘⌫), or restore when browsing the Archive. */
  async toggleArchive(): Promise<void> {
    const targets = await this.#targets();
    if (!targets) return;
    const archived = this.#library.view.kind !== 'archive';
    await this.#run(targets, {
      phrase: (photos) => `${archived ? 'archive' : 'restore'} ${photos}`,
      patch: { archived },
      // Archived photos leave every view but the Archive; restored ones leave the Archive.
      hide: true,
      call: (uids) => api.call('actions.setArchived', { uids, archived }),
    });
  }

  /**
   * P in Review (or the toolbar's Approve): approve the photos; they leave Review for the
   * library. Not an undo step (PhotoPrism cannot put a photo back into Review).
   */
  async approve(): Promise<void> {
    if (this.#library.view.kind !== 'review') return;
    const targets = await this.#targets();
    if (!targets) return;
    const result = await this.#run(targets, {
      phrase: (photos) => `approve ${photos}`,
      hide: true,
      call: (uids) => api.call('actions.approve', { uids }),
    });
    if (result && result.applied.length > 0 && !this.culling) {
      this.#toasts.info(`Approved ${photosLabel(result.applied.length)}: now in the library`);
    }
  }

  /**
   * Make one version of a stack its primary one (the info panel, the palette). Not optimistic:
   * the tile's new thumbnail is the server's to make; an undo step.
   */
  async choosePrimary(uid: string, fileUid: string, fileName: string): Promise<void> {
    const done = await this.#stackAction(uid, `make “${fileName}” the primary version`, () =>
      api.call('actions.choosePrimary', { uid, fileUid }),
    );
    if (done) this.#toasts.info(`“${fileName}” is now the primary version`, { label: 'Undo', run: () => void this.undo() });
  }

  /**
   * Move one version out of its stack into a photo of its own (the info panel, the palette).
   * PhotoPrism cannot stack files again, so it is no undo step, and the toast says so.
   */
  async unstack(uid: string, fileUid: string, fileName: string): Promise<void> {
    const done = await this.#stackAction(uid, `unstack “${fileName}”`, () => api.call('actions.unstack', { uid, fileUid }));
    if (done) {
      this.#toasts.show({
        tone: 'info',
        title: `“${fileName}” is now a photo of its own`,
        detail: 'PhotoPrism cannot stack it again, so this cannot be undone.',
      });
    }
  }

  /** A stack action: hold the view, say why it failed, then show the photo's new state. See [Note: Stack actions]. */
  async #stackAction(uid: string, what: string, call: () => Promise<ActionResult>): Promise<boolean> {
    const release = this.#library.hold();
    this.pending++;
    let done = false;
    try {
      const result = await call();
      done = result.applied.length > 0 && result.failed.length === 0;
      if (result.failed.length > 0) {
        const reasons = [...new Set(result.failed.map((failure) => failure.message))].join(' ');
        this.#toasts.error(`Couldn't ${what}`, reasons, causeOf(result.failed[0]?.kind));
      }
    } catch (error) {
      this.#toasts.error(`Couldn't ${what}`, messageOf(error), causeOf(error));
    } finally {
      this.pending--;
      await release();
      await this.#viewer.reloadPhoto(uid);
      await this.#refreshHistory();
    }
    return done;
  }

  /** Delete/⌫ in an album: take the photos out of it (they stay in the library). */
  async removeFromAlbum(): Promise<void> {
    const view = this.#library.view;
    if (view.kind !== 'album') return;
    const targets = await this.#targets();
    if (!targets) return;
    const title = this.#albumTitle(view.albumUid);
    await this.#run(targets, {
      phrase: (photos) => `remove ${photos} from “${title}”`,
      hide: true,
      call: (uids) => api.call('actions.removeFromAlbum', { albumUid: view.albumUid, uids }),
    });
  }

  /** Add the target photos to an album (picker, ⌃⌘A). */
  async addToAlbum(albumUid: string): Promise<void> {
    const targets = await this.#targets();
    if (!targets) return;
    const title = this.#albumTitle(albumUid);
    this.#rememberAlbum(albumUid);
    const result = await this.#run(targets, {
      phrase: (photos) => `add ${photos} to “${title}”`,
      call: (uids) => api.call('actions.addToAlbum', { albumUid, uids }),
    });
    if (result && result.applied.length > 0 && !this.culling) {
      this.#toasts.info(`Added ${photosLabel(result.applied.length)} to “${title}”`);
    }
  }

  /** ⌃⌘A: add to the last used album; false when there is none yet (the caller opens the picker). */
  async addToLastAlbum(): Promise<boolean> {
    const album = this.lastAlbum;
    if (!album) return false;
    await this.addToAlbum(album.uid);
    return true;
  }

  /**
   * Create an album (⇧⌘N, "New album…" in the picker), with the target photos when asked.
   * Answers the new album, or null when it failed (a toast says why).
   */
  async createAlbum(title: string, withTargets: boolean): Promise<AlbumSummary | null> {
    const targets = withTargets ? await this.#targets({ quiet: true }) : null;
    const uids = targets?.photos.map((photo) => photo.uid);
    const release = this.#library.hold();
    this.pending++;
    try {
      const result = await api.call('actions.createAlbum', uids && uids.length > 0 ? { title, uids } : { title });
      const album = result.album ?? null;
      if (album) this.#rememberAlbum(album.uid);
      this.#reportFailures(result, uids?.length ?? 0, (photos) => `add ${photos} to “${title}”`);
      if (album && result.failed.length === 0) {
        this.#toasts.info(
          uids && uids.length > 0 ? `Created “${album.title}” with ${photosLabel(uids.length)}` : `Created “${album.title}”`,
        );
      }
      return album;
    } catch (error) {
      this.#toasts.error(`Couldn't create the album “${title}”`, messageOf(error));
      return null;
    } finally {
      this.pending--;
      await release();
      await this.#refreshHistory();
    }
  }

  /** Rename an album (Enter on it in the sidebar). The new title shows at once. */
  async renameAlbum(albumUid: string, title: string): Promise<void> {
    const trimmed = title.trim();
    const before = this.#library.sidebar.albums.find((album) => album.uid === albumUid);
    if (!before || trimmed === '' || trimmed === before.title) return;
    this.#library.sidebar.albums = this.#library.sidebar.albums.map((album) =>
      album.uid === albumUid ? { ...album, title: trimmed } : album,
    );
    await this.#albumAction(
      `rename “${before.title}”`,
      () => api.call('actions.renameAlbum', { albumUid, title: trimmed }),
      () => {
        this.#library.sidebar.albums = this.#library.sidebar.albums.map((album) =>
          album.uid === albumUid ? { ...album, title: before.title } : album,
        );
      },
    );
  }

  /** Delete an album (its photos stay in the library). Leaves the album's view if it is open. */
  async deleteAlbum(albumUid: string): Promise<void> {
    const before = this.#library.sidebar.albums;
    const album = before.find((candidate) => candidate.uid === albumUid);
    if (!album) return;
    this.#library.sidebar.albums = before.filter((candidate) => candidate.uid !== albumUid);
    const wasOpen: LibraryView = this.#library.view;
    if (wasOpen.kind === 'album' && wasOpen.albumUid === albumUid) void this.#library.show({ kind: 'all' });
    await this.#albumAction(
      `delete “${album.title}”`,
      () => api.call('actions.deleteAlbum', { albumUid }),
      () => {
        this.#library.sidebar.albums = before;
      },
    );
  }

  /** The photos Export… applies to (viewer photo, else selection, else focus), or null with a hint. */
  async exportTargets(): Promise<string[] | null> {
    const targets = await this.#targets();
    return targets ? targets.photos.map((photo) => photo.uid) : null;
  }

  /** The photos Edit Info applies to (viewer photo, else selection, else focus), or null with a hint. */
  async inspectorTargets(): Promise<string[] | null> {
    if (this.#viewer.index === null && this.#library.focus.selection.size > MAX_EDIT_UIDS) {
      this.#toasts.error(`Select at most ${countLabel(MAX_EDIT_UIDS)} photos to edit their info at once.`);
      return null;
    }
    const targets = await this.#targets();
    return targets ? targets.photos.map((photo) => photo.uid) : null;
  }

  /**
   * Set metadata fields on photos (the inspector's Save). The title and date show at once; the
   * server's answer (keywords normalised, UTC derived from the zone) arrives with the refresh.
   */
  async editMetadata(uids: readonly string[], edit: MetadataEdit): Promise<boolean> {
    const patch: PhotoPatch = {};
    if (edit.title !== undefined) patch.title = edit.title.trim();
    if (edit.takenAtLocal !== undefined) patch.takenAtLocal = edit.takenAtLocal;
    const result = await this.#run(
      { photos: uids.map((uid) => ({ uid })), focusedOnly: false },
      {
        phrase: (photos) => `change the info of ${photos}`,
        patch,
        call: (list) => api.call('actions.editMetadata', { uids: list, edit }),
      },
    );
    return result !== null && result.failed.length === 0;
  }

  async undo(): Promise<void> {
    await this.#historyStep('undo');
  }

  async redo(): Promise<void> {
    await this.#historyStep('redo');
  }

  /** The photos an action applies to, or null (nothing selected: a hint says so). */
  async #targets(options: { quiet?: boolean; at?: readonly number[] } = {}): Promise<Targets | null> {
    const library = this.#library;
    let indexes: number[];
    let focusedOnly = false;
    if (options.at) {
      indexes = [...options.at];
    } else if (this.#viewer.index !== null) {
      indexes = [this.#viewer.index];
      focusedOnly = true;
    } else if (!library.focus.selection.isEmpty) {
      if (library.focus.selection.size > MAX_ACTION_UIDS) {
        this.#toasts.error(`Select at most ${countLabel(MAX_ACTION_UIDS)} photos for one change.`);
        return null;
      }
      indexes = library.focus.selection.indexes();
      focusedOnly = indexes.length === 1 && indexes[0] === library.focus.focusIndex;
    } else if (library.focus.focusIndex !== null) {
      indexes = [library.focus.focusIndex];
      focusedOnly = true;
    } else {
      if (!options.quiet) this.#toasts.hint('Select some photos first.');
      return null;
    }
    try {
      const photos = await library.photosAt(indexes);
      return photos.length > 0 ? { photos, focusedOnly } : null;
    } catch (error) {
      this.#toasts.error("Couldn't read the selected photos", messageOf(error));
      return null;
    }
  }

  async #run(
    targets: { readonly photos: readonly { readonly uid: string }[]; readonly focusedOnly: boolean },
    options: {
      phrase: Phrase;
      patch?: PhotoPatch;
      hide?: boolean;
      call: (uids: string[]) => Promise<ActionResult>;
    },
  ): Promise<ActionResult | null> {
    const uids = targets.photos.map((photo) => photo.uid);
    const release = this.#library.hold();
    this.pending++;
    const change: { patch?: PhotoPatch; hide?: boolean } = {};
    if (options.patch) change.patch = options.patch;
    if (options.hide) change.hide = true;
    const optimistic = this.#library.applyOptimistic(uids, change);
    if (this.culling && targets.focusedOnly) this.#advance(optimistic.hiddenCount > 0);
    try {
      const result = await options.call(uids);
      const failed = result.failed.flatMap((failure) => failure.uids);
      if (failed.length > 0) optimistic.rollback(failed);
      this.#reportFailures(result, uids.length, options.phrase);
      return result;
    } catch (error) {
      optimistic.rollback(uids);
      this.#toasts.error(`Couldn't ${options.phrase(photosLabel(uids.length))}`, messageOf(error), causeOf(error));
      return null;
    } finally {
      this.pending--;
      await release();
      await this.#refreshHistory();
    }
  }

  /** Culling: move to the next photo (when the acted-on one left the view, the next is already here). */
  #advance(left: boolean): void {
    if (this.#viewer.index !== null) {
      if (!left) this.#viewer.next();
      return;
    }
    const focus = this.#library.focus.focusIndex;
    if (focus === null) return;
    this.#library.focus.moveFocus(left ? focus : focus + 1, false);
  }

  #reportFailures(result: ActionResult, total: number, phrase: Phrase): void {
    if (result.failed.length === 0) {
      // The server took this change: an earlier failure it caused (a 500 while online) is over.
      if (!result.queued) this.#toasts.resolve('connection');
      return;
    }
    const failedCount = new Set(result.failed.flatMap((failure) => failure.uids)).size;
    const count = failedCount < total ? `${countLabel(failedCount)} of ${photosLabel(total)}` : photosLabel(failedCount);
    const reasons = [...new Set(result.failed.map((failure) => failure.message))].join(' ');
    this.#toasts.error(`Couldn't ${phrase(count)}`, reasons, causeOf(result.failed[0]?.kind));
  }

  async #albumAction(what: string, call: () => Promise<ActionResult>, rollback: () => void): Promise<void> {
    const release = this.#library.hold();
    this.pending++;
    try {
      const result = await call();
      if (result.failed.length > 0) {
        rollback();
        const reasons = [...new Set(result.failed.map((failure) => failure.message))].join(' ');
        this.#toasts.error(`Couldn't ${what}`, reasons, causeOf(result.failed[0]?.kind));
      }
    } catch (error) {
      rollback();
      this.#toasts.error(`Couldn't ${what}`, messageOf(error), causeOf(error));
    } finally {
      this.pending--;
      await release();
      await this.#library.sidebar.load();
      await this.#refreshHistory();
    }
  }

  async #historyStep(step: 'undo' | 'redo'): Promise<void> {
    const label = step === 'undo' ? this.history.undoLabel : this.history.redoLabel;
    if (step === 'undo' ? !this.history.canUndo : !this.history.canRedo) {
      // Main is the judge (the history may have changed in another window); ask anyway.
      await this.#refreshHistory();
    }
    this.pending++;
    try {
      const result = await api.call(step === 'undo' ? 'actions.undo' : 'actions.redo', {});
      if (result.failed.length > 0) {
        const reasons = [...new Set(result.failed.map((failure) => failure.message))].join(' ');
        this.#toasts.error(
          `Couldn't ${label.charAt(0).toLowerCase()}${label.slice(1)} completely`,
          reasons,
          causeOf(result.failed[0]?.kind),
        );
      }
    } catch (error) {
      this.#toasts.error(`Couldn't ${label.charAt(0).toLowerCase()}${label.slice(1)}`, messageOf(error), causeOf(error));
    } finally {
      this.pending--;
      await this.#library.refreshAll();
      await this.#refreshHistory();
    }
  }

  async #refreshHistory(): Promise<void> {
    try {
      this.history = await api.call('actions.history', {});
    } catch {
      // No history yet (or the core is busy): keep the last known labels.
    }
  }

  #albumTitle(albumUid: string): string {
    return this.#library.sidebar.albums.find((album) => album.uid === albumUid)?.title ?? 'the album';
  }

  #rememberAlbum(albumUid: string): void {
    this.lastAlbumUid = albumUid;
    try {
      this.#storage?.setItem(LAST_ALBUM_KEY, albumUid);
    } catch {
      // Storage full or disabled: remembered for this session only.
    }
  }
}

function safeGet(storage: Pick<Storage, 'getItem'> | undefined, key: string): string | null {
  try {
    const value = storage?.getItem(key) ?? null;
    // Only ever an album UID (`a` + 15 base-36 characters); anything else is ignored.
    return value !== null && /^a[0-9a-z]{15}$/.test(value) ? value : null;
  } catch {
    return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
