import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, test } from 'vitest';
import App from '../../../renderer/App.svelte';
import { setBridgeForTests } from '../../../renderer/lib/api';
import type { StartupNotice } from '../../../shared/notices';
import { FakeBridge } from '../helpers/fake-bridge';

afterEach(() => {
  cleanup();
  setBridgeForTests(undefined);
});

const DATABASE: StartupNotice = {
  id: 'database.recovered',
  severity: 'warning',
  title: 'Your library database was repaired',
  message: "Photoflare's library database was damaged, so it started a new one. 3 changes from your history were saved.",
  asksSyncChoice: false,
};
const SYNC_QUESTION: StartupNotice = {
  id: 'settings.syncUndecided',
  severity: 'warning',
  title: 'Should iCloud Sync be on?',
  message: 'Photoflare could not read whether iCloud Sync was on.',
  asksSyncChoice: true,
};

describe('start-up notices', () => {
  test('shows what main repaired, once: OK dismisses it in main', async () => {
    let notices = [DATABASE];
    const bridge = new FakeBridge()
      .handle('app.notices', () => notices)
      .handle('app.dismissNotice', ({ id }) => (notices = notices.filter((n) => n.id !== id)));
    setBridgeForTests(bridge);
    render(App);
    const card = await screen.findByRole('alert', { name: 'Your library database was repaired' });
    expect(card.textContent).toContain('3 changes from your history were saved');
    await fireEvent.click(screen.getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(screen.queryByTestId('startup-notices')).toBeNull());
    expect(bridge.calls.some((call) => call.channel === 'app.dismissNotice')).toBe(true);
  });

  test('asks about iCloud Sync instead of assuming: Keep It Off answers through sync.setEnabled', async () => {
    let notices = [SYNC_QUESTION];
    const bridge = new FakeBridge().handle('app.notices', () => notices);
    bridge.handle('sync.setEnabled', ({ enabled }) => {
      notices = [];
      return { ...bridge.syncStatus, state: enabled ? { name: 'needs-sign-in', reason: '' } : { name: 'disabled' } };
    });
    setBridgeForTests(bridge);
    render(App);
    await screen.findByRole('alert', { name: 'Should iCloud Sync be on?' });
    expect(screen.queryByRole('button', { name: 'OK' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Keep It Off' }));
    await waitFor(() => expect(screen.queryByTestId('startup-notices')).toBeNull());
    expect(bridge.calls.find((call) => call.channel === 'sync.setEnabled')?.request).toEqual({ enabled: false });
  });

  test('a failed answer says why and keeps the question', async () => {
    const bridge = new FakeBridge().handle('app.notices', () => [SYNC_QUESTION]);
    bridge.handle('sync.setEnabled', () => {
      throw new Error('iCloud Sync is not available in this build.');
    });
    setBridgeForTests(bridge);
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Turn iCloud Sync On' }));
    expect(await screen.findByText(/not available in this build/)).toBeTruthy();
    expect(screen.getByRole('alert', { name: 'Should iCloud Sync be on?' })).toBeTruthy();
  });
});
