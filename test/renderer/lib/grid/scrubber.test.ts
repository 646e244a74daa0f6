import { describe, expect, test } from 'vitest';
import type { MonthBucket } from '../../../../shared/library/schemas';
import { buildLayout, gridMetrics } from '../../../../renderer/lib/grid/layout';
import { scrubberMarks, scrubberSectionAt } from '../../../../renderer/lib/grid/scrubber';

/** `years` years of 12 months with `perMonth` photos each, newest (2025-12) first. */
function monthsOf(years: number, perMonth: number): MonthBucket[] {
  const out: MonthBucket[] = [];
  for (let i = 0; i < years * 12; i++) {
    const year = 2025 - Math.floor(i / 12);
    const month = 12 - (i % 12);
    out.push({ month: `${year}-${String(month).padStart(2, '0')}`, count: perMonth, offset: i * perMonth });
  }
  return out;
}

describe('scrubber', () => {
  const months = monthsOf(10, 100);
  const layout = buildLayout(months, 12_000, gridMetrics(1000, 2));

  test('labels each year at its newest month, in order, without overlaps', () => {
    const years = scrubberMarks(layout, 1000).filter((mark) => mark.kind === 'year');
    expect(years.map((mark) => mark.label)).toEqual(['2025', '2024', '2023', '2022', '2021', '2020', '2019', '2018', '2017', '2016']);
    for (let i = 1; i < years.length; i++) expect((years[i]?.y ?? 0) - (years[i - 1]?.y ?? 0)).toBeGreaterThanOrEqual(16);
  });

  test('a short track thins the year labels instead of overlapping them', () => {
    const years = scrubberMarks(layout, 60).filter((mark) => mark.kind === 'year');
    expect(years.length).toBeLessThan(10);
    expect(years[0]?.label).toBe('2025');
  });

  test('pointing at a mark jumps to that month', () => {
    for (const mark of scrubberMarks(layout, 1000)) {
      const section = layout.sections[scrubberSectionAt(layout, mark.y + 0.01, 1000)];
      expect(section?.month?.startsWith(mark.label)).toBe(true);
    }
  });

  test('the ends of the track are the newest and oldest months', () => {
    expect(layout.sections[scrubberSectionAt(layout, 0, 500)]?.month).toBe('2025-12');
    expect(layout.sections[scrubberSectionAt(layout, 500, 500)]?.month).toBe('2016-01');
  });

  test('works past the scroll-height cap (1M photos): positions are virtual, not real', () => {
    const big = buildLayout(monthsOf(80, 1042), 1_000_000, gridMetrics(1000, 0));
    const marks = scrubberMarks(big, 700);
    expect(marks[0]?.label).toBe('2025');
    expect(big.sections[scrubberSectionAt(big, 700, 700)]?.month).toBe('1946-01');
  });
});
