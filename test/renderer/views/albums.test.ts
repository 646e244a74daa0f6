import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, test } from 'vitest';
import App from '../../../renderer/App.svelte';
import { setBridgeForTests } from '../../../renderer/lib/api';
import { FakeBridge, makePhotos } from '../helpers/fake-bridge';

const ONLINE = { state: 'online', serverUrl: 'https://photos.example.com', userName: 'alice' } as const;

afterEach(() => {
  cleanup();
  setBridgeForTests(undefined);
});

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
    await fireEvent.click(screen.getAllByTestId('sidebar-album').find((item) => item.textContent?.includes('Trips'))!);
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('4 photos'));
    await waitFor(() => expect(document.querySelectorAll('[role="gridcell"] img').length).toBe(4));
    expect(monthHeaders()).toBe(0);
  });
});
