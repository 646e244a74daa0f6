import type { SearchInfo, SearchSuggestions } from '../../../shared/library/schemas';
import { api } from '../api';

/** How long typing pauses before the search runs. */
export const SEARCH_DEBOUNCE_MS = 250;

/**
 * The library's search, one of LibraryState's jobs: what is typed, what is applied (PhotoPrism
 * `q`), how the applied search was answered, and the suggestions the field offers. Applying a
 * new search asks the owner to load the view again (`onApply`).
 */
export class LibrarySearch {
  /** The search that is applied (PhotoPrism `q`). */
  query = $state('');
  /** What is typed in the search field (applied after a pause, or on Enter). */
  searchText = $state('');
  /** How the applied search was answered (server, cached answer, offline), null without a search. */
  searchInfo = $state.raw<SearchInfo | null>(null);
  /** Values the search field suggests (loaded when it gets the focus). */
  suggestions = $state.raw<SearchSuggestions>({ years: [], cameras: [], cities: [], albums: [] });

  readonly #onApply: () => Promise<void>;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(onApply: () => Promise<void>) {
    this.#onApply = onApply;
  }

  /** The search field changed: run it after a pause. */
  setSearchText(text: string): void {
    this.searchText = text;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.applySearch(), SEARCH_DEBOUNCE_MS);
  }

  /** Run the typed search now (Enter, or the pause elapsed). */
  async applySearch(): Promise<void> {
    clearTimeout(this.#timer);
    const q = this.searchText.trim();
    if (q === this.query) return;
    this.query = q;
    // The No Results page suggests real values (a year, a camera) from these.
    if (q !== '' && this.suggestions.years.length === 0) void this.loadSuggestions();
    await this.#onApply();
  }

  /** Replace the search (a chip removed, a suggestion taken) and run it now. */
  async setQuery(q: string): Promise<void> {
    this.searchText = q;
    await this.applySearch();
  }

  /** Refresh the search field's suggestions (failures keep the previous ones). */
  async loadSuggestions(): Promise<void> {
    try {
      this.suggestions = await api.call('library.searchSuggestions', {});
    } catch {
      // Suggestions are a convenience: the field works without them.
    }
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}
