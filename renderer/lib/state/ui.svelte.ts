/**
 * What the window shows besides the library data: which page (library, Activity, Settings),
 * which overlay is open (one at a time), and which album is being renamed in the sidebar.
 *
 * Overlays own the keyboard while open: the app's shortcuts pause until they close, so typing
 * in the palette or the album picker never favourites a photo.
 */
export type Page = 'library' | 'activity' | 'settings';
export type Overlay = 'palette' | 'album-picker' | 'shortcuts' | 'new-album' | 'delete-album' | 'inspector';

export class UiState {
  page = $state<Page>('library');
  overlay = $state<Overlay | null>(null);
  /** The album whose title is an editable field in the sidebar. */
  renamingAlbumUid = $state<string | null>(null);
  /** The album "Delete Album…" asks about. */
  deletingAlbumUid = $state<string | null>(null);
  /** The photos the inspector (Edit Info) edits while it is open. */
  inspectingUids = $state.raw<readonly string[]>([]);
  /** Settings scrolls to this section when opened (the status line opens "sync"). */
  settingsSection = $state<'sync' | null>(null);
  /** Bumped to ask the sidebar to put keyboard focus on the albums (⌘2). */
  focusAlbumsRequest = $state(0);
  /** Bumped to ask the grid to take keyboard focus (→ from the sidebar). */
  focusGridRequest = $state(0);
  /** Where keyboard focus was before an overlay opened, to give it back. */
  #returnFocus: HTMLElement | null = null;

  open(overlay: Overlay): void {
    if (this.overlay === null) {
      const active = globalThis.document?.activeElement;
      this.#returnFocus = active instanceof HTMLElement ? active : null;
    }
    this.overlay = overlay;
  }

  close(): void {
    this.overlay = null;
    const back = this.#returnFocus;
    this.#returnFocus = null;
    if (back?.isConnected) back.focus();
  }

  showPage(page: Page, section: 'sync' | null = null): void {
    this.page = page;
    this.settingsSection = section;
  }
}
