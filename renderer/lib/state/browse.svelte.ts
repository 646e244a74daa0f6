import { isAppError } from '../../../shared/errors';
import type { BrowseItem, BrowseList, BrowseSection, BrowseSummary } from '../../../shared/library/schemas';
import { api } from '../api';

/** The browse pages, in sidebar order, with their names and icons. */
export const BROWSE_PAGES: readonly { readonly section: BrowseSection; readonly label: string; readonly icon: string }[] = [
  { section: 'people', label: 'People', icon: '☺' },
  { section: 'places', label: 'Places', icon: '⊕' },
  { section: 'labels', label: 'Labels', icon: '#' },
  { section: 'calendar', label: 'Calendar', icon: '▤' },
  { section: 'moments', label: 'Moments', icon: '✦' },
  { section: 'folders', label: 'Folders', icon: '▭' },
];

/** A browse page's name ("People"). */
export function browsePageLabel(section: BrowseSection): string {
  return BROWSE_PAGES.find((page) => page.section === section)?.label ?? section;
}

/**
 * The browse pages as the window shows them (People, Places, …): the sidebar's counts, the
 * open page's items from main's cache, and what opening an item found. Main lists a stale page
 * again in the background and says so with `browse.changed`; this re-reads then.
 */
export class BrowseState {
  summary = $state.raw<BrowseSummary | undefined>(undefined);
  /** Each page as last read from main. */
  lists = $state.raw<Partial<Record<BrowseSection, BrowseList>>>({});
  /** Why the open page or item could not be read ('' = fine). */
  error = $state('');
  /** About the photos of the item just opened: shown from the cache, and why ('' = fresh). */
  openNote = $state('');
  /**
   * Where each nesting page is (renderer/lib/browse-tree.ts): a country's key on Places, a
   * folder path on Folders; absent = the top. Kept here so coming back from a grid returns there.
   */
  at = $state<Partial<Record<BrowseSection, string>>>({});
  #unsubscribe: (() => void) | undefined;

  /** Start following `browse.changed`, and read the sidebar counts. */
  async load(): Promise<void> {
    this.#unsubscribe ??= api.on('browse.changed', ({ section }) => {
      void this.loadSummary();
      if (this.lists[section]) void this.loadPage(section);
    });
    await this.loadSummary();
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  async loadSummary(): Promise<void> {
    try {
      this.summary = await api.call('browse.summary', {});
    } catch {
      // The counts stay as they were; the pages still open.
    }
  }

  /** Read a page from main's cache (main lists it again from the server when stale). */
  async loadPage(section: BrowseSection): Promise<void> {
    try {
      const list = await api.call('browse.list', { section });
      this.lists = { ...this.lists, [section]: list };
      this.error = '';
    } catch (error) {
      this.error = isAppError(error) ? error.message : String(error);
    }
  }

  /**
   * Open an item: main lists its photos when online. Answers whether there is something to
   * show; `openNote` says when it is the cached copy, `error` when there is none.
   */
  async open(section: BrowseSection, item: BrowseItem): Promise<boolean> {
    try {
      const opened = await api.call('browse.open', { section, key: item.key });
      this.openNote = opened.cached && opened.error ? opened.error : '';
      if (!opened.cached) {
        this.error = `“${item.title}” was never opened while connected, so its photos are not cached. ${opened.error ?? ''}`.trim();
        return false;
      }
      this.error = '';
      return true;
    } catch (error) {
      this.error = isAppError(error) ? error.message : String(error);
      return false;
    }
  }
}
