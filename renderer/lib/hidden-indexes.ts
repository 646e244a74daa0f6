import type { MonthBucket } from '../../shared/library/schemas';
import type { IndexRange } from './selection';

/**
 * [Note: Optimistic hiding]
 *
 * When an action takes photos out of the view on screen (unfavourite in Favourites, archive,
 * remove from album), their tiles go at once, before main answers. The page cache keeps main's
 * rows as they are; this map hides some of their indexes ("underlying" indexes) and renumbers
 * the rest ("display" indexes), so the grid, the selection and the month headers see a view
 * without those photos. When the action settles, the view is re-read from main and the map is
 * emptied in the same step; a failed action un-hides its photos (rollback).
 *
 * Values are immutable; the ranges are sorted, disjoint and merged, so ⌘A-then-archive over
 * 100k photos is one range, and lookups cost O(number of ranges).
 */
export class HiddenIndexes {
  static readonly NONE = new HiddenIndexes([]);

  readonly ranges: readonly IndexRange[];
  readonly count: number;

  private constructor(ranges: readonly IndexRange[]) {
    this.ranges = ranges;
    this.count = ranges.reduce((sum, range) => sum + range.end - range.start, 0);
  }

  /** A map hiding exactly these underlying indexes. */
  static of(indexes: Iterable<number>): HiddenIndexes {
    return HiddenIndexes.NONE.hide(indexes);
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /** Whether an underlying index is hidden. */
  has(underlying: number): boolean {
    return this.ranges.some((range) => underlying >= range.start && underlying < range.end);
  }

  /** The underlying index shown at a display index. */
  toUnderlying(display: number): number {
    let index = display;
    for (const range of this.ranges) {
      if (range.start > index) break;
      index += range.end - range.start;
    }
    return index;
  }

  /** The display index of an underlying index, or null while it is hidden. */
  toDisplay(underlying: number): number | null {
    let before = 0;
    for (const range of this.ranges) {
      if (underlying < range.start) break;
      if (underlying < range.end) return null;
      before += range.end - range.start;
    }
    return underlying - before;
  }

  /** This map plus more hidden underlying indexes. */
  hide(indexes: Iterable<number>): HiddenIndexes {
    const sorted = [...new Set(indexes)].filter((index) => index >= 0).sort((a, b) => a - b);
    if (sorted.length === 0) return this;
    const all = [...this.ranges, ...sorted.map((index) => ({ start: index, end: index + 1 }))].sort((a, b) => a.start - b.start);
    const merged: IndexRange[] = [];
    for (const range of all) {
      const last = merged[merged.length - 1];
      if (last && range.start <= last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, range.end) };
      else merged.push(range);
    }
    return new HiddenIndexes(merged);
  }

  /** This map without some underlying indexes (a rolled-back action shows its photos again). */
  show(indexes: Iterable<number>): HiddenIndexes {
    const cut = new Set(indexes);
    if (cut.size === 0) return this;
    const kept: number[] = [];
    for (const range of this.ranges) {
      for (let index = range.start; index < range.end; index++) if (!cut.has(index)) kept.push(index);
    }
    return HiddenIndexes.of(kept);
  }

  /** Month buckets as the display sees them: hidden photos taken out, empty months dropped. */
  adjustMonths(months: readonly MonthBucket[]): readonly MonthBucket[] {
    if (this.isEmpty) return months;
    const out: MonthBucket[] = [];
    for (const bucket of months) {
      const hiddenInside = this.#countWithin(bucket.offset, bucket.offset + bucket.count);
      const count = bucket.count - hiddenInside;
      if (count <= 0) continue;
      out.push({ month: bucket.month, count, offset: bucket.offset - this.#countWithin(0, bucket.offset) });
    }
    return out;
  }

  #countWithin(start: number, end: number): number {
    let count = 0;
    for (const range of this.ranges) {
      const lo = Math.max(start, range.start);
      const hi = Math.min(end, range.end);
      if (hi > lo) count += hi - lo;
    }
    return count;
  }
}
