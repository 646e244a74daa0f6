import { describe, expect, it } from 'vitest';
import type { SearchPage } from '../../../main/photoprism/client';
import { allPages, forEachPage, type PageWindow } from '../../../main/photoprism/paging';

/**
 * A listing of `total` rows served as PhotoPrism serves it (docs/photoprism-api.md §2.4):
 * X-Count = rows in this answer, X-Limit = rows asked for, or NaN where a header is absent.
 */
function listing(total: number, headers: { limit?: boolean } = {}) {
  const asked: PageWindow[] = [];
  const fetchPage = (window: PageWindow): Promise<SearchPage<number>> => {
    asked.push(window);
    const results = Array.from({ length: Math.max(0, Math.min(window.count, total - window.offset)) }, (_, i) => window.offset + i);
    return Promise.resolve({
      results,
      count: results.length,
      limit: headers.limit === false ? Number.NaN : window.count,
      previewToken: null,
    });
  };
  return { asked, fetchPage };
}

describe('forEachPage: the one paging loop over PhotoPrism listings', () => {
  it('pages to the end: X-Count below X-Limit is the last page', async () => {
    const { asked, fetchPage } = listing(250);
    expect(await allPages(fetchPage, 100)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(asked).toEqual([
      { count: 100, offset: 0 },
      { count: 100, offset: 100 },
      { count: 100, offset: 200 },
    ]);
  });

  it('a listing that fills its last page exactly ends on the empty page after it', async () => {
    const { asked, fetchPage } = listing(200);
    expect(await allPages(fetchPage, 100)).toHaveLength(200);
    expect(asked.map((w) => w.offset)).toEqual([0, 100, 200]);
  });

  it('asks for a small first page (the first screen), then full pages', async () => {
    const { asked, fetchPage } = listing(400);
    const seen: number[] = [];
    await forEachPage(fetchPage, { pageSize: 200, firstCount: 50 }, (page) => {
      seen.push(...page.results);
      return undefined;
    });
    expect(seen).toHaveLength(400);
    expect(asked).toEqual([
      { count: 50, offset: 0 },
      { count: 200, offset: 50 },
      { count: 200, offset: 250 },
    ]);
  });

  it('without X-Limit, judges the page against what was asked', async () => {
    const { asked, fetchPage } = listing(150, { limit: false });
    expect(await allPages(fetchPage, 100)).toHaveLength(150);
    expect(asked).toHaveLength(2);
  });

  it("stops when the caller says so (the app is quitting), and on a server's endless full pages of nothing", async () => {
    const { asked, fetchPage } = listing(1000);
    await forEachPage(fetchPage, { pageSize: 100 }, () => 'stop');
    expect(asked).toHaveLength(1);
    // A hostile server: claims a full page every time but sends no rows.
    let calls = 0;
    const endless = (window: PageWindow): Promise<SearchPage<number>> => {
      calls += 1;
      return Promise.resolve({ results: [], count: window.count, limit: window.count, previewToken: null });
    };
    expect(await allPages(endless, 100)).toEqual([]);
    expect(calls).toBe(1);
  });
});

describe('forEachPage with readAhead (the full index: [Note: Reading ahead])', () => {
  it('asks for the next page before the current one is handled, hands pages over in order, and asks nothing past the end', async () => {
    const { asked, fetchPage } = listing(400);
    const seen: number[] = [];
    const askedWhileHandling: number[] = [];
    await forEachPage(fetchPage, { pageSize: 200, firstCount: 50, readAhead: 1 }, (page) => {
      askedWhileHandling.push(asked.length);
      seen.push(...page.results);
      return undefined;
    });
    expect(seen).toEqual(Array.from({ length: 400 }, (_, i) => i));
    // Page 1 (50 rows) is handled while page 2 is asked for, and so on; the short last page asks for nothing.
    expect(askedWhileHandling).toEqual([2, 3, 3]);
    expect(asked).toEqual([
      { count: 50, offset: 0 },
      { count: 200, offset: 50 },
      { count: 200, offset: 250 },
    ]);
  });

  it('the request read ahead has left before the current page is handled, though it is sent a few turns after the call', async () => {
    // As the app's fetch does: it first waits for a quiet screen (a promise), and Node writes a
    // request to a pooled keep-alive socket only after process.nextTick. The page's handling is
    // synchronous (SQLite) and would hold that request back until it ends: no overlap at all.
    const sent: number[] = [];
    const fetchPage = async (window: PageWindow): Promise<SearchPage<number>> => {
      await Promise.resolve();
      await new Promise<void>((resolve) => process.nextTick(resolve));
      sent.push(window.offset);
      const results = Array.from({ length: Math.max(0, Math.min(window.count, 300 - window.offset)) }, (_, i) => window.offset + i);
      return { results, count: results.length, limit: window.count, previewToken: null };
    };
    const sentWhileHandling: number[][] = [];
    await forEachPage(fetchPage, { pageSize: 100, readAhead: 1 }, () => {
      sentWhileHandling.push([...sent]);
      return undefined;
    });
    expect(sentWhileHandling).toEqual([
      [0, 100],
      [0, 100, 200],
      [0, 100, 200, 300],
      [0, 100, 200, 300],
    ]);
  });

  it('a server that answers fewer rows than asked (its own X-Limit) still gets every row once, at the offsets it moved to', async () => {
    // A server capping pages at 60 rows: X-Limit 60, X-Count 60 while asked for 100.
    const asked: PageWindow[] = [];
    const capped = (window: PageWindow): Promise<SearchPage<number>> => {
      asked.push(window);
      const results = Array.from({ length: Math.max(0, Math.min(60, window.count, 150 - window.offset)) }, (_, i) => window.offset + i);
      return Promise.resolve({ results, count: results.length, limit: Math.min(60, window.count), previewToken: null });
    };
    const seen: number[] = [];
    await forEachPage(capped, { pageSize: 100, readAhead: 1 }, (page) => {
      seen.push(...page.results);
      return undefined;
    });
    expect(seen).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(asked.map((w) => w.offset)).toEqual([0, 60, 120]);
  });

  it('stopping with a page read ahead leaves no failure behind (a request cut by quitting rejects unheard)', async () => {
    const fetchPage = (window: PageWindow): Promise<SearchPage<number>> =>
      window.offset === 0
        ? Promise.resolve({ results: Array.from({ length: 100 }, (_, i) => i), count: 100, limit: 100, previewToken: null })
        : Promise.reject(new Error('cancelled'));
    let pages = 0;
    await forEachPage(fetchPage, { pageSize: 100, readAhead: 1 }, () => {
      pages += 1;
      return 'stop';
    });
    expect(pages).toBe(1);
    // Vitest fails the run on an unhandled rejection; give it a turn to surface.
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  it('with several pages ahead: that many are asked for while a page is handled (a write batch), in order, and few past the end', async () => {
    const { asked, fetchPage } = listing(1050);
    const seen: number[] = [];
    const askedWhileHandling: number[] = [];
    await forEachPage(fetchPage, { pageSize: 200, firstCount: 50, readAhead: 3 }, (page) => {
      askedWhileHandling.push(asked.length);
      seen.push(...page.results);
      return undefined;
    });
    expect(seen).toEqual(Array.from({ length: 1050 }, (_, i) => i));
    // Offsets 0, 50, 250, 450, 650, 850 (the last page: 200 rows, full), 1050 (empty: the end).
    expect(askedWhileHandling).toEqual([4, 5, 6, 7, 8, 9, 9]);
    // Asked past the end: the guesses at 1250 and 1450, dropped unread.
    expect(asked.map((w) => w.offset)).toEqual([0, 50, 250, 450, 650, 850, 1050, 1250, 1450]);
  });

  it('with several pages ahead, a short page in the middle drops every guess after it and goes on from where it moved', async () => {
    // Rows 0–299 in full pages of 100, then a server hiccup: the page at 300 holds 40 rows (its X-Limit says 40).
    const asked: PageWindow[] = [];
    const fetchPage = (window: PageWindow): Promise<SearchPage<number>> => {
      asked.push(window);
      const size = window.offset === 300 ? 40 : window.count;
      const results = Array.from({ length: Math.max(0, Math.min(size, 600 - window.offset)) }, (_, i) => window.offset + i);
      return Promise.resolve({ results, count: results.length, limit: size, previewToken: null });
    };
    const seen: number[] = [];
    await forEachPage(fetchPage, { pageSize: 100, readAhead: 3 }, (page) => {
      seen.push(...page.results);
      return undefined;
    });
    expect(seen).toEqual(Array.from({ length: 600 }, (_, i) => i));
    const used = asked.map((w) => w.offset);
    expect(used.slice(0, 6)).toEqual([0, 100, 200, 300, 400, 500]);
    // After the short page, paging goes on at 340, never at a guessed 400 page for the rows 340–399.
    expect(used).toContain(340);
  });
});
