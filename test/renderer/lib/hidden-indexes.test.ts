import { describe, expect, test } from 'vitest';
import { HiddenIndexes } from '../../../renderer/lib/hidden-indexes';

describe('HiddenIndexes', () => {
  test('renumbers the indexes around hidden ones, both ways', () => {
    const hidden = HiddenIndexes.of([2, 3, 7]);
    expect(hidden.count).toBe(3);
    expect([0, 1, 2, 3, 4, 5].map((display) => hidden.toUnderlying(display))).toEqual([0, 1, 4, 5, 6, 8]);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((underlying) => hidden.toDisplay(underlying))).toEqual([0, 1, null, null, 2, 3, 4, null, 5]);
  });

  test('merges into ranges, so hiding a whole ⌘A selection stays one range', () => {
    const hidden = HiddenIndexes.of(Array.from({ length: 100_000 }, (_, i) => i));
    expect(hidden.ranges).toEqual([{ start: 0, end: 100_000 }]);
    expect(hidden.toUnderlying(0)).toBe(100_000);
  });

  test('show() un-hides some (partial rollback)', () => {
    const hidden = HiddenIndexes.of([1, 2, 3]).show([2]);
    expect(hidden.ranges).toEqual([
      { start: 1, end: 2 },
      { start: 3, end: 4 },
    ]);
    expect(hidden.show([1, 3]).isEmpty).toBe(true);
  });

  test('month buckets lose their hidden photos; emptied months go', () => {
    const months = [
      { month: '2025-06', count: 3, offset: 0 },
      { month: '2025-05', count: 2, offset: 3 },
      { month: '2025-04', count: 4, offset: 5 },
    ];
    expect(HiddenIndexes.of([1, 3, 4]).adjustMonths(months)).toEqual([
      { month: '2025-06', count: 2, offset: 0 },
      { month: '2025-04', count: 4, offset: 2 },
    ]);
    expect(HiddenIndexes.NONE.adjustMonths(months)).toBe(months);
  });
});
