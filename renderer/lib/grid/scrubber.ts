import { sectionAt, type GridLayout } from './layout';

/** A label or tick on the scrubber track. */
export interface ScrubberMark {
  readonly kind: 'year' | 'month';
  readonly key: string;
  /** Offset from the track's top, in px. */
  readonly y: number;
  readonly label: string;
}

/** Years closer than this on the track are thinned out so labels never overlap. */
const MIN_YEAR_GAP_PX = 16;
/** Month ticks closer than this are skipped. */
const MIN_MONTH_GAP_PX = 6;

/**
 * Where each year (label) and month (tick) sits on a scrubber track of `trackPx`.
 *
 * The track is a linear map of the virtual layout (`y = top / height × track`), the same map
 * the grid's position indicator and `scrubberSectionAt` use, so a label always points at the
 * place the grid jumps to. Years are labelled at their newest month (the list is newest first).
 */
export function scrubberMarks(layout: GridLayout, trackPx: number): ScrubberMark[] {
  if (layout.heightPx <= 0 || trackPx <= 0) return [];
  const marks: ScrubberMark[] = [];
  let lastYear: string | null = null;
  let lastLabelY = -Infinity;
  let lastTickY = -Infinity;
  for (const section of layout.sections) {
    if (section.month === null) continue;
    const y = (section.top / layout.heightPx) * trackPx;
    const year = section.month.slice(0, 4);
    if (year !== lastYear) {
      lastYear = year;
      if (y - lastLabelY >= MIN_YEAR_GAP_PX) {
        marks.push({ kind: 'year', key: `y${section.month}`, y, label: year });
        lastLabelY = y;
        lastTickY = y;
        continue;
      }
    }
    if (y - lastTickY >= MIN_MONTH_GAP_PX && y - lastLabelY >= MIN_MONTH_GAP_PX) {
      marks.push({ kind: 'month', key: `m${section.month}`, y, label: section.month });
      lastTickY = y;
    }
  }
  return marks;
}

/** The section under a point on the track (inverse of the map above). */
export function scrubberSectionAt(layout: GridLayout, y: number, trackPx: number): number {
  if (trackPx <= 0) return 0;
  const virtualY = (Math.min(Math.max(y, 0), trackPx) / trackPx) * layout.heightPx;
  return Math.max(0, sectionAt(layout, virtualY));
}
