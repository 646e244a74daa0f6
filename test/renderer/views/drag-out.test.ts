import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, describe, expect, test } from 'vitest';
import type { DragOutResult, ExportStatus } from '../../../shared/export';
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
  // Main's answer to a drag, as the test sets it (main/export/drag-out.ts decides in the app).
  let answer: DragOutResult = { state: 'dragging', files: 1 };
  bridge.handle('export.dragOut', () => answer);
  bridge.handle('export.downloadLink', ({ uid }) => ({ fileName: `IMG_${uid}.jpg`, mime: 'image/jpeg', path: `/downloads/${uid}` }));
  setBridgeForTests(bridge);
  render(App);
  await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toMatch(/photos$/));
  return { bridge, answer: (next: DragOutResult) => (answer = next) };
}

async function tile(index: number): Promise<Element> {
  return waitFor(() => {
    const found = document.querySelector(`[data-index="${index}"]`);
    if (!found) throw new Error('no tile yet');
    return found;
  });
}

/** A dragstart on the tile at `index`, as the browser sends it; returns the page's drag data and whether it went on. */
async function dragTile(index: number) {
  const target = await tile(index);
  const data = new Map<string, string>();
  const dataTransfer = {
    types: [] as string[],
    effectAllowed: 'none',
    setData: (type: string, value: string) => data.set(type, value),
    setDragImage: () => undefined,
  };
  const wentOn = await fireEvent.dragStart(target, { dataTransfer });
  return { data, wentOn };
}

describe('dragging tiles out to Finder', () => {
  test('Mac app: one gesture — the page drag gives way at once and main is asked to drag the selection, by UID only', async () => {
    const { bridge } = await setup('electron');
    const drag = await dragTile(0);
    expect(drag.wentOn).toBe(false);
    const [call] = bridge.callsTo('export.dragOut');
    expect(call?.mode).toBe('drag');
    expect(call?.uids).toHaveLength(1);
    // Dragging: nothing to say.
    await waitFor(() => expect(bridge.callsTo('export.dragOut')).toHaveLength(1));
    expect(screen.getByTestId('toasts').textContent?.trim()).toBe('');
  });

  test('Mac app: a press on the selection stages it ahead; a drag main could not start says why and offers Export…', async () => {
    const { bridge, answer } = await setup('electron');
    await fireEvent.click(await tile(2));
    await fireEvent.mouseDown(await tile(2), { button: 0 });
    await waitFor(() => expect(bridge.callsTo('export.dragOut').at(-1)?.mode).toBe('prefetch'));
    const uid = bridge.callsTo('export.dragOut').at(-1)?.uids[0] ?? '';
    answer({ state: 'preparing', exportId: 3, photos: 1, why: 'released' });
    await dragTile(2);
    expect(bridge.callsTo('export.dragOut').at(-1)).toEqual({ uids: [uid], mode: 'drag' });
    expect(
      await screen.findByText(/The original was not ready before you let go. Drag again once the export panel says done./),
    ).toBeTruthy();
    answer({ state: 'preparing', exportId: 3, photos: 1, why: 'slow' });
    await dragTile(2);
    expect(await screen.findByText(/took longer than a drag can wait/)).toBeTruthy();
    // Export… on the message exports what ⇧⌘E would: the selection.
    bridge.handle('export.photos', () => null);
    await fireEvent.click(within(screen.getByTestId('toasts')).getByRole('button', { name: 'Export…' }));
    await waitFor(() => expect(bridge.callsTo('export.photos')).toEqual([{ uids: [uid], sidecars: false }]));
  });

  test('Mac app: the staging a press starts stays out of the export panel until a drag has to wait for it', async () => {
    const { bridge, answer } = await setup('electron');
    const staging: ExportStatus = {
      id: 3,
      kind: 'photos',
      state: 'running',
      folder: '/profile/drag-staging',
      filesDone: 0,
      filesTotal: 1,
      filesSkipped: 0,
      bytesDone: 0,
      bytesTotal: 1000,
      current: 'IMG_1.jpg',
      failures: [],
      message: null,
      forDrag: true,
    };
    await fireEvent.click(await tile(2));
    await fireEvent.mouseDown(await tile(2), { button: 0 });
    await waitFor(() => expect(bridge.callsTo('export.dragOut').at(-1)?.mode).toBe('prefetch'));
    bridge.emit('export.progress', staging);
    await tick();
    expect(screen.queryByTestId('export-3')).toBeNull();
    // The drag could not wait: the message points at the panel, so the staging shows there now.
    answer({ state: 'preparing', exportId: 3, photos: 1, why: 'slow' });
    await dragTile(2);
    expect(await screen.findByTestId('export-3')).toBeTruthy();
    bridge.emit('export.progress', { ...staging, state: 'done', filesDone: 1, bytesDone: 1000, current: null });
    await waitFor(() => expect(screen.getByTestId('export-3').getAttribute('data-state')).toBe('done'));
  });

  test('web shell: one photo drags out with a DownloadURL to its original; several say one at a time and offer Export…', async () => {
    const { bridge } = await setup('web');
    await fireEvent.mouseDown(await tile(1), { button: 0 });
    await waitFor(() => expect(bridge.callsTo('export.downloadLink')).toHaveLength(1));
    const uid = bridge.callsTo('export.downloadLink')[0]?.uid ?? '';
    const one = await dragTile(1);
    // A page drag still (albums take it), carrying the original as a download under its real name.
    expect(one.wentOn).toBe(true);
    expect(one.data.has(PHOTO_DRAG_TYPE)).toBe(true);
    expect(one.data.get('DownloadURL')).toBe(`image/jpeg:IMG_${uid}.jpg:${location.origin}/downloads/${uid}`);
    expect(bridge.callsTo('export.dragOut')).toEqual([]);

    await fireEvent.click(await tile(3), { shiftKey: true });
    const many = await dragTile(3);
    expect(many.data.has('DownloadURL')).toBe(false);
    await fireEvent(window, new MouseEvent('dragleave', { clientX: 0, clientY: 0, relatedTarget: null }));
    expect(await screen.findByText(/A browser drags one photo at a time out of the page. For these 3 photos, use Export…/)).toBeTruthy();
    expect(within(screen.getByTestId('toasts')).getByRole('button', { name: 'Export…' })).toBeTruthy();
  });
});
