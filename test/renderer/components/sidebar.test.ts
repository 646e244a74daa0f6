import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, test } from 'vitest';
import Sidebar from '../../../renderer/components/Sidebar.svelte';
import { setBridgeForTests } from '../../../renderer/lib/api';
import { contextMap } from '../../../renderer/lib/context';
import { ConnectionState } from '../../../renderer/lib/state/connection.svelte';
import { CurationState } from '../../../renderer/lib/state/curation.svelte';
import { LibraryState } from '../../../renderer/lib/state/library.svelte';
import { ToastState } from '../../../renderer/lib/state/toasts.svelte';
import { UiState } from '../../../renderer/lib/state/ui.svelte';
import { ViewerState } from '../../../renderer/lib/state/viewer.svelte';
import { FakeBridge, makePhotos } from '../helpers/fake-bridge';

afterEach(() => {
  cleanup();
  setBridgeForTests(undefined);
});

async function setup(prepare?: (bridge: FakeBridge) => void) {
  const bridge = new FakeBridge({
    photos: makePhotos(1400),
    albums: [
      { title: 'Holidays', photoIndexes: [0, 1, 2] },
      { title: 'Family', photoIndexes: Array.from({ length: 1234 }, (_, i) => i) },
    ],
    status: { state: 'online', serverUrl: 'https://photos.example.com', userName: 'alice', indexing: { done: 250, total: 1000 } },
  });
  prepare?.(bridge);
  setBridgeForTests(bridge);
  const library = new LibraryState();
  const connection = new ConnectionState();
  await Promise.all([library.load(), connection.load()]);
  const ui = new UiState();
  const toasts = new ToastState();
  const curation = new CurationState({ library, viewer: new ViewerState(library), toasts });
  render(Sidebar, { context: contextMap({ library, connection, ui, curation, toasts }) });
  return { bridge, library, ui, curation, toasts };
}

describe('Sidebar', () => {
  test('shows the library, favourites and archive counts and the albums with theirs', async () => {
    await setup();
    expect(screen.getByTestId('sidebar-all').textContent).toMatch(/Library\s*1,372/);
    expect(screen.getByTestId('sidebar-favorites').textContent).toMatch(/Favourites\s*196/);
    expect(screen.getByTestId('sidebar-archive').textContent).toMatch(/Archive\s*28/);
    const albums = screen.getAllByTestId('sidebar-album').map((item) => item.textContent?.replace(/\s+/g, ' ').trim());
    expect(albums).toEqual(['▢ Holidays 3', '▢ Family 1,234']);
  });

  test('offers Review and Private with their counts, by mouse and keyboard', async () => {
    const { library } = await setup((bridge) => {
      for (const photo of bridge.photos.slice(10, 14)) bridge.review.add(photo.uid);
      bridge.photos = bridge.photos.map((photo, i) => (i >= 20 && i < 23 ? { ...photo, private: true } : photo));
    });
    expect(screen.getByTestId('sidebar-review').textContent).toMatch(/Review\s*4/);
    expect(screen.getByTestId('sidebar-private').textContent).toMatch(/Private\s*3/);
    // Review and private photos are not in the library.
    expect(screen.getByTestId('sidebar-all').textContent).toMatch(/Library\s*1,365/);
    await fireEvent.click(screen.getByTestId('sidebar-review'));
    await waitFor(() => expect(library.viewTitle).toBe('Review'));
    expect(library.total).toBe(4);
    // ↓ from Review reaches Private; Space/Enter on a button opens it (a real button).
    screen.getByTestId('sidebar-review').focus();
    await fireEvent.keyDown(screen.getByTestId('sidebar-review'), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByTestId('sidebar-private'));
    expect(screen.getByTestId('sidebar-private').tagName).toBe('BUTTON');
  });

  test('hides Review and Private when the server has them switched off', async () => {
    await setup((bridge) => {
      bridge.features = { review: false, private: false };
    });
    expect(screen.queryByTestId('sidebar-review')).toBeNull();
    expect(screen.queryByTestId('sidebar-private')).toBeNull();
    expect(screen.getByTestId('sidebar-favorites')).toBeTruthy();
  });

  test('marks the current view and switches views on click', async () => {
    const { library } = await setup();
    expect(screen.getByTestId('sidebar-all').getAttribute('aria-current')).toBe('page');
    await fireEvent.click(screen.getByText('Family'));
    await waitFor(() => expect(library.viewTitle).toBe('Family'));
    expect(library.total).toBe(1234);
    await waitFor(() => expect(screen.getByText('Family').closest('button')?.getAttribute('aria-current')).toBe('page'));
    expect(screen.getByTestId('sidebar-all').getAttribute('aria-current')).toBeNull();
  });

  test('follows library.changed: new counts appear without a reload', async () => {
    const { bridge } = await setup();
    bridge.photos = makePhotos(10);
    bridge.emit('library.changed', { uids: [], albums: true, full: true });
    await waitFor(() => expect(screen.getByTestId('sidebar-all').textContent).toMatch(/Library\s*10\b/));
  });

  test('shows indexing progress from the connection status', async () => {
    await setup();
    expect(screen.getByTestId('indexing').textContent).toMatch(/250 of 1,000/);
  });
});
