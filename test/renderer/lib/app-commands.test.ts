import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { COMMAND_IDS, KEYMAP, toShortcutLabel } from '../../../shared/keymap';
import { setBridgeForTests } from '../../../renderer/lib/api';
import { AppCommands, toNativeMenu } from '../../../renderer/lib/app-commands';
import { setMenuOwnsKeys, type KeyLike } from '../../../renderer/lib/keyboard';
import { shortcutGroups, shortcutsMarkdown } from '../../../renderer/lib/shortcuts';
import { CurationState } from '../../../renderer/lib/state/curation.svelte';
import { LibraryState } from '../../../renderer/lib/state/library.svelte';
import { ToastState } from '../../../renderer/lib/state/toasts.svelte';
import { UiState } from '../../../renderer/lib/state/ui.svelte';
import { ViewerState } from '../../../renderer/lib/state/viewer.svelte';
import { FakeBridge, makePhotos } from '../helpers/fake-bridge';

function key(k: string, mods: Partial<Omit<KeyLike, 'key'>> = {}): KeyLike {
  return { key: k, metaKey: false, ctrlKey: false, altKey: false, shiftKey: false, target: document.body, ...mods };
}

async function setup() {
  const bridge = new FakeBridge({ photos: makePhotos(30, 10) });
  setBridgeForTests(bridge);
  const library = new LibraryState({ pageSize: 50 });
  const viewer = new ViewerState(library);
  const ui = new UiState();
  const curation = new CurationState({ library, viewer, toasts: new ToastState() });
  const commands = new AppCommands({ library, viewer, curation, ui, mac: true });
  await library.load();
  return { bridge, library, viewer, ui, curation, commands };
}

afterEach(() => {
  setBridgeForTests(undefined);
  setMenuOwnsKeys(false);
});

describe('photo stacks', () => {
  test('a stack offers its versions in the context menu and the palette, then each version’s actions', async () => {
    const { bridge, library, viewer, commands } = await setup();
    bridge.photos[1] = { ...(bridge.photos[1] as (typeof bridge.photos)[number]), stackSize: 2 };
    await library.refreshAll();
    library.focus.moveFocus(0, false);
    const labels = () => commands.paletteItems().map((item) => item.label);
    const menuLabels = () => commands.contextMenu('photos').flatMap((entry) => (entry === '-' ? [] : [entry.label]));
    // Not a stack: nothing about versions.
    expect(menuLabels()).not.toContain('Show 2 Versions');
    expect(labels()).not.toContain('Show 2 Versions');

    library.focus.moveFocus(1, false);
    expect(menuLabels()).toContain('Show 2 Versions');
    const show = commands.paletteItems().find((item) => item.label === 'Show 2 Versions');
    show?.run();
    // The viewer opens on the stack with its info panel, which asks the server for the files.
    expect(viewer.index).toBe(1);
    expect(viewer.infoOpen).toBe(true);
    await expect.poll(() => viewer.metadata?.files.length).toBe(2);
    const uid = bridge.photos[1]?.uid ?? '';
    const primary = commands.paletteItems().find((item) => item.label === `Make “${uid} (1).jpg” the Primary Version`);
    expect(labels()).toContain(`Unstack “${uid} (1).jpg”`);
    // The primary version is offered neither.
    expect(labels()).not.toContain(`Unstack “${uid}.jpg”`);
    primary?.run();
    await expect.poll(() => bridge.callsTo('actions.choosePrimary')).toEqual([{ uid, fileUid: `f${uid.slice(1, 15)}1` }]);
  });
});

describe('app keys', () => {
  test('. and F favourite the focused photo', async () => {
    const { bridge, library, commands } = await setup();
    library.focus.moveFocus(1, false);
    expect(commands.handleKey(key('.'))).toBe(true);
    await expect.poll(() => bridge.callsTo('actions.setFavorite')).toHaveLength(1);
    expect(commands.handleKey(key('f'))).toBe(true);
    await expect.poll(() => bridge.callsTo('actions.setFavorite')).toHaveLength(2);
  });

  test('P approves in Review (the photo leaves the view), and does nothing elsewhere', async () => {
    const { bridge, library, commands } = await setup();
    for (const photo of bridge.photos.slice(0, 3)) bridge.review.add(photo.uid);
    library.focus.moveFocus(1, false);
    expect(commands.handleKey(key('p'))).toBe(false);
    expect(bridge.callsTo('actions.approve')).toEqual([]);
    await library.show({ kind: 'review' });
    expect(library.total).toBe(3);
    library.focus.moveFocus(1, false);
    expect(commands.handleKey(key('p'))).toBe(true);
    await expect.poll(() => bridge.callsTo('actions.approve')).toHaveLength(1);
    await expect.poll(() => library.total).toBe(2);
    expect(bridge.review.size).toBe(2);
  });

  test('never fire while typing in a text field', async () => {
    const { bridge, library, ui, commands } = await setup();
    library.focus.moveFocus(1, false);
    const input = document.createElement('input');
    for (const k of ['.', 'f', 'a', 'c', '?', 'Backspace']) expect(commands.handleKey(key(k, { target: input }))).toBe(false);
    expect(commands.handleKey(key('z', { metaKey: true, target: input }))).toBe(false);
    expect(ui.overlay).toBeNull();
    expect(bridge.callsTo('actions.setFavorite')).toEqual([]);
  });

  // Nor while an overlay is open: its dialog's key scope covers the app's (key-router.test.ts, "Modal on the router").

  test('A opens the album picker, ⌘K the palette, ? the shortcuts, ⇧⌘N a new album', async () => {
    const { ui, commands } = await setup();
    const opens = (k: KeyLike) => {
      ui.overlay = null;
      commands.handleKey(k);
      return ui.overlay;
    };
    expect(opens(key('a'))).toBe('album-picker');
    expect(opens(key('k', { metaKey: true }))).toBe('palette');
    expect(opens(key('?', { shiftKey: true }))).toBe('shortcuts');
    expect(opens(key('N', { metaKey: true, shiftKey: true }))).toBe('new-album');
  });

  test('C toggles culling mode', async () => {
    const { curation, commands } = await setup();
    commands.handleKey(key('c'));
    expect(curation.culling).toBe(true);
    commands.handleKey(key('c'));
    expect(curation.culling).toBe(false);
  });

  test('Delete removes from the album only in an album view', async () => {
    const { bridge, library, commands } = await setup();
    library.focus.moveFocus(0, false);
    expect(commands.handleKey(key('Backspace'))).toBe(false);
    await library.show({ kind: 'album', albumUid: bridge.albums[0]?.uid ?? '' });
    library.focus.moveFocus(0, false);
    expect(commands.handleKey(key('Delete'))).toBe(true);
    await expect.poll(() => bridge.callsTo('actions.removeFromAlbum')).toHaveLength(1);
  });

  test('⌘⌫ archives; ⌘Z and ⇧⌘Z undo and redo', async () => {
    const { bridge, library, commands } = await setup();
    library.focus.moveFocus(2, false);
    expect(commands.handleKey(key('Backspace', { metaKey: true }))).toBe(true);
    await expect.poll(() => bridge.callsTo('actions.setArchived')).toHaveLength(1);
    commands.handleKey(key('z', { metaKey: true }));
    await expect.poll(() => bridge.callsTo('actions.undo')).toHaveLength(1);
    commands.handleKey(key('z', { metaKey: true, shiftKey: true }));
    await expect.poll(() => bridge.callsTo('actions.redo')).toHaveLength(1);
  });

  test('⌃⌘A adds to the last album, or opens the picker when there is none', async () => {
    const { bridge, library, ui, curation, commands } = await setup();
    library.focus.moveFocus(3, false);
    commands.handleKey(key('a', { metaKey: true, ctrlKey: true }));
    expect(ui.overlay).toBe('album-picker');
    ui.close();
    await curation.addToAlbum(bridge.albums[0]?.uid ?? '');
    commands.handleKey(key('a', { metaKey: true, ctrlKey: true }));
    await expect.poll(() => bridge.callsTo('actions.addToAlbum')).toHaveLength(2);
  });

  test('in Electron the menu owns ⌘-shortcuts: the page leaves them to menu.command', async () => {
    const { bridge, library, ui, commands } = await setup();
    setMenuOwnsKeys(true);
    library.focus.moveFocus(2, false);
    expect(commands.handleKey(key('Backspace', { metaKey: true }))).toBe(false);
    expect(commands.handleKey(key('k', { metaKey: true }))).toBe(false);
    expect(ui.overlay).toBeNull();
    // Single keys are still the page's.
    expect(commands.handleKey(key('.'))).toBe(true);
    // …and the menu's command runs the same code.
    expect(commands.run('photo.archive')).toBe(true);
    await expect.poll(() => bridge.callsTo('actions.setArchived')).toHaveLength(1);
  });

  test('Esc on Activity or Settings goes back to the library', async () => {
    const { ui, commands } = await setup();
    ui.showPage('activity');
    expect(commands.handleKey(key('Escape'))).toBe(true);
    expect(ui.page).toBe('library');
  });

  test('⌘, opens Settings and ⌘3 Activity', async () => {
    const { ui, commands } = await setup();
    commands.handleKey(key(',', { metaKey: true }));
    expect(ui.page).toBe('settings');
    commands.handleKey(key('3', { metaKey: true }));
    expect(ui.page).toBe('activity');
  });
});

describe('palette', () => {
  test('lists every keymap command (but itself) with its shortcut, and the undo label', async () => {
    const { library, curation, commands } = await setup();
    library.focus.moveFocus(1, false);
    await curation.toggleFavourite();
    const items = commands.paletteItems();
    for (const id of COMMAND_IDS.filter((id) => id !== 'go.commandPalette')) {
      expect(
        items.some((item) => item.id === id),
        id,
      ).toBe(true);
    }
    expect(items.find((item) => item.id === 'edit.undo')).toMatchObject({ label: 'Undo Favourite', shortcut: '⌘Z', enabled: true });
    expect(items.find((item) => item.id === 'album.new')?.shortcut).toBe('⌥⌘N'); // the web shell: ⇧⌘N is the browser's
    expect(items.find((item) => item.id === 'photo.archive')?.shortcut).toBe('⌘⌫');
    expect(items.filter((item) => item.group === 'Albums').map((item) => item.label)).toEqual(['Holidays']);
  });
});

describe('shortcut list', () => {
  test('names every keymap command once, with all its keys', () => {
    const rows = shortcutGroups().flatMap((group) => group.rows);
    for (const id of COMMAND_IDS) {
      const keys = KEYMAP[id].bindings.map((binding) => toShortcutLabel(binding));
      expect(
        rows.filter((row) => row.keys.join(' ') === keys.join(' ')),
        id,
      ).toHaveLength(1);
    }
    const markdown = shortcutsMarkdown();
    expect(markdown).toContain('| <kbd>.</kbd> <kbd>F</kbd> | Favourite / unfavourite |');
    expect(markdown).toContain('| <kbd>⌃⌘A</kbd> | Add to the last used album |');
    expect(markdown.split('\n')).toHaveLength(2 + rows.length);
  });
});

describe('context menus (one table, resolved to the app commands)', () => {
  const ids = (entries: ReturnType<AppCommands['contextMenu']>) => entries.map((entry) => (entry === '-' ? '-' : entry.id));

  test('a photo’s menu offers what applies in the library, with keys; running an item is the command', async () => {
    const { bridge, library, commands } = await setup();
    library.focus.click(2, { shift: false, toggle: false });
    const menu = commands.contextMenu('photos');
    expect(ids(menu)).toEqual([
      'photo.open',
      'photo.editInfo',
      '-',
      'photo.favourite',
      'photo.private',
      '-',
      'photo.addToAlbum',
      'album.new',
      '-',
      'photo.archive',
    ]);
    const archive = menu.find((entry) => entry !== '-' && entry.id === 'photo.archive');
    expect(archive).toMatchObject({ label: 'Archive', shortcut: '⌘⌫', accelerator: 'CmdOrCtrl+Backspace', enabled: true });
    if (archive && archive !== '-') archive.run();
    await expect.poll(() => bridge.callsTo('actions.setArchived')).toHaveLength(1);
  });

  test('in an album it adds Remove from “…”; in the Archive, Archive reads Restore', async () => {
    const { bridge, library, commands } = await setup();
    const albumUid = bridge.albums[0]?.uid ?? '';
    await library.show({ kind: 'album', albumUid });
    library.focus.click(0, { shift: false, toggle: false });
    const inAlbum = commands.contextMenu('photos');
    expect(inAlbum.find((entry) => entry !== '-' && entry.id === 'photo.removeFromAlbum')).toMatchObject({
      label: 'Remove from “Holidays”',
    });
    await library.show({ kind: 'archive' });
    library.focus.click(0, { shift: false, toggle: false });
    expect(commands.item('photo.archive')?.label).toBe('Restore from Archive');
  });

  test('toggles say what they will do for the selected photos', async () => {
    const { library, commands } = await setup();
    const favourite = library.photoAt(0)?.favorite ?? false;
    library.focus.click(0, { shift: false, toggle: false });
    expect(commands.item('photo.favourite')?.label).toBe(favourite ? 'Unfavourite' : 'Favourite');
  });

  test('an album’s menu renames and deletes THAT album (not the open one)', async () => {
    const { bridge, ui, commands } = await setup();
    const albumUid = bridge.albums[0]?.uid ?? '';
    const menu = commands.contextMenu('album', { albumUid });
    expect(ids(menu)).toEqual(['album.open', '-', 'album.rename', 'album.delete', '-', 'album.new']);
    commands.item('album.rename', { albumUid })?.run();
    expect(ui.renamingAlbumUid).toBe(albumUid);
    commands.item('album.delete', { albumUid })?.run();
    expect(ui.overlay).toBe('delete-album');
    expect(ui.deletingAlbumUid).toBe(albumUid);
  });

  test('the native menu gets ids, labels and display-only keys; separators stay separators', async () => {
    const { library, commands } = await setup();
    library.focus.click(0, { shift: false, toggle: false });
    const native = toNativeMenu(commands.contextMenu('photos'));
    expect(native[0]).toEqual({ id: 'photo.open', label: 'Open', enabled: true });
    expect(native[1]).toEqual({ id: 'photo.editInfo', label: 'Edit Info…', enabled: true, accelerator: 'E' });
    expect(native[2]).toEqual({ separator: true });
    expect(native).toContainEqual({ id: 'photo.private', label: 'Make Private', enabled: true, accelerator: 'CmdOrCtrl+L' });
  });
});

describe('shortcut labels by platform', () => {
  test('outside a Mac the keys read Ctrl+…, in the palette and the shortcut list', async () => {
    const { library, viewer, ui, curation } = await setup();
    const commands = new AppCommands({ library, viewer, curation, ui, mac: false });
    const item = (id: string) => commands.paletteItems().find((candidate) => candidate.id === id);
    expect(item('edit.redo')?.shortcut).toBe('Ctrl+Shift+Z');
    expect(item('app.settings')?.shortcut).toBe('Ctrl+,');
    expect(item('photo.archive')?.shortcut).toBe('Ctrl+Backspace');
    const rows = shortcutGroups({ mac: false, web: true }).flatMap((group) => group.rows);
    expect(rows.find((row) => row.action === 'Search')?.keys).toEqual(['Ctrl+F']);
    expect(rows.find((row) => row.action === 'Extend the selection')?.keys).toEqual(['Shift+←', 'Shift+→', 'Shift+↑', 'Shift+↓']);
    expect(rows.flatMap((row) => row.keys).some((key) => /[⌘⌃⌥⇧]/.test(key))).toBe(false);
    // ⌃⌘A needs both keys, which only a Mac has: no key is promised for it elsewhere.
    expect(rows.find((row) => row.action === 'Add to the last used album')?.keys).toEqual([]);
    expect(item('photo.addToLastAlbum')?.shortcut).toBe('');
  });

  test('the web shell offers no key the browser keeps for itself (⇧⌘N is a new private window)', async () => {
    const { commands } = await setup();
    setMenuOwnsKeys(false); // the web shell: no menu
    expect(commands.paletteItems().find((item) => item.id === 'album.new')?.shortcut).toBe('⌥⌘N');
    const rows = shortcutGroups({ mac: true, web: true }).flatMap((group) => group.rows);
    expect(rows.find((row) => row.action.startsWith('New album'))?.keys).toEqual(['⌥⌘N']);
    // The Mac app's menu keeps the Photos-like ⇧⌘N.
    setMenuOwnsKeys(true);
    expect(commands.paletteItems().find((item) => item.id === 'album.new')?.shortcut).toBe('⇧⌘N');
  });

  test('the README’s shortcut table is the generated one', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toContain(`${shortcutsMarkdown()}\n`);
  });
});
