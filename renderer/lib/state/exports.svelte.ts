import { errorMessage } from '../../../shared/errors';
import type { DownloadLink, ExportStatus } from '../../../shared/export';
import { MAX_DRAG_OUT_UIDS, MAX_ONE_DRAG_PHOTOS } from '../../../shared/limits';
import { api } from '../api';
import { beginNativeDragOut, endNativeDragOut, whenPageDragLeavesWindow } from '../photo-drag';
import type { ToastState } from './toasts.svelte';

/** One toast for every drag-out message: a newer one replaces the older. */
const DRAG_OUT_CAUSE = 'drag-out';
/** How long a held button waits before the page says what it waits for. */
const HOLD_HINT_MS = 400;

/**
 * Exports as the progress panel shows them (components/ExportPanel.svelte): started from
 * Export… (⇧⌘E, the selection bar, a tile's or an album's context menu), followed through
 * `export.progress`, cancelled, resumed or dismissed from the panel. Main does the work
 * (main/export/); nothing of the files passes through the page.
 */
export class ExportState {
  items = $state.raw<readonly ExportStatus[]>([]);
  /** Whether Show in Finder is offered: the Mac app has Finder; the web shell's page does not. */
  readonly canReveal: () => boolean;
  readonly #toasts: ToastState;
  #unsubscribe: (() => void) | undefined;

  /** Whether tiles drag out to Finder as files: the Mac app only (a browser page cannot start a native drag). */
  readonly canDragOut: () => boolean;
  /** Single photos' download links, learnt at the press, for a browser drag out of the page (DownloadURL). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- read only at dragstart, never rendered
  readonly #links = new Map<string, DownloadLink>();
  /**
   * Drag stagings (`forDrag`) stay out of the panel until a drag had to wait for one: a press on the
   * selection stages it silently, and a card per press would be noise. Their latest status waits here.
   */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never rendered
  readonly #hiddenStagings = new Map<number, ExportStatus>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never rendered
  readonly #shownStagings = new Set<number>();

  /** What Export… (⇧⌘E) would export now (the whole selection), for a drag's "use Export…" button. */
  readonly #exportTargets: (() => Promise<readonly string[] | null>) | undefined;

  constructor(options: {
    toasts: ToastState;
    canReveal?: () => boolean;
    canDragOut?: () => boolean;
    exportTargets?: () => Promise<readonly string[] | null>;
  }) {
    this.#toasts = options.toasts;
    this.#exportTargets = options.exportTargets;
    this.canReveal = options.canReveal ?? (() => false);
    this.canDragOut = options.canDragOut ?? (() => false);
  }

  /**
   * The mouse button went down on tiles (`selected`: on the selection), so a drag of `uids` may
   * follow: the Mac app stages the selection's originals ahead (within one drag's budget), the
   * browser learns the one photo's download link. See [Note: Dragging originals out to Finder].
   */
  pressed(uids: readonly string[], selected: boolean): void {
    if (this.canDragOut()) {
      if (selected && uids.length > 0 && uids.length <= MAX_ONE_DRAG_PHOTOS) void this.#askDragOut(uids, 'prefetch');
      return;
    }
    const uid = uids.length === 1 ? uids[0] : undefined;
    if (uid === undefined || this.#links.has(uid)) return;
    api.call('export.downloadLink', { uid }).then(
      (link) => this.#links.set(uid, link),
      // No link (not cached any more): the drag stays a page drag, and says so if it leaves the page.
      () => undefined,
    );
  }

  /**
   * A drag of these tiles is starting (dragstart, synchronous): true when the page drag must
   * give way to the native drag of their originals to Finder, which main starts as soon as they
   * are staged while the button is held (the Mac app). In the browser one photo carries its
   * original as `DownloadURL` beside the page data (sidebar albums still take the drop). What
   * cannot leave as one drag says so once it leaves the window, and offers Export… (⇧⌘E).
   */
  dragOut(uids: readonly string[], transfer: DataTransfer, count = uids.length): boolean {
    if (uids.length === 0) return false;
    if (!this.canDragOut()) {
      const link = uids.length === 1 ? this.#links.get(uids[0] ?? '') : undefined;
      if (link) {
        transfer.setData('DownloadURL', `${link.mime}:${link.fileName}:${location.origin}${link.path}`);
        return false;
      }
      whenPageDragLeavesWindow(() =>
        this.#cannotDragOut(
          uids,
          uids.length === 1
            ? 'This photo can’t be dragged out of the browser yet. Drag it again, or use Export… (⇧⌘E).'
            : `A browser drags one photo at a time out of the page. For these ${count.toLocaleString()} photos, use Export… (⇧⌘E).`,
        ),
      );
      return false;
    }
    if (count > MAX_DRAG_OUT_UIDS) {
      whenPageDragLeavesWindow(() =>
        this.#cannotDragOut(
          uids,
          `Up to ${MAX_DRAG_OUT_UIDS} photos can be dragged to Finder at once. For these ${count.toLocaleString()}, use Export… (⇧⌘E).`,
        ),
      );
      return false;
    }
    // More than one drag can wait for: a page drag (albums take it); leaving the window stages them for the next drag.
    if (uids.length > MAX_ONE_DRAG_PHOTOS) {
      whenPageDragLeavesWindow(() => void this.#askDragOut(uids, 'prepare'));
      return false;
    }
    beginNativeDragOut();
    void this.#askDragOut(uids, 'drag');
    return true;
  }

  async #askDragOut(uids: readonly string[], mode: 'drag' | 'prefetch' | 'prepare'): Promise<void> {
    // Held longer than a glance: say what the wait is for, so a still pointer is not a mystery.
    const holding =
      mode === 'drag'
        ? setTimeout(
            () => this.#toasts.show({ tone: 'hint', cause: DRAG_OUT_CAUSE, title: 'Getting the originals for Finder… keep holding.' }),
            HOLD_HINT_MS,
          )
        : undefined;
    try {
      const result = await api.call('export.dragOut', { uids: [...uids], mode });
      clearTimeout(holding);
      if (result.state === 'dragging') this.#toasts.resolve(DRAG_OUT_CAUSE);
      else if (mode === 'drag') endNativeDragOut();
      if (result.state !== 'preparing' || (result.why === 'asked' && mode === 'prefetch')) return;
      this.#showStaging(result.exportId);
      this.#cannotDragOut(uids, dragOutMessage(result.why, result.photos));
    } catch (error) {
      clearTimeout(holding);
      if (mode === 'drag') endNativeDragOut();
      // A press is only a guess that a drag follows: its failure waits for the drag to say so.
      if (mode !== 'prefetch') this.#toasts.error("Couldn't drag the originals out", errorMessage(error));
    }
  }

  /** What a drag could not do, with Export… at hand. */
  #cannotDragOut(uids: readonly string[], title: string): void {
    const exportThem = async () => {
      const targets = (await this.#exportTargets?.()) ?? uids;
      if (targets.length > 0) await this.exportPhotos(targets);
    };
    this.#toasts.show({ tone: 'hint', cause: DRAG_OUT_CAUSE, title, action: { label: 'Export…', run: () => void exportThem() } });
  }

  async load(): Promise<void> {
    this.#unsubscribe ??= api.on('export.progress', (status) => this.#apply(status));
    try {
      for (const status of await api.call('export.list', {})) this.#apply(status);
    } catch {
      // No list yet (the core is starting): progress events fill it in.
    }
  }

  /** Export these photos' originals; main asks where (null: the person closed the chooser). */
  async exportPhotos(uids: readonly string[], sidecars = false): Promise<void> {
    await this.#start(() => api.call('export.photos', { uids: [...uids], sidecars }));
  }

  async exportAlbum(albumUid: string): Promise<void> {
    await this.#start(() => api.call('export.album', { albumUid }));
  }

  async cancel(id: number): Promise<void> {
    await this.#act(() => api.call('export.cancel', { id }));
  }

  async resume(id: number): Promise<void> {
    await this.#act(() => api.call('export.resume', { id }));
  }

  /** Show the export's folder in Finder (the Mac app only: see `canReveal`). */
  async reveal(id: number): Promise<void> {
    try {
      await api.call('export.reveal', { id });
    } catch (error) {
      this.#toasts.error("Couldn't show the folder", errorMessage(error));
    }
  }

  async dismiss(id: number): Promise<void> {
    this.items = this.items.filter((item) => item.id !== id);
    await api.call('export.dismiss', { id }).catch(() => undefined);
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  async #start(call: () => Promise<ExportStatus | null>): Promise<void> {
    try {
      const status = await call();
      if (status) this.#apply(status);
    } catch (error) {
      this.#toasts.error("Couldn't start the export", errorMessage(error));
    }
  }

  async #act(call: () => Promise<ExportStatus>): Promise<void> {
    try {
      this.#apply(await call());
    } catch (error) {
      this.#toasts.error("Couldn't change the export", errorMessage(error));
    }
  }

  /** A drag waits for this staging: its card joins the panel ("Drag again once the export panel says done"). */
  #showStaging(exportId: number): void {
    this.#shownStagings.add(exportId);
    const held = this.#hiddenStagings.get(exportId);
    this.#hiddenStagings.delete(exportId);
    if (held) this.#apply(held);
  }

  #apply(status: ExportStatus): void {
    if (status.forDrag && !this.#shownStagings.has(status.id)) {
      this.#hiddenStagings.set(status.id, status);
      return;
    }
    const at = this.items.findIndex((item) => item.id === status.id);
    this.items = at < 0 ? [...this.items, status] : this.items.map((item, i) => (i === at ? status : item));
  }
}

/** Why a drag to Finder did not start, and what to do. */
function dragOutMessage(why: 'asked' | 'too-big' | 'slow' | 'released', photos: number): string {
  const one = photos === 1;
  const later = 'Drag again once the export panel says done';
  switch (why) {
    case 'asked':
    case 'too-big':
      return `${one ? 'This original is too big' : `${photos.toLocaleString()} originals are too many`} to fetch during one drag. ${
        one ? 'It is' : 'They are'
      } being fetched now: ${later.toLowerCase()}, or use Export… (⇧⌘E).`;
    case 'slow':
      return `${one ? 'The original' : `The ${photos.toLocaleString()} originals`} took longer than a drag can wait. ${later}, or use Export… (⇧⌘E).`;
    case 'released':
      return `${one ? 'The original was' : `The ${photos.toLocaleString()} originals were`} not ready before you let go. ${later}.`;
  }
}
