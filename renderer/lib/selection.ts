/**
 * Multi-select over a view, as sorted disjoint index ranges.
 *
 * Ranges rather than a set of UIDs because ⌘A on 100k photos must be one range, not 100k
 * entries, and because most photos of a selection are not loaded (the page cache holds only
 * what is near the viewport). Values are immutable: every operation returns a new Selection,
 * which makes it cheap to keep in `$state.raw` and trivial to test.
 *
 * Click semantics follow Finder and Photos: click selects one and sets the anchor; ⇧-click
 * adds anchor…target (a second ⇧-click replaces that run); ⌘-click toggles one and moves the
 * anchor. Photos selected before a ⇧ run stay selected (Photos behaviour).
 */

/** A half-open range [start, end) of photo indexes. */
export interface IndexRange {
  readonly start: number;
  readonly end: number;
}

/** How a click or key extends the selection. */
export interface ClickModifiers {
  readonly shift: boolean;
  /** ⌘ on the Mac (Ctrl elsewhere). */
  readonly toggle: boolean;
}

export class Selection {
  static readonly EMPTY = new Selection([], null, null);

  /** Sorted, disjoint, non-adjacent ranges. */
  readonly ranges: readonly IndexRange[];
  /** Where ⇧-extension starts from. */
  readonly anchor: number | null;
  /** The ranges as they were before the current ⇧ extension (so re-extending replaces it). */
  readonly #base: readonly IndexRange[] | null;

  private constructor(ranges: readonly IndexRange[], anchor: number | null, base: readonly IndexRange[] | null) {
    this.ranges = ranges;
    this.anchor = anchor;
    this.#base = base;
  }

  /** Just one photo. */
  static single(index: number): Selection {
    return new Selection([{ start: index, end: index + 1 }], index, null);
  }

  /** Every photo of a view with `total` photos (⌘A). */
  static all(total: number): Selection {
    return total > 0 ? new Selection([{ start: 0, end: total }], 0, null) : Selection.EMPTY;
  }

  /**
   * Exactly these indexes (any order, duplicates ignored), anchored at `anchor` when it is one
   * of them. Used to put a selection back after the view changed under it (kept by UID).
   */
  static fromIndexes(indexes: readonly number[], anchor: number | null = null): Selection {
    const sorted = [...new Set(indexes)].filter((index) => index >= 0).sort((a, b) => a - b);
    if (sorted.length === 0) return Selection.EMPTY;
    const ranges = union(
      [],
      sorted.map((index) => ({ start: index, end: index + 1 })),
    );
    return new Selection(ranges, anchor !== null && sorted.includes(anchor) ? anchor : (sorted[0] ?? null), null);
  }

  /**
   * The ranges a rubber band covers, added to `base` (the selection before the band, kept
   * when ⇧ or ⌘ was held; else EMPTY). The anchor stays where it was, or moves to the band's
   * first photo when there was none.
   */
  static band(ranges: readonly IndexRange[], base: Selection = Selection.EMPTY): Selection {
    const merged = union(base.ranges, ranges);
    if (merged.length === 0) return Selection.EMPTY;
    return new Selection(merged, base.anchor ?? ranges[0]?.start ?? null, null);
  }

  get size(): number {
    return this.ranges.reduce((sum, range) => sum + range.end - range.start, 0);
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  has(index: number): boolean {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const range = this.ranges[mid];
      if (!range) return false;
      if (index < range.start) hi = mid - 1;
      else if (index >= range.end) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** Apply a click (or a keyboard move, with `shift` for ⇧+arrow) on a photo. */
  click(index: number, modifiers: ClickModifiers): Selection {
    if (modifiers.shift && this.anchor !== null) {
      // Keep what was selected before this ⇧ run; a second ⇧-click replaces the run, not adds.
      const base = this.#base ?? this.ranges;
      const span = { start: Math.min(this.anchor, index), end: Math.max(this.anchor, index) + 1 };
      return new Selection(union(base, [span]), this.anchor, base);
    }
    if (modifiers.toggle) {
      const one = [{ start: index, end: index + 1 }];
      const next = this.has(index) ? subtract(this.ranges, one) : union(this.ranges, one);
      return new Selection(next, index, null);
    }
    return Selection.single(index);
  }

  /** Keep only indexes below `total` (the view shrank). */
  clamp(total: number): Selection {
    const ranges = this.ranges
      .map((range) => ({ start: range.start, end: Math.min(range.end, total) }))
      .filter((range) => range.end > range.start);
    const anchor = this.anchor !== null && this.anchor < total ? this.anchor : null;
    return ranges.length === 0 ? Selection.EMPTY : new Selection(ranges, anchor, null);
  }

  /** Selected indexes in order, at most `limit` of them (for acting on loaded photos). */
  indexes(limit = Infinity): number[] {
    const out: number[] = [];
    for (const range of this.ranges) {
      for (let i = range.start; i < range.end && out.length < limit; i++) out.push(i);
    }
    return out;
  }
}

/** Union of two sorted range lists, merged so adjacent ranges become one. */
function union(a: readonly IndexRange[], b: readonly IndexRange[]): IndexRange[] {
  const all = [...a, ...b].sort((x, y) => x.start - y.start);
  const out: IndexRange[] = [];
  for (const range of all) {
    const last = out[out.length - 1];
    if (last && range.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, range.end) };
    else out.push(range);
  }
  return out;
}

/** `a` minus `b`. */
function subtract(a: readonly IndexRange[], b: readonly IndexRange[]): IndexRange[] {
  let out = [...a];
  for (const cut of b) {
    const next: IndexRange[] = [];
    for (const range of out) {
      if (cut.end <= range.start || cut.start >= range.end) {
        next.push(range);
        continue;
      }
      if (range.start < cut.start) next.push({ start: range.start, end: cut.start });
      if (cut.end < range.end) next.push({ start: cut.end, end: range.end });
    }
    out = next;
  }
  return out;
}
