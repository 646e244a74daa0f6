import { describe, expect, test, vi } from 'vitest';
import { KEYMAP } from '../../../shared/keymap';
import {
  KEY_BINDINGS,
  commandFor,
  handleKey,
  isTypingTarget,
  matchesCommand,
  setMenuOwnsKeys,
  type KeyLike,
} from '../../../renderer/lib/keyboard';

function key(k: string, mods: Partial<Omit<KeyLike, 'key'>> = {}): KeyLike {
  return { key: k, metaKey: false, ctrlKey: false, altKey: false, shiftKey: false, ...mods };
}

describe('keyboard', () => {
  test('select all is ⌘A on the Mac and Ctrl+A elsewhere', () => {
    expect(matchesCommand(key('a', { metaKey: true }), 'grid.selectAll', true)).toBe(true);
    expect(matchesCommand(key('a', { ctrlKey: true }), 'grid.selectAll', true)).toBe(false);
    expect(matchesCommand(key('a', { ctrlKey: true }), 'grid.selectAll', false)).toBe(true);
  });

  test('app-wide commands use the shared keymap, the same table as the menu', () => {
    expect(KEY_BINDINGS['grid.selectAll']).toBe(KEYMAP['edit.selectAll'].bindings);
    expect(KEY_BINDINGS['zoom.in']).toBe(KEYMAP['view.zoomIn'].bindings);
  });

  test('modifiers must match exactly', () => {
    expect(matchesCommand(key('ArrowLeft', { shiftKey: true }), 'grid.left', true)).toBe(false);
    expect(matchesCommand(key('ArrowLeft', { shiftKey: true }), 'grid.extendLeft', true)).toBe(true);
    expect(matchesCommand(key('A', { metaKey: true, shiftKey: true }), 'grid.selectAll', true)).toBe(false);
  });

  test('shifted characters match their own key (⌘+ is ⌘⇧=)', () => {
    expect(matchesCommand(key('+', { metaKey: true, shiftKey: true }), 'zoom.in', true)).toBe(true);
  });

  test('in Electron the menu owns its keys: the page does not run them a second time', () => {
    const selectAll = vi.fn();
    setMenuOwnsKeys(true);
    try {
      expect(handleKey(key('a', { metaKey: true }), { 'grid.selectAll': selectAll }, true)).toBe(false);
      expect(handleKey(key('ArrowLeft'), { 'grid.left': () => true }, true)).toBe(true);
    } finally {
      setMenuOwnsKeys(false);
    }
    expect(selectAll).not.toHaveBeenCalled();
  });

  test('commandFor finds the command among those asked for', () => {
    expect(commandFor(key('a', { metaKey: true }), ['grid.open', 'grid.selectAll'], true)).toBe('grid.selectAll');
    expect(commandFor(key(' '), ['grid.open'], true)).toBe('grid.open');
    expect(commandFor(key('x'), ['grid.open'], true)).toBeNull();
  });

  test('never fires while typing in a text field', () => {
    const input = document.createElement('input');
    const selectAll = vi.fn();
    expect(handleKey({ ...key('a', { metaKey: true }), target: input }, { 'grid.selectAll': selectAll }, true)).toBe(false);
    expect(selectAll).not.toHaveBeenCalled();
    expect(handleKey({ ...key('a', { metaKey: true }), target: document.body }, { 'grid.selectAll': selectAll }, true)).toBe(true);
    expect(selectAll).toHaveBeenCalledOnce();
  });

  test('a handler returning false leaves the key to the browser', () => {
    expect(handleKey(key('Escape'), { 'grid.clear': () => false }, true)).toBe(false);
  });

  test('isTypingTarget: text inputs, text areas and editables, but not checkboxes or buttons', () => {
    const text = document.createElement('input');
    const search = Object.assign(document.createElement('input'), { type: 'search' });
    const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' });
    const area = document.createElement('textarea');
    const button = document.createElement('button');
    expect([text, search, area].map(isTypingTarget)).toEqual([true, true, true]);
    expect([checkbox, button, document.body, null].map(isTypingTarget)).toEqual([false, false, false, false]);
  });
});
