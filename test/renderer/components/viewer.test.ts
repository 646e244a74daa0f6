import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, test } from 'vitest';
import Viewer from '../../../renderer/components/Viewer.svelte';
import { setBridgeForTests } from '../../../renderer/lib/api';
import { contextMap } from '../../../renderer/lib/context';
import { LibraryState } from '../../../renderer/lib/state/library.svelte';
import { ViewerState } from '../../../renderer/lib/state/viewer.svelte';
import { FakeBridge, makePhotos } from '../helpers/fake-bridge';

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
  render(Viewer, { context: contextMap({ library, viewer }) });
  return { bridge, library, viewer };
}

const key = (k: string, init: KeyboardEventInit = {}) => fireEvent.keyDown(window, { key: k, ...init });

describe('Viewer', () => {
  test('opens on a photo and shows its position in the view', async () => {
    const { viewer } = await setup();
    expect(screen.queryByTestId('viewer')).toBeNull();
    viewer.open(3);
    await waitFor(() => expect(screen.getByTestId('viewer-counter').textContent).toBe('4 of 490'));
    expect(screen.getByTestId('viewer-title').textContent).toBe('Photo 3');
    const full = screen.getByAltText<HTMLImageElement>('Photo 3');
    expect(full.getAttribute('src')).toBe(`/thumbs/${viewer.photo?.uid}/fit_1920`);
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
    expect(library.focusIndex).toBe(4);
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
