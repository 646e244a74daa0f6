import { COMMAND_IDS, KEYMAP, commandForKey, primaryBinding, toShortcutLabel, type CommandId } from '../../shared/keymap';
import { getMenuOwnsKeys, isMac, isTypingTarget, type KeyLike } from './keyboard';
import type { CurationState } from './state/curation.svelte';
import type { LibraryState } from './state/library.svelte';
import type { SyncState } from './state/sync.svelte';
import type { UiState } from './state/ui.svelte';
import type { ViewerState } from './state/viewer.svelte';

/**
 * [Note: App commands]
 *
 * One dispatcher for the app's commands (shared/keymap.ts), whichever way they arrive:
 * - a keydown in the page (web shell: all of them; Electron: the single-key ones, since the
 *   menu owns its accelerators — see [Note: One keymap]);
 * - `menu.command` from the Mac menus;
 * - the ⌘K palette, which lists every command with its shortcut.
 *
 * Keys never fire while typing in a text field, nor while an overlay (palette, album picker,
 * dialogs) is open: those own the keyboard until they close. Grid keys (arrows, Enter/Space,
 * Esc, ⌘A, zoom) stay with PhotoGrid; Enter on an album is the sidebar's (rename).
 */

/** Keymap commands whose keys are handled elsewhere in the page (grid, sidebar). */
const KEYS_HANDLED_ELSEWHERE: ReadonlySet<CommandId> = new Set<CommandId>([
  'edit.selectAll',
  'view.zoomIn',
  'view.zoomOut',
  'photo.rename',
]);

/** Commands that act on photos: only on the library page. */
const PHOTO_COMMANDS: ReadonlySet<CommandId> = new Set<CommandId>([
  'photo.favourite',
  'photo.addToAlbum',
  'photo.addToLastAlbum',
  'photo.removeFromAlbum',
  'photo.archive',
  'photo.approve',
  'photo.editInfo',
]);

/** One row of the ⌘K palette. */
export interface PaletteItem {
  readonly id: string;
  readonly label: string;
  /** '⇧⌘N', or '' when the command has no key. */
  readonly shortcut: string;
  readonly group: 'Actions' | 'Go to' | 'Albums';
  readonly enabled: boolean;
  readonly run: () => void;
}

export class AppCommands {
  readonly #library: LibraryState;
  readonly #viewer: ViewerState;
  readonly #curation: CurationState;
  readonly #ui: UiState;
  readonly #sync: SyncState | undefined;
  readonly #mac: boolean;

  constructor(options: {
    library: LibraryState;
    viewer: ViewerState;
    curation: CurationState;
    ui: UiState;
    sync?: SyncState | undefined;
    mac?: boolean;
  }) {
    this.#library = options.library;
    this.#viewer = options.viewer;
    this.#curation = options.curation;
    this.#ui = options.ui;
    this.#sync = options.sync;
    this.#mac = options.mac ?? isMac();
  }

  /**
   * A keydown anywhere in the window. Returns true when it ran a command (the caller then
   * calls preventDefault).
   */
  handleKey(event: KeyLike & { readonly defaultPrevented?: boolean }): boolean {
    if (event.defaultPrevented || this.#ui.overlay !== null) return false;
    if (isTypingTarget(event.target)) return false;
    if (event.key === 'Escape' && this.#ui.page !== 'library' && !this.#viewer.isOpen) {
      this.#ui.showPage('library');
      return true;
    }
    const menuOwns = getMenuOwnsKeys();
    const among = COMMAND_IDS.filter((id) => !KEYS_HANDLED_ELSEWHERE.has(id) && !(menuOwns && KEYMAP[id].handledBy === 'menu'));
    const id = commandForKey(event, { mac: this.#mac, among });
    if (id === null) return false;
    return this.run(id);
  }

  /** Run a command (key, menu, palette). Returns false when it does not apply right now. */
  run(id: CommandId): boolean {
    const library = this.#library;
    const curation = this.#curation;
    const ui = this.#ui;
    if (PHOTO_COMMANDS.has(id) && (ui.page !== 'library' || library.status !== 'ready')) return false;
    switch (id) {
      case 'app.settings':
        this.#viewer.close();
        ui.showPage('settings');
        return true;
      case 'album.new':
        ui.open('new-album');
        return true;
      case 'edit.undo':
        if (this.#textField('undo')) return true;
        void curation.undo();
        return true;
      case 'edit.redo':
        if (this.#textField('redo')) return true;
        void curation.redo();
        return true;
      case 'edit.selectAll':
        if (this.#textField('selectAll')) return true;
        if (ui.page !== 'library') return false;
        library.selectAll();
        return true;
      // In the viewer, ⌘+ / ⌘− zoom the photo (as in Photos); in the grid, the thumbnails.
      case 'view.zoomIn':
        if (this.#viewer.isOpen) this.#viewer.zoomIn();
        else library.setZoom(library.zoom + 1);
        return true;
      case 'view.zoomOut':
        if (this.#viewer.isOpen) this.#viewer.zoomOut();
        else library.setZoom(library.zoom - 1);
        return true;
      case 'view.photos':
        this.#viewer.close();
        ui.showPage('library');
        void library.show({ kind: 'all' });
        return true;
      case 'view.albums':
        this.#viewer.close();
        ui.showPage('library');
        ui.focusAlbumsRequest++;
        return true;
      case 'view.activity':
        this.#viewer.close();
        ui.showPage('activity');
        return true;
      case 'go.commandPalette':
        ui.open('palette');
        return true;
      case 'photo.favourite':
        void curation.toggleFavourite();
        return true;
      case 'photo.addToAlbum':
        ui.open('album-picker');
        return true;
      case 'photo.addToLastAlbum':
        if (curation.lastAlbum) void curation.addToLastAlbum();
        else ui.open('album-picker');
        return true;
      case 'photo.removeFromAlbum':
        if (library.view.kind !== 'album') return false;
        void curation.removeFromAlbum();
        return true;
      case 'photo.archive':
        void curation.toggleArchive();
        return true;
      case 'photo.approve':
        if (library.view.kind !== 'review') return false;
        void curation.approve();
        return true;
      case 'photo.rename': {
        const view = library.view;
        if (view.kind !== 'album') return false;
        this.#viewer.close();
        ui.showPage('library');
        ui.renamingAlbumUid = view.albumUid;
        return true;
      }
      case 'photo.editInfo':
        void this.#openInspector();
        return true;
      case 'help.shortcuts':
        ui.open('shortcuts');
        return true;
      case 'photo.culling':
        curation.toggleCulling();
        return true;
    }
  }

  /** Everything the palette offers, in groups, with shortcuts and current labels. */
  paletteItems(): PaletteItem[] {
    const library = this.#library;
    const curation = this.#curation;
    const view = library.view;
    const inLibrary = this.#ui.page === 'library' && library.status === 'ready';
    const hasTargets = this.#viewer.isOpen || !library.selection.isEmpty || library.focusIndex !== null;
    const currentAlbum = view.kind === 'album' ? library.albums.find((album) => album.uid === view.albumUid) : undefined;
    const lastAlbum = curation.lastAlbum;

    const labels: Partial<Record<CommandId, string>> = {
      'edit.undo': curation.history.undoLabel,
      'edit.redo': curation.history.redoLabel,
      'photo.archive': view.kind === 'archive' ? 'Restore from Archive' : 'Archive',
      'photo.addToLastAlbum': lastAlbum ? `Add to “${lastAlbum.title}”` : 'Add to Last Album',
      'photo.removeFromAlbum': currentAlbum ? `Remove from “${currentAlbum.title}”` : 'Remove from Album',
      'photo.rename': currentAlbum ? `Rename “${currentAlbum.title}”…` : 'Rename Album…',
      'photo.culling': curation.culling ? 'Turn Culling Mode Off' : 'Turn Culling Mode On',
      'view.photos': 'Library',
      'view.albums': 'Albums in the Sidebar',
      'view.activity': 'Activity',
      'app.settings': 'Settings',
    };
    const enabled: Partial<Record<CommandId, boolean>> = {
      'edit.undo': curation.history.canUndo,
      'edit.redo': curation.history.canRedo,
      'photo.favourite': inLibrary && hasTargets,
      'photo.addToAlbum': inLibrary && hasTargets,
      'photo.addToLastAlbum': inLibrary && hasTargets,
      'photo.archive': inLibrary && hasTargets,
      'photo.approve': inLibrary && hasTargets && view.kind === 'review',
      'photo.editInfo': inLibrary && hasTargets,
      'photo.removeFromAlbum': inLibrary && hasTargets && currentAlbum !== undefined,
      'photo.rename': currentAlbum !== undefined,
      'edit.selectAll': this.#ui.page === 'library',
    };
    const goTo: ReadonlySet<CommandId> = new Set<CommandId>(['view.photos', 'view.albums', 'view.activity', 'app.settings']);

    const items: PaletteItem[] = [];
    for (const id of COMMAND_IDS) {
      if (id === 'go.commandPalette') continue;
      items.push({
        id,
        label: labels[id] ?? KEYMAP[id].label,
        shortcut: toShortcutLabel(primaryBinding(id)),
        group: goTo.has(id) ? 'Go to' : 'Actions',
        enabled: enabled[id] ?? true,
        run: () => void this.run(id),
      });
    }
    items.push(
      {
        id: 'go.favourites',
        label: 'Favourites',
        shortcut: '',
        group: 'Go to',
        enabled: true,
        run: () => this.#goTo({ kind: 'favorites' }),
      },
      ...(library.counts?.features.review
        ? [
            {
              id: 'go.review',
              label: 'Review',
              shortcut: '',
              group: 'Go to',
              enabled: true,
              run: () => this.#goTo({ kind: 'review' }),
            } satisfies PaletteItem,
          ]
        : []),
      ...(library.counts?.features.private
        ? [
            {
              id: 'go.private',
              label: 'Private',
              shortcut: '',
              group: 'Go to',
              enabled: true,
              run: () => this.#goTo({ kind: 'private' }),
            } satisfies PaletteItem,
          ]
        : []),
      {
        id: 'go.archive',
        label: 'Archive',
        shortcut: '',
        group: 'Go to',
        enabled: true,
        run: () => this.#goTo({ kind: 'archive' }),
      },
    );
    if (currentAlbum) {
      items.push({
        id: 'album.delete',
        label: `Delete Album “${currentAlbum.title}”…`,
        shortcut: '',
        group: 'Actions',
        enabled: true,
        run: () => {
          this.#ui.deletingAlbumUid = currentAlbum.uid;
          this.#ui.open('delete-album');
        },
      });
    }
    const sync = this.#sync;
    const syncState = sync?.status?.state.name;
    if (sync && syncState !== undefined && syncState !== 'disabled') {
      items.push({
        id: 'sync.now',
        label: 'Sync with iCloud Now',
        shortcut: '',
        group: 'Actions',
        enabled: syncState !== 'paused' && syncState !== 'needs-sign-in',
        run: () => void sync.syncNow(),
      });
    }
    for (const album of library.albums) {
      items.push({
        id: `album:${album.uid}`,
        label: album.title,
        shortcut: '',
        group: 'Albums',
        enabled: true,
        run: () => this.#goTo({ kind: 'album', albumUid: album.uid }),
      });
    }
    return items;
  }

  /** Edit Info: the inspector over the viewer's photo, the selection or the focused photo. */
  async #openInspector(): Promise<void> {
    const uids = await this.#curation.inspectorTargets();
    if (!uids || this.#ui.overlay !== null) return;
    this.#ui.inspectingUids = uids;
    this.#ui.open('inspector');
  }

  #goTo(view: Parameters<LibraryState['show']>[0]): void {
    this.#viewer.close();
    this.#ui.showPage('library');
    void this.#library.show(view);
  }

  /**
   * Edit commands from the menu while a text field has focus act on the text, as in every Mac
   * app (the menu's accelerator took the key away from the field).
   */
  #textField(role: 'undo' | 'redo' | 'selectAll'): boolean {
    const active = globalThis.document?.activeElement;
    if (!isTypingTarget(active)) return false;
    if (role === 'selectAll') {
      if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) active.select();
      return true;
    }
    // execCommand is deprecated but remains the only way to drive a field's own undo stack.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- see above
    globalThis.document.execCommand(role);
    return true;
  }
}
