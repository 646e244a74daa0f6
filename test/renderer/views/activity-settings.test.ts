import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { ActivityEntry } from '../../../shared/events/schema';
import App from '../../../renderer/App.svelte';
import { setBridgeForTests } from '../../../renderer/lib/api';
import { FakeBridge, makePhotos, photoUid } from '../helpers/fake-bridge';

const ONLINE = { state: 'online', serverUrl: 'https://photos.example.com', userName: 'alice' } as const;

afterEach(() => {
  cleanup();
  setBridgeForTests(undefined);
  vi.restoreAllMocks();
});

function entry(partial: Partial<ActivityEntry> & Pick<ActivityEntry, 'id' | 'summary'>): ActivityEntry {
  return {
    event: { event: 'photos.updated', data: { entities: [{ UID: photoUid(1) }, { UID: photoUid(2) }, { UID: photoUid(3) }] } },
    origin: 'local',
    status: 'pushed',
    createdAt: Date.now() - 5 * 60_000,
    groupId: null,
    companion: false,
    ...partial,
  };
}

async function setup(configure: (bridge: FakeBridge) => void = () => undefined) {
  const bridge = new FakeBridge({ photos: makePhotos(20), status: ONLINE });
  configure(bridge);
  setBridgeForTests(bridge);
  render(App);
  await screen.findByTestId('view-title');
  return { bridge };
}

describe('Activity', () => {
  test('lists events as sentences with origin, status, time and the raw JSON as synced', async () => {
    const { bridge } = await setup((fake) => {
      fake.activity = [
        entry({ id: '1', summary: 'Favourited 3 photos' }),
        entry({ id: '2', summary: 'Added 1 photo to “Holiday 2024”', origin: 'remote', status: 'applied' }),
        entry({
          id: '3',
          summary: 'Ignored a record that was not a Photoflare event',
          origin: 'remote',
          status: 'quarantined',
          event: null,
        }),
        entry({ id: '4', summary: 'Archived 1 photo', status: 'local-only' }),
        entry({ id: '5', summary: 'Favourited 1 photo', status: 'pending', createdAt: Date.now() }),
      ];
    });
    await fireEvent.click(screen.getByTestId('sidebar-activity'));
    const entries = await screen.findAllByTestId('activity-entry');
    expect(entries).toHaveLength(5);
    expect(entries[0]?.textContent).toContain('Favourited 3 photos');
    expect(entries[0]?.textContent).toContain('This Mac');
    expect(entries[0]?.textContent).toContain('Synced');
    expect(entries[0]?.textContent).toContain('5 min ago');
    expect(entries[1]?.textContent).toContain('From iCloud');
    expect(entries[1]?.textContent).toContain('Applied');
    expect(entries[2]?.textContent).toContain('Ignored — quarantined');
    expect(entries[3]?.textContent).toContain('Only on this Mac');
    expect(entries[4]?.textContent).toContain('Waiting to sync');
    expect(entries[4]?.textContent).toContain('Just now');
    const json = within(entries[0] as HTMLElement).getByTestId('activity-json').textContent ?? '';
    expect(JSON.parse(json)).toEqual(bridge.activity[0]?.event);
    expect(screen.getByTestId('activity').textContent).toMatch(/all that goes to iCloud/);
  });

  test('re-reads on activity.changed', async () => {
    const { bridge } = await setup();
    await fireEvent.click(screen.getByTestId('sidebar-activity'));
    expect(await screen.findByTestId('activity-empty')).toBeTruthy();
    bridge.activity = [entry({ id: '9', summary: 'Removed 2 photos from “Family”' })];
    bridge.emit('activity.changed', {});
    expect((await screen.findByTestId('activity-entry')).textContent).toContain('Removed 2 photos from “Family”');
  });
});

describe('sync status line and Settings', () => {
  test('the title bar shows the status line; clicking it opens the iCloud Sync settings', async () => {
    await setup();
    const status = await screen.findByTestId('sync-status');
    expect(status.textContent).toContain('iCloud Sync is off');
    expect(status.dataset['tone']).toBe('normal');
    await fireEvent.click(status);
    expect(await screen.findByTestId('settings-sync')).toBeTruthy();
  });

  test('follows sync.status events, in colour only when something is wrong', async () => {
    const { bridge } = await setup();
    await screen.findByTestId('sync-status');
    bridge.emit('sync.status', {
      state: { name: 'syncing', phase: 'pushing', done: 0, total: 12 },
      pendingCount: 12,
      photoprism: 'online',
    });
    await waitFor(() => expect(screen.getByTestId('sync-status').textContent).toContain('Syncing 12 events…'));
    bridge.emit('sync.status', { state: { name: 'error', kind: 'quota-full', message: 'Full.' }, pendingCount: 3, photoprism: 'online' });
    await waitFor(() => expect(screen.getByTestId('sync-status').dataset['tone']).toBe('attention'));
  });

  test('turning sync on, signing in (the page opens iCloud in a new tab), then Sync Now and Pause', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const { bridge } = await setup();
    await fireEvent.click(screen.getByTestId('sidebar-settings'));
    const section = await screen.findByTestId('settings-sync');
    // As the page shows it: HTML collapses runs of white space (the markup may wrap the sentence).
    expect(section.textContent.replace(/\s+/g, ' ')).toMatch(/never photos, titles, file names, server addresses or credentials/);
    await fireEvent.click(within(section).getByTestId('sync-toggle'));
    await waitFor(() => expect(bridge.callsTo('sync.setEnabled')).toEqual([{ enabled: true }]));
    expect((await within(section).findByTestId('settings-sync-status')).textContent).toBe('Sign in to iCloud to sync');
    // Apple's sign-in lasts 30 minutes unless the person ticks "Keep me signed in" (two weeks).
    expect(within(section).getByTestId('sync-keep-signed-in').textContent).toMatch(/tick “Keep me signed in”/);
    bridge.handle('sync.signIn', () => {
      bridge.emit('sync.openSignIn', { url: 'https://idmsa.apple.com/signin?x=1' });
      return (bridge.syncStatus = { ...bridge.syncStatus, state: { name: 'idle', lastSyncedAt: null } });
    });
    await fireEvent.click(within(section).getByTestId('sync-sign-in'));
    await waitFor(() => expect(open).toHaveBeenCalledWith('https://idmsa.apple.com/signin?x=1', '_blank', 'noopener'));
    await waitFor(() => expect(within(section).getByTestId('settings-sync-status').textContent).toBe('Up to date'));
    await fireEvent.click(within(section).getByTestId('sync-now'));
    await fireEvent.click(within(section).getByTestId('sync-pause'));
    await waitFor(() => expect(within(section).getByTestId('settings-sync-status').textContent).toBe('Paused'));
    expect(bridge.callsTo('sync.now')).toHaveLength(1);
    expect(within(section).getByTestId('sync-resume')).toBeTruthy();
  });

  test('Delete iCloud data asks first, says what it does, and leaves sync off', async () => {
    const { bridge } = await setup((fake) => {
      fake.syncStatus = { state: { name: 'idle', lastSyncedAt: Date.now() - 120_000 }, pendingCount: 2, photoprism: 'online' };
    });
    await fireEvent.click(screen.getByTestId('sidebar-settings'));
    const section = await screen.findByTestId('settings-sync');
    expect(within(section).getByTestId('settings-sync-status').textContent).toBe('Up to date — synced 2 min ago');
    expect(section.textContent).toContain('2 changes waiting to sync');
    await fireEvent.click(within(section).getByTestId('sync-delete-data'));
    const dialog = await screen.findByTestId('confirm-delete-cloud');
    expect(dialog.textContent).toMatch(/turns iCloud Sync off/);
    expect(bridge.callsTo('sync.deleteCloudData')).toEqual([]);
    await fireEvent.click(within(dialog).getByTestId('confirm'));
    await waitFor(() => expect(bridge.callsTo('sync.deleteCloudData')).toHaveLength(1));
    await waitFor(() => expect(within(section).getByTestId<HTMLInputElement>('sync-toggle').checked).toBe(false));
  });

  test('View iCloud data lists the records fetched from iCloud', async () => {
    const { bridge } = await setup((fake) => {
      fake.syncStatus = { state: { name: 'idle', lastSyncedAt: null }, pendingCount: 0, photoprism: 'online' };
      fake.handle('sync.cloudData', () => [
        { recordName: 'evt-1', event: { event: 'albums.created', data: { entities: [{ UID: 'a000000000000001' }] } } },
        { recordName: 'evt-2', event: null },
      ]);
    });
    await fireEvent.click(screen.getByTestId('sidebar-settings'));
    await fireEvent.click(await screen.findByTestId('sync-view-data'));
    const data = await screen.findByTestId('cloud-data');
    expect(data.textContent).toContain('evt-1');
    expect(data.textContent).toContain('{"event":"albums.created","data":{"entities":[{"UID":"a000000000000001"}]}}');
    expect(data.textContent).toContain('not a valid event');
    expect(bridge.callsTo('sync.cloudData')).toHaveLength(1);
  });

  test('zone deleted: explains and offers Upload Again or Turn Off iCloud Sync', async () => {
    const { bridge } = await setup((fake) => {
      fake.syncStatus = { state: { name: 'error', kind: 'zone-deleted', message: 'x' }, pendingCount: 0, photoprism: 'online' };
    });
    await fireEvent.click(screen.getByTestId('sidebar-settings'));
    const section = await screen.findByTestId('settings-sync');
    expect(section.textContent).toMatch(/deleted from iCloud/);
    expect(within(section).getByTestId('sync-turn-off').textContent).toBe('Turn Off iCloud Sync');
    await fireEvent.click(within(section).getByTestId('sync-upload-again'));
    await waitFor(() => expect(bridge.callsTo('sync.uploadAgain')).toHaveLength(1));
  });

  test('live updates unavailable: Settings says changes still arrive, just not at once', async () => {
    const { bridge } = await setup((fake) => {
      fake.syncStatus = { state: { name: 'idle', lastSyncedAt: null }, pendingCount: 0, photoprism: 'online', liveUpdates: 'on' };
    });
    await fireEvent.click(screen.getByTestId('sidebar-settings'));
    const section = await screen.findByTestId('settings-sync');
    expect(within(section).queryByTestId('sync-live-unavailable')).toBeNull();
    bridge.emit('sync.status', {
      state: { name: 'idle', lastSyncedAt: null },
      pendingCount: 0,
      photoprism: 'online',
      liveUpdates: 'unavailable',
    });
    await waitFor(() => expect(within(section).getByTestId('sync-live-unavailable').textContent).toMatch(/every few minutes/));
  });

  test('zone deleted: Turn Off iCloud Sync turns sync off instead', async () => {
    const { bridge } = await setup((fake) => {
      fake.syncStatus = { state: { name: 'error', kind: 'zone-deleted', message: 'x' }, pendingCount: 0, photoprism: 'online' };
    });
    await fireEvent.click(screen.getByTestId('sidebar-settings'));
    const section = await screen.findByTestId('settings-sync');
    await fireEvent.click(within(section).getByTestId('sync-turn-off'));
    await waitFor(() => expect(bridge.callsTo('sync.setEnabled')).toEqual([{ enabled: false }]));
    expect(bridge.callsTo('sync.uploadAgain')).toHaveLength(0);
  });

  test('a different iCloud account: explains and asks before using it', async () => {
    const { bridge } = await setup((fake) => {
      fake.syncStatus = { state: { name: 'error', kind: 'account-changed', message: 'x' }, pendingCount: 2, photoprism: 'online' };
    });
    await fireEvent.click(screen.getByTestId('sidebar-settings'));
    const section = await screen.findByTestId('settings-sync');
    expect(section.textContent).toMatch(/different Apple ID/);
    expect(bridge.callsTo('sync.confirmAccountSwitch')).toHaveLength(0);
    await fireEvent.click(within(section).getByTestId('sync-confirm-account'));
    await waitFor(() => expect(bridge.callsTo('sync.confirmAccountSwitch')).toHaveLength(1));
  });

  test('web access off and a full iCloud say what the person can do', async () => {
    const { bridge } = await setup((fake) => {
      fake.syncStatus = { state: { name: 'error', kind: 'web-access-off', message: 'x' }, pendingCount: 0, photoprism: 'online' };
    });
    await fireEvent.click(screen.getByTestId('sidebar-settings'));
    const section = await screen.findByTestId('settings-sync');
    expect(section.textContent).toContain('turn on “Access iCloud Data on the Web”');
    bridge.emit('sync.status', { state: { name: 'error', kind: 'quota-full', message: 'x' }, pendingCount: 4, photoprism: 'online' });
    await waitFor(() => expect(section.textContent).toMatch(/Free up space or upgrade your iCloud plan/));
    bridge.emit('sync.status', {
      state: { name: 'error', kind: 'container-not-set-up', message: 'x' },
      pendingCount: 4,
      photoprism: 'online',
    });
    await waitFor(() =>
      expect(within(section).getByTestId('settings-sync-status').textContent).toBe('The iCloud container is not set up for Photoflare'),
    );
    expect(within(section).getByTestId('sync-container-not-set-up').textContent).toMatch(/docs\/cloudkit-schema\.ckdb/);
    expect(within(section).getByTestId('sync-now')).not.toHaveProperty('disabled', true);
  });

  test('appearance and thumbnail cache go to settings.update', async () => {
    const { bridge } = await setup();
    await fireEvent.click(screen.getByTestId('sidebar-settings'));
    await fireEvent.click(await screen.findByLabelText('Dark'));
    await waitFor(() => expect(bridge.callsTo('settings.update')).toContainEqual({ theme: 'dark' }));
    await waitFor(() => expect(document.documentElement.dataset['theme']).toBe('dark'));
    await fireEvent.change(screen.getByTestId('cache-size'), { target: { value: '5120' } });
    await waitFor(() => expect(bridge.callsTo('settings.update')).toContainEqual({ thumbnailCacheMiB: 5120 }));
    expect(screen.getByTestId('settings-server').textContent).toBe('https://photos.example.com');
  });

  test('web shell: Download Diagnostics saves the report main made as a file', async () => {
    const { bridge } = await setup((fake) =>
      fake.handle('app.diagnostics', () => ({ fileName: 'Photoflare-Diagnostics-x.txt', text: 'Photoflare diagnostics\n' })),
    );
    const createObjectURL = vi.fn(() => 'blob:report');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const clicked: { download: string; href: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ download: this.download, href: this.href });
    });
    await fireEvent.click(screen.getByTestId('sidebar-settings'));
    const button = await screen.findByRole('button', { name: 'Download Diagnostics' });
    button.focus();
    await fireEvent.click(button);
    await waitFor(() => expect(clicked).toEqual([{ download: 'Photoflare-Diagnostics-x.txt', href: 'blob:report' }]));
    expect(bridge.callsTo('app.diagnostics')).toHaveLength(1);
  });

  test('Settings says where sign-ins are kept, and warns when that is only a fallback key', async () => {
    await setup((bridge) =>
      bridge.handle('app.info', () => ({
        name: 'Photoflare',
        version: '0.1.0',
        profile: 'test',
        shell: 'electron',
        platform: 'linux',
        secretStorage: { description: 'a file encrypted with a key built into Electron', weak: true },
      })),
    );
    await fireEvent.click(screen.getByTestId('sidebar-settings'));
    const line = await screen.findByTestId('settings-secret-storage');
    expect(line.textContent?.trim()).toBe('Not protected: your sign-ins are kept in a file encrypted with a key built into Electron.');
    expect(line.classList.contains('weak')).toBe(true);
  });
});
