import type { AlbumSummary } from '../../shared/library/schemas';

/** How the album overview orders its albums. */
export type AlbumSort = 'title' | 'date' | 'count';

export const ALBUM_SORTS: readonly { readonly key: AlbumSort; readonly label: string }[] = [
  { key: 'title', label: 'Title' },
  { key: 'date', label: 'Date' },
  { key: 'count', label: 'Count' },
];

const byTitle = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * Albums in overview order: by title (A–Z, "Trip 2" before "Trip 10" as Finder sorts), by date
 * (newest photo first, empty albums last) or by count (largest first). Ties fall back to the
 * title, so the order never flickers between refreshes.
 */
export function sortAlbums(albums: readonly AlbumSummary[], sort: AlbumSort): AlbumSummary[] {
  const title = (a: AlbumSummary, b: AlbumSummary) => byTitle.compare(a.title, b.title) || (a.uid < b.uid ? -1 : 1);
  const compare: Record<AlbumSort, (a: AlbumSummary, b: AlbumSummary) => number> = {
    title,
    date: (a, b) => (b.newestTakenAtLocal ?? '').localeCompare(a.newestTakenAtLocal ?? '') || title(a, b),
    count: (a, b) => b.photoCount - a.photoCount || title(a, b),
  };
  return [...albums].sort(compare[sort]);
}
