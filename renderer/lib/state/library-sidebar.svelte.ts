import type { AlbumSummary, LibraryCounts } from '../../../shared/library/schemas';
import { api } from '../api';
import { BrowseState } from './browse.svelte';

/**
 * What the sidebar lists, one of LibraryState's jobs: the counts, the albums and the browse
 * pages (People, Places, …). A failed load keeps what was there.
 */
export class LibrarySidebar {
  counts = $state.raw<LibraryCounts | undefined>(undefined);
  albums = $state.raw<readonly AlbumSummary[]>([]);
  /** The browse pages (People, Places, …) and their sidebar counts. */
  readonly browse = new BrowseState();

  async load(): Promise<void> {
    const [counts, albums] = await Promise.allSettled([api.call('library.counts', {}), api.call('library.albums', {}), this.browse.load()]);
    if (counts.status === 'fulfilled') this.counts = counts.value;
    if (albums.status === 'fulfilled') this.albums = albums.value;
  }

  dispose(): void {
    this.browse.dispose();
  }
}
