import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, test } from 'vitest';
import App from '../../renderer/App.svelte';
import { setBridgeForTests } from '../../renderer/lib/api';
import { FakeBridge, makePhotos } from './helpers/fake-bridge';

afterEach(() => {
  cleanup();
  setBridgeForTests(undefined);
});

const ONLINE = { state: 'online', serverUrl: 'https://photos.example.com', userName: 'alice' } as const;

describe('App', () => {
  test('signed out: onboarding with the app info footer', async () => {
    setBridgeForTests(new FakeBridge());
    render(App);
    expect(await screen.findByRole('heading', { name: 'Photoflare' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Connect to your PhotoPrism server' })).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('app-info').textContent).toMatch(/Photoflare 0\.1\.0 · web shell · profile/));
    expect(screen.getByTestId('titlebar-status')).toBeTruthy();
  });

  test('without a connection service yet, onboarding still shows', async () => {
    const bridge = new FakeBridge();
    bridge.handle('connection.status', () => {
      throw new Error('not implemented');
    });
    setBridgeForTests(bridge);
    render(App);
    expect(await screen.findByRole('heading', { name: 'Connect to your PhotoPrism server' })).toBeTruthy();
  });

  test('signing in switches to the library', async () => {
    setBridgeForTests(new FakeBridge({ photos: makePhotos(300) }));
    render(App);
    await fireEvent.input(await screen.findByLabelText('Server address'), { target: { value: 'photos.example.com' } });
    await fireEvent.input(screen.getByLabelText('User name'), { target: { value: 'alice' } });
    await fireEvent.input(screen.getByLabelText('Password or app password'), { target: { value: 'secret' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await waitFor(() => expect(screen.getByTestId('view-title').textContent).toBe('Library'));
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('294 photos'));
  });

  test('offline: the banner says since when, and the cached library stays browsable', async () => {
    const bridge = new FakeBridge({
      photos: makePhotos(300),
      status: { ...ONLINE, state: 'offline', lastRefreshedAt: Date.UTC(2025, 5, 3, 9, 30) },
    });
    setBridgeForTests(bridge);
    render(App);
    const banner = await screen.findByTestId('offline-banner');
    expect(banner.textContent?.replace(/\s+/g, ' ')).toMatch(/Can't reach your PhotoPrism server — showing your library as of .*2025/);
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('294 photos'));
    await fireEvent.click(screen.getByTestId('sidebar-favorites'));
    await waitFor(() => expect(screen.getByTestId('view-title').textContent).toBe('Favourites'));
  });

  test('offline before the first download finished: the banner says the rest of the library needs the server', async () => {
    setBridgeForTests(new FakeBridge({ photos: makePhotos(300), status: { ...ONLINE, state: 'offline', lastRefreshedAt: null } }));
    render(App);
    const banner = await screen.findByTestId('offline-banner');
    const text = banner.textContent?.replace(/\s+/g, ' ') ?? '';
    expect(text).toMatch(/had not finished downloading/);
    expect(text).toMatch(/the rest appear once the server can be reached/);
    expect(text).not.toMatch(/as of/);
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('294 photos'));
  });

  test('connection.changed moves between online and offline without a reload', async () => {
    const bridge = new FakeBridge({ status: ONLINE });
    setBridgeForTests(bridge);
    render(App);
    await screen.findByTestId('view-title');
    expect(screen.queryByTestId('offline-banner')).toBeNull();
    bridge.emit('connection.changed', { ...bridge.status, state: 'offline', lastRefreshedAt: Date.now() });
    expect(await screen.findByTestId('offline-banner')).toBeTruthy();
  });

  test('needs sign-in: a banner with a button that opens the sign-in sheet for the same server', async () => {
    setBridgeForTests(new FakeBridge({ status: { ...ONLINE, state: 'needs-sign-in' } }));
    render(App);
    const banner = await screen.findByTestId('sign-in-banner');
    await fireEvent.click(banner.querySelector('button') as HTMLButtonElement);
    const sheet = await screen.findByRole('dialog', { name: 'Sign in' });
    expect((sheet.querySelector('input[name=server]') as HTMLInputElement).value).toBe('https://photos.example.com');
    expect((sheet.querySelector('input[name=username]') as HTMLInputElement).value).toBe('alice');
    // A native modal <dialog>: the library behind it is inert, and Esc cancels like the Cancel button.
    expect(sheet.tagName).toBe('DIALOG');
    expect((sheet as HTMLDialogElement).open).toBe(true);
    expect(sheet.contains(document.activeElement)).toBe(true);
    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Sign in' })).toBeNull());
  });
});

describe('menu commands (Electron)', () => {
  test('Select All from the menu selects every photo of the view', async () => {
    const bridge = new FakeBridge({ photos: makePhotos(300), status: ONLINE });
    setBridgeForTests(bridge);
    render(App);
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('294 photos'));
    bridge.emit('menu.command', { command: 'edit.selectAll' });
    await waitFor(() => expect(screen.getByTestId('view-subtitle').textContent).toBe('294 of 294 photos selected'));
  });
});
