import type { PhotoDetails, ThumbSize } from '../../../shared/library/schemas';
import { api } from '../api';
import { DecodedImageCache } from '../viewer/decoded-image-cache';
import { FIT_VIEW, panBy, toggleActualSize, ZOOM_STEP, zoomTo, type ZoomGeometry, type ZoomView } from '../viewer/zoom';
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

  /** Zoom and pan of the open photo (fit = FIT_VIEW); back to fit on every photo change. */
  zoom = $state.raw<ZoomView>(FIT_VIEW);
  /** What the viewer shows on screen, set by the component as the window resizes. */
  geometry = $state.raw<ZoomGeometry | null>(null);
  /**
   * The tile size the grid shows: the viewer paints that thumbnail at once (the browser has it)
   * while the sharp preview loads.
   */
  placeholderSize = $state<ThumbSize>('tile_224');
  /**
   * Decoded previews of the open photo and its neighbours: 160 MB is about twelve 1920 px
   * previews, enough for prefetching both ways without holding on to a whole session's photos.
   */
  readonly images = new DecodedImageCache({ budgetBytes: 160 * 1024 * 1024, maxEntries: 12 });

  readonly isOpen = $derived(this.index !== null);
  readonly isZoomed = $derived(this.zoom.scale > 1.001);
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
    this.zoom = FIT_VIEW;
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
    this.zoom = FIT_VIEW;
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

  zoomIn(): void {
    if (this.geometry) this.zoom = zoomTo(this.zoom, this.zoom.scale * ZOOM_STEP, this.geometry);
  }

  zoomOut(): void {
    if (this.geometry) this.zoom = zoomTo(this.zoom, this.zoom.scale / ZOOM_STEP, this.geometry);
  }

  zoomToFit(): void {
    this.zoom = FIT_VIEW;
  }

  /** Fit ↔ 100 %, around `anchor` (CSS px from the stage's centre). */
  toggleActualSize(anchor?: { x: number; y: number }): void {
    if (this.geometry) this.zoom = toggleActualSize(this.zoom, this.geometry, anchor);
  }

  /** Zoom by a factor around `anchor` (pinch, ctrl+wheel). */
  zoomBy(factor: number, anchor?: { x: number; y: number }): void {
    if (this.geometry) this.zoom = zoomTo(this.zoom, this.zoom.scale * factor, this.geometry, anchor);
  }

  /** Move the zoomed image (arrow keys, drag, two-finger scroll). */
  pan(dx: number, dy: number): void {
    if (this.geometry) this.zoom = panBy(this.zoom, dx, dy, this.geometry);
  }

  #go(index: number): void {
    this.index = index;
    this.zoom = FIT_VIEW;
    this.#library.focusIndex = index;
    this.#library.clickPhoto(index, { shift: false, toggle: false });
    this.details = null;
    // Forget whose details were loaded: coming back to that photo must load them again.
    this.#detailsFor = null;
    void this.#library.ensure(Math.max(0, index - 2), index + 2).then(() => this.loadDetails());
    void this.loadDetails();
  }
}
