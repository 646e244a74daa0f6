import { afterEach, describe, expect, test, vi } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { setBridgeForTests } from '../../../../renderer/lib/api';
import { CurationState } from '../../../../renderer/lib/state/curation.svelte';
import { LibraryState } from '../../../../renderer/lib/state/library.svelte';
import { ToastState } from '../../../../renderer/lib/state/toasts.svelte';
import { ViewerState } from '../../../../renderer/lib/state/viewer.svelte';
import { FakeBridge, makePhotos } from '../../helpers/fake-bridge';

/** A library of 40 photos; photos 0, 7, 14, … are favourites; album "Holidays" holds 0–4. */
async function setup(options: { bridge?: FakeBridge } = {}) {
  const bridge = options.bridge ?? new FakeBridge({ photos: makePhotos(40, 10) });
  setBridgeForTests(bridge);
  const library = new LibraryState({ pageSize: 20 });
  const viewer = new ViewerState(library);
  const toasts = new ToastState();
  const storage = new Map<string, string>();
  const curation = new CurationState({
    library,
    viewer,
    toasts,
    storage: { getItem: (key) => storage.get(key) ?? null, setItem: (key, value) => void storage.set(key, value) },
  });
  await library.load();
  await library.ensure(0, 39);
  await curation.load();
  return { bridge, library, viewer, toasts, curation, storage };
}

/** A promise the test resolves, to hold an action "in flight". */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(() => {
  setBridgeForTests(undefined);
});

describe('favourite', () => {
  test('shows the heart at once, before main answers, then keeps it', async () => {
    const { bridge, library, curation } = await setup();
    const gate = deferred<undefined>();
    const real = bridge;
    bridge.gate = gate.promise;
    library.focus.click(1, { shift: false, toggle: false });
    const done = curation.toggleFavourite();
    await vi.waitFor(() => expect(library.photoAt(1)?.favorite).toBe(true));
    expect(real.photoByUid(library.photoAt(1)?.uid ?? '')?.favorite).toBe(false);
    bridge.gate = undefined;
    gate.resolve(undefined);
    await done;
    expect(library.photoAt(1)?.favorite).toBe(true);
    expect(bridge.callsTo('actions.setFavorite')).toEqual([{ uids: [library.photoAt(1)?.uid], favorite: true }]);
  });

  test('a mixed selection favourites all; an all-favourite selection unfavourites all (Photos rule)', async () => {
    const { bridge, library, curation } = await setup();
    // 6, 7, 8: only 7 is a favourite.
    library.focus.click(6, { shift: false, toggle: false });
    library.focus.click(8, { shift: true, toggle: false });
    await curation.toggleFavourite();
    expect(bridge.callsTo('actions.setFavorite').at(-1)?.favorite).toBe(true);
    expect([6, 7, 8].map((i) => library.photoAt(i)?.favorite)).toEqual([true, true, true]);
    await curation.toggleFavourite();
    expect(bridge.callsTo('actions.setFavorite').at(-1)?.favorite).toBe(false);
    expect([6, 7, 8].map((i) => library.photoAt(i)?.favorite)).toEqual([false, false, false]);
  });

  test('a failure rolls the heart back and says what failed and why', async () => {
    const { bridge, library, toasts, curation } = await setup();
    bridge.handle('actions.setFavorite', () => {
      throw new AppError('network', "Can't reach your PhotoPrism server. Check your connection and try again.");
    });
    library.focus.click(2, { shift: false, toggle: false });
    await curation.toggleFavourite();
    expect(library.photoAt(2)?.favorite).toBe(false);
    expect(toasts.items).toEqual([
      expect.objectContaining({
        tone: 'error',
        title: "Couldn't favourite 1 photo",
        detail: "Can't reach your PhotoPrism server. Check your connection and try again.",
      }),
    ]);
  });

  test('a server failure stays on screen until a later change goes through, then it clears', async () => {
    const { bridge, library, toasts, curation } = await setup();
    let serverDown = true;
    bridge.handle('actions.setFavorite', (request) => {
      if (serverDown) throw new AppError('server', 'The server had a problem. Try again in a moment.');
      return { applied: request.uids, failed: [] };
    });
    library.focus.click(2, { shift: false, toggle: false });
    await curation.toggleFavourite();
    expect(toasts.items.map((toast) => toast.title)).toEqual(["Couldn't favourite 1 photo"]);
    serverDown = false;
    await curation.toggleFavourite();
    expect(toasts.items).toEqual([]);
  });

  test('a partial failure rolls back only the photos that failed', async () => {
    const { bridge, library, toasts, curation } = await setup();
    library.focus.click(1, { shift: false, toggle: false });
    library.focus.click(3, { shift: true, toggle: false });
    const refused = library.photoAt(2)?.uid ?? '';
    bridge.refuse.set(refused, { kind: 'permission', message: 'You may not change this photo.' });
    await curation.toggleFavourite();
    expect([1, 2, 3].map((i) => library.photoAt(i)?.favorite)).toEqual([true, false, true]);
    expect(toasts.items.at(-1)).toMatchObject({
      tone: 'error',
      title: "Couldn't favourite 1 of 3 photos",
      detail: 'You may not change this photo.',
    });
  });
});

describe('leaving the view', () => {
  test('unfavouriting in Favourites takes the tile away at once; a failure brings it back', async () => {
    const { bridge, library, curation } = await setup();
    await library.show({ kind: 'favorites' });
    await library.ensure(0, 10);
    const total = library.total;
    const first = library.photoAt(0)?.uid;
    const second = library.photoAt(1)?.uid;
    library.focus.click(0, { shift: false, toggle: false });
    const gate = deferred<undefined>();
    bridge.gate = gate.promise;
    const done = curation.toggleFavourite();
    await vi.waitFor(() => expect(library.total).toBe(total - 1));
    expect(library.photoAt(0)?.uid).toBe(second);
    // The photo that slid into the place keeps the focus; nothing else is selected.
    expect(library.focus.focusIndex).toBe(0);
    bridge.handle('actions.setFavorite', () => {
      throw new AppError('server', 'The server had a problem.');
    });
    bridge.gate = undefined;
    gate.resolve(undefined);
    await done;
    expect(library.total).toBe(total);
    expect(library.photoAt(0)?.uid).toBe(first);
  });

  test('archive hides from the library and the view re-reads from main after success', async () => {
    const { bridge, library, curation } = await setup();
    const uid = library.photoAt(5)?.uid ?? '';
    library.focus.click(5, { shift: false, toggle: false });
    await curation.toggleArchive();
    expect(bridge.photoByUid(uid)?.archived).toBe(true);
    expect(library.indexOfUid(uid)).toBe(-1);
    expect(library.total).toBe(bridge.viewPhotos({ kind: 'all' }, '').length);
    expect(library.photoAt(5)?.uid).toBe(bridge.viewPhotos({ kind: 'all' }, '')[5]?.uid);
  });

  test('⌘⌫ in the Archive restores', async () => {
    // Photo 49 of 60 is archived.
    const { bridge, library, curation } = await setup({ bridge: new FakeBridge({ photos: makePhotos(60, 10) }) });
    await library.show({ kind: 'archive' });
    await library.ensure(0, 5);
    library.focus.click(0, { shift: false, toggle: false });
    await curation.toggleArchive();
    expect(bridge.callsTo('actions.setArchived').at(-1)?.archived).toBe(false);
    expect(library.total).toBe(0);
  });

  test('Delete in an album removes the photos from it (and only there)', async () => {
    const { bridge, library, curation } = await setup();
    const album = bridge.albums[0];
    await library.show({ kind: 'album', albumUid: album?.uid ?? '' });
    library.focus.click(1, { shift: false, toggle: false });
    const uid = library.photoAt(1)?.uid;
    await curation.removeFromAlbum();
    expect(bridge.callsTo('actions.removeFromAlbum')).toEqual([{ albumUid: album?.uid, uids: [uid] }]);
    expect(library.total).toBe(4);
    expect(bridge.photoByUid(uid ?? '')).toBeDefined();
  });
});

describe('culling mode', () => {
  test('after favouriting the focused photo, the focus moves to the next', async () => {
    const { library, curation } = await setup();
    curation.toggleCulling();
    library.focus.moveFocus(3, false);
    await curation.toggleFavourite();
    expect(library.focus.focusIndex).toBe(4);
    expect(library.photoAt(3)?.favorite).toBe(true);
  });

  test('after archiving, the next photo is already in place and keeps the focus', async () => {
    const { library, curation } = await setup();
    curation.toggleCulling();
    library.focus.moveFocus(3, false);
    const next = library.photoAt(4)?.uid;
    await curation.toggleArchive();
    expect(library.focus.focusIndex).toBe(3);
    expect(library.photoAt(3)?.uid).toBe(next);
    expect(library.focus.selection.indexes()).toEqual([3]);
  });

  test('without culling mode the focus stays', async () => {
    const { library, curation } = await setup();
    library.focus.moveFocus(3, false);
    await curation.toggleFavourite();
    expect(library.focus.focusIndex).toBe(3);
  });

  test('in the viewer, culling moves to the next photo', async () => {
    const { viewer, curation } = await setup();
    curation.toggleCulling();
    viewer.open(2);
    await curation.toggleFavourite();
    expect(viewer.index).toBe(3);
  });
});

describe('albums', () => {
  test('add to album remembers the album for ⌃⌘A, across launches', async () => {
    const { bridge, library, curation, storage } = await setup();
    const album = bridge.albums[0];
    library.focus.click(10, { shift: false, toggle: false });
    await curation.addToAlbum(album?.uid ?? '');
    expect(curation.lastAlbum?.uid).toBe(album?.uid);
    expect(storage.get('photoflare.lastAlbumUid')).toBe(album?.uid);
    library.focus.click(11, { shift: false, toggle: false });
    expect(await curation.addToLastAlbum()).toBe(true);
    expect(bridge.callsTo('actions.addToAlbum').map((call) => call.uids)).toEqual([[library.photoAt(10)?.uid], [library.photoAt(11)?.uid]]);
    const again = new CurationState({
      library,
      viewer: new ViewerState(library),
      toasts: new ToastState(),
      storage: { getItem: (key) => storage.get(key) ?? null, setItem: () => undefined },
    });
    expect(again.lastAlbumUid).toBe(album?.uid);
  });

  test('without a last album, ⌃⌘A answers false (the picker opens instead)', async () => {
    const { curation } = await setup();
    expect(await curation.addToLastAlbum()).toBe(false);
  });

  test('create an album with the selection: one call with title and uids', async () => {
    const { bridge, library, curation } = await setup();
    library.focus.click(0, { shift: false, toggle: false });
    library.focus.click(2, { shift: true, toggle: false });
    const album = await curation.createAlbum('Trip', true);
    expect(bridge.callsTo('actions.createAlbum')).toEqual([{ title: 'Trip', uids: [0, 1, 2].map((i) => library.photoAt(i)?.uid) }]);
    expect(album?.title).toBe('Trip');
    expect(curation.lastAlbumUid).toBe(album?.uid);
    await vi.waitFor(() => expect(library.sidebar.albums.map((a) => a.title)).toContain('Trip'));
  });

  test('rename shows the new title at once and rolls back on failure', async () => {
    const { bridge, library, toasts, curation } = await setup();
    const uid = bridge.albums[0]?.uid ?? '';
    const gate = deferred<undefined>();
    bridge.gate = gate.promise;
    bridge.handle('actions.renameAlbum', () => {
      throw new AppError('conflict', 'An album with that name already exists.');
    });
    const done = curation.renameAlbum(uid, 'Summer');
    expect(library.sidebar.albums[0]?.title).toBe('Summer');
    bridge.gate = undefined;
    gate.resolve(undefined);
    await done;
    expect(library.sidebar.albums[0]?.title).toBe('Holidays');
    expect(toasts.items.at(-1)).toMatchObject({ title: "Couldn't rename “Holidays”", detail: 'An album with that name already exists.' });
  });
});

describe('undo / redo', () => {
  test('the labels follow main, and undo re-reads the view', async () => {
    const { bridge, library, curation } = await setup();
    library.focus.click(1, { shift: false, toggle: false });
    await curation.toggleFavourite();
    expect(curation.history).toMatchObject({ canUndo: true, undoLabel: 'Undo Favourite' });
    await curation.undo();
    expect(bridge.photoByUid(library.photoAt(1)?.uid ?? '')?.favorite).toBe(false);
    await vi.waitFor(() => expect(library.photoAt(1)?.favorite).toBe(false));
    expect(curation.history).toMatchObject({ canRedo: true, redoLabel: 'Redo Favourite' });
    await curation.redo();
    await vi.waitFor(() => expect(library.photoAt(1)?.favorite).toBe(true));
  });
});

describe('focus and selection across updates', () => {
  test('library.changed that moves photos keeps focus and selection on the same photos (by UID)', async () => {
    const { bridge, library } = await setup();
    library.focus.click(10, { shift: false, toggle: false });
    library.focus.click(12, { shift: true, toggle: false });
    const selected = [10, 11, 12].map((i) => library.photoAt(i)?.uid);
    // Another device archived two photos above the selection.
    const gone = [library.photoAt(2)?.uid ?? '', library.photoAt(4)?.uid ?? ''];
    for (const uid of gone) {
      const photo = bridge.photoByUid(uid);
      if (photo) photo.archived = true;
    }
    bridge.emit('library.changed', { uids: gone, albums: false, full: false });
    await vi.waitFor(() => expect(library.focus.selection.indexes()).toEqual([8, 9, 10]));
    expect(library.focus.selection.indexes().map((i) => library.photoAt(i)?.uid)).toEqual(selected);
    expect(library.focus.focusIndex).toBe(10);
    expect(library.photoAt(10)?.uid).toBe(selected[2]);
  });

  test('a refresh while an action is in flight waits for it', async () => {
    const { bridge, library, curation } = await setup();
    library.focus.click(1, { shift: false, toggle: false });
    const gate = deferred<undefined>();
    bridge.gate = gate.promise;
    const done = curation.toggleArchive();
    await vi.waitFor(() => expect(library.indexOfUid(bridge.photos[1]?.uid ?? '')).toBe(-1));
    const queriesBefore = bridge.callsTo('library.query').length;
    bridge.emit('library.changed', { uids: [], albums: false, full: true });
    expect(bridge.callsTo('library.query').length).toBe(queriesBefore);
    bridge.gate = undefined;
    gate.resolve(undefined);
    await done;
    expect(bridge.callsTo('library.query').length).toBeGreaterThan(queriesBefore);
  });
});

describe('targets', () => {
  test('nothing selected and nothing focused: a hint, no call', async () => {
    const { bridge, toasts, curation } = await setup();
    await curation.toggleFavourite();
    expect(bridge.callsTo('actions.setFavorite')).toEqual([]);
    expect(toasts.items.at(-1)).toMatchObject({ tone: 'hint', title: 'Select some photos first.' });
  });

  test('⌘A over photos that are not loaded fetches their UIDs for the action', async () => {
    const bridge = new FakeBridge({ photos: makePhotos(3000, 100) });
    setBridgeForTests(bridge);
    const library = new LibraryState({ pageSize: 100 });
    const viewer = new ViewerState(library);
    const curation = new CurationState({ library, viewer, toasts: new ToastState() });
    await library.load();
    const inView = bridge.viewPhotos({ kind: 'all' }, '').map((photo) => photo.uid);
    library.focus.selectAll();
    await curation.toggleArchive();
    expect(bridge.callsTo('actions.setArchived')[0]?.uids).toEqual(inView);
    expect(library.total).toBe(0);
  });
});
