import { errorMessage } from '../../../shared/errors';
import { MAX_DRAG_OUT_UIDS, type ExportStatus } from '../../../shared/export';
import { api } from '../api';
import { beginNativeDragOut, whenPageDragLeavesWindow } from '../photo-drag';
import type { ToastState } from './toasts.svelte';

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
  /** Photos whose originals main has staged for dragging out, as far as this page has heard. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- read only at dragstart, never rendered
  readonly #readyForFinder = new Set<string>();
  /** Staging exports under way → their photos (they become ready when it says done). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never rendered
  readonly #staging = new Map<number, readonly string[]>();

  constructor(options: { toasts: ToastState; canReveal?: () => boolean; canDragOut?: () => boolean }) {
    this.#toasts = options.toasts;
    this.canReveal = options.canReveal ?? (() => false);
    this.canDragOut = options.canDragOut ?? (() => false);
  }

  /**
   * A drag of these tiles is starting (dragstart, synchronous): true when the page drag must
   * give way to the native drag of their originals to Finder, which main now starts. Otherwise
   * the page drag goes on (sidebar albums take it) and, should it leave the window, main stages
   * the originals so the next drag reaches Finder. See [Note: Dragging originals out to Finder].
   */
  dragOut(uids: readonly string[]): boolean {
    // A selection beyond what one drag takes stays a page drag (albums); Export… takes any size.
    if (!this.canDragOut() || uids.length === 0 || uids.length > MAX_DRAG_OUT_UIDS) return false;
    if (uids.every((uid) => this.#readyForFinder.has(uid))) {
      beginNativeDragOut();
      void this.#askDragOut(uids, 'drag');
      return true;
    }
    whenPageDragLeavesWindow(() => void this.#askDragOut(uids, 'prepare'));
    return false;
  }

  async #askDragOut(uids: readonly string[], mode: 'drag' | 'prepare'): Promise<void> {
    try {
      const result = await api.call('export.dragOut', { uids: [...uids], mode });
      if (result.state === 'ready') for (const uid of uids) this.#readyForFinder.add(uid);
      if (result.state !== 'preparing') return;
      // Main had dropped some (a staged file removed): they come again; the next drag carries them.
      for (const uid of uids) this.#readyForFinder.delete(uid);
      if (!this.#staging.has(result.exportId)) {
        const what = result.photos === 1 ? 'the original' : `${result.photos.toLocaleString()} originals`;
        this.#toasts.info(`Getting ${what} ready for Finder. Drag again once the export panel says done.`);
      }
      this.#staging.set(result.exportId, [...(this.#staging.get(result.exportId) ?? []), ...uids]);
    } catch (error) {
      this.#toasts.error("Couldn't drag the originals out", errorMessage(error));
    }
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

  #apply(status: ExportStatus): void {
    const staged = this.#staging.get(status.id);
    if (staged && status.state === 'done') {
      for (const uid of staged) this.#readyForFinder.add(uid);
      this.#staging.delete(status.id);
    }
    const at = this.items.findIndex((item) => item.id === status.id);
    this.items = at < 0 ? [...this.items, status] : this.items.map((item, i) => (i === at ? status : item));
  }
}
