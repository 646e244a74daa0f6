import { Selection, type ClickModifiers } from '../selection';

/**
 * Which photos are selected and which one has the keyboard focus ring, one of LibraryState's
 * jobs. Indexes are display indexes in the view; `total` is the view's size as displayed.
 * Across updates of the rows, `capture` and `restore` keep both on the same photos by UID.
 */
export class LibraryFocus {
  selection = $state.raw<Selection>(Selection.EMPTY);
  /** The photo with the keyboard focus ring. */
  focusIndex = $state<number | null>(null);
  /** Bumped to ask the grid to scroll `focusIndex` into view (keyboard moves, viewer closes). */
  revealRequest = $state(0);

  readonly #total: () => number;

  constructor(total: () => number) {
    this.#total = total;
  }

  /** Apply a click on a tile (or a keyboard move). */
  click(index: number, modifiers: ClickModifiers): void {
    this.selection = this.selection.click(index, modifiers);
    this.focusIndex = index;
  }

  selectAll(): void {
    this.selection = Selection.all(this.#total());
  }

  clearSelection(): void {
    this.selection = Selection.EMPTY;
  }

  /** Put the focus ring on a photo without changing the selection (culling auto-advance). */
  setFocus(index: number | null): void {
    const total = this.#total();
    this.focusIndex = index === null || total === 0 ? null : Math.min(Math.max(index, 0), total - 1);
    this.revealRequest++;
  }

  /** Move the focus ring (arrow keys), selecting like a click (⇧ extends). */
  moveFocus(index: number, extend: boolean): void {
    const target = Math.min(Math.max(index, 0), this.#total() - 1);
    if (target < 0) return;
    this.selection = this.selection.click(target, { shift: extend, toggle: false });
    this.focusIndex = target;
    this.revealRequest++;
  }

  /** A new view: nothing selected, no focus ring. */
  reset(): void {
    this.selection = Selection.EMPTY;
    this.focusIndex = null;
  }

  /** The view's size changed: keep selection and focus inside it. */
  clampTo(total: number): void {
    this.selection = this.selection.clamp(total);
    if (this.focusIndex !== null && this.focusIndex >= total) this.focusIndex = total > 0 ? total - 1 : null;
  }

  /** Remember the focused and selected photos by UID (before the rows change). */
  capture(uidAt: (index: number) => string | undefined): KeptPlace {
    const focus = this.focusIndex;
    const focusUid = focus === null ? undefined : uidAt(focus);
    // A huge selection (⌘A) keeps its ranges; photo by photo only when every one is loaded.
    let selected: string[] | null = null;
    if (!this.selection.isEmpty && this.selection.size <= MAX_KEPT_BY_UID) {
      const uids: string[] = [];
      for (const index of this.selection.indexes()) {
        const uid = uidAt(index);
        if (uid === undefined) break;
        uids.push(uid);
      }
      if (uids.length === this.selection.size) selected = uids;
    }
    const anchor = this.selection.anchor;
    const anchorUid = anchor === null ? undefined : uidAt(anchor);
    return { focus, focusUid, selected, anchorUid };
  }

  /** Put focus and selection back on the photos `capture` remembered, wherever they are now. */
  restore(keep: KeptPlace, indexOfUid: (uid: string) => number): void {
    const total = this.#total();
    if (keep.focus !== null) {
      const found = keep.focusUid === undefined ? -1 : indexOfUid(keep.focusUid);
      // Gone from the view: the photo that took its place gets the focus (the "next" one).
      this.focusIndex = found >= 0 ? found : total > 0 ? Math.min(keep.focus, total - 1) : null;
    }
    if (keep.selected) {
      const indexes = keep.selected.map((uid) => indexOfUid(uid)).filter((index) => index >= 0);
      const anchor = keep.anchorUid === undefined ? null : indexOfUid(keep.anchorUid);
      this.selection = Selection.fromIndexes(indexes, anchor);
    } else {
      this.selection = this.selection.clamp(total);
    }
  }
}

/** Selections up to this size are kept photo by photo across updates; larger ones by range. */
const MAX_KEPT_BY_UID = 5000;

/** Focus and selection by UID, as `capture` saw them. */
export interface KeptPlace {
  readonly focus: number | null;
  readonly focusUid: string | undefined;
  readonly selected: string[] | null;
  readonly anchorUid: string | undefined;
}
