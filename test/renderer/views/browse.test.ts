import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, test } from 'vitest';
import App from '../../../renderer/App.svelte';
import { setBridgeForTests } from '../../../renderer/lib/api';
import type { ConnectionStatus } from '../../../shared/library/schemas';
import { FakeBridge, makePhotos, photoUid } from '../helpers/fake-bridge';

const OFFLINE: Partial<ConnectionStatus> = { state: 'offline', serverUrl: 'https://photos.example.com', userName: 'alice' };

afterEach(() => {
  cleanup();
  setBridgeForTests(undefined);
});

/** Offline, with People listed before: Anna opened (cached), Ben never opened. */
async function setup() {
  const bridge = new FakeBridge({ photos: makePhotos(20), status: OFFLINE });
  bridge.browseLists.set('people', {
    section: 'people',
    fetchedAt: Date.UTC(2024, 11, 1),
    items: [
      { key: 'jaaaaaaaaaaaaaa1', title: 'Anna Berg', subtitle: '', group: '', photoCount: 3, coverUid: photoUid(1), cached: true },
      { key: 'jaaaaaaaaaaaaaa2', title: 'Ben Carter', subtitle: '', group: '', photoCount: 5, coverUid: null, cached: false },
    ],
  });
  bridge.browsePhotos.set('people/jaaaaaaaaaaaaaa1', [photoUid(1), photoUid(4), photoUid(7)]);
  setBridgeForTests(bridge);
  render(App);
  await screen.findByTestId('view-title');
  return { bridge };
}

describe('Browse pages', () => {
  test('the sidebar counts them; offline a page shows what was cached and says so', async () => {
    await setup();
    await waitFor(() => expect(screen.getByTestId('sidebar-browse-people').textContent).toMatch(/People\s*2/));
    await fireEvent.click(screen.getByTestId('sidebar-browse-people'));
    expect((await screen.findByTestId('browse-title')).textContent).toContain('People');
    await waitFor(() => expect(screen.getByTestId('browse-note').textContent).toMatch(/^Offline — showing people as of/));
    const covers = screen.getAllByTestId('cover');
    expect(covers.map((c) => c.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['Anna Berg 3 photos', 'B Ben Carter 5 photos']);
    // Never opened: dimmed, and opening it says why nothing can be shown.
    expect(covers[1]?.classList.contains('dimmed')).toBe(true);
    await fireEvent.click(covers[1] as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('browse-error').textContent).toMatch(/“Ben Carter” was never opened while connected/));
    expect(screen.getByTestId('browse-title').textContent).toContain('People');
  });

  test('a cached person opens as a grid of their photos, with a note and a way back', async () => {
    await setup();
    await fireEvent.click(screen.getByTestId('sidebar-browse-people'));
    await waitFor(() => expect(screen.getAllByTestId('cover')).toHaveLength(2));
    await fireEvent.click(screen.getAllByTestId('cover')[0] as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('view-title').textContent).toContain('Anna Berg'));
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toContain('3 photos'));
    expect(screen.getByTestId('browse-open-note').textContent).toContain('PhotoPrism cannot be reached right now.');
    await fireEvent.click(screen.getByTestId('browse-back'));
    expect((await screen.findByTestId('browse-title')).textContent).toContain('People');
  });
});
