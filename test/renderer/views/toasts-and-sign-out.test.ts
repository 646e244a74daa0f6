import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { AppError } from '../../../shared/errors';
import type { ConnectionStatus } from '../../../shared/library/schemas';
import App from '../../../renderer/App.svelte';
import { setBridgeForTests } from '../../../renderer/lib/api';
import { INFO_TOAST_MS, ToastState } from '../../../renderer/lib/state/toasts.svelte';
import { FakeBridge, SIGNED_OUT, makePhotos } from '../helpers/fake-bridge';

const ONLINE: ConnectionStatus = { ...SIGNED_OUT, state: 'online', serverUrl: 'https://photos.example.com', userName: 'alice' };

afterEach(() => {
  cleanup();
  setBridgeForTests(undefined);
  vi.useRealTimers();
});

async function setup() {
  const bridge = new FakeBridge({ photos: makePhotos(30, 10), status: ONLINE });
  setBridgeForTests(bridge);
  render(App);
  await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('30 photos'));
  return { bridge };
}

const press = (key: string) => fireEvent.keyDown(window, { key });

describe('toasts', () => {
  test('one toast per cause: a new one replaces the old; resolve() takes it away', () => {
    const toasts = new ToastState();
    toasts.error("Couldn't favourite 1 photo", 'Offline.', 'connection');
    toasts.error("Couldn't archive 2 photos", 'Offline.', 'connection');
    toasts.error('Something else', 'Broken.');
    toasts.error('Something else', 'Broken again.');
    expect(toasts.items.map((toast) => toast.title)).toEqual(["Couldn't archive 2 photos", 'Something else']);
    expect(toasts.items[1]?.detail).toBe('Broken again.');
    toasts.resolve('connection');
    expect(toasts.items.map((toast) => toast.title)).toEqual(['Something else']);
  });

  test('a hint is its own tone and fades like a confirmation', () => {
    vi.useFakeTimers();
    const toasts = new ToastState();
    toasts.hint('Select some photos first.');
    toasts.hint('Select some photos first.');
    expect(toasts.items).toEqual([expect.objectContaining({ tone: 'hint', title: 'Select some photos first.' })]);
    vi.advanceTimersByTime(INFO_TOAST_MS);
    expect(toasts.items).toEqual([]);
    toasts.dispose();
  });

  test('failures while the server is unreachable show once and clear when it answers again', async () => {
    const { bridge } = await setup();
    bridge.handle('actions.setFavorite', () => {
      throw new AppError('network', "Can't reach your PhotoPrism server.");
    });
    const grid = screen.getByTestId('photo-grid');
    grid.focus();
    await fireEvent.keyDown(grid, { key: 'ArrowRight' });
    await press('.');
    await screen.findByTestId('toast-error');
    await press('.');
    await waitFor(() => expect(bridge.callsTo('actions.setFavorite')).toHaveLength(2));
    await waitFor(() => expect(screen.getAllByTestId('toast-error')).toHaveLength(1));
    bridge.emit('connection.changed', { ...ONLINE, state: 'offline' });
    bridge.emit('connection.changed', ONLINE);
    await waitFor(() => expect(screen.queryByTestId('toast-error')).toBeNull());
  });

  test('“select some photos first” is a hint, not a ✓', async () => {
    await setup();
    await press('.');
    const toast = await screen.findByTestId('toast-hint');
    expect(toast.textContent).toContain('Select some photos first.');
    expect(toast.textContent).not.toContain('✓');
  });
});

describe('sign out', () => {
  test('asks first; Cancel keeps the session', async () => {
    const { bridge } = await setup();
    await fireEvent.click(screen.getByTestId('sign-out'));
    const dialog = await screen.findByTestId('confirm-sign-out');
    expect(dialog.textContent).toContain('Sign out of photos.example.com?');
    await fireEvent.click(within(dialog).getByText('Cancel'));
    expect(screen.queryByTestId('confirm-sign-out')).toBeNull();
    expect(bridge.callsTo('connection.signOut')).toEqual([]);
  });

  test('the cached library stays browsable behind a “signed out” banner, with Sign In… on it', async () => {
    const { bridge } = await setup();
    await fireEvent.click(screen.getByTestId('sign-out'));
    await fireEvent.click(within(await screen.findByTestId('confirm-sign-out')).getByTestId('confirm'));
    await waitFor(() => expect(bridge.callsTo('connection.signOut')).toHaveLength(1));
    const banner = await screen.findByTestId('signed-out-banner');
    expect(banner.textContent).toContain('Signed out of https://photos.example.com');
    expect(screen.getByTestId('photo-grid')).toBeTruthy();
    expect(screen.getByTestId('view-subtitle').textContent).toBe('30 photos');
    await fireEvent.click(within(banner).getByText('Sign In…'));
    expect(await screen.findByRole('dialog', { name: 'Sign in' })).toBeTruthy();
  });
});
