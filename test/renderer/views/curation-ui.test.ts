import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, test } from 'vitest';
import { AppError } from '../../../shared/errors';
import App from '../../../renderer/App.svelte';
import { setBridgeForTests } from '../../../renderer/lib/api';
import { FakeBridge, albumUid, makePhotos } from '../helpers/fake-bridge';

const ONLINE = { state: 'online', serverUrl: 'https://photos.example.com', userName: 'alice' } as const;

/** Run the page as if on this `navigator.platform` (key labels follow it). */
function onPlatform(platform: string) {
  Object.defineProperty(navigator, 'platform', { value: platform, configurable: true });
}

afterEach(() => {
  Reflect.deleteProperty(navigator, 'platform');
  cleanup();
  setBridgeForTests(undefined);
});

async function setup() {
  const bridge = new FakeBridge({
    photos: makePhotos(60, 10),
    albums: [
      { title: 'Holidays', photoIndexes: [0, 1, 2, 3, 4] },
      { title: 'Family', photoIndexes: [5, 6] },
      { title: 'Holiday 2024', photoIndexes: [] },
    ],
    status: ONLINE,
  });
  setBridgeForTests(bridge);
  render(App);
  await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('59 photos'));
  // The sidebar's lists load after the first screen (LibraryState.load).
  await waitFor(() => expect(screen.getAllByTestId('sidebar-album')).toHaveLength(3));
  return { bridge };
}

const press = (key: string, init: KeyboardEventInit = {}) => fireEvent.keyDown(window, { key, ...init });

/** Select the first photo with the keyboard (→ from nothing focused). */
async function focusFirstPhoto() {
  const grid = screen.getByTestId('photo-grid');
  grid.focus();
  await fireEvent.keyDown(grid, { key: 'ArrowRight' });
  await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toMatch(/^1 of 59 photos selected/));
}

describe('album picker', () => {
  test('type to filter, ↑/↓, Return adds the photo to the highlighted album', async () => {
    const { bridge } = await setup();
    await focusFirstPhoto();
    await press('a');
    const picker = await screen.findByTestId('album-picker');
    const input = within(picker).getByTestId('album-picker-input');
    await fireEvent.input(input, { target: { value: 'holi' } });
    expect(
      within(picker)
        .getAllByTestId('album-option')
        .map((option) => option.textContent?.replace(/\s+/g, ' ').trim()),
    ).toEqual(['▢ Holidays 5', '▢ Holiday 2024 0']);
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(within(picker).getAllByTestId('album-option')[1]?.getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(bridge.callsTo('actions.addToAlbum')).toHaveLength(1));
    expect(bridge.callsTo('actions.addToAlbum')[0]?.albumUid).toBe(bridge.albums[2]?.uid);
    expect(screen.queryByTestId('album-picker')).toBeNull();
  });

  test('typing a new name offers “New Album “…”” and creates it with the selection', async () => {
    const { bridge } = await setup();
    await focusFirstPhoto();
    await press('a');
    const input = await screen.findByTestId('album-picker-input');
    await fireEvent.input(input, { target: { value: 'Road Trip' } });
    expect(screen.getByTestId('album-option-new').textContent).toContain('New Album “Road Trip”');
    await fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(bridge.callsTo('actions.createAlbum')).toHaveLength(1));
    expect(bridge.callsTo('actions.createAlbum')[0]).toEqual({ title: 'Road Trip', uids: [bridge.photos[0]?.uid] });
    await waitFor(() =>
      expect(screen.getAllByTestId('sidebar-album').map((item) => item.textContent)).toEqual(
        expect.arrayContaining([expect.stringContaining('Road Trip')]),
      ),
    );
  });

  test('the picker takes typed keys: “f” goes into the filter, not a favourite', async () => {
    const { bridge } = await setup();
    await focusFirstPhoto();
    await press('a');
    const input = await screen.findByTestId('album-picker-input');
    await fireEvent.keyDown(input, { key: 'f' });
    expect(bridge.callsTo('actions.setFavorite')).toEqual([]);
    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByTestId('album-picker')).toBeNull();
  });
});

describe('favourite from the keyboard', () => {
  test('“.” shows the heart at once; a failure takes it back and a toast says why', async () => {
    const { bridge } = await setup();
    bridge.handle('actions.setFavorite', () => {
      throw new AppError('permission', 'Your PhotoPrism account may not change favourites.');
    });
    await focusFirstPhoto();
    // Photo 0 is a favourite already (every 7th): "." unfavourites it.
    const tile = () => screen.getByTestId('photo-grid').querySelector('[data-index="0"]');
    expect(tile()?.querySelector('.favorite')).not.toBeNull();
    await press('.');
    const toast = await screen.findByTestId('toast-error');
    expect(toast.textContent).toContain("Couldn't unfavourite 1 photo");
    expect(toast.textContent).toContain('Your PhotoPrism account may not change favourites.');
    expect(tile()?.querySelector('.favorite')).not.toBeNull();
  });
});

describe('albums in the sidebar', () => {
  test('Return on a focused album renames it in place', async () => {
    const { bridge } = await setup();
    const family = screen.getAllByTestId('sidebar-album')[1] as HTMLButtonElement;
    family.focus();
    await fireEvent.keyDown(family, { key: 'Enter' });
    const field = await screen.findByTestId<HTMLInputElement>('album-rename');
    expect(field.value).toBe('Family');
    await fireEvent.input(field, { target: { value: 'Familie' } });
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(bridge.callsTo('actions.renameAlbum')).toEqual([{ albumUid: bridge.albums[1]?.uid, title: 'Familie' }]));
    expect(screen.getAllByTestId('sidebar-album')[1]?.textContent).toContain('Familie');
  });

  test('Esc cancels a rename', async () => {
    const { bridge } = await setup();
    const holidays = screen.getAllByTestId('sidebar-album')[0] as HTMLButtonElement;
    await fireEvent.keyDown(holidays, { key: 'Enter' });
    const field = await screen.findByTestId('album-rename');
    await fireEvent.input(field, { target: { value: 'Nope' } });
    await fireEvent.keyDown(field, { key: 'Escape' });
    expect(screen.queryByTestId('album-rename')).toBeNull();
    expect(bridge.callsTo('actions.renameAlbum')).toEqual([]);
  });
});

describe('palette, shortcuts and culling', () => {
  test('⌘K lists actions with shortcuts; Return runs the highlighted one', async () => {
    await setup();
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the same check the app makes (renderer/lib/keyboard.ts isMac)
    await press('k', { metaKey: navigator.platform.includes('Mac'), ctrlKey: !navigator.platform.includes('Mac') });
    const palette = await screen.findByTestId('command-palette');
    const input = within(palette).getByTestId('palette-input');
    await fireEvent.input(input, { target: { value: 'culling' } });
    const items = within(palette).getAllByTestId('palette-item');
    expect(items[0]?.textContent).toContain('Turn Culling Mode On');
    expect(items[0]?.textContent).toContain('C');
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(await screen.findByTestId('culling-badge')).toBeTruthy();
  });

  test('an album that arrives while the palette is open is listed in it', async () => {
    // Right after a start the palette can open before the sidebar's albums have arrived (they
    // follow the first screen), or another device adds an album while it is open.
    const { bridge } = await setup();
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the same check the app makes (renderer/lib/keyboard.ts isMac)
    await press('k', { metaKey: navigator.platform.includes('Mac'), ctrlKey: !navigator.platform.includes('Mac') });
    const palette = await screen.findByTestId('command-palette');
    const input = within(palette).getByTestId('palette-input');
    await fireEvent.input(input, { target: { value: 'Lisbon' } });
    expect(within(palette).queryAllByTestId('palette-item')).toHaveLength(0);
    bridge.albums.push({ uid: albumUid(9), title: 'Lisbon 2025', photoIndexes: [] });
    bridge.emit('library.changed', { uids: [], albums: true, full: false });
    await waitFor(() =>
      expect(
        within(palette)
          .getAllByTestId('palette-item')
          .map((item) => item.textContent?.trim()),
      ).toEqual(['Lisbon 2025']),
    );
    // What was typed and the highlighted row stay: the list grew under the field, nothing reset.
    expect((input as HTMLInputElement).value).toBe('Lisbon');
  });

  test('? shows the keyboard shortcuts (on a Mac, with ⌘ symbols)', async () => {
    onPlatform('MacIntel');
    await setup();
    await press('?', { shiftKey: true });
    const overlay = await screen.findByTestId('shortcuts');
    expect(overlay.textContent).toContain('Add to the last used album');
    expect(overlay.textContent).toContain('⌃⌘A');
  });

  test('the toolbar’s undo button is labelled after the last action', async () => {
    onPlatform('MacIntel');
    const { bridge } = await setup();
    await focusFirstPhoto();
    await press('.');
    await waitFor(() => expect(bridge.callsTo('actions.setFavorite')).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId('undo-button').getAttribute('title')).toBe('Undo Unfavourite (⌘Z)'));
  });
});
