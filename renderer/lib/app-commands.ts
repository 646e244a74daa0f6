import { CONTEXT_MENUS, tidySeparators, type ContextItemId, type ContextMenuKind } from '../../shared/context-menus';
import type { NativeMenuItem } from '../../shared/ipc/native-menu';
import { COMMAND_IDS, KEYMAP, commandForKey, primaryBinding, toAccelerator, type CommandId } from '../../shared/keymap';
import { enterFullScreen, toggleFullScreen } from './full-screen';
import { getMenuOwnsKeys, isMac, isTypingTarget, type KeyLike } from './keyboard';
import { commandKeyLabel } from './shortcuts';
import type { CurationState } from './state/curation.svelte';
import type { ExportState } from './state/exports.svelte';
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
  'photo.private',
  'photo.approve',
  'photo.editInfo',
  'photo.export',
]);

/** One row of the ⌘K palette. */
export interface PaletteItem {
  readonly id: string;
  readonly label: string;
  /** '⇧⌘N' ('Ctrl+Shift+N' outside a Mac), or '' when the command has no key. */
  readonly shortcut: string;
  readonly group: 'Actions' | 'Go to' | 'Albums';
  readonly enabled: boolean;
  readonly run: () => void;
}

/** One resolved item of a context menu or the selection bar: what it says, whether it applies, what it does. */
export interface CommandItem {
  readonly id: ContextItemId;
  readonly label: string;
  /** '⌘L' for the HTML menu, '' when the command has no key. */
  readonly shortcut: string;
  /** The same key in Electron's syntax, for the native menu (display only). */
  readonly accelerator: string | undefined;
  readonly enabled: boolean;
  readonly run: () => void;
}

/** A context menu as shown: items and separators. */
export type ContextMenuEntries = readonly (CommandItem | '-')[];

/** What a right-click was on: an album in the sidebar, or nothing in particular (photos use the selection). */
export interface ContextTarget {
  readonly albumUid?: string | undefined;
}

/** Most loaded photos read to word a toggle ("Unfavourite" when all are favourites). */
const MAX_LABEL_PHOTOS = 500;

/** The resolved items as the native menu receives them (main/menu/context-menu.ts). */
export function toNativeMenu(entries: ContextMenuEntries): NativeMenuItem[] {
  return entries.map((entry) =>
    entry === '-'
      ? { separator: true }
      : { id: entry.id, label: entry.label, enabled: entry.enabled, ...(entry.accelerator ? { accelerator: entry.accelerator } : {}) },
  );
}

export class AppCommands {
  readonly #library: LibraryState;
  readonly #viewer: ViewerState;
  readonly #curation: CurationState;
  readonly #ui: UiState;
  readonly #sync: SyncState | undefined;
  readonly #imports: { choose(albumUid: string | null): void } | undefined;
  readonly #exports: ExportState | undefined;
  readonly #mac: boolean;

  constructor(options: {
    library: LibraryState;
    viewer: ViewerState;
    curation: CurationState;
    ui: UiState;
    sync?: SyncState | undefined;
    /** File → Import… (absent in tests that do not import). */
    imports?: { choose(albumUid: string | null): void } | undefined;
    exports?: ExportState | undefined;
    mac?: boolean;
  }) {
    this.#library = options.library;
    this.#viewer = options.viewer;
    this.#curation = options.curation;
    this.#ui = options.ui;
    this.#sync = options.sync;
    this.#imports = options.imports;
    this.#exports = options.exports;
    this.#mac = options.mac ?? isMac();
  }

  /**
   * A keydown no scope above the app's took (the router's 'app' layer; an open dialog covers
   * it, see [Note: One key owner]). Returns true when it ran a command.
   */
  handleKey(event: KeyLike & { readonly defaultPrevented?: boolean }): boolean {
    if (event.defaultPrevented) return false;
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
      case 'file.import':
        if (!this.#imports) return false;
        this.#imports.choose(library.view.kind === 'album' ? library.view.albumUid : null);
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
        library.focus.selectAll();
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
        ui.showPage('albums');
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
      case 'photo.private':
        void curation.togglePrivate();
        return true;
      case 'photo.approve':
        if (library.view.kind !== 'review') return false;
        void curation.approve();
        return true;
      case 'photo.rename': {
        const view = library.view;
        if (view.kind !== 'album') return false;
        this.renameAlbum(view.albumUid);
        return true;
      }
      case 'photo.editInfo':
        void this.#openInspector();
        return true;
      case 'photo.export':
        void this.#exportPhotos();
        return true;
      case 'help.shortcuts':
        ui.open('shortcuts');
        return true;
      case 'photo.culling':
        curation.toggleCulling();
        return true;
      case 'view.fullScreen':
        toggleFullScreen().catch(() => undefined);
        return true;
      case 'view.slideshow': {
        if (ui.page !== 'library' || library.total === 0) return false;
        this.#viewer.startSlideshow(this.#viewer.index ?? library.focus.focusIndex ?? 0);
        // A slideshow fills the screen, as in Photos; if the browser refuses, it plays in the window.
        enterFullScreen().catch(() => undefined);
        return true;
      }
      case 'photo.compare': {
        if (ui.page !== 'library' || library.status !== 'ready') return false;
        const pair = this.#comparePair();
        if (!pair) return false;
        this.#viewer.startCompare(pair[0], pair[1]);
        return true;
      }
    }
  }

  /** Export… on the viewer's photo, the selection or the focused photo: main asks where. */
  async #exportPhotos(): Promise<void> {
    const exports = this.#exports;
    if (!exports || this.#ui.page !== 'library') return;
    const uids = await this.#curation.exportTargets();
    if (uids) await exports.exportPhotos(uids);
  }

  /** Which two photos Compare shows: the first two selected, else the open or focused one and the next. */
  #comparePair(): [number, number] | null {
    const library = this.#library;
    if (library.focus.selection.size >= 2) {
      const [a, b] = library.focus.selection.indexes();
      if (a !== undefined && b !== undefined) return [a, b];
    }
    const from = this.#viewer.index ?? library.focus.focusIndex;
    if (from === null) return null;
    if (from + 1 < library.total) return [from, from + 1];
    return from > 0 ? [from - 1, from] : null;
  }

  /** Everything the palette offers, in groups, with shortcuts and current labels. */
  paletteItems(): PaletteItem[] {
    const library = this.#library;
    const curation = this.#curation;
    const view = library.view;
    const inLibrary = this.#ui.page === 'library' && library.status === 'ready';
    const hasTargets = this.#viewer.isOpen || !library.focus.selection.isEmpty || library.focus.focusIndex !== null;
    const currentAlbum = view.kind === 'album' ? library.sidebar.albums.find((album) => album.uid === view.albumUid) : undefined;
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
      'view.albums': 'Albums',
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
      'photo.private': inLibrary && hasTargets && library.sidebar.counts?.features.private !== false,
      'photo.approve': inLibrary && hasTargets && view.kind === 'review',
      'photo.editInfo': inLibrary && hasTargets,
      'photo.export': inLibrary && hasTargets && this.#exports !== undefined,
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
        shortcut: commandKeyLabel(id, { mac: this.#mac, web: !getMenuOwnsKeys() }),
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
      ...(library.sidebar.counts?.features.review
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
      ...(library.sidebar.counts?.features.private
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
        run: () => this.confirmDeleteAlbum(currentAlbum.uid),
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
    items.push(...this.#stackItems());
    for (const album of library.sidebar.albums) {
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

  /**
   * A context menu from the one table (shared/context-menus.ts), each item resolved to the
   * same command the keys and the palette run. Items that do not apply are left out. See
   * [Note: One context-menu table].
   */
  contextMenu(kind: ContextMenuKind, target: ContextTarget = {}): ContextMenuEntries {
    const palette = new Map(this.paletteItems().map((item) => [item.id, item]));
    const entries: (CommandItem | '-')[] = [];
    for (const entry of CONTEXT_MENUS[kind]) {
      if (entry === '-') {
        entries.push(entry);
        continue;
      }
      const item = this.#resolve(entry, target, palette);
      if (item?.enabled) entries.push(item);
    }
    return tidySeparators(entries);
  }

  /** One command as a button or menu item (the selection bar's buttons), or null when it does not exist here. */
  item(id: ContextItemId, target: ContextTarget = {}): CommandItem | null {
    return this.#resolve(id, target, new Map(this.paletteItems().map((item) => [item.id, item])));
  }

  /** Open a stack with the info panel, which lists its versions and their actions. */
  showVersions(index: number): void {
    if (this.#viewer.index !== index) this.#viewer.open(index);
    if (!this.#viewer.infoOpen) this.#viewer.toggleInfo();
  }

  /**
   * The palette's stack actions for the photo open in the viewer (or the focused tile): "Show Versions" until its
   * files are known (the info panel asks the server for them), then one row per version that
   * can be made primary or unstacked. See [Note: Stack actions] in main/actions/executors/stack-file.ts.
   */
  #stackItems(): PaletteItem[] {
    const viewer = this.#viewer;
    // The open photo, else the focused tile.
    const index = viewer.index ?? this.#library.focus.focusIndex;
    const photo = index === null ? undefined : this.#library.photoAt(index);
    if (!photo?.stackSize || index === null) return [];
    const files = viewer.metadataFor === photo.uid ? viewer.metadata?.files : undefined;
    if (!viewer.isOpen || !viewer.infoOpen || !files) {
      return [
        {
          id: 'photo.versions',
          label: `Show ${photo.stackSize} Versions`,
          shortcut: '',
          group: 'Actions',
          enabled: true,
          run: () => this.showVersions(index),
        },
      ];
    }
    const curation = this.#curation;
    return files.flatMap((file) => {
      const name = file.name.split('/').pop() ?? file.name;
      const rows: PaletteItem[] = [];
      if (file.canBePrimary) {
        rows.push({
          id: `stack.primary:${file.uid}`,
          label: `Make “${name}” the Primary Version`,
          shortcut: '',
          group: 'Actions',
          enabled: true,
          run: () => void curation.choosePrimary(photo.uid, file.uid, name),
        });
      }
      if (file.canUnstack) {
        rows.push({
          id: `stack.unstack:${file.uid}`,
          label: `Unstack “${name}”`,
          shortcut: '',
          group: 'Actions',
          enabled: true,
          run: () => void curation.unstack(photo.uid, file.uid, name),
        });
      }
      return rows;
    });
  }

  /** Start renaming an album in the sidebar (Return on it, the palette, its context menu). */
  renameAlbum(albumUid: string): void {
    this.#viewer.close();
    this.#ui.showPage('library');
    this.#ui.renamingAlbumUid = albumUid;
  }

  /** Ask before deleting an album (its photos stay in the library). */
  confirmDeleteAlbum(albumUid: string): void {
    this.#ui.deletingAlbumUid = albumUid;
    this.#ui.open('delete-album');
  }

  #resolve(id: ContextItemId, target: ContextTarget, palette: ReadonlyMap<string, PaletteItem>): CommandItem | null {
    const library = this.#library;
    const album = target.albumUid === undefined ? undefined : library.sidebar.albums.find((candidate) => candidate.uid === target.albumUid);
    const plain = (label: string, run: () => void, enabled = true): CommandItem => ({
      id,
      label,
      shortcut: '',
      accelerator: undefined,
      enabled,
      run,
    });
    switch (id) {
      case 'photo.open': {
        const index = library.focus.focusIndex ?? library.focus.selection.ranges[0]?.start;
        return plain(
          'Open',
          () => {
            if (index !== undefined) this.#viewer.open(index);
          },
          index !== undefined,
        );
      }
      case 'photo.versions': {
        const index = library.focus.focusIndex ?? library.focus.selection.ranges[0]?.start;
        const size = index === undefined ? undefined : library.photoAt(index)?.stackSize;
        return index !== undefined && size ? plain(`Show ${size} Versions`, () => this.showVersions(index)) : null;
      }
      case 'album.open':
        return album ? plain('Open', () => this.#goTo({ kind: 'album', albumUid: album.uid })) : null;
      case 'album.rename':
        return album ? plain(`Rename “${album.title}”…`, () => this.renameAlbum(album.uid)) : null;
      case 'album.delete':
        return album ? plain(`Delete Album “${album.title}”…`, () => this.confirmDeleteAlbum(album.uid)) : null;
      case 'album.export': {
        const exports = this.#exports;
        return album && exports ? plain('Export Album as Zip…', () => void exports.exportAlbum(album.uid)) : null;
      }
      default:
        break;
    }
    const command = palette.get(id);
    if (!command) return null;
    const binding = primaryBinding(id);
    const toggles = this.#toggleLabels();
    let label = command.label;
    let enabled = command.enabled;
    if (id === 'photo.favourite') label = toggles.favourite;
    else if (id === 'photo.private') label = toggles.private;
    else if (id === 'photo.addToLastAlbum') enabled &&= this.#curation.lastAlbum !== undefined;
    else if (id === 'album.new') label = selectionGoesAlong(this.#library) ? 'New Album with Selection…' : 'New Album…';
    return { id, label, shortcut: command.shortcut, accelerator: toAccelerator(binding), enabled, run: command.run };
  }

  /** "Favourite" or "Unfavourite", "Make Private" or "Make Public", from the loaded target photos. */
  #toggleLabels(): { favourite: string; private: string } {
    const library = this.#library;
    const indexes =
      this.#viewer.index !== null
        ? [this.#viewer.index]
        : !library.focus.selection.isEmpty
          ? library.focus.selection.indexes(MAX_LABEL_PHOTOS)
          : library.focus.focusIndex !== null
            ? [library.focus.focusIndex]
            : [];
    const photos = indexes.map((index) => library.photoAt(index));
    const known = photos.length > 0 && photos.every((photo) => photo !== undefined);
    return {
      favourite: known && photos.every((photo) => photo?.favorite) ? 'Unfavourite' : 'Favourite',
      private: known && photos.every((photo) => photo?.private) ? 'Make Public' : 'Make Private',
    };
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

/** Whether "New Album" would take photos along (a selection in the library, or the open photo). */
function selectionGoesAlong(library: LibraryState): boolean {
  return !library.focus.selection.isEmpty;
}
