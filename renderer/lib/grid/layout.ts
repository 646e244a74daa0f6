import type { MonthBucket } from '../../../shared/library/schemas';

/**
 * [Note: Virtual grid layout]
 *
 * The grid is laid out arithmetically, never measured: every zoom level has one fixed row
 * height, every month section is `header + ceil(count / columns) rows`, so the position of any
 * photo (and the photo at any position) is a binary search over the sections plus a division.
 * That keeps first paint and scrolling O(log months) at 100k or 1M photos, and lets the
 * scrubber map months to positions exactly. The layout is in *virtual* pixels; see
 * [Note: Scroll-height cap] in scroll-mapper.ts for how they reach the real scroll box.
 */

/** One month of photos: a header row followed by photo rows. */
export interface Section {
  /** `YYYY-MM`, or null for photos outside any bucket (no header). */
  readonly month: string | null;
  /** Index of the section's first photo in the view. */
  readonly offset: number;
  readonly count: number;
  /** Virtual y of the section's top (its header, if any). */
  readonly top: number;
  /** Virtual y of the first photo row. */
  readonly rowsTop: number;
  readonly rowCount: number;
  readonly height: number;
}

/** Sizes of one zoom level at the current width. */
export interface GridMetrics {
  readonly columns: number;
  /** Tile edge (square tiles), in px. */
  readonly tilePx: number;
  readonly gapPx: number;
  /** Tile plus the gap below it: the fixed row pitch. */
  readonly rowHeightPx: number;
  readonly headerHeightPx: number;
}

/** A laid-out view: sections in virtual pixels, newest first. */
export interface GridLayout {
  readonly metrics: GridMetrics;
  readonly sections: readonly Section[];
  readonly total: number;
  /** Total virtual height, including the bottom padding. */
  readonly heightPx: number;
}

/** One row the grid renders: a month header or a run of photos. */
export type GridRow =
  | { readonly kind: 'header'; readonly key: string; readonly top: number; readonly section: number; readonly month: string }
  | {
      readonly kind: 'photos';
      readonly key: string;
      readonly top: number;
      readonly section: number;
      /** First photo index of the row and how many photos it holds. */
      readonly first: number;
      readonly count: number;
    };

/** Target tile sizes of the zoom levels, smallest first (Apple Photos-like steps). */
export const ZOOM_TILE_PX = [96, 136, 184, 248, 340] as const;
export const DEFAULT_ZOOM = 2;
const GAP_PX = 2;
const HEADER_PX = 44;
const BOTTOM_PAD_PX = 24;

/**
 * Columns and tile size for a zoom level at a given content width.
 *
 * Tiles stretch to fill the width exactly, so the row pitch is fixed for a width and zoom.
 */
export function gridMetrics(widthPx: number, zoom: number): GridMetrics {
  const level = Math.min(Math.max(Math.round(zoom), 0), ZOOM_TILE_PX.length - 1);
  const target = ZOOM_TILE_PX[level] ?? ZOOM_TILE_PX[DEFAULT_ZOOM];
  const width = Math.max(widthPx, 1);
  const columns = Math.max(1, Math.floor((width + GAP_PX) / (target + GAP_PX)));
  const tilePx = Math.max(1, Math.floor((width - GAP_PX * (columns - 1)) / columns));
  return { columns, tilePx, gapPx: GAP_PX, rowHeightPx: tilePx + GAP_PX, headerHeightPx: HEADER_PX };
}

/** The thumbnail a tile of `tilePx` shows: the smallest PhotoPrism size that fills it at the screen's pixel ratio. */
export function tileThumbSize(tilePx: number, devicePixelRatio: number): 'tile_224' | 'tile_500' {
  return tilePx * (devicePixelRatio || 1) > 240 ? 'tile_500' : 'tile_224';
}

/**
 * Lay out a view from its month buckets.
 *
 * Buckets come from main and may not cover every photo (no date, or counts racing a refresh):
 * anything outside them goes into a final header-less section so every index stays reachable.
 */
export function buildLayout(months: readonly MonthBucket[], total: number, metrics: GridMetrics): GridLayout {
  const sections: Section[] = [];
  let top = 0;
  let covered = 0;
  const push = (month: string | null, offset: number, count: number) => {
    const header = month === null ? 0 : metrics.headerHeightPx;
    const rowCount = Math.ceil(count / metrics.columns);
    const height = header + rowCount * metrics.rowHeightPx;
    sections.push({ month, offset, count, top, rowsTop: top + header, rowCount, height });
    top += height;
  };
  for (const bucket of months) {
    // Clamp to the view: a bucket list newer than the page total must not overrun it.
    const offset = Math.max(bucket.offset, covered);
    const count = Math.min(bucket.count, total - offset);
    if (count <= 0) continue;
    if (offset > covered) push(null, covered, offset - covered);
    push(bucket.month, offset, count);
    covered = offset + count;
  }
  if (covered < total) push(null, covered, total - covered);
  return { metrics, sections, total, heightPx: top + (total > 0 ? BOTTOM_PAD_PX : 0) };
}

/**
 * Average photos per month at which month headers start to help a collection (album,
 * favourites, search results): two full rows. Sparser than that, a header per month costs more
 * screen than the photos it labels (an album of one photo a month showed four photos a screen),
 * so the collection is one continuous grid instead.
 */
const MIN_ROWS_PER_HEADER = 2;

/**
 * The month buckets a view is laid out with: all of them for a timeline (the library, archive,
 * review, private: the scrubber walks their months), for a collection only where they help
 * (see MIN_ROWS_PER_HEADER), else none (one continuous section).
 */
export function headerMonths(months: readonly MonthBucket[], total: number, columns: number, timeline: boolean): readonly MonthBucket[] {
  if (timeline || months.length === 0) return months;
  return total / months.length >= MIN_ROWS_PER_HEADER * Math.max(columns, 1) ? months : [];
}

/** Index of the section containing virtual y (the last one whose top ≤ y). */
export function sectionAt(layout: GridLayout, y: number): number {
  return lastSectionAtOrBefore(layout.sections, 'top', y);
}

/** Index of the section containing a photo index. */
export function sectionOfIndex(layout: GridLayout, index: number): number {
  return lastSectionAtOrBefore(layout.sections, 'offset', index);
}

/**
 * Binary search: the last section whose `key` is ≤ value (sections ascend in both top and
 * offset), -1 when there are none. Called on every scroll frame, hence no array helpers.
 */
function lastSectionAtOrBefore(sections: readonly Section[], key: 'top' | 'offset', value: number): number {
  let lo = 0;
  let hi = sections.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((sections[mid]?.[key] ?? 0) <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Virtual y of the top of the row holding a photo. */
export function positionOfIndex(layout: GridLayout, index: number): number {
  const s = layout.sections[sectionOfIndex(layout, index)];
  if (!s) return 0;
  const row = Math.floor((Math.min(Math.max(index, s.offset), s.offset + s.count - 1) - s.offset) / layout.metrics.columns);
  return s.rowsTop + row * layout.metrics.rowHeightPx;
}

/**
 * The photo whose row is at virtual y (the first of the row); a y on a header gives the
 * section's first photo. The inverse of `positionOfIndex` for row starts.
 */
export function indexAtPosition(layout: GridLayout, y: number): number {
  const s = layout.sections[sectionAt(layout, y)];
  if (!s) return 0;
  const row = Math.min(Math.max(Math.floor((y - s.rowsTop) / layout.metrics.rowHeightPx), 0), s.rowCount - 1);
  return s.offset + row * layout.metrics.columns;
}

/** Row and column of a photo within its section (for arrow-key moves). */
export function cellOf(layout: GridLayout, index: number): { section: number; row: number; column: number } {
  const section = sectionOfIndex(layout, index);
  const s = layout.sections[section];
  const within = s ? index - s.offset : 0;
  return { section, row: Math.floor(within / layout.metrics.columns), column: within % layout.metrics.columns };
}

/**
 * The photo one row up or down, keeping the column where possible (Finder/Photos behaviour:
 * moving into a shorter row lands on its last photo; crossing a month keeps the column).
 */
export function indexInAdjacentRow(layout: GridLayout, index: number, direction: -1 | 1): number {
  const { section, row, column } = cellOf(layout, index);
  const s = layout.sections[section];
  if (!s) return index;
  const columns = layout.metrics.columns;
  const targetRow = row + direction;
  if (targetRow >= 0 && targetRow < s.rowCount) {
    return Math.min(s.offset + targetRow * columns + column, s.offset + s.count - 1);
  }
  const next = layout.sections[section + direction];
  if (!next) return direction < 0 ? s.offset + column : Math.min(s.offset + row * columns + column, s.offset + s.count - 1);
  const nextRow = direction < 0 ? next.rowCount - 1 : 0;
  return Math.min(next.offset + nextRow * columns + column, next.offset + next.count - 1);
}

/**
 * The rows to render for a viewport, plus overscan on both sides.
 *
 * Walks from the section at the top of the range row by row, so its cost is the number of
 * visible rows, never the number of photos.
 */
export function visibleRows(layout: GridLayout, scrollTopPx: number, viewportPx: number, overscanPx: number): GridRow[] {
  const rows: GridRow[] = [];
  const from = Math.max(0, scrollTopPx - overscanPx);
  const to = scrollTopPx + viewportPx + overscanPx;
  const { columns, rowHeightPx } = layout.metrics;
  for (let i = Math.max(sectionAt(layout, from), 0); i < layout.sections.length; i++) {
    const s = layout.sections[i];
    if (!s || s.top > to) break;
    if (s.month !== null && s.rowsTop > from) {
      rows.push({ kind: 'header', key: `h${s.offset}`, top: s.top, section: i, month: s.month });
    }
    const firstRow = Math.max(0, Math.floor((from - s.rowsTop) / rowHeightPx));
    for (let r = firstRow; r < s.rowCount; r++) {
      const top = s.rowsTop + r * rowHeightPx;
      if (top > to) break;
      const first = s.offset + r * columns;
      rows.push({ kind: 'photos', key: `r${first}`, top, section: i, first, count: Math.min(columns, s.offset + s.count - first) });
    }
  }
  return rows;
}

/** The photo index range [first, last] covered by rows (for fetching pages). */
export function indexRangeOf(rows: readonly GridRow[]): { first: number; last: number } | null {
  let first = Infinity;
  let last = -1;
  for (const row of rows) {
    if (row.kind !== 'photos') continue;
    first = Math.min(first, row.first);
    last = Math.max(last, row.first + row.count - 1);
  }
  return last < 0 ? null : { first, last };
}

/** A rectangle in virtual px; x from the left edge of the first column. */
export interface VirtualRect {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/**
 * The photos whose tiles a rubber band touches, as index ranges [start, end), ascending.
 *
 * Pure geometry over the layout, never the DOM: the grid renders only the rows near the
 * viewport, so a band that scrolled past thousands of photos must still select them all.
 * Gaps count as outside: a band inside the gap between two tiles touches neither. Cost: one
 * range per touched row.
 */
export function indexRangesInRect(layout: GridLayout, rect: VirtualRect): { start: number; end: number }[] {
  const { columns, tilePx, rowHeightPx } = layout.metrics;
  const pitch = rowHeightPx; // Tiles are square and the gap is the same both ways.
  const left = Math.min(rect.left, rect.right);
  const right = Math.max(rect.left, rect.right);
  const top = Math.min(rect.top, rect.bottom);
  const bottom = Math.max(rect.top, rect.bottom);
  // The first column whose tile reaches `left`, the last whose tile starts at or before `right`.
  let firstColumn = Math.max(0, Math.floor(left / pitch));
  if (left >= 0 && left - firstColumn * pitch >= tilePx) firstColumn++;
  const lastColumn = Math.min(columns - 1, Math.floor(right / pitch));
  if (right < 0 || firstColumn > lastColumn) return [];

  const out: { start: number; end: number }[] = [];
  for (let i = Math.max(sectionAt(layout, top), 0); i < layout.sections.length; i++) {
    const s = layout.sections[i];
    if (!s || s.top > bottom) break;
    if (bottom < s.rowsTop || s.rowCount === 0) continue;
    let firstRow = Math.max(0, Math.floor((top - s.rowsTop) / pitch));
    if (top >= s.rowsTop && top - s.rowsTop - firstRow * pitch >= tilePx) firstRow++;
    const lastRow = Math.min(s.rowCount - 1, Math.floor((bottom - s.rowsTop) / pitch));
    for (let row = firstRow; row <= lastRow; row++) {
      const rowStart = s.offset + row * columns;
      const start = rowStart + firstColumn;
      const end = Math.min(rowStart + lastColumn + 1, s.offset + s.count);
      if (end <= start) continue;
      const last = out[out.length - 1];
      if (last && last.end === start) out[out.length - 1] = { start: last.start, end };
      else out.push({ start, end });
    }
  }
  return out;
}
