import { describe, expect, it } from 'vitest';
import {
  COMMAND_IDS,
  KEYMAP,
  commandForKey,
  displayBinding,
  isBrowserReserved,
  matchesKey,
  primaryBinding,
  toAccelerator,
  toShortcutLabel,
  type KeyEventLike,
} from '../../shared/keymap';

const key = (k: string, mods: Partial<Omit<KeyEventLike, 'key'>> = {}): KeyEventLike => ({
  key: k,
  metaKey: false,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('keymap: the one table of shortcuts', () => {
  it('gives every command at least one binding and a label', () => {
    for (const id of COMMAND_IDS) {
      expect(KEYMAP[id].bindings.length, id).toBeGreaterThan(0);
      expect(KEYMAP[id].label.length, id).toBeGreaterThan(0);
    }
  });

  it('derives the menu accelerators the issue asks for', () => {
    expect(toAccelerator(primaryBinding('album.new'))).toBe('CmdOrCtrl+Shift+N');
    expect(toAccelerator(primaryBinding('edit.undo'))).toBe('CmdOrCtrl+Z');
    expect(toAccelerator(primaryBinding('edit.redo'))).toBe('CmdOrCtrl+Shift+Z');
    expect(toAccelerator(primaryBinding('view.zoomIn'))).toBe('CmdOrCtrl+Plus');
    expect(toAccelerator(primaryBinding('view.zoomOut'))).toBe('CmdOrCtrl+-');
    expect(toAccelerator(primaryBinding('view.photos'))).toBe('CmdOrCtrl+1');
    expect(toAccelerator(primaryBinding('view.albums'))).toBe('CmdOrCtrl+2');
    expect(toAccelerator(primaryBinding('view.activity'))).toBe('CmdOrCtrl+3');
    expect(toAccelerator(primaryBinding('app.settings'))).toBe('CmdOrCtrl+,');
    expect(toAccelerator(primaryBinding('edit.selectAll'))).toBe('CmdOrCtrl+A');
    expect(toAccelerator(primaryBinding('go.commandPalette'))).toBe('CmdOrCtrl+K');
    expect(toAccelerator(primaryBinding('help.shortcuts'))).toBe('?');
    expect(toAccelerator(primaryBinding('photo.favourite'))).toBe('.');
    expect(toAccelerator(primaryBinding('photo.addToAlbum'))).toBe('A');
    expect(toAccelerator(primaryBinding('photo.addToLastAlbum'))).toBe('Ctrl+CmdOrCtrl+A');
    expect(toAccelerator(primaryBinding('photo.removeFromAlbum'))).toBe('Backspace');
    expect(toAccelerator(primaryBinding('photo.archive'))).toBe('CmdOrCtrl+Backspace');
    expect(toAccelerator(primaryBinding('photo.rename'))).toBe('Enter');
  });

  it('matches the renderer keydowns for the same commands (Mac)', () => {
    expect(commandForKey(key('N', { metaKey: true, shiftKey: true }))).toBe('album.new');
    expect(commandForKey(key('z', { metaKey: true }))).toBe('edit.undo');
    expect(commandForKey(key('z', { metaKey: true, shiftKey: true }))).toBe('edit.redo');
    expect(commandForKey(key('+', { metaKey: true, shiftKey: true }))).toBe('view.zoomIn');
    expect(commandForKey(key('=', { metaKey: true }))).toBe('view.zoomIn');
    expect(commandForKey(key('-', { metaKey: true }))).toBe('view.zoomOut');
    expect(commandForKey(key('2', { metaKey: true }))).toBe('view.albums');
    expect(commandForKey(key('?', { shiftKey: true }))).toBe('help.shortcuts');
    expect(commandForKey(key('.'))).toBe('photo.favourite');
    expect(commandForKey(key('f'))).toBe('photo.favourite');
    expect(commandForKey(key('a'))).toBe('photo.addToAlbum');
    expect(commandForKey(key('a', { metaKey: true, ctrlKey: true }))).toBe('photo.addToLastAlbum');
    expect(commandForKey(key('a', { metaKey: true }))).toBe('edit.selectAll');
    expect(commandForKey(key('Delete'))).toBe('photo.removeFromAlbum');
    expect(commandForKey(key('Backspace'))).toBe('photo.removeFromAlbum');
    expect(commandForKey(key('Backspace', { metaKey: true }))).toBe('photo.archive');
    expect(commandForKey(key('Enter'))).toBe('photo.rename');
  });

  it('does not confuse modifiers: Shift+Z is not undo, ⌘F is not favourite, Ctrl is not ⌘ on the Mac', () => {
    expect(commandForKey(key('z', { shiftKey: true }))).toBeNull();
    expect(commandForKey(key('f', { metaKey: true }))).toBeNull();
    expect(commandForKey(key('z', { ctrlKey: true }))).toBeNull();
    expect(commandForKey(key('a', { altKey: true }))).toBeNull();
  });

  it('uses Ctrl for ⌘ off the Mac (web shell on Linux)', () => {
    expect(commandForKey(key('z', { ctrlKey: true }), { mac: false })).toBe('edit.undo');
    expect(commandForKey(key('z', { metaKey: true }), { mac: false })).toBeNull();
    // ⌃⌘A cannot be typed where Ctrl is the command key; it must not collide with Ctrl+A.
    expect(matchesKey(key('a', { ctrlKey: true }), primaryBinding('photo.addToLastAlbum'), { mac: false })).toBe(false);
  });

  it('restricts matching to the commands asked about', () => {
    expect(commandForKey(key('a'), { among: ['photo.favourite'] })).toBeNull();
  });

  it('has no two commands answering the same keydown', () => {
    const seen = new Map<string, string>();
    for (const id of COMMAND_IDS) {
      for (const binding of KEYMAP[id].bindings) {
        const label = toShortcutLabel(binding);
        expect(seen.get(label), `${label} bound to ${seen.get(label)} and ${id}`).toBeUndefined();
        seen.set(label, id);
      }
    }
  });

  it('prints Mac shortcut symbols for the help sheet', () => {
    expect(toShortcutLabel(primaryBinding('album.new'))).toBe('⇧⌘N');
    expect(toShortcutLabel(primaryBinding('photo.addToLastAlbum'))).toBe('⌃⌘A');
    expect(toShortcutLabel(primaryBinding('photo.archive'))).toBe('⌘⌫');
  });
});

describe('keys a browser keeps', () => {
  it('every command has a key the web shell can receive', () => {
    for (const id of COMMAND_IDS) {
      expect(
        KEYMAP[id].bindings.some((binding) => !isBrowserReserved(binding)),
        id,
      ).toBe(true);
      expect(isBrowserReserved(displayBinding(id, { web: true })), id).toBe(false);
    }
    expect(isBrowserReserved({ key: 'n', mod: true, shift: true })).toBe(true);
    expect(isBrowserReserved({ key: 'w', mod: true })).toBe(true);
    expect(isBrowserReserved({ key: 'k', mod: true })).toBe(false);
  });

  it('labels keys for the platform: ⌘ symbols on the Mac, Ctrl+… elsewhere', () => {
    expect(toShortcutLabel({ key: 'z', mod: true, shift: true }, { mac: false })).toBe('Ctrl+Shift+Z');
    expect(toShortcutLabel({ key: 'a', mod: true, ctrl: true }, { mac: false })).toBe('Ctrl+A');
    expect(toShortcutLabel({ key: 'n', mod: true, alt: true })).toBe('⌥⌘N');
  });
});
