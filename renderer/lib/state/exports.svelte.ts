import { errorMessage } from '../../../shared/errors';
import type { ExportStatus } from '../../../shared/export';
import { api } from '../api';
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

  constructor(options: { toasts: ToastState; canReveal?: () => boolean }) {
    this.#toasts = options.toasts;
    this.canReveal = options.canReveal ?? (() => false);
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
    const at = this.items.findIndex((item) => item.id === status.id);
    this.items = at < 0 ? [...this.items, status] : this.items.map((item, i) => (i === at ? status : item));
  }
}
