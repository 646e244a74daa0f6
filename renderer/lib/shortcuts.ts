import { COMMAND_IDS, KEYMAP, toShortcutLabel, type CommandId } from '../../shared/keymap';

/**
 * The keyboard shortcut list, generated from the keymap (shared/keymap.ts) plus the page's own
 * navigation keys, for the `?` overlay and the README's table — so neither can drift from
 * what the keys really do.
 */
export interface ShortcutRow {
  /** Every binding, Mac symbols: ['.', 'F']. */
  readonly keys: readonly string[];
  readonly action: string;
}

export interface ShortcutGroup {
  readonly title: string;
  readonly rows: readonly ShortcutRow[];
}

/** What each keymap command does, said for the shortcut list (the menu label is shorter). */
const DESCRIPTIONS: Readonly<Record<CommandId, string>> = {
  'app.settings': 'Settings (iCloud Sync, appearance, server)',
  'album.new': 'New album (with the selected photos, if any)',
  'edit.undo': 'Undo the last curation action',
  'edit.redo': 'Redo',
  'edit.selectAll': 'Select all photos',
  'view.zoomIn': 'Larger thumbnails',
  'view.zoomOut': 'Smaller thumbnails',
  'view.photos': 'Go to the library',
  'view.albums': 'Go to the albums in the sidebar',
  'view.activity': 'Go to Activity (what was synced)',
  'go.commandPalette': 'Command palette: every action, with its shortcut',
  'photo.favourite': 'Favourite / unfavourite',
  'photo.addToAlbum': 'Add to album… (type to filter, ↑/↓, Return)',
  'photo.addToLastAlbum': 'Add to the last used album',
  'photo.removeFromAlbum': 'Remove from the current album (in an album)',
  'photo.archive': 'Archive (Restore in the Archive)',
  'photo.approve': 'Approve (in Review): the photo moves into the library',
  'photo.rename': 'Rename the focused album (in the sidebar)',
  'photo.editInfo': 'Edit info: title, caption, keywords, date, place (Tab between fields, Return saves, Esc cancels)',
  'help.shortcuts': 'Show keyboard shortcuts',
  'photo.culling': 'Culling mode: move to the next photo after each action',
};

const label = (id: CommandId): string[] => KEYMAP[id].bindings.map(toShortcutLabel);
const row = (id: CommandId): ShortcutRow => ({ keys: label(id), action: DESCRIPTIONS[id] });

/** The shortcut list in groups. Every keymap command appears exactly once. */
export function shortcutGroups(): ShortcutGroup[] {
  const browse: ShortcutRow[] = [
    { keys: ['←', '→', '↑', '↓', 'H', 'J', 'K', 'L'], action: 'Move the focus' },
    { keys: ['⇧←', '⇧→', '⇧↑', '⇧↓'], action: 'Extend the selection' },
    row('edit.selectAll'),
    { keys: ['Space', '↩'], action: 'Open the viewer' },
    { keys: ['↑', '↓', '→'], action: 'In the sidebar: move between entries; → goes into the photos' },
    { keys: ['Esc'], action: 'Back / clear the selection' },
    { keys: ['⌘F'], action: 'Search' },
    row('view.zoomIn'),
    row('view.zoomOut'),
  ];
  // In the viewer (renderer/lib/keyboard.ts KEY_BINDINGS 'viewer.*', Viewer.svelte).
  const viewer: ShortcutRow[] = [
    { keys: ['←', '→'], action: 'In the viewer: previous / next photo' },
    { keys: ['⌘+', '⌘-', '⌘0'], action: 'In the viewer: zoom in, zoom out, fit to the window (pinch and double-click too)' },
    { keys: ['←', '→', '↑', '↓'], action: 'In the viewer, zoomed in: move around the photo' },
    { keys: ['Space'], action: 'In the viewer: play / pause a video (on a photo: close the viewer)' },
    { keys: ['I'], action: 'In the viewer: info (camera, exposure, place, albums)' },
  ];
  const curate: CommandId[] = [
    'photo.favourite',
    'photo.addToAlbum',
    'photo.addToLastAlbum',
    'photo.removeFromAlbum',
    'photo.archive',
    'photo.approve',
    'photo.editInfo',
    'album.new',
    'photo.rename',
    'edit.undo',
    'edit.redo',
    'photo.culling',
  ];
  const listed = new Set<CommandId>(['edit.selectAll', 'view.zoomIn', 'view.zoomOut', ...curate]);
  const rest = COMMAND_IDS.filter((id) => !listed.has(id));
  return [
    { title: 'Browse', rows: browse },
    { title: 'Viewer', rows: viewer },
    { title: 'Organise', rows: curate.map(row) },
    { title: 'Go', rows: rest.map(row) },
  ];
}

/** The README's "Keyboard shortcuts" table (Markdown), from the same list. */
export function shortcutsMarkdown(): string {
  const lines = ['| Keys | Action |', '|---|---|'];
  for (const group of shortcutGroups()) {
    for (const entry of group.rows) {
      const keys = entry.keys.map((key) => `<kbd>${key === '|' ? '\\|' : key}</kbd>`).join(' ');
      lines.push(`| ${keys} | ${entry.action} |`);
    }
  }
  return lines.join('\n');
}
