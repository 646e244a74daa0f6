import { describe, expect, test } from 'vitest';
import { Selection } from '../../../renderer/lib/selection';

const plain = { shift: false, toggle: false };
const shift = { shift: true, toggle: false };
const cmd = { shift: false, toggle: true };

describe('Selection', () => {
  test('a click selects just that photo', () => {
    const selection = Selection.EMPTY.click(3, plain).click(7, plain);
    expect(selection.indexes()).toEqual([7]);
    expect(selection.anchor).toBe(7);
  });

  test('⇧-click selects the range from the anchor, in either direction', () => {
    expect(Selection.EMPTY.click(3, plain).click(6, shift).indexes()).toEqual([3, 4, 5, 6]);
    expect(Selection.EMPTY.click(6, plain).click(3, shift).indexes()).toEqual([3, 4, 5, 6]);
  });

  test('a second ⇧-click replaces the range instead of growing it', () => {
    const selection = Selection.EMPTY.click(3, plain).click(8, shift).click(5, shift);
    expect(selection.indexes()).toEqual([3, 4, 5]);
  });

  test('⌘-click toggles one photo and keeps the rest', () => {
    const selection = Selection.EMPTY.click(1, plain).click(4, cmd).click(6, cmd);
    expect(selection.indexes()).toEqual([1, 4, 6]);
    expect(selection.click(4, cmd).indexes()).toEqual([1, 6]);
  });

  test('⇧-click after ⌘-clicks keeps the earlier photos and extends from the last ⌘-click', () => {
    const selection = Selection.EMPTY.click(1, plain).click(10, cmd).click(12, shift);
    expect(selection.indexes()).toEqual([1, 10, 11, 12]);
  });

  test('⌘-click inside a range splits it', () => {
    const selection = Selection.EMPTY.click(0, plain).click(9, shift).click(5, cmd);
    expect(selection.ranges).toEqual([
      { start: 0, end: 5 },
      { start: 6, end: 10 },
    ]);
    expect(selection.size).toBe(9);
  });

  test('select all is one range even for a million photos', () => {
    const selection = Selection.all(1_000_000);
    expect(selection.ranges).toEqual([{ start: 0, end: 1_000_000 }]);
    expect(selection.size).toBe(1_000_000);
    expect(selection.has(999_999)).toBe(true);
    expect(selection.has(1_000_000)).toBe(false);
    expect(Selection.all(0).isEmpty).toBe(true);
  });

  test('adjacent ⌘-clicks merge into one range', () => {
    const selection = Selection.EMPTY.click(2, plain).click(3, cmd).click(4, cmd);
    expect(selection.ranges).toEqual([{ start: 2, end: 5 }]);
  });

  test('has() agrees with indexes() for a fragmented selection', () => {
    let selection = Selection.EMPTY.click(0, plain);
    for (const index of [5, 9, 10, 11, 40, 41, 3]) selection = selection.click(index, cmd);
    const selected = new Set(selection.indexes());
    for (let i = 0; i < 50; i++) expect(selection.has(i)).toBe(selected.has(i));
  });

  test('clamp drops indexes past a shrunken view', () => {
    const selection = Selection.EMPTY.click(5, plain).click(20, shift).clamp(10);
    expect(selection.indexes()).toEqual([5, 6, 7, 8, 9]);
    expect(Selection.single(12).clamp(10).isEmpty).toBe(true);
  });

  test('indexes() can be limited', () => {
    expect(Selection.all(1_000_000).indexes(3)).toEqual([0, 1, 2]);
  });
});
