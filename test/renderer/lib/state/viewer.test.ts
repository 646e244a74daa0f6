import { afterEach, describe, expect, test, vi } from 'vitest';
import { setBridgeForTests } from '../../../../renderer/lib/api';
import { CurationState } from '../../../../renderer/lib/state/curation.svelte';
import { LibraryState } from '../../../../renderer/lib/state/library.svelte';
import { ToastState } from '../../../../renderer/lib/state/toasts.svelte';
import { ViewerState } from '../../../../renderer/lib/state/viewer.svelte';
import { FakeBridge, makePhotos } from '../../helpers/fake-bridge';

async function setup() {
  const bridge = new FakeBridge({ photos: makePhotos(10, 10) });
  setBridgeForTests(bridge);
  const library = new LibraryState({ pageSize: 20 });
  const viewer = new ViewerState(library);
  const storage = new Map<string, string>();
  const curation = new CurationState({
    library,
    viewer,
    toasts: new ToastState(),
    storage: { getItem: (key) => storage.get(key) ?? null, setItem: (key, value) => void storage.set(key, value) },
  });
  await library.load();
  await library.ensure(0, 9);
  return { bridge, library, viewer, curation };
}

afterEach(() => {
  vi.useRealTimers();
  setBridgeForTests(undefined);
});

describe('slideshow', () => {
  test('advances every interval, waits again after a manual step, pauses, and ends on the last photo', async () => {
    const { viewer } = await setup();
    vi.useFakeTimers();
    viewer.startSlideshow(6, 2000);
    expect(viewer.index).toBe(6);
    vi.advanceTimersByTime(1999);
    expect(viewer.index).toBe(6);
    vi.advanceTimersByTime(1);
    expect(viewer.index).toBe(7);
    // → by hand: the next automatic step is a whole interval later, not sooner.
    vi.advanceTimersByTime(1500);
    viewer.next();
    expect(viewer.index).toBe(8);
    vi.advanceTimersByTime(1999);
    expect(viewer.index).toBe(8);
    viewer.toggleSlideshowPause();
    vi.advanceTimersByTime(10_000);
    expect(viewer.index).toBe(8);
    viewer.toggleSlideshowPause();
    vi.advanceTimersByTime(2000);
    expect(viewer.index).toBe(9);
    vi.advanceTimersByTime(2000);
    // The last photo stays on screen; the slideshow is over.
    expect([viewer.index, viewer.slideshowMs]).toEqual([9, null]);
  });

  test('closing the viewer stops it', async () => {
    const { viewer } = await setup();
    vi.useFakeTimers();
    viewer.startSlideshow(0, 2000);
    viewer.close();
    vi.advanceTimersByTime(10_000);
    expect([viewer.index, viewer.slideshowMs]).toEqual([null, null]);
  });
});

describe('compare', () => {
  test('shows two photos; the keys act on the active side, which never lands on the other one', async () => {
    const { bridge, viewer, curation, library } = await setup();
    viewer.startCompare(2, 3);
    expect(viewer.compare).toEqual({ left: 2, right: 3, active: 'left' });
    expect(viewer.index).toBe(2);
    // → on the left skips the right side's photo.
    viewer.next();
    expect(viewer.compare).toEqual({ left: 4, right: 3, active: 'left' });
    viewer.switchCompareSide();
    expect(viewer.index).toBe(3);
    // Favourite acts on the active (right) photo only.
    await curation.toggleFavourite();
    expect(bridge.callsTo('actions.setFavorite').at(-1)).toEqual({ uids: [library.photoAt(3)?.uid], favorite: true });
    viewer.previous();
    expect(viewer.compare).toEqual({ left: 4, right: 2, active: 'right' });
    viewer.close();
    expect(viewer.compare).toBeNull();
  });
});
