import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, describe, expect, test } from 'vitest';
import Viewer from '../../../renderer/components/Viewer.svelte';
import { setBridgeForTests } from '../../../renderer/lib/api';
import { contextMap } from '../../../renderer/lib/context';
import { ConnectionState } from '../../../renderer/lib/state/connection.svelte';
import { CurationState } from '../../../renderer/lib/state/curation.svelte';
import { ToastState } from '../../../renderer/lib/state/toasts.svelte';
import { LibraryState } from '../../../renderer/lib/state/library.svelte';
import { ViewerState } from '../../../renderer/lib/state/viewer.svelte';
import { detailsOf, FakeBridge, makePhotos } from '../helpers/fake-bridge';

afterEach(() => {
  cleanup();
  setBridgeForTests(undefined);
});

async function setup() {
  const bridge = new FakeBridge({ photos: makePhotos(500) });
  setBridgeForTests(bridge);
  const library = new LibraryState();
  await library.load();
  const viewer = new ViewerState(library);
  const curation = new CurationState({ library, viewer, toasts: new ToastState() });
  render(Viewer, { context: contextMap({ library, viewer, curation, connection: new ConnectionState() }) });
  return { bridge, library, viewer };
}

/** A key press once the page has caught up: the viewer's key scope comes with its dialog, after `open()` renders. */
const key = async (k: string, init: KeyboardEventInit = {}) => {
  await tick();
  return fireEvent.keyDown(window, { key: k, ...init });
};

describe('Viewer', () => {
  test('opens on a photo and shows its position in the view', async () => {
    const { viewer } = await setup();
    expect(screen.queryByTestId('viewer')).toBeNull();
    viewer.open(3);
    await waitFor(() => expect(screen.getByTestId('viewer-counter').textContent).toBe('4 of 490'));
    expect(screen.getByTestId('viewer-title').textContent).toBe('Photo 3');
    // A native modal <dialog> with the keyboard focus: the grid behind it is inert.
    const dialog = screen.getByTestId('viewer');
    expect(dialog.tagName).toBe('DIALOG');
    expect((dialog as HTMLDialogElement).open).toBe(true);
    expect(dialog.contains(document.activeElement)).toBe(true);
  });

  test('← and → walk the view, Esc closes and hands the focus back to the grid', async () => {
    const { viewer, library } = await setup();
    viewer.open(3);
    await key('ArrowRight');
    await key('ArrowRight');
    await waitFor(() => expect(screen.getByTestId('viewer-title').textContent).toBe('Photo 5'));
    await key('ArrowLeft');
    await waitFor(() => expect(screen.getByTestId('viewer-counter').textContent).toBe('5 of 490'));
    await key('Escape');
    await waitFor(() => expect(screen.queryByTestId('viewer')).toBeNull());
    expect(library.focus.focusIndex).toBe(4);
  });

  test('I toggles the info panel with metadata from the cache', async () => {
    const { viewer, bridge } = await setup();
    viewer.open(0);
    await key('i');
    await waitFor(() => expect(screen.getByTestId('viewer-info').textContent).toMatch(/Apple iPhone 15 Pro/));
    expect(screen.getByTestId('viewer-info').textContent).toMatch(/Lisbon, Portugal/);
    expect(bridge.callsTo('photo.details')).toEqual([{ uid: viewer.photo?.uid }]);
    await key('i');
    await waitFor(() => expect(screen.queryByTestId('viewer-info')).toBeNull());
  });

  test('the info panel loads again for a photo left and come back to with the panel closed', async () => {
    const { viewer } = await setup();
    viewer.open(0);
    await key('i');
    await waitFor(() => expect(screen.getByTestId('viewer-info').textContent).toMatch(/Apple iPhone 15 Pro/));
    await key('i');
    await key('ArrowRight');
    await key('ArrowLeft');
    await waitFor(() => expect(viewer.index).toBe(0));
    await key('i');
    await waitFor(() => expect(screen.getByTestId('viewer-info').textContent).toMatch(/Apple iPhone 15 Pro/));
  });

  test('favourite, private and archive are toolbar buttons that show the state and act on the open photo', async () => {
    const { viewer, bridge } = await setup();
    viewer.open(1);
    const favourite = await screen.findByRole('button', { name: 'Favourite' });
    expect(favourite.getAttribute('aria-pressed')).toBe('false');
    await fireEvent.click(favourite);
    await waitFor(() => expect(favourite.getAttribute('aria-pressed')).toBe('true'));
    expect(screen.getByTestId('viewer-badges').textContent).toMatch(/Favourite/);
    expect(bridge.callsTo('actions.setFavorite')).toEqual([{ uids: [viewer.photo?.uid], favorite: true }]);

    await fireEvent.click(screen.getByRole('button', { name: 'Private' }));
    await waitFor(() => expect(bridge.callsTo('actions.setPrivate')).toEqual([{ uids: [viewer.photo?.uid], private: true }]));
    await waitFor(() => expect(screen.getByTestId('viewer-badges').textContent).toMatch(/Private/));

    const uid = viewer.photo?.uid;
    await fireEvent.click(screen.getByRole('button', { name: 'Archive' }));
    await waitFor(() => expect(bridge.callsTo('actions.setArchived')).toEqual([{ uids: [uid], archived: true }]));
  });

  test('the info panel shows coordinates, and "Show in album" opens the album', async () => {
    const { viewer, bridge, library } = await setup();
    const album = bridge.albums[0] as { uid: string; title: string };
    bridge.handle('photo.details', ({ uid }) => {
      const photo = bridge.photos.find((candidate) => candidate.uid === uid);
      if (!photo) throw new Error('no such photo');
      return { ...detailsOf(photo), albums: [{ uid: album.uid, title: album.title }] };
    });
    viewer.open(0);
    await key('i');
    await waitFor(() => expect(screen.getByTestId('viewer-coordinates').textContent).toBe('38.72000° N, 9.14000° W'));
    await fireEvent.click(screen.getByRole('button', { name: album.title }));
    await waitFor(() => expect(library.view).toEqual({ kind: 'album', albumUid: album.uid }));
    expect(viewer.isOpen).toBe(false);
  });

  test('keys typed in a text field do not navigate', async () => {
    const { viewer } = await setup();
    viewer.open(3);
    const input = document.createElement('input');
    document.body.append(input);
    await fireEvent.keyDown(input, { key: 'ArrowRight' });
    expect(viewer.index).toBe(3);
    input.remove();
  });
});
