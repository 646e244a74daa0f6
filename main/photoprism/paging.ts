import type { SearchPage } from './client';

/**
 * Which slice of a listing to ask for (PhotoPrism's `count` and `offset` query parameters). A type,
 * not an interface, so it spreads into the client's query-parameter records.
 */
export type PageWindow = { readonly count: number; readonly offset: number };

/**
 * The app's ONE paging loop over a PhotoPrism listing (photos, albums, labels, subjects): ask
 * for `pageSize` rows at a time (the first page may be smaller: the first screen), hand each page
 * to `onPage`, and stop at the end of the listing, or when `onPage` answers 'stop'.
 *
 * The end: PhotoPrism answers `X-Count` (rows in this answer) and `X-Limit` (rows asked for); the
 * listing is complete when X-Count < X-Limit (docs/photoprism-api.md §2.4). Endpoints that send
 * no X-Count (labels, docs/photoprism-api.md §12.2) count the rows received instead (the client
 * does that), and one without X-Limit is judged against what was asked. An empty page always ends
 * it, so a server that keeps answering "full" pages of nothing cannot make us loop forever.
 */
export async function forEachPage<T>(
  fetchPage: (window: PageWindow) => Promise<SearchPage<T>>,
  sizes: { readonly pageSize: number; readonly firstCount?: number },
  onPage: (page: SearchPage<T>) => 'stop' | undefined,
): Promise<void> {
  let offset = 0;
  for (let count = sizes.firstCount ?? sizes.pageSize; ; count = sizes.pageSize) {
    const page = await fetchPage({ count, offset });
    if (onPage(page) === 'stop') return;
    const limit = Number.isFinite(page.limit) ? page.limit : count;
    if (page.count <= 0 || page.count < limit || page.results.length === 0) return;
    offset += page.count;
  }
}

/** Every row of a listing, paged with forEachPage. */
export async function allPages<T>(fetchPage: (window: PageWindow) => Promise<SearchPage<T>>, pageSize: number): Promise<T[]> {
  const all: T[] = [];
  await forEachPage(fetchPage, { pageSize }, (page) => {
    all.push(...page.results);
    return undefined;
  });
  return all;
}
