import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, test } from 'vitest';
import type { ExportStatus } from '../../../shared/export';
import App from '../../../renderer/App.svelte';
import { setBridgeForTests } from '../../../renderer/lib/api';
import { PHOTO_DRAG_TYPE } from '../../../renderer/lib/photo-drag';
import { FakeBridge, makePhotos } from '../helpers/fake-bridge';

const ONLINE = { state: 'online', serverUrl: 'https://photos.example.com', userName: 'alice' } as const;

afterEach(() => {
  cleanup();
  setBridgeForTests(undefined);
});

async function setup(shell: 'electron' | 'web') {
  const bridge = new FakeBridge({ photos: makePhotos(20, 10), status: ONLINE });
  bridge.handle('app.info', () => ({ name: 'Photoflare', version: '0.1.0', profile: 'test', shell, platform: 'darwin' }));
  let staged = false;
  bridge.handle('export.dragOut', ({ uids, mode }) =>
    staged
      ? { state: mode === 'prepare' ? 'ready' : 'dragging', files: uids.length }
      : { state: 'preparing', exportId: 7, photos: uids.length },
  );
  setBridgeForTests(bridge);
  render(App);
  await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toMatch(/photos$/));
  return { bridge, stage: () => (staged = true) };
}

/** A dragstart on the tile at `index`, as the browser sends it; returns the page's drag data and whether it went on. */
async function dragTile(index: number) {
  const tile = await waitFor(() => {
    const found = document.querySelector(`[data-index="${index}"]`);
    if (!found) throw new Error('no tile yet');
    return found;
  });
  const data = new Map<string, string>();
  const dataTransfer = {
    types: [] as string[],
    effectAllowed: 'none',
    setData: (type: string, value: string) => data.set(type, value),
    setDragImage: () => undefined,
  };
  const wentOn = await fireEvent.dragStart(tile, { dataTransfer });
  return { data, wentOn };
}

const done = (id: number): ExportStatus => ({
  id,
  kind: 'photos',
  state: 'done',
  folder: '/profile/drag-staging',
  filesDone: 1,
  filesTotal: 1,
  filesSkipped: 0,
  bytesDone: 10,
  bytesTotal: 10,
  current: null,
  failures: [],
  message: null,
});

describe('dragging tiles out to Finder', () => {
  test('Mac app: a page drag leaving the window stages the originals; once staged, the next drag goes native with the selection', async () => {
    const { bridge, stage } = await setup('electron');
    const first = await dragTile(0);
    // The page drag goes on (sidebar albums still take it) …
    expect(first.wentOn).toBe(true);
    expect(first.data.has(PHOTO_DRAG_TYPE)).toBe(true);
    // … a drag that stays inside (onto an album) fetches nothing …
    await fireEvent(window, new MouseEvent('drop'));
    expect(bridge.callsTo('export.dragOut')).toEqual([]);
    // … and once a drag leaves the window, main is asked to stage the selection's originals, by UID only.
    await dragTile(0);
    // (jsdom's DragEvent has no coordinates: a MouseEvent of the same type stands in.)
    await fireEvent(window, new MouseEvent('dragleave', { clientX: 0, clientY: 0, relatedTarget: null }));
    const uid = JSON.parse(first.data.get(PHOTO_DRAG_TYPE) ?? '[]')[0] as string;
    expect(bridge.callsTo('export.dragOut')).toEqual([{ uids: [uid], mode: 'prepare' }]);
    expect(await screen.findByText(/Getting the original ready for Finder/)).toBeTruthy();

    stage();
    bridge.emit('export.progress', done(7));
    const second = await dragTile(0);
    // Staged: the page drag gives way (preventDefault) and main starts the native drag of the files.
    expect(second.wentOn).toBe(false);
    expect(bridge.callsTo('export.dragOut').at(-1)).toEqual({ uids: [uid], mode: 'drag' });
  });

  test('web shell: a drag is a page drag only; nothing is staged', async () => {
    const { bridge } = await setup('web');
    const drag = await dragTile(1);
    await fireEvent(window, new MouseEvent('dragleave', { clientX: 0, clientY: 0, relatedTarget: null }));
    expect(drag.wentOn).toBe(true);
    expect(drag.data.has(PHOTO_DRAG_TYPE)).toBe(true);
    expect(bridge.callsTo('export.dragOut')).toEqual([]);
  });
});
