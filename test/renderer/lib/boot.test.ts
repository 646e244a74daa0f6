import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import App from '../../../renderer/App.svelte';
import { setBridgeForTests } from '../../../renderer/lib/api';
import {
  BOOT_WAIT_MAX_MS,
  bootAnswered,
  firstScreenBox,
  firstScreenThumbnails,
  firstScreenTiles,
  resetBootForTests,
  startBoot,
} from '../../../renderer/lib/boot';
import { readSidebarWidth } from '../../../renderer/lib/sidebar-width';
import { AppError } from '../../../shared/errors';
import { FakeBridge, makePhotos } from '../helpers/fake-bridge';

afterEach(() => {
  cleanup();
  setBridgeForTests(undefined);
  resetBootForTests();
});

const ONLINE = { state: 'online', serverUrl: 'https://photos.example.com', userName: 'alice' } as const;

/** The calls the first screen made besides the boot call, by channel. */
function firstScreenCalls(bridge: FakeBridge) {
  return {
    status: bridge.callsTo('connection.status').length,
    info: bridge.callsTo('app.info').length,
    settings: bridge.callsTo('settings.get').length,
    months: bridge.callsTo('library.months').length,
    firstPage: bridge.callsTo('library.query').filter((q) => q.view.kind === 'all' && q.offset === 0).length,
  };
}

/**
 * Make the bridge's boot call answer with the library as it is now, but only once the returned
 * release is called.
 */
async function holdBootAnswer(bridge: FakeBridge): Promise<() => void> {
  const answer = await bridge.invoke('app.boot', { firstPageLimit: 200 });
  if (!answer.ok) throw new Error('the fake has no boot answer');
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  bridge.handle('app.boot', async () => {
    await held;
    return answer.value;
  });
  return release;
}

describe('boot: the first screen from one call', () => {
  test('the Library, its months and first page come from the boot call, with no call of their own', async () => {
    const bridge = new FakeBridge({ photos: makePhotos(300), status: ONLINE });
    setBridgeForTests(bridge);
    startBoot();
    render(App);
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('294 photos'));
    expect(bridge.callsTo('app.boot')).toEqual([{ firstPageLimit: 200 }]);
    expect(firstScreenCalls(bridge)).toEqual({ status: 0, info: 0, settings: 0, months: 0, firstPage: 0 });
    // The sidebar still loads its own lists after the first screen.
    await waitFor(() => expect(bridge.callsTo('library.counts').length).toBe(1));
  });

  test('a change pushed before the screen used the answer makes that part stale: the screen asks again and shows the change', async () => {
    const bridge = new FakeBridge({ photos: makePhotos(300), status: ONLINE });
    // The boot call answers with the library as it was (300 photos) once the test lets it, after
    // 10 photos arrived and main said so.
    const release = await holdBootAnswer(bridge);
    setBridgeForTests(bridge);
    startBoot();
    render(App);
    bridge.photos = makePhotos(310);
    bridge.emit('library.changed', { uids: [], albums: false, full: true });
    release();
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('304 photos'));
    expect(firstScreenCalls(bridge).firstPage).toBe(1);
    // The parts no event touched are still the boot answer's.
    expect(firstScreenCalls(bridge).status).toBe(0);
  });

  test('a failed boot call costs nothing but time: each state asks its own channel', async () => {
    const bridge = new FakeBridge({ photos: makePhotos(300), status: ONLINE });
    bridge.handle('app.boot', () => {
      throw new AppError('internal', 'boot failed');
    });
    setBridgeForTests(bridge);
    startBoot();
    render(App);
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('294 photos'));
    expect(firstScreenCalls(bridge)).toEqual({ status: 1, info: 1, settings: 1, months: 1, firstPage: 1 });
  });

  test('signed out: onboarding from the boot answer, and signing in later loads the library with calls of its own', async () => {
    const bridge = new FakeBridge({ photos: makePhotos(300) });
    setBridgeForTests(bridge);
    startBoot();
    render(App);
    expect(await screen.findByRole('heading', { name: 'Connect to your PhotoPrism server' })).toBeTruthy();
    expect(bridge.callsTo('connection.status').length).toBe(0);
    bridge.status = { ...bridge.status, ...ONLINE };
    bridge.emit('connection.changed', bridge.status);
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('294 photos'));
    expect(firstScreenCalls(bridge).firstPage).toBe(1);
  });
});

describe("boot: the first screen's thumbnails, fetched before the grid exists", () => {
  const photos = makePhotos(300);
  const uids = (paths: string[]) => paths.map((path) => path.split('/')[2]);

  test('every tile a 1280×800 window beside the sidebar can show, in grid order, at the size the grid will ask for', () => {
    // 1280 − 220 px sidebar: 5 or 6 columns of ~190 px tiles, 5 rows at most.
    const paths = firstScreenThumbnails(photos, { widthPx: 1060, heightPx: 800, devicePixelRatio: 1 });
    expect(paths.length).toBeGreaterThanOrEqual(25);
    expect(paths.length).toBeLessThanOrEqual(36);
    expect(uids(paths)).toEqual(photos.slice(0, paths.length).map((p) => p.uid));
    expect(new Set(paths.map((path) => path.split('/')[3]))).toEqual(new Set(['tile_224']));
    expect(firstScreenThumbnails(photos, { widthPx: 1060, heightPx: 800, devicePixelRatio: 2 })[0]).toMatch(/\/tile_500$/);
  });

  test("none where the grid's exact width would decide between two sizes (three columns of ~245 px at 1024 wide)", () => {
    expect(firstScreenThumbnails(photos, { widthPx: 1024 - 220, heightPx: 700, devicePixelRatio: 1 })).toEqual([]);
  });
});

describe("boot: the app's code waits for the answer (see [Note: The app's code waits for the boot answer])", () => {
  /** A bridge whose boot call answers only when the test says so; answers whether bootAnswered() has resolved. */
  async function heldBoot(): Promise<{ release: () => void; settled: () => boolean }> {
    const bridge = new FakeBridge({ photos: makePhotos(300), status: ONLINE });
    const release = await holdBootAnswer(bridge);
    setBridgeForTests(bridge);
    startBoot();
    let settled = false;
    void bootAnswered().then(() => (settled = true));
    return { release, settled: () => settled };
  }

  test('it runs once the answer is in, not before', async () => {
    const boot = await heldBoot();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(boot.settled()).toBe(false);
    boot.release();
    await vi.waitFor(() => expect(boot.settled()).toBe(true));
  });

  test('a main that does not answer in time gets the app anyway', async () => {
    vi.useFakeTimers();
    try {
      const boot = await heldBoot();
      await vi.advanceTimersByTimeAsync(BOOT_WAIT_MAX_MS - 1);
      expect(boot.settled()).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(boot.settled()).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  test('without a boot call (nothing sent) it does not wait', async () => {
    let settled = false;
    void bootAnswered().then(() => (settled = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(true);
  });
});

describe('the first run: the first screen before the server has named its photos', () => {
  const setWindow = (widthPx: number, heightPx: number) => {
    Object.defineProperty(window, 'innerWidth', { value: widthPx, configurable: true });
    Object.defineProperty(window, 'innerHeight', { value: heightPx, configurable: true });
  };
  afterEach(() => {
    setWindow(1024, 768);
    vi.restoreAllMocks();
  });

  test('the sign-in screen tells main what the first screen will show (library.firstScreen), so main can fetch it first', async () => {
    setWindow(1280, 800);
    const bridge = new FakeBridge({ photos: makePhotos(300) });
    setBridgeForTests(bridge);
    startBoot();
    render(App);
    expect(await screen.findByRole('heading', { name: 'Connect to your PhotoPrism server' })).toBeTruthy();
    await waitFor(() => expect(bridge.callsTo('library.firstScreen')).toHaveLength(1));
    const [sent] = bridge.callsTo('library.firstScreen');
    const estimate = firstScreenTiles({ widthPx: 1280 - readSidebarWidth(), heightPx: 800, devicePixelRatio: 1 });
    expect(estimate).not.toBeNull();
    expect(sent).toEqual(estimate);
  });

  test('a page load sends its first-screen estimate with the boot call, so main fetches those thumbnails as it answers', () => {
    setWindow(1280, 800);
    const bridge = new FakeBridge({ photos: makePhotos(300), status: ONLINE });
    setBridgeForTests(bridge);
    startBoot();
    const estimate = firstScreenTiles(firstScreenBox());
    expect(estimate).not.toBeNull();
    expect(bridge.callsTo('app.boot')).toEqual([{ firstPageLimit: 200, firstScreen: estimate }]);
  });

  test("signing in: the first page's thumbnails are fetched as it arrives, at the size the grid asks for", async () => {
    setWindow(1280, 800);
    const preloaded: string[] = [];
    const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, 'src');
    vi.spyOn(HTMLImageElement.prototype, 'src', 'set').mockImplementation(function (this: HTMLImageElement, value: string) {
      // Not in the page: a preload, not a tile.
      if (!this.isConnected) preloaded.push(value);
      src?.set?.call(this, value);
    });
    const photos = makePhotos(300);
    const bridge = new FakeBridge({ photos });
    setBridgeForTests(bridge);
    startBoot();
    render(App);
    expect(await screen.findByRole('heading', { name: 'Connect to your PhotoPrism server' })).toBeTruthy();
    bridge.status = { ...bridge.status, ...ONLINE };
    bridge.emit('connection.changed', bridge.status);
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('294 photos'));
    const [first] = bridge.callsTo('library.query');
    expect(first?.offset).toBe(0);
    const page = await bridge.invoke('library.query', { view: { kind: 'all' }, q: '', offset: 0, limit: 200 });
    if (!page.ok) throw new Error('the fake has no first page');
    const expected = firstScreenThumbnails(page.value.photos, firstScreenBox());
    expect(expected.length).toBeGreaterThan(0);
    expect(preloaded).toEqual(expected);
  });
});
