import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, test } from 'vitest';
import App from '../../../renderer/App.svelte';
import { setBridgeForTests } from '../../../renderer/lib/api';
import { isMac } from '../../../renderer/lib/keyboard';
import { FakeBridge, makePhotos } from '../helpers/fake-bridge';

const ONLINE = { state: 'online', serverUrl: 'https://photos.example.com', userName: 'alice' } as const;

afterEach(() => {
  cleanup();
  setBridgeForTests(undefined);
});

/** The element, or a failed test. */
function must<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error('missing');
  return value;
}

/** One photo a month (sparse), and albums of different sizes. */
async function setup() {
  const bridge = new FakeBridge({
    photos: makePhotos(40, 1),
    albums: [
      { title: 'Trips', photoIndexes: [0, 1, 2, 3] },
      { title: 'Birthdays', photoIndexes: [4, 5, 6, 7, 8, 9] },
      { title: 'Autumn', photoIndexes: [30] },
    ],
    status: ONLINE,
  });
  setBridgeForTests(bridge);
  render(App);
  await waitFor(() => expect(screen.getAllByTestId('sidebar-album')).toHaveLength(3));
  return { bridge };
}

const monthHeaders = () => document.querySelectorAll('[role="rowheader"]').length;

describe('month headers', () => {
  test('an album of one photo a month is one continuous grid, not a header per photo', async () => {
    await setup();
    await waitFor(() => expect(monthHeaders()).toBeGreaterThan(0)); // the library is a timeline
    await fireEvent.click(must(screen.getAllByTestId('sidebar-album').find((item) => item.textContent?.includes('Trips'))));
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('4 photos'));
    await waitFor(() => expect(document.querySelectorAll('[role="gridcell"] img').length).toBe(4));
    expect(monthHeaders()).toBe(0);
  });
});

const cardTitles = () => screen.getAllByTestId('album-card').map((card) => card.querySelector('.title')?.textContent);

describe('album overview', () => {
  test('the sidebar opens it: a cover card per album, favourites marked, sorted by title, date or count', async () => {
    const { bridge } = await setup();
    must(bridge.albums[1]).favorite = true;
    await fireEvent.click(screen.getByTestId('sidebar-albums-overview'));
    const overview = await screen.findByTestId('album-overview');
    await waitFor(() => expect(cardTitles()).toEqual(['Autumn', 'Birthdays', 'Trips']));
    // Covers are the albums' photos, through the thumbnail protocol.
    expect(overview.querySelector('img')?.getAttribute('src')).toContain(must(bridge.photos[30]).uid);
    await fireEvent.click(screen.getByTestId('album-sort-count'));
    expect(cardTitles()).toEqual(['Birthdays', 'Trips', 'Autumn']);
    // Date: the album whose newest photo is newest first (photo 0 is the newest of all).
    await fireEvent.click(screen.getByTestId('album-sort-date'));
    expect(cardTitles()).toEqual(['Trips', 'Birthdays', 'Autumn']);
    expect(screen.getByTestId('album-sort-date').getAttribute('aria-checked')).toBe('true');
  });

  test('favourite albums carry a heart', async () => {
    const bridge = new FakeBridge({
      photos: makePhotos(10, 1),
      albums: [
        { title: 'Best', photoIndexes: [0], favorite: true },
        { title: 'Other', photoIndexes: [1] },
      ],
      status: ONLINE,
    });
    setBridgeForTests(bridge);
    render(App);
    await fireEvent.click(await screen.findByTestId('sidebar-albums-overview'));
    await waitFor(() => expect(screen.getAllByTestId('album-card')).toHaveLength(2));
    const [best, other] = screen.getAllByTestId('album-card');
    expect(within(must(best)).queryByTestId('album-favorite')).not.toBeNull();
    expect(within(must(other)).queryByTestId('album-favorite')).toBeNull();
  });

  test('⌘2 opens it with the keyboard: arrows move one Tab stop, Return opens the album as a grid', async () => {
    await setup();
    await fireEvent.keyDown(window, { key: '2', ...(isMac() ? { metaKey: true } : { ctrlKey: true }) });
    await screen.findByTestId('album-overview');
    const cards = () => screen.getAllByTestId('album-card');
    await waitFor(() => expect(document.activeElement).toBe(cards()[0]));
    expect(cards().map((card) => card.tabIndex)).toEqual([0, -1, -1]);
    await fireEvent.keyDown(must(cards()[0]), { key: 'ArrowRight' });
    expect(document.activeElement).toBe(cards()[1]);
    expect(cards().map((card) => card.tabIndex)).toEqual([-1, 0, -1]);
    await fireEvent.click(must(cards()[1])); // Return on a button is a click
    await waitFor(() => expect(screen.getByTestId('view-title').textContent).toBe('Birthdays'));
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('6 photos'));
  });
});

describe('sidebar', () => {
  test('is one Tab stop (the open entry), and follows the focus', async () => {
    await setup();
    const entries = () => [...document.querySelectorAll<HTMLButtonElement>('nav button.item')];
    await waitFor(() => expect(entries().filter((entry) => entry.tabIndex === 0)).toHaveLength(1));
    expect(entries().find((entry) => entry.tabIndex === 0)?.dataset['testid']).toBe('sidebar-all');
    const trips = must(screen.getAllByTestId('sidebar-album')[0]);
    trips.focus();
    await waitFor(() => expect(trips.tabIndex).toBe(0));
    expect(entries().filter((entry) => entry.tabIndex === 0)).toEqual([trips]);
  });

  test('is resizable with the mouse and ←/→ on its edge, within limits, and remembered', async () => {
    localStorage.removeItem('sidebarWidthPx');
    await setup();
    const handle = screen.getByTestId('sidebar-resize');
    const layout = () => (document.querySelector('.library') as HTMLElement).style.gridTemplateColumns;
    expect(layout()).toBe('220px 1fr');
    await fireEvent.keyDown(handle, { key: 'ArrowRight' });
    expect(layout()).toBe('236px 1fr');
    expect(handle.getAttribute('aria-valuenow')).toBe('236');
    await fireEvent.pointerDown(handle, { button: 0, clientX: 236, pointerId: 1 });
    await fireEvent.pointerMove(handle, { clientX: 2000, pointerId: 1 });
    await fireEvent.pointerUp(handle, { pointerId: 1 });
    expect(layout()).toBe('400px 1fr');
    expect(localStorage.getItem('sidebarWidthPx')).toBe('400');
  });
});
