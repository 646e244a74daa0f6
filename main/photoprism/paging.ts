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
 * `readAhead` overlaps each page's handling with the next request ([Note: Reading ahead]).
 */
export async function forEachPage<T>(
  fetchPage: (window: PageWindow) => Promise<SearchPage<T>>,
  sizes: { readonly pageSize: number; readonly firstCount?: number; readonly readAhead?: boolean },
  onPage: (page: SearchPage<T>) => 'stop' | undefined,
): Promise<void> {
  let offset = 0;
  let count = sizes.firstCount ?? sizes.pageSize;
  let pending = fetchPage({ count, offset });
  for (;;) {
    const page = await pending;
    const limit = Number.isFinite(page.limit) ? page.limit : count;
    const last = page.count <= 0 || page.count < limit || page.results.length === 0;
    // See [Note: Reading ahead]: the next page is asked for before this one is handled.
    const guess: PageWindow = { count: sizes.pageSize, offset: offset + count };
    const ahead = sizes.readAhead && !last && page.count === count ? fetchPage(guess) : undefined;
    // A page read ahead and then not needed (stop, a throwing onPage) must not fail unhandled.
    ahead?.catch(() => undefined);
    // One turn of the event loop lets that request leave before this page is handled: see [Note: Reading ahead].
    if (ahead) await new Promise<void>((resolve) => setImmediate(resolve));
    if (onPage(page) === 'stop' || last) return;
    offset += page.count;
    count = sizes.pageSize;
    pending = ahead && guess.offset === offset ? ahead : fetchPage({ count, offset });
  }
}

/**
 * [Note: Reading ahead]
 * A full index is a loop of ask → wait → parse → write. With `readAhead`, the request for page
 * N+1 goes out as soon as page N has arrived, so the server builds (and the wire carries) the
 * next page while we parse and write this one, instead of both sides taking turns. Offsets count
 * rows (docs/photoprism-api.md §2.4), so the next window is only known once X-Count is: the guess
 * is "this page was full", asked only when it was (X-Count equal to the count asked), and used
 * only when it matches the offset the page really moved to; otherwise the right page is asked
 * for as without reading ahead. Pages are still handed over one at a time, in order. At most one
 * request is ahead, and none past the end (a short page asks for nothing more).
 * Asking is not sending: the fetch first awaits (a quiet screen, the token), and Node writes a
 * request to a pooled socket after process.nextTick. A page's handling is synchronous (SQLite),
 * so handed over at once it held the request back until it had ended, and server and client
 * took turns after all (the index bench's idle time: about as long as the server's CPU). So the
 * page is handed over after one turn of the event loop (setImmediate runs after every nextTick
 * and promise job), by which time the request is on the wire.
 */

/** Every row of a listing, paged with forEachPage. */
export async function allPages<T>(fetchPage: (window: PageWindow) => Promise<SearchPage<T>>, pageSize: number): Promise<T[]> {
  const all: T[] = [];
  await forEachPage(fetchPage, { pageSize }, (page) => {
    all.push(...page.results);
    return undefined;
  });
  return all;
}
