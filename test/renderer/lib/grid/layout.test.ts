import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { MonthBucket } from '../../../../shared/library/schemas';
import {
  buildLayout,
  headerMonths,
  gridMetrics,
  indexAtPosition,
  indexInAdjacentRow,
  indexRangeOf,
  indexRangesInRect,
  positionOfIndex,
  sectionAt,
  visibleRows,
  type GridMetrics,
} from '../../../../renderer/lib/grid/layout';

const metrics: GridMetrics = { columns: 4, tilePx: 98, gapPx: 2, rowHeightPx: 100, headerHeightPx: 40 };

/** Buckets of the given sizes, newest first, with consecutive offsets. */
function buckets(counts: number[]): MonthBucket[] {
  let offset = 0;
  return counts.map((count, i) => {
    const bucket = { month: `2024-${String(12 - (i % 12)).padStart(2, '0')}`, count, offset };
    offset += count;
    return bucket;
  });
}

describe('gridMetrics', () => {
  test('fills the width exactly with square tiles and more columns at smaller zoom', () => {
    const small = gridMetrics(1000, 0);
    const large = gridMetrics(1000, 4);
    expect(small.columns).toBeGreaterThan(large.columns);
    for (const m of [small, large]) {
      expect(m.columns * m.tilePx + (m.columns - 1) * m.gapPx).toBeLessThanOrEqual(1000);
      expect(m.rowHeightPx).toBe(m.tilePx + m.gapPx);
    }
  });

  test('never has zero columns, even in a tiny window', () => {
    expect(gridMetrics(10, 4).columns).toBe(1);
  });
});

describe('buildLayout', () => {
  test('stacks a header and ceil(count/columns) rows per month', () => {
    const layout = buildLayout(buckets([5, 4, 1]), 10, metrics);
    expect(layout.sections.map((s) => [s.top, s.rowsTop, s.rowCount])).toEqual([
      [0, 40, 2],
      [240, 280, 1],
      [380, 420, 1],
    ]);
    expect(layout.heightPx).toBe(520 + 24);
  });

  test('photos outside the buckets get a header-less section so every index is reachable', () => {
    const layout = buildLayout(buckets([4]), 10, metrics);
    const last = layout.sections.at(-1);
    expect(last).toMatchObject({ month: null, offset: 4, count: 6, rowCount: 2 });
    expect(last?.rowsTop).toBe(last?.top);
  });

  test('buckets larger than the total are clamped to it', () => {
    const layout = buildLayout(buckets([8, 8]), 10, metrics);
    expect(layout.sections.map((s) => s.count)).toEqual([8, 2]);
  });

  test('no buckets at all (a search without dates) is one plain section', () => {
    const layout = buildLayout([], 9, metrics);
    expect(layout.sections).toHaveLength(1);
    expect(layout.sections[0]).toMatchObject({ month: null, rowCount: 3 });
  });

  test('an empty view has no height', () => {
    expect(buildLayout([], 0, metrics).heightPx).toBe(0);
  });
});

describe('positions', () => {
  const layout = buildLayout(buckets([5, 4, 1]), 10, metrics);

  test('positionOfIndex gives the row top below the month header', () => {
    expect(positionOfIndex(layout, 0)).toBe(40);
    expect(positionOfIndex(layout, 3)).toBe(40);
    expect(positionOfIndex(layout, 4)).toBe(140);
    expect(positionOfIndex(layout, 5)).toBe(280);
    expect(positionOfIndex(layout, 9)).toBe(420);
  });

  test('indexAtPosition maps a header to its first photo and a row to its first photo', () => {
    expect(indexAtPosition(layout, 0)).toBe(0);
    expect(indexAtPosition(layout, 150)).toBe(4);
    expect(indexAtPosition(layout, 250)).toBe(5);
    expect(indexAtPosition(layout, 10_000)).toBe(9);
  });

  test('sectionAt finds the section containing a y', () => {
    expect(sectionAt(layout, 0)).toBe(0);
    expect(sectionAt(layout, 239)).toBe(0);
    expect(sectionAt(layout, 240)).toBe(1);
    expect(sectionAt(layout, 1e9)).toBe(2);
  });

  test.each([100_000, 1_000_000])('offset → position → offset round-trips for row starts at %i photos', (total) => {
    // ~140 photos a month, like a busy phone library.
    const counts: number[] = [];
    for (let left = total, i = 0; left > 0; i++) {
      const count = Math.min(left, 60 + ((i * 37) % 160));
      counts.push(count);
      left -= count;
    }
    const big = buildLayout(buckets(counts), total, gridMetrics(1200, 1));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: total - 1 }), (index) => {
        const y = positionOfIndex(big, index);
        const rowStart = indexAtPosition(big, y);
        // The row holding `index` starts at `rowStart`, within one row's worth of photos.
        expect(rowStart).toBeLessThanOrEqual(index);
        expect(index - rowStart).toBeLessThan(big.metrics.columns);
        expect(positionOfIndex(big, rowStart)).toBe(y);
      }),
      { numRuns: 300 },
    );
    expect(positionOfIndex(big, total - 1)).toBeLessThan(big.heightPx);
    expect(indexAtPosition(big, big.heightPx)).toBeGreaterThan(total - 1 - big.metrics.columns);
  });
});

describe('visibleRows', () => {
  const layout = buildLayout(buckets([5, 4, 1]), 10, metrics);

  test('returns headers and photo rows overlapping the viewport', () => {
    const rows = visibleRows(layout, 0, 250, 0);
    expect(rows.map((r) => (r.kind === 'header' ? `h@${r.top}` : `${r.first}+${r.count}@${r.top}`))).toEqual([
      'h@0',
      '0+4@40',
      '4+1@140',
      'h@240',
    ]);
  });

  test('starts mid-section without the scrolled-away header', () => {
    const rows = visibleRows(layout, 150, 100, 0);
    expect(rows[0]).toMatchObject({ kind: 'photos', first: 4 });
    expect(rows.some((r) => r.kind === 'header' && r.top === 0)).toBe(false);
  });

  test('renders a bounded number of rows deep into a 1M-photo layout', () => {
    const big = buildLayout(buckets(Array.from({ length: 5000 }, () => 200)), 1_000_000, gridMetrics(1200, 0));
    const y = big.heightPx * 0.73;
    const rows = visibleRows(big, y, 800, 400);
    expect(rows.length).toBeLessThan(Math.ceil(1600 / big.metrics.rowHeightPx) + 10);
    const range = indexRangeOf(rows);
    expect(range).not.toBeNull();
    expect(positionOfIndex(big, range?.first ?? 0)).toBeGreaterThanOrEqual(y - 400 - big.metrics.rowHeightPx);
  });

  test('indexRangeOf ignores headers and is null without photo rows', () => {
    expect(indexRangeOf(visibleRows(layout, 0, 250, 0))).toEqual({ first: 0, last: 4 });
    expect(indexRangeOf([])).toBeNull();
  });
});

describe('indexInAdjacentRow', () => {
  const layout = buildLayout(buckets([5, 4, 1]), 10, metrics);

  test('keeps the column within a month and lands on the last photo of a short row', () => {
    expect(indexInAdjacentRow(layout, 1, 1)).toBe(4);
    expect(indexInAdjacentRow(layout, 4, -1)).toBe(0);
    expect(indexInAdjacentRow(layout, 2, 1)).toBe(4);
  });

  test('crosses month boundaries keeping the column', () => {
    expect(indexInAdjacentRow(layout, 4, 1)).toBe(5);
    expect(indexInAdjacentRow(layout, 7, -1)).toBe(4);
    expect(indexInAdjacentRow(layout, 6, 1)).toBe(9);
  });

  test('stays put at the edges', () => {
    expect(indexInAdjacentRow(layout, 2, -1)).toBe(2);
    expect(indexInAdjacentRow(layout, 9, 1)).toBe(9);
  });
});

describe('indexRangesInRect (rubber-band selection)', () => {
  const layout = buildLayout(buckets([6, 3, 9]), 18, metrics);
  // Section tops: 0 (header 40, rows at 40 and 140), 240 (rows at 280), 380 (rows at 420, 520, 620).

  /** Brute force: every photo whose tile box intersects the rectangle. */
  function touched(rect: { left: number; right: number; top: number; bottom: number }): number[] {
    const out: number[] = [];
    for (let index = 0; index < layout.total; index++) {
      const section = layout.sections.find((s) => index >= s.offset && index < s.offset + s.count);
      if (!section) continue;
      const column = (index - section.offset) % metrics.columns;
      const x = column * metrics.rowHeightPx;
      const y = positionOfIndex(layout, index);
      const hit = rect.left < x + metrics.tilePx && rect.right >= x && rect.top < y + metrics.tilePx && rect.bottom >= y;
      if (hit) out.push(index);
    }
    return out;
  }
  const expand = (ranges: { start: number; end: number }[]) =>
    ranges.flatMap((r) => Array.from({ length: r.end - r.start }, (_, i) => r.start + i));

  test('a band across two months selects the touched columns of every row in between', () => {
    // Columns 1–2, from the first section's second row to the third section's first row.
    const ranges = indexRangesInRect(layout, { left: 150, right: 250, top: 150, bottom: 430 });
    expect(expand(ranges)).toEqual([5, 7, 8, 10, 11]);
  });

  test('a band inside a gap or on a header touches nothing', () => {
    expect(indexRangesInRect(layout, { left: 98.5, right: 99.5, top: 50, bottom: 300 })).toEqual([]);
    expect(indexRangesInRect(layout, { left: 0, right: 400, top: 245, bottom: 275 })).toEqual([]);
  });

  test('full-width bands come back as one range, not one per row', () => {
    expect(indexRangesInRect(layout, { left: -20, right: 900, top: 0, bottom: 10_000 })).toEqual([{ start: 0, end: 18 }]);
  });

  test('agrees with the tile boxes for any rectangle (either corner first)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 450 }),
        fc.integer({ min: -50, max: 450 }),
        fc.integer({ min: -50, max: 800 }),
        fc.integer({ min: -50, max: 800 }),
        (x1, x2, y1, y2) => {
          const rect = { left: Math.min(x1, x2), right: Math.max(x1, x2), top: Math.min(y1, y2), bottom: Math.max(y1, y2) };
          expect(expand(indexRangesInRect(layout, { left: x2, right: x1, top: y2, bottom: y1 }))).toEqual(touched(rect));
        },
      ),
    );
  });
});

describe('headerMonths', () => {
  const months = [
    { month: '2025-06', count: 40, offset: 0 },
    { month: '2025-05', count: 30, offset: 40 },
  ];
  test('a timeline keeps every month header, however sparse', () => {
    expect(headerMonths(months, 70, 50, true)).toBe(months);
  });
  test('a collection keeps headers only when a month averages two full rows', () => {
    expect(headerMonths(months, 70, 8, false)).toBe(months); // 35 a month ≥ 16
    expect(headerMonths(months, 70, 20, false)).toEqual([]); // 35 a month < 40: one continuous grid
  });
});
