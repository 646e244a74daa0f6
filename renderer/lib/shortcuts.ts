import {
  COMMAND_IDS,
  KEYMAP,
  displayBinding,
  isBrowserReserved,
  toShortcutLabel,
  type CommandId,
  type KeyBinding,
} from '../../shared/keymap';
import { getMenuOwnsKeys, isMac } from './keyboard';

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
  'file.import': 'Import photos and videos (into the album on screen, if any); or drop files and folders on the window or an album',
  'edit.undo': 'Undo the last curation action',
  'edit.redo': 'Redo',
  'edit.selectAll': 'Select all photos',
  'view.zoomIn': 'Larger thumbnails',
  'view.zoomOut': 'Smaller thumbnails',
  'view.photos': 'Go to the library',
  'view.albums': 'Go to the album overview (covers, sort by title, date or count)',
  'view.activity': 'Go to Activity (what was synced)',
  'view.slideshow': 'Play a slideshow from the open or focused photo (Space pauses, Esc ends)',
  'view.fullScreen': 'Enter or leave full screen',
  'go.commandPalette': 'Command palette: every action, with its shortcut',
  'photo.favourite': 'Favourite / unfavourite',
  'photo.addToAlbum': 'Add to album… (type to filter, ↑/↓, Return)',
  'photo.addToLastAlbum': 'Add to the last used album',
  'photo.removeFromAlbum': 'Remove from the current album (in an album)',
  'photo.archive': 'Archive (Restore in the Archive)',
  'photo.private': 'Private / public (PhotoPrism keeps private photos out of shared views)',
  'photo.approve': 'Approve (in Review): the photo moves into the library',
  'photo.rename': 'Rename the focused album (in the sidebar)',
  'photo.editInfo': 'Edit info: title, caption, keywords, date, place (Tab between fields, Return saves, Esc cancels)',
  'photo.export': 'Export the originals of the selected photos to a folder (progress and Cancel in the export panel)',
  'help.shortcuts': 'Show keyboard shortcuts',
  'photo.culling': 'Culling mode: move to the next photo after each action',
  'photo.compare': 'Compare two photos side by side (the two selected, or this one and the next; Tab switches side)',
};

/** Where the list is shown: the Mac (⌘ symbols) or not (Ctrl+…), Electron or the web shell. */
export interface ShortcutPlatform {
  readonly mac: boolean;
  /** The web shell: keys the browser keeps for itself are left out (shared/keymap.ts BROWSER_RESERVED). */
  readonly web: boolean;
}

/** The Mac app, as the README describes it. */
export const MAC_APP: ShortcutPlatform = { mac: true, web: false };

/** The platform this page runs on. */
export function currentPlatform(): ShortcutPlatform {
  return { mac: isMac(), web: !getMenuOwnsKeys() };
}

/**
 * A Mac key label ('⇧⌘Z', '⌘+', '⇧←') as the platform writes it ('Ctrl+Shift+Z'), for the rows
 * that are not keymap commands.
 */
export function platformKeyLabel(macLabel: string, platform: ShortcutPlatform): string {
  if (platform.mac) return macLabel;
  const modifiers: Readonly<Record<string, string>> = { '⌃': 'Ctrl', '⌥': 'Alt', '⇧': 'Shift', '⌘': 'Ctrl' };
  const parts: string[] = [];
  let rest = macLabel;
  while (rest.length > 1 && modifiers[rest.charAt(0)] !== undefined) {
    const name = modifiers[rest.charAt(0)] ?? '';
    if (!parts.includes(name)) parts.push(name);
    rest = rest.slice(1);
  }
  const keys: Readonly<Record<string, string>> = { '⌫': 'Backspace', '⌦': 'Delete', '↩': 'Enter' };
  return [...parts, keys[rest] ?? rest].join('+');
}

/** A command's key as this page's platform writes it: '⇧⌘N' in the Mac app, 'Ctrl+Alt+N' in a browser on Linux. */
export function commandKeyLabel(id: CommandId, platform: ShortcutPlatform = currentPlatform()): string {
  const binding = displayBinding(id, { web: platform.web });
  return canType(binding, platform) ? toShortcutLabel(binding, platform) : '';
}

/** ⌃⌘ bindings need both keys, which only a Mac has (shared/keymap.ts matchesKey never matches them elsewhere). */
function canType(binding: KeyBinding, platform: ShortcutPlatform): boolean {
  return platform.mac || !(binding.mod && binding.ctrl);
}

/** The shortcut list in groups. Every keymap command appears exactly once. */
export function shortcutGroups(platform: ShortcutPlatform = MAC_APP): ShortcutGroup[] {
  const label = (id: CommandId): string[] =>
    KEYMAP[id].bindings
      .filter((binding) => canType(binding, platform) && (!platform.web || !isBrowserReserved(binding)))
      .map((binding) => toShortcutLabel(binding, platform));
  const row = (id: CommandId): ShortcutRow => ({ keys: label(id), action: DESCRIPTIONS[id] });
  const keys = (...macLabels: string[]): string[] => macLabels.map((key) => platformKeyLabel(key, platform));
  const browse: ShortcutRow[] = [
    { keys: keys('←', '→', '↑', '↓', 'H', 'J', 'K', 'L'), action: 'Move the focus' },
    { keys: keys('⇧←', '⇧→', '⇧↑', '⇧↓'), action: 'Extend the selection' },
    row('edit.selectAll'),
    { keys: keys('Space', '↩'), action: 'Open the viewer' },
    { keys: keys('↑', '↓', '→'), action: 'In the sidebar: move between entries; → goes into the photos' },
    { keys: keys('Esc'), action: 'Back / clear the selection' },
    { keys: keys('⇧F10'), action: 'Context menu for the selected photos (right-click does the same)' },
    { keys: keys('⌘F'), action: 'Search' },
    row('view.zoomIn'),
    row('view.zoomOut'),
  ];
  // In the viewer (renderer/lib/keyboard.ts KEY_BINDINGS 'viewer.*', Viewer.svelte).
  const viewer: ShortcutRow[] = [
    { keys: keys('←', '→'), action: 'In the viewer: previous / next photo' },
    { keys: keys('⌘+', '⌘-', '⌘0'), action: 'In the viewer: zoom in, zoom out, fit to the window (pinch and double-click too)' },
    { keys: keys('←', '→', '↑', '↓'), action: 'In the viewer, zoomed in: move around the photo' },
    { keys: keys('Space'), action: 'In the viewer: play / pause a video (on a photo: close the viewer)' },
    { keys: keys('I'), action: 'In the viewer: info (camera, exposure, place, albums)' },
  ];
  const curate: CommandId[] = [
    'photo.favourite',
    'photo.addToAlbum',
    'photo.addToLastAlbum',
    'photo.removeFromAlbum',
    'photo.archive',
    'photo.private',
    'photo.approve',
    'photo.editInfo',
    'photo.export',
    'album.new',
    'file.import',
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

/** The README's "Keyboard shortcuts" table (Markdown), from the same list (the Mac app's keys). */
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
