import type { PhotoDetails, PhotoMetadata, ThumbSize } from '../../../shared/library/schemas';
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
/** Slideshow intervals offered (Photos' slideshow options): the first is the default. */
export const SLIDESHOW_INTERVALS_MS = [3000, 2000, 5000, 10_000] as const;

/** Two photos side by side (culling): which index each side shows, and which side the keys act on. */
export interface CompareView {
  readonly left: number;
  readonly right: number;
  readonly active: 'left' | 'right';
}

export class ViewerState {
  index = $state<number | null>(null);
  /**
   * The slideshow's interval while one plays (null = none); paused keeps the photo on screen.
   * Every manual step restarts the wait, so ← / → never race the timer.
   */
  slideshowMs = $state<number | null>(null);
  slideshowPaused = $state(false);
  /** Compare mode: the open photo (`index`) is the active side. */
  compare = $state.raw<CompareView | null>(null);
  infoOpen = $state(false);
  details = $state.raw<PhotoDetails | null>(null);
  detailsError = $state<string | undefined>(undefined);
  /**
   * What only the server knows of the open photo (files, keywords, labels), asked for while the
   * info panel shows it; `metadataFor` names the photo it belongs to. The panel's stack actions
   * and the palette's read the files from here.
   */
  metadata = $state.raw<PhotoMetadata | null>(null);
  metadataFor = $state<string | null>(null);
  metadataError = $state<string | undefined>(undefined);

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
  #slideTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(library: LibraryState) {
    this.#library = library;
    library.followRows((uidAt) => this.#followRows(uidAt));
  }

  /** The open photo's summary (undefined while its page loads). */
  get photo() {
    return this.index === null ? undefined : this.#library.photoAt(this.index);
  }

  open(index: number): void {
    if (index < 0 || index >= this.#library.total) return;
    this.index = index;
    this.zoom = FIT_VIEW;
    this.#library.focus.focusIndex = index;
    // Neighbours too, so ←/→ show the next photo without waiting.
    void this.#library.ensure(Math.max(0, index - 1), index + 1).then(() => this.loadDetails());
    void this.loadDetails();
  }

  close(): void {
    this.stopSlideshow();
    this.compare = null;
    if (this.index === null) return;
    this.#library.focus.focusIndex = this.index;
    this.#library.focus.revealRequest++;
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
    if (this.compare) return this.#moveCompared(1);
    if (this.index !== null && this.index < this.#library.total - 1) this.#go(this.index + 1);
    this.#scheduleSlide();
  }

  previous(): void {
    if (this.compare) return this.#moveCompared(-1);
    if (this.index !== null && this.index > 0) this.#go(this.index - 1);
    this.#scheduleSlide();
  }

  /** Play a slideshow from `index` (default: the open photo, else the first). */
  startSlideshow(index = this.index ?? 0, intervalMs: number = SLIDESHOW_INTERVALS_MS[0]): void {
    this.compare = null;
    if (this.index !== index) this.open(index);
    if (this.index === null) return;
    this.slideshowMs = intervalMs;
    this.slideshowPaused = false;
    this.#scheduleSlide();
  }

  stopSlideshow(): void {
    clearTimeout(this.#slideTimer);
    this.#slideTimer = undefined;
    this.slideshowMs = null;
    this.slideshowPaused = false;
  }

  /** Space during a slideshow: hold the photo, or go on. */
  toggleSlideshowPause(): void {
    if (this.slideshowMs === null) return;
    this.slideshowPaused = !this.slideshowPaused;
    this.#scheduleSlide();
  }

  setSlideshowInterval(intervalMs: number): void {
    if (this.slideshowMs === null) return;
    this.slideshowMs = intervalMs;
    this.#scheduleSlide();
  }

  /** Wait one interval, then the next photo; the last photo ends the slideshow (it stays on screen). */
  #scheduleSlide(): void {
    clearTimeout(this.#slideTimer);
    this.#slideTimer = undefined;
    if (this.slideshowMs === null || this.slideshowPaused || this.index === null) return;
    this.#slideTimer = setTimeout(() => {
      if (this.slideshowMs === null || this.index === null) return;
      if (this.index >= this.#library.total - 1) {
        this.stopSlideshow();
        return;
      }
      this.next();
    }, this.slideshowMs);
  }

  /** Compare two photos of the view side by side; the left one is active (the keys act on it). */
  startCompare(left: number, right: number): void {
    const total = this.#library.total;
    if (left === right || left < 0 || right < 0 || left >= total || right >= total) return;
    this.stopSlideshow();
    if (this.index !== left) this.open(left);
    this.compare = { left, right, active: 'left' };
    void this.#library.ensure(Math.min(left, right), Math.max(left, right));
  }

  /** Tab in compare: the keys (favourite, ←/→, info) now act on the other side. */
  switchCompareSide(): void {
    const compare = this.compare;
    if (!compare) return;
    const active = compare.active === 'left' ? 'right' : 'left';
    this.compare = { ...compare, active };
    this.#go(compare[active]);
  }

  /** ←/→ in compare: the active side shows the previous/next photo (never the other side's). */
  #moveCompared(step: 1 | -1): void {
    const compare = this.compare;
    if (!compare) return;
    const other = compare.active === 'left' ? compare.right : compare.left;
    let next = compare[compare.active] + step;
    if (next === other) next += step;
    if (next < 0 || next >= this.#library.total) return;
    this.compare = { ...compare, [compare.active]: next };
    this.#go(next);
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
      if (this.#detailsFor !== uid) return;
      this.details = details;
      // The info panel shows the server's part too (files, keywords, labels).
      void this.loadMetadata();
    } catch (error) {
      if (this.#detailsFor === uid) {
        this.details = null;
        this.detailsError = error instanceof Error ? error.message : String(error);
      }
    }
  }

  /** Ask the server for the open photo's files, keywords and labels (whenever its details were read). */
  async loadMetadata(): Promise<void> {
    const uid = this.details?.uid;
    if (!uid) return;
    this.metadataFor = uid;
    this.metadata = null;
    this.metadataError = undefined;
    try {
      const metadata = await api.call('photo.metadata', { uid });
      if (this.metadataFor === uid) this.metadata = metadata;
    } catch (error) {
      if (this.metadataFor === uid) this.metadataError = error instanceof Error ? error.message : String(error);
    }
  }

  /**
   * The open photo changed on the server (a stack action): stay on it (an unstacked version may
   * now sit beside it in the view) and read its details and files again.
   */
  async reloadPhoto(uid: string): Promise<void> {
    if (this.index === null) return;
    const index = this.#library.indexOfUid(uid);
    if (index >= 0) this.index = index;
    this.#detailsFor = null;
    // Reads the files again too.
    await this.loadDetails();
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

  /**
   * The view's rows are about to change (photos arrived above the open one, or left before
   * it): stay on the same photos, as the grid's selection does. Without this the viewer showed
   * whichever photo moved to its index, and the next key (⌘L, F) acted on that one. When the
   * open photo left the view, the one that took its place shows.
   */
  #followRows(uidAt: (index: number) => string | undefined): (indexOfUid: (uid: string) => number) => void {
    const index = this.index;
    if (index === null) return () => undefined;
    const uid = uidAt(index);
    const compare = this.compare;
    const sides = compare && { left: uidAt(compare.left), right: uidAt(compare.right) };
    return (indexOfUid) => {
      if (this.index !== index || uid === undefined) return;
      const found = indexOfUid(uid);
      if (compare && sides && this.compare === compare) {
        const left = sides.left === undefined ? -1 : indexOfUid(sides.left);
        const right = sides.right === undefined ? -1 : indexOfUid(sides.right);
        const next = { ...compare, left: left >= 0 ? left : compare.left, right: right >= 0 ? right : compare.right };
        this.compare = next.left === next.right ? null : next;
      }
      if (found < 0) this.clampToView();
      else this.index = found;
    };
  }

  #go(index: number): void {
    this.index = index;
    this.zoom = FIT_VIEW;
    this.#library.focus.focusIndex = index;
    this.#library.focus.click(index, { shift: false, toggle: false });
    this.details = null;
    // Forget whose details were loaded: coming back to that photo must load them again.
    this.#detailsFor = null;
    void this.#library.ensure(Math.max(0, index - 2), index + 2).then(() => this.loadDetails());
    void this.loadDetails();
  }
}
