import { describe, expect, it } from 'vitest';
import type { SyncState, SyncStatus } from '../../../shared/sync/state';
import { buildTrayView, describeStatus, type TrayMenuItem } from '../../../main/tray/tray-menu';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const status = (state: SyncState, extra: Partial<Omit<SyncStatus, 'state'>> = {}): SyncStatus => ({
  state,
  pendingCount: 0,
  photoprism: 'online',
  ...extra,
});
const labels = (menu: readonly TrayMenuItem[]) => menu.map((item) => (item.type === 'separator' ? '---' : item.label));
const item = (menu: readonly TrayMenuItem[], label: string) => {
  const found = menu.find((entry) => entry.type === 'normal' && entry.label === label);
  if (!found || found.type !== 'normal') throw new Error(`no menu item ${label}`);
  return found;
};

describe('tray menu: a pure function of the sync status', () => {
  it('says up to date with the time of the last sync', () => {
    const view = buildTrayView(status({ name: 'idle', lastSyncedAt: NOW - 2 * 60_000 }), NOW);
    expect(view.statusLine).toBe('Up to date — synced 2 min ago');
    expect(view.icon).toBe('up-to-date');
    expect(labels(view.menu)).toEqual([
      'Up to date — synced 2 min ago',
      '---',
      'Sync Now',
      'Pause Sync',
      '---',
      'Open Photoflare',
      'Settings…',
      '---',
      'Quit Photoflare',
    ]);
    expect(item(view.menu, 'Up to date — synced 2 min ago').enabled).toBe(false);
    expect(item(view.menu, 'Sync Now')).toMatchObject({ enabled: true, command: 'sync-now' });
    expect(item(view.menu, 'Quit Photoflare').command).toBe('quit');
  });

  it('says "Up to date" alone before the first sync', () => {
    expect(describeStatus(status({ name: 'idle', lastSyncedAt: null }), NOW).statusLine).toBe('Up to date');
  });

  it('counts what is left while syncing, and greys out Sync Now', () => {
    const view = buildTrayView(status({ name: 'syncing', phase: 'pushing', done: 3, total: 15 }, { pendingCount: 12 }), NOW);
    expect(view.statusLine).toBe('Syncing 12 events…');
    expect(view.icon).toBe('syncing');
    expect(labels(view.menu)[1]).toBe('12 changes waiting to sync');
    expect(item(view.menu, 'Sync Now').enabled).toBe(false);
  });

  it('uses the singular for one event and one change', () => {
    const view = buildTrayView(status({ name: 'syncing', phase: 'pushing', done: 0, total: 1 }, { pendingCount: 1 }), NOW);
    expect(view.statusLine).toBe('Syncing 1 event…');
    expect(labels(view.menu)[1]).toBe('1 change waiting to sync');
  });

  it('says how many changes wait for the PhotoPrism server (the offline queue), apart from those waiting for iCloud', () => {
    const view = buildTrayView(status({ name: 'idle', lastSyncedAt: NOW }, { pendingCount: 2, photoprism: 'offline' }), NOW, 3);
    expect(labels(view.menu).slice(1, 3)).toEqual(['3 changes waiting for PhotoPrism', '2 changes waiting to sync']);
    expect(labels(buildTrayView(status({ name: 'idle', lastSyncedAt: NOW }), NOW, 1).menu)[1]).toBe('1 change waiting for PhotoPrism');
    expect(labels(buildTrayView(status({ name: 'idle', lastSyncedAt: NOW }), NOW, 0).menu)[1]).toBe('---');
  });

  it('offers Resume when paused', () => {
    const view = buildTrayView(status({ name: 'paused' }), NOW);
    expect(view.statusLine).toBe('Paused');
    expect(view.icon).toBe('paused');
    expect(item(view.menu, 'Resume Sync')).toMatchObject({ enabled: true, command: 'resume-sync' });
    expect(labels(view.menu)).not.toContain('Pause Sync');
    expect(item(view.menu, 'Sync Now').enabled).toBe(false);
  });

  it('asks for iCloud sign-in, in colour', () => {
    const view = buildTrayView(status({ name: 'needs-sign-in', reason: 'expired' }), NOW);
    expect(view.statusLine).toBe('Sign in to iCloud to sync');
    expect(view.icon).toBe('attention');
    expect(item(view.menu, 'Sync Now').enabled).toBe(false);
  });

  it("says when the PhotoPrism server can't be reached", () => {
    const view = buildTrayView(status({ name: 'idle', lastSyncedAt: NOW }, { photoprism: 'offline' }), NOW);
    expect(view.statusLine).toBe("Can't reach your PhotoPrism server");
    expect(view.icon).toBe('offline');
  });

  it('puts a needed sign-in ahead of being offline', () => {
    expect(describeStatus(status({ name: 'offline' }, { photoprism: 'needs-sign-in' }), NOW)).toEqual({
      icon: 'attention',
      statusLine: 'Sign in to your PhotoPrism server',
    });
    expect(describeStatus(status({ name: 'needs-sign-in', reason: 'x' }, { photoprism: 'offline' }), NOW).icon).toBe('attention');
  });

  it('reports iCloud being unreachable as offline, not as a problem', () => {
    expect(describeStatus(status({ name: 'offline' }), NOW)).toEqual({
      icon: 'offline',
      statusLine: 'Offline — changes will sync later',
    });
  });

  it('turns each sync error into a sentence with the attention icon', () => {
    const kinds = ['quota-full', 'zone-deleted', 'account-changed', 'web-access-off', 'container-not-set-up', 'internal'] as const;
    const lines = kinds.map((kind) => describeStatus(status({ name: 'error', kind, message: 'm' }), NOW));
    expect(lines.every((line) => line.icon === 'attention')).toBe(true);
    expect(new Set(lines.map((line) => line.statusLine)).size).toBe(kinds.length);
    expect(lines[0]?.statusLine).toBe('iCloud storage is full');
    expect(lines[4]?.statusLine).toBe('The iCloud container is not set up for Photoflare');
  });

  it('says live updates are unavailable when iCloud refused push, and not while paused', () => {
    const idle = { name: 'idle', lastSyncedAt: NOW } as const;
    const hasLiveLine = (view: ReturnType<typeof buildTrayView>) =>
      view.menu.some((entry) => entry.type === 'normal' && entry.label === 'Live updates unavailable — checking every few minutes');
    const view = buildTrayView(status(idle, { liveUpdates: 'unavailable' }), NOW);
    expect(hasLiveLine(view)).toBe(true);
    expect(view.icon).toBe('up-to-date');
    expect(hasLiveLine(buildTrayView(status(idle, { liveUpdates: 'on' }), NOW))).toBe(false);
    expect(hasLiveLine(buildTrayView(status({ name: 'paused' }, { liveUpdates: 'unavailable' }), NOW))).toBe(false);
  });

  it('shows a retry wait as syncing (it will go on by itself)', () => {
    const view = buildTrayView(status({ name: 'backoff', until: NOW + 60_000, reason: 'iCloud is busy', attempt: 2 }), NOW);
    expect(view).toMatchObject({ icon: 'syncing', statusLine: 'Waiting to retry in 1 min…' });
    expect(item(view.menu, 'Sync Now').enabled).toBe(true);
  });

  it('greys out the sync commands while sync is off', () => {
    const view = buildTrayView(status({ name: 'disabled' }), NOW);
    expect(view).toMatchObject({ icon: 'up-to-date', statusLine: 'iCloud Sync is off' });
    expect(item(view.menu, 'Sync Now').enabled).toBe(false);
    expect(item(view.menu, 'Pause Sync').enabled).toBe(false);
    expect(item(view.menu, 'Open Photoflare').enabled).toBe(true);
  });

  it('says when no PhotoPrism server is set up yet, without alarming colour', () => {
    expect(describeStatus(status({ name: 'disabled' }, { photoprism: 'signed-out' }), NOW)).toEqual({
      icon: 'paused',
      statusLine: 'Not connected to a PhotoPrism server',
    });
  });

  it('words the line exactly as the web shell title bar does (one shared function)', async () => {
    const { statusLine } = await import('../../../shared/sync/status-line');
    const cases: SyncState[] = [
      { name: 'idle', lastSyncedAt: NOW - 3 * 3_600_000 },
      { name: 'syncing', phase: 'replaying', done: 1, total: 4 },
      { name: 'backoff', until: NOW + 20_000, reason: 'x', attempt: 1 },
      { name: 'error', kind: 'quota-full', message: 'm' },
    ];
    for (const state of cases) expect(describeStatus(status(state), NOW).statusLine).toBe(statusLine(status(state), NOW).text);
  });

  it('offers the action that fixes each state, right under the status', () => {
    const fixOf = (state: SyncState) => {
      const menu = buildTrayView(status(state), NOW).menu;
      const second = menu[1];
      return second?.type === 'normal' && second.command ? { label: second.label, command: second.command } : null;
    };
    expect(fixOf({ name: 'needs-sign-in', reason: 'expired' })).toEqual({ label: 'Sign In to iCloud…', command: 'open-settings' });
    expect(fixOf({ name: 'disabled' })).toEqual({ label: 'Turn On iCloud Sync', command: 'open-settings' });
    expect(fixOf({ name: 'error', kind: 'quota-full', message: 'm' })).toEqual({ label: 'Try Again', command: 'sync-now' });
    expect(fixOf({ name: 'syncing', phase: 'pushing', done: 1, total: 3 })).toEqual({ label: 'Show Activity', command: 'open-activity' });
    expect(fixOf({ name: 'idle', lastSyncedAt: NOW })).toBeNull();
  });
});
