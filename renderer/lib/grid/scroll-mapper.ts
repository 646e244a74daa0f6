/**
 * [Note: Scroll-height cap]
 *
 * Browsers cap a scroll box at roughly 16.7M CSS px (2^24; less on Retina), so 100k photos at
 * a small zoom, or 1M at any zoom, cannot be one tall element: the last photos would be
 * unreachable (Immich #16788). Past `MAX_REAL_HEIGHT_PX` we scale: the real scroll box is
 * capped and the *virtual* position is `real × factor`, with the factor chosen so the real
 * bottom is the virtual bottom. Rows are positioned relative to the viewport from the virtual
 * position, so they never see the real coordinates.
 *
 * Scaling alone would make a wheel tick move `factor` times further, so the grid keeps its own
 * virtual position: wheel deltas move it 1:1 (`scrollBy`), while a jump of the real position
 * that we did not cause (scrollbar drag, Page Down) is mapped back through the factor.
 */

/** Real scroll heights above this are scaled. Well under every engine's cap. */
export const MAX_REAL_HEIGHT_PX = 10_000_000;

/** Maps between the real scroll box and the virtual layout. Pure; owns no DOM. */
export class ScrollMapper {
  #virtualHeightPx = 0;
  #viewportPx = 0;
  #virtualTopPx = 0;
  /** The real scrollTop we last asked for, to tell our own scrolls from the user's. */
  #expectedRealTopPx = 0;
  readonly #maxRealPx: number;

  constructor(maxRealPx = MAX_REAL_HEIGHT_PX) {
    this.#maxRealPx = maxRealPx;
  }

  /** Height of the real spacer element. */
  get realHeightPx(): number {
    return Math.min(this.#virtualHeightPx, this.#maxRealPx);
  }

  /** Virtual px per real px (1 until the cap is reached). */
  get factor(): number {
    const realRange = this.realHeightPx - this.#viewportPx;
    const virtualRange = this.#virtualHeightPx - this.#viewportPx;
    return realRange > 0 && virtualRange > realRange ? virtualRange / realRange : 1;
  }

  get virtualTopPx(): number {
    return this.#virtualTopPx;
  }

  get maxVirtualTopPx(): number {
    return Math.max(0, this.#virtualHeightPx - this.#viewportPx);
  }

  /** New content height or viewport height; keeps the virtual position (clamped). */
  resize(virtualHeightPx: number, viewportPx: number): void {
    this.#virtualHeightPx = Math.max(0, virtualHeightPx);
    this.#viewportPx = Math.max(0, viewportPx);
    this.#virtualTopPx = this.#clamp(this.#virtualTopPx);
    this.#expectedRealTopPx = this.toReal(this.#virtualTopPx);
  }

  /** Real scrollTop for a virtual position. */
  toReal(virtualPx: number): number {
    return virtualPx / this.factor;
  }

  /** Virtual position for a real scrollTop. */
  toVirtual(realPx: number): number {
    return this.#clamp(realPx * this.factor);
  }

  /**
   * The scroll box reports a real position. Returns the virtual position to render.
   *
   * Within a pixel of where we put it, it is our own echo (`scrollTo`/`scrollBy` rounding):
   * keep the precise virtual position instead of re-deriving it through the factor.
   */
  onRealScroll(realTopPx: number): number {
    if (Math.abs(realTopPx - this.#expectedRealTopPx) > 1) {
      this.#virtualTopPx = this.toVirtual(realTopPx);
      this.#expectedRealTopPx = realTopPx;
    }
    return this.#virtualTopPx;
  }

  /** Go to a virtual position; returns the real scrollTop to set. */
  scrollTo(virtualPx: number): number {
    this.#virtualTopPx = this.#clamp(virtualPx);
    this.#expectedRealTopPx = this.toReal(this.#virtualTopPx);
    return this.#expectedRealTopPx;
  }

  /** Move by a virtual delta (a wheel tick moves the same distance at any library size). */
  scrollBy(deltaPx: number): number {
    return this.scrollTo(this.#virtualTopPx + deltaPx);
  }

  #clamp(virtualPx: number): number {
    return Math.min(Math.max(virtualPx, 0), this.maxVirtualTopPx);
  }
}
