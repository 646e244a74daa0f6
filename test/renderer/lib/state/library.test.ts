import { afterEach, describe, expect, test, vi } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { setBridgeForTests } from '../../../../renderer/lib/api';
import { LibraryState } from '../../../../renderer/lib/state/library.svelte';
import { SEARCH_DEBOUNCE_MS } from '../../../../renderer/lib/state/library-search.svelte';
import { ViewerState } from '../../../../renderer/lib/state/viewer.svelte';
import { FakeBridge, makePhotos } from '../../helpers/fake-bridge';

function setup(bridge = new FakeBridge({ photos: makePhotos(100_000, 140) })) {
  setBridgeForTests(bridge);
  const library = new LibraryState({ pageSize: 200 });
  return { bridge, library };
}

afterEach(() => {
  setBridgeForTests(undefined);
  vi.useRealTimers();
});

describe('LibraryState', () => {
  test('first load asks for counts, albums, months and one page only — not the whole library', async () => {
    const { bridge, library } = setup();
    await library.load();
    expect(library.status).toBe('ready');
    expect(library.total).toBe(98_000);
    expect(library.sidebar.counts).toEqual({
      all: 98_000,
      favorites: 14_000,
      archived: 2_000,
      review: 0,
      private: 0,
      features: { review: true, private: true },
    });
    expect(library.months.length).toBeGreaterThan(600);
    expect(bridge.callsTo('library.query')).toEqual([{ view: { kind: 'all' }, q: '', offset: 0, limit: 200 }]);
    expect(library.photoAt(0)?.uid).toBe(bridge.viewPhotos({ kind: 'all' }, '')[0]?.uid);
    library.dispose();
  });

  test('first load asks for the first screen (a page and the months) before the sidebar, so they are not queued behind it', async () => {
    const { bridge, library } = setup();
    await library.load();
    const order = bridge.calls.map((call) => call.channel);
    const sidebar = ['library.counts', 'library.albums', 'browse.summary'].map((channel) => order.indexOf(channel as never));
    expect(sidebar.every((at) => at >= 0)).toBe(true);
    // Main answers in arrival order: the sidebar's counts over 100k photos went first and the first screen waited behind them.
    expect(order.indexOf('library.query')).toBeLessThan(Math.min(...sidebar));
    expect(order.indexOf('library.months')).toBeLessThan(Math.min(...sidebar));
    library.dispose();
  });

  test('switching views clears the selection and queries the new view', async () => {
    const { bridge, library } = setup();
    await library.load();
    library.focus.selectAll();
    await library.show({ kind: 'favorites' });
    expect(library.focus.selection.isEmpty).toBe(true);
    expect(library.total).toBe(14_000);
    expect(library.viewTitle).toBe('Favourites');
    expect(bridge.callsTo('library.months').at(-1)).toEqual({ view: { kind: 'favorites' }, q: '' });
  });

  test('album views are titled after the album', async () => {
    const { bridge, library } = setup();
    await library.load();
    const album = bridge.albums[0];
    await library.show({ kind: 'album', albumUid: album?.uid ?? '' });
    expect(library.viewTitle).toBe('Holidays');
    expect(library.total).toBe(5);
  });

  test('the search runs after typing pauses, once, with PhotoPrism q', async () => {
    vi.useFakeTimers();
    const { bridge, library } = setup();
    await library.load();
    library.search.setSearchText('Photo 1');
    library.search.setSearchText('Photo 12');
    library.search.setSearchText('Photo 123');
    expect(bridge.callsTo('library.query')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    const queries = bridge.callsTo('library.query');
    expect(queries).toHaveLength(2);
    expect(queries[1]?.q).toBe('Photo 123');
    expect(library.search.query).toBe('Photo 123');
    expect(library.total).toBe(bridge.viewPhotos({ kind: 'all' }, 'Photo 123').length);
  });

  test('an empty search result is an empty, ready view', async () => {
    const { library } = setup();
    await library.load();
    library.search.searchText = 'no such photo';
    await library.search.applySearch();
    expect(library.status).toBe('ready');
    expect(library.total).toBe(0);
  });

  test('a failing first page makes the view an error; reload recovers', async () => {
    const { bridge, library } = setup();
    let fail = true;
    const real = bridge.viewPhotos.bind(bridge);
    bridge.handle('library.query', ({ view, q = '', offset, limit }) => {
      if (fail) throw new AppError('db', 'The library cache could not be read.');
      const photos = real(view, q);
      return { total: photos.length, offset, photos: photos.slice(offset, offset + limit) };
    });
    await library.load();
    expect(library.status).toBe('error');
    expect(library.error).toBe('The library cache could not be read.');
    fail = false;
    await library.reload();
    expect(library.status).toBe('ready');
  });

  test('library.changed with uids re-fetches only the pages holding them', async () => {
    const { bridge, library } = setup();
    await library.load();
    await library.pages.ensure(5000, 5100);
    const uid = library.photoAt(5050)?.uid ?? '';
    bridge.calls.length = 0;
    bridge.emit('library.changed', { uids: [uid], albums: false, full: false });
    await vi.waitFor(() => expect(bridge.callsTo('library.query')).toHaveLength(1));
    expect(bridge.callsTo('library.query')[0]?.offset).toBe(5000);
  });

  test('library.changed full reloads counts and keeps the view', async () => {
    const { bridge, library } = setup();
    await library.load();
    bridge.photos = makePhotos(10, 5);
    bridge.emit('library.changed', { uids: [], albums: true, full: true });
    await vi.waitFor(() => expect(library.total).toBe(10));
    expect(library.sidebar.counts?.all).toBe(10);
    expect(library.view).toEqual({ kind: 'all' });
  });

  /**
   * From now on, answers of `channel` wait until `release` is called: every answer, or those of
   * the calls `holds` picks (numbered from 1). `calls` counts the calls made since.
   */
  function holdAnswers<C extends 'library.months' | 'library.query'>(
    bridge: FakeBridge,
    channel: C,
    holds: (call: number) => boolean = () => true,
  ): { release: () => void; calls: () => number } {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const real = bridge.handlerFor(channel);
    let calls = 0;
    bridge.handle(channel, async (request) => {
      if (holds(++calls)) await held;
      return real(request);
    });
    return { release, calls: () => calls };
  }

  test('a refresh that started before a click leaves the clicked photo selected (it does not put back what it saw first)', async () => {
    const { bridge, library } = setup(new FakeBridge({ photos: makePhotos(10) }));
    await library.load();
    const uids = bridge.viewPhotos({ kind: 'all' }, '').map((photo) => photo.uid);
    library.focus.click(0, { shift: false, toggle: false });
    // The first photo leaves the view (made private); main says so twice, as it does after an
    // action (the full reload, then the server's confirmation of that photo).
    bridge.photos = bridge.photos.filter((photo) => photo.uid !== uids[0]);
    const first = library.onLibraryChanged({ uids: [], albums: true, full: true });
    const months = holdAnswers(bridge, 'library.months');
    const second = library.onLibraryChanged({ uids: [uids[0] ?? ''], albums: false, full: false });
    await first;
    expect(library.photoAt(0)?.uid).toBe(uids[1]);
    // Between the two answers the person selects the second tile, and acts on what they see.
    library.focus.click(1, { shift: false, toggle: false });
    months.release();
    await second;
    expect(library.focus.selection.indexes().map((index) => library.photoAt(index)?.uid)).toEqual([uids[2]]);
    expect(library.focus.focusIndex).toBe(1);
  });

  test('a change that arrives while an action settles waits for it: the focus stays on the photo that took the removed one’s place', async () => {
    const { bridge, library } = setup(new FakeBridge({ photos: makePhotos(10) }));
    await library.load();
    const uids = bridge.viewPhotos({ kind: 'all' }, '').map((photo) => photo.uid);
    library.focus.click(0, { shift: false, toggle: false });
    // An action removes the first photo (optimistically hidden); main has it gone when the call returns.
    const release = library.hold();
    library.applyOptimistic([uids[0] ?? ''], { hide: true });
    expect(library.photoAt(library.focus.focusIndex ?? -1)?.uid).toBe(uids[1]);
    bridge.photos = bridge.photos.filter((photo) => photo.uid !== uids[0]);
    // The action's own refresh is slow to get its page; main's change event about it comes meanwhile.
    const query = holdAnswers(bridge, 'library.query', (call) => call === 1);
    const settling = release();
    await vi.waitFor(() => expect(query.calls()).toBe(1));
    const change = library.onLibraryChanged({ uids: [uids[0] ?? ''], albums: true, full: true });
    await new Promise((resolve) => setTimeout(resolve, 10));
    query.release();
    await Promise.all([settling, change]);
    expect(library.total).toBe(9);
    expect(library.focus.focusIndex).toBe(0);
    expect(library.photoAt(0)?.uid).toBe(uids[1]);
  });

  test('a refresh that moves photos keeps the photo clicked while it was on its way selected', async () => {
    const { bridge, library } = setup(new FakeBridge({ photos: makePhotos(10) }));
    await library.load();
    const uids = bridge.viewPhotos({ kind: 'all' }, '').map((photo) => photo.uid);
    // A new photo arrives at the top of the view while the refresh is on its way.
    bridge.photos = [...makePhotos(1, 1, '2026-01').map((photo) => ({ ...photo, uid: 'pnewphoto0000001' })), ...bridge.photos];
    const months = holdAnswers(bridge, 'library.months');
    const refresh = library.onLibraryChanged({ uids: [], albums: true, full: true });
    library.focus.click(2, { shift: false, toggle: false });
    months.release();
    await refresh;
    expect(library.total).toBe(11);
    expect(library.focus.selection.indexes().map((index) => library.photoAt(index)?.uid)).toEqual([uids[2]]);
    expect(library.photoAt(library.focus.focusIndex ?? -1)?.uid).toBe(uids[2]);
  });

  test('a selected photo scrolled far away stays selected, and no other photo takes its place, when photos arrive above it', async () => {
    const bridge = new FakeBridge({ photos: makePhotos(5000) });
    setBridgeForTests(bridge);
    const library = new LibraryState({ pageSize: 100, maxPages: 4 });
    await library.load();
    library.focus.click(5, { shift: false, toggle: false });
    const selected = library.photoAt(5)?.uid;
    // Scrolled far down: the pages near the top would be the first to go.
    for (const first of [1000, 2000, 3000, 4000]) await library.ensure(first, first + 150);
    expect(library.pages.pageOffsets).toContain(0);
    bridge.photos = [...makePhotos(1, 1, '2026-01').map((photo) => ({ ...photo, uid: 'pnewphoto0000001' })), ...bridge.photos];
    await library.onLibraryChanged({ uids: [], albums: true, full: true });
    expect(library.focus.selection.indexes()).toEqual([6]);
    expect(library.photoAt(6)?.uid).toBe(selected);
    expect(library.focus.focusIndex).toBe(6);
    // Once nothing is selected there, the page may go like any other.
    library.focus.click(4050, { shift: false, toggle: false });
    for (const first of [1000, 2000, 3000]) await library.ensure(first, first + 150);
    expect(library.pages.pageOffsets).not.toContain(0);
    library.dispose();
  });

  test('keyboard moves select like clicks and clamp to the view', async () => {
    const { library } = setup();
    await library.load();
    library.focus.moveFocus(5, false);
    library.focus.moveFocus(8, true);
    expect(library.focus.selection.indexes()).toEqual([5, 6, 7, 8]);
    library.focus.moveFocus(1e9, false);
    expect(library.focus.focusIndex).toBe(97_999);
  });
});

describe('ViewerState', () => {
  test('walks the view with next/previous and loads details for the info panel', async () => {
    const { bridge, library } = setup();
    await library.load();
    const viewer = new ViewerState(library);
    viewer.open(199);
    viewer.toggleInfo();
    viewer.next();
    expect(viewer.index).toBe(200);
    await vi.waitFor(() => expect(viewer.details?.uid).toBe(bridge.viewPhotos({ kind: 'all' }, '')[200]?.uid));
    viewer.previous();
    viewer.previous();
    expect(viewer.index).toBe(198);
    viewer.close();
    expect(viewer.isOpen).toBe(false);
    expect(library.focus.focusIndex).toBe(198);
  });

  test('the open photo stays open when photos arrive above it or leave before it (it does not become its neighbour)', async () => {
    const { bridge, library } = setup(new FakeBridge({ photos: makePhotos(10) }));
    await library.load();
    const uids = bridge.viewPhotos({ kind: 'all' }, '').map((photo) => photo.uid);
    const viewer = new ViewerState(library);
    viewer.open(3);
    viewer.startCompare(3, 5);
    bridge.photos = [...makePhotos(2, 2, '2026-01').map((photo, i) => ({ ...photo, uid: `pnewphoto000000${i}` })), ...bridge.photos];
    await library.onLibraryChanged({ uids: [], albums: true, full: true });
    expect(viewer.photo?.uid).toBe(uids[3]);
    expect(viewer.compare).toEqual({ left: 5, right: 7, active: 'left' });
    bridge.photos = bridge.photos.filter((photo) => photo.uid !== uids[0]);
    await library.onLibraryChanged({ uids: [uids[0] ?? ''], albums: false, full: false });
    expect(viewer.photo?.uid).toBe(uids[3]);
    expect(viewer.compare).toEqual({ left: 4, right: 6, active: 'left' });
    // The open photo itself leaves: the one that took its place shows (as after archiving it).
    bridge.photos = bridge.photos.filter((photo) => photo.uid !== uids[3]);
    await library.onLibraryChanged({ uids: [uids[3] ?? ''], albums: false, full: false });
    expect(viewer.index).toBe(4);
    expect(viewer.photo?.uid).toBe(uids[4]);
    // The last photo leaves while open: the new last one shows, selected.
    viewer.close();
    const last = library.total - 1;
    viewer.open(last);
    const lastUid = library.photoAt(last)?.uid ?? '';
    bridge.photos = bridge.photos.filter((photo) => photo.uid !== lastUid);
    await library.onLibraryChanged({ uids: [lastUid], albums: false, full: false });
    expect(viewer.index).toBe(last - 1);
    expect(viewer.photo?.uid).toBe(library.photoAt(last - 1)?.uid);
    expect(library.focus.selection.indexes()).toEqual([last - 1]);
  });

  test('stops at the ends of the view', async () => {
    const { library } = setup(new FakeBridge({ photos: makePhotos(3) }));
    await library.load();
    const viewer = new ViewerState(library);
    viewer.open(0);
    viewer.previous();
    expect(viewer.index).toBe(0);
    viewer.open(2);
    viewer.next();
    expect(viewer.index).toBe(2);
  });
});
