import type { PhotoDetails } from '../../../shared/library/schemas';
import { api } from '../api';
import type { LibraryState } from './library.svelte';

/**
 * The photo viewer overlay: which photo of the current view is open, and its info panel.
 *
 * Navigates by index in the view, so ←/→ walk the same order as the grid and cross page
 * boundaries through the library's page cache. Details come from main's cache
 * (`photo.details`), so the info panel works offline.
 */
export class ViewerState {
  index = $state<number | null>(null);
  infoOpen = $state(false);
  details = $state.raw<PhotoDetails | null>(null);
  detailsError = $state<string | undefined>(undefined);

  readonly isOpen = $derived(this.index !== null);
  readonly #library: LibraryState;
  #detailsFor: string | null = null;

  constructor(library: LibraryState) {
    this.#library = library;
  }

  /** The open photo's summary (undefined while its page loads). */
  get photo() {
    return this.index === null ? undefined : this.#library.photoAt(this.index);
  }

  open(index: number): void {
    if (index < 0 || index >= this.#library.total) return;
    this.index = index;
    this.#library.focusIndex = index;
    // Neighbours too, so ←/→ show the next photo without waiting.
    void this.#library.ensure(Math.max(0, index - 1), index + 1).then(() => this.loadDetails());
    void this.loadDetails();
  }

  close(): void {
    if (this.index === null) return;
    this.#library.focusIndex = this.index;
    this.#library.revealRequest++;
    this.index = null;
    this.details = null;
    this.#detailsFor = null;
  }

  /**
   * The open photo left the view (archived, unfavourited in Favourites): show the one that
   * took its place, or the last one, or close when none is left.
   */
  clampToView(): void {
    if (this.index === null) return;
    const total = this.#library.total;
    if (total === 0) {
      this.close();
      return;
    }
    this.#go(Math.min(this.index, total - 1));
  }

  next(): void {
    if (this.index !== null && this.index < this.#library.total - 1) this.#go(this.index + 1);
  }

  previous(): void {
    if (this.index !== null && this.index > 0) this.#go(this.index - 1);
  }

  toggleInfo(): void {
    this.infoOpen = !this.infoOpen;
    if (this.infoOpen) void this.loadDetails();
  }

  /** Fetch details of the open photo if the info panel shows and they are not loaded. */
  async loadDetails(): Promise<void> {
    const uid = this.photo?.uid;
    if (!this.infoOpen || !uid || uid === this.#detailsFor) return;
    this.#detailsFor = uid;
    this.detailsError = undefined;
    try {
      const details = await api.call('photo.details', { uid });
      if (this.#detailsFor === uid) this.details = details;
    } catch (error) {
      if (this.#detailsFor === uid) {
        this.details = null;
        this.detailsError = error instanceof Error ? error.message : String(error);
      }
    }
  }

  #go(index: number): void {
    this.index = index;
    this.#library.focusIndex = index;
    this.#library.clickPhoto(index, { shift: false, toggle: false });
    this.details = null;
    void this.#library.ensure(Math.max(0, index - 2), index + 2).then(() => this.loadDetails());
    void this.loadDetails();
  }
}
