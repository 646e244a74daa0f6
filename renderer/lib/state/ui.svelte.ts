import type { AlbumSort } from '../album-sort';

/**
 * What the window shows besides the library data: which page (library, album overview, Activity, Settings),
 * which overlay is open (one at a time), and which album is being renamed in the sidebar.
 *
 * Overlays own the keyboard while open: the app's shortcuts pause until they close, so typing
 * in the palette or the album picker never favourites a photo.
 */
import type { BrowseSection } from '../../../shared/library/schemas';

export type Page = 'library' | 'albums' | 'browse' | 'activity' | 'settings';
export type Overlay = 'palette' | 'album-picker' | 'shortcuts' | 'new-album' | 'delete-album' | 'sign-out' | 'inspector';

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
  /** Which browse page (People, Places, …) the `browse` page shows. */
  browseSection = $state<BrowseSection>('people');
  /** How the album overview is sorted (kept while the window is open). */
  albumSort = $state<AlbumSort>('title');
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
