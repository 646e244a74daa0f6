import type { CommandId } from './keymap';

/**
 * [Note: One context-menu table]
 *
 * What a right-click offers, defined ONCE, like the keymap (shared/keymap.ts): which items, in
 * which order, with separators. Nothing here runs anything. The renderer resolves each item to
 * a command of renderer/lib/app-commands.ts (so a context-menu item does exactly what the same
 * key, palette row or selection-bar button does) with its current label ("Restore from
 * Archive", "Remove from “Trip”") and whether it applies; then shows the menu:
 * - in the Mac app natively (`app.contextMenu`: main builds a `Menu` and calls `popup()`; only
 *   the chosen item's id comes back; main/menu/context-menu.ts);
 * - in the web shell as an HTML menu (renderer/components/ContextMenu.svelte).
 *
 * Items that do not apply to what was clicked (Remove from Album outside an album, Approve
 * outside Review) are left out rather than greyed, as Finder and Photos do.
 */

/** Where the right-click happened. */
export type ContextMenuKind = 'photos' | 'album' | 'sidebar';

/** Items that are not keymap commands: they act on the clicked thing, not on the selection. */
export type ContextOnlyId = 'photo.open' | 'photo.versions' | 'album.open' | 'album.rename' | 'album.delete' | 'album.export';

export type ContextItemId = CommandId | ContextOnlyId;

/** One entry of a menu: an item, or a separator line. */
export type ContextMenuEntry = ContextItemId | '-';

/** The table. */
export const CONTEXT_MENUS = {
  /** On a photo (or the selection it belongs to). */
  photos: [
    'photo.open',
    /** A stack only: open it with the info panel, where its versions can be made primary or unstacked. */
    'photo.versions',
    'photo.editInfo',
    '-',
    'photo.favourite',
    'photo.private',
    '-',
    'photo.addToAlbum',
    'photo.addToLastAlbum',
    'photo.removeFromAlbum',
    'album.new',
    '-',
    'photo.export',
    '-',
    'photo.approve',
    'photo.archive',
  ],
  /** On an album in the sidebar. */
  album: ['album.open', '-', 'album.rename', 'album.export', 'album.delete', '-', 'album.new'],
  /** On the sidebar's empty space or a section title. */
  sidebar: ['album.new'],
} as const satisfies Record<ContextMenuKind, readonly ContextMenuEntry[]>;

/**
 * Drop separators that would show as stray lines once items are left out: leading, trailing
 * and doubled ones.
 */
export function tidySeparators<T>(entries: readonly (T | '-')[]): (T | '-')[] {
  const out: (T | '-')[] = [];
  for (const entry of entries) {
    if (entry === '-' && (out.length === 0 || out[out.length - 1] === '-')) continue;
    out.push(entry);
  }
  if (out[out.length - 1] === '-') out.pop();
  return out;
}
