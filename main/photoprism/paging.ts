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
  sizes: { readonly pageSize: number; readonly firstCount?: number; readonly readAhead?: number },
  onPage: (page: SearchPage<T>) => 'stop' | undefined,
): Promise<void> {
  const depth = sizes.readAhead ?? 0;
  let offset = 0;
  let count = sizes.firstCount ?? sizes.pageSize;
  let pending = fetchPage({ count, offset });
  // Pages asked for ahead, in order, each on the guess that every page before it is full: see [Note: Reading ahead].
  let ahead: { readonly window: PageWindow; readonly page: Promise<SearchPage<T>> }[] = [];
  for (;;) {
    const page = await pending;
    const limit = Number.isFinite(page.limit) ? page.limit : count;
    const last = page.count <= 0 || page.count < limit || page.results.length === 0;
    let asked = false;
    if (!last && page.count === count) {
      let next = ahead.at(-1)?.window ?? { count, offset };
      while (ahead.length < depth) {
        next = { count: sizes.pageSize, offset: next.offset + next.count };
        const read = fetchPage(next);
        // A page read ahead and then not needed (stop, a throwing onPage, a wrong guess) must not fail unhandled.
        read.catch(() => undefined);
        ahead.push({ window: next, page: read });
        asked = true;
      }
    }
    // One turn of the event loop lets those requests leave before this page is handled: see [Note: Reading ahead].
    if (asked) await new Promise<void>((resolve) => setImmediate(resolve));
    if (onPage(page) === 'stop' || last) return;
    offset += page.count;
    count = sizes.pageSize;
    const guessed = ahead[0];
    if (guessed?.window.offset === offset) {
      ahead.shift();
      pending = guessed.page;
    } else {
      // A short page moved the offset elsewhere: every guess after it is wrong too.
      ahead = [];
      pending = fetchPage({ count, offset });
    }
  }
}

/**
 * [Note: Reading ahead]
 * A full index is a loop of ask → wait → parse → write. With `readAhead` (a number of pages),
 * the requests for the next pages go out as soon as page N has arrived, so the server builds (and
 * the wire carries) them while we parse and write this one, instead of both sides taking turns.
 * One page ahead was not enough: the index writes a few pages per transaction ([Note: Index
 * writes in batches]), and during that write the server finished its one page and then waited;
 * the pages after the write then arrived one server-time apart while we had little to do (the
 * index bench's idle time). So the index keeps as many pages asked for as a write batch holds.
 * Offsets count rows (docs/photoprism-api.md §2.4), so the next window is only known once X-Count
 * is: the guess is "every page is full", made only when this page was (X-Count equal to the count
 * asked), and a guessed page is used only when it matches the offset the listing really moved to;
 * otherwise it and every guess after it are dropped, and the right page is asked for as without
 * reading ahead. Pages are still handed over one at a time, in order. A short page asks for
 * nothing more; the pages already asked for past the end (at most `readAhead` − 1, answered with
 * no rows, cheap for a server) are dropped unread.
 * Asking is not sending: the fetch first awaits (a quiet screen, the token), and Node writes a
 * request to a pooled socket after process.nextTick. A page's handling is synchronous (SQLite),
 * so handed over at once it held the requests back until it had ended, and server and client
 * took turns after all. So the page is handed over after one turn of the event loop
 * (setImmediate runs after every nextTick and promise job), by which time the requests are on
 * the wire.
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
