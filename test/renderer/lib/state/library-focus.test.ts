import { describe, expect, test } from 'vitest';
import { LibraryFocus } from '../../../../renderer/lib/state/library-focus.svelte';

describe('LibraryFocus', () => {
  test('keeps focus and selection on the same photos when the rows move', () => {
    let uids = ['a', 'b', 'c', 'd', 'e'];
    const focus = new LibraryFocus(() => uids.length);
    focus.click(1, { shift: false, toggle: false });
    focus.click(3, { shift: false, toggle: true });
    const kept = focus.capture((index) => uids[index]);
    // 'a' left the view and 'x' arrived after 'c': b moved to 0, d to 3.
    uids = ['b', 'c', 'x', 'd', 'e'];
    focus.restore(kept, (uid) => uids.indexOf(uid));
    expect([...focus.selection.indexes()]).toEqual([0, 3]);
    expect(focus.focusIndex).toBe(3);
  });

  test('a focused photo that left the view hands the focus to the one that took its place', () => {
    let uids = ['a', 'b', 'c'];
    const focus = new LibraryFocus(() => uids.length);
    focus.moveFocus(2, false);
    const kept = focus.capture((index) => uids[index]);
    uids = ['a', 'b'];
    focus.restore(kept, (uid) => uids.indexOf(uid));
    expect(focus.focusIndex).toBe(1);
  });

  test('a shrinking view clamps the selection and the focus ring', () => {
    let total = 10;
    const focus = new LibraryFocus(() => total);
    focus.selectAll();
    focus.moveFocus(9, true);
    total = 4;
    focus.clampTo(total);
    expect(focus.selection.size).toBe(4);
    expect(focus.focusIndex).toBe(3);
  });
});
