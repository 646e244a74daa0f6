import { describe, expect, it } from 'vitest';
import type { SyncState, SyncStatus } from '../../../shared/sync/state';
import { agoLabel, inLabel, statusLine } from '../../../shared/sync/status-line';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const MIN = 60_000;

function status(state: SyncState, extra: Partial<Omit<SyncStatus, 'state'>> = {}): SyncStatus {
  return { state, pendingCount: 0, photoprism: 'online', ...extra };
}

describe('statusLine', () => {
  it('idle: "Up to date", with how long ago once a minute has passed', () => {
    expect(statusLine(status({ name: 'idle', lastSyncedAt: null }), NOW)).toEqual({ text: 'Up to date', tone: 'normal' });
    expect(statusLine(status({ name: 'idle', lastSyncedAt: NOW - 20_000 }), NOW).text).toBe('Up to date');
    expect(statusLine(status({ name: 'idle', lastSyncedAt: NOW - 2 * MIN }), NOW).text).toBe('Up to date — synced 2 min ago');
    expect(statusLine(status({ name: 'idle', lastSyncedAt: NOW - 3 * 60 * MIN }), NOW).text).toBe('Up to date — synced 3 hours ago');
  });

  it('a clock that runs behind the last sync still says "Up to date"', () => {
    expect(statusLine(status({ name: 'idle', lastSyncedAt: NOW + 5 * MIN }), NOW).text).toBe('Up to date');
  });

  it('syncing: counts what is left, per phase', () => {
    const syncing = (phase: 'pushing' | 'pulling' | 'replaying', done: number, total: number) =>
      statusLine(status({ name: 'syncing', phase, done, total }), NOW);
    expect(syncing('pushing', 0, 12)).toEqual({ text: 'Syncing 12 events…', tone: 'busy' });
    expect(syncing('pushing', 11, 12).text).toBe('Syncing 1 event…');
    expect(syncing('pushing', 0, 0).text).toBe('Syncing…');
    expect(syncing('pushing', 0, 1234).text).toBe('Syncing 1,234 events…');
    expect(syncing('pulling', 0, 0).text).toBe('Checking iCloud for changes…');
    expect(syncing('pulling', 2, 5).text).toBe('Receiving 3 events…');
    expect(syncing('replaying', 0, 4).text).toBe('Applying 4 changes…');
    expect(syncing('replaying', 4, 4).text).toBe('Applying changes…');
  });

  it('paused, off and offline', () => {
    expect(statusLine(status({ name: 'paused' }), NOW)).toEqual({ text: 'Paused', tone: 'paused' });
    expect(statusLine(status({ name: 'disabled' }), NOW)).toEqual({ text: 'iCloud Sync is off', tone: 'normal' });
    expect(statusLine(status({ name: 'offline' }), NOW)).toEqual({ text: 'Offline — changes will sync later', tone: 'offline' });
  });

  it('backoff says when the retry comes', () => {
    const backoff = (untilMs: number) => statusLine(status({ name: 'backoff', until: untilMs, reason: 'iCloud is busy', attempt: 2 }), NOW);
    expect(backoff(NOW + 20_000)).toEqual({ text: 'Waiting to retry in 20 s…', tone: 'busy' });
    expect(backoff(NOW + 90_000).text).toBe('Waiting to retry in 2 min…');
    expect(backoff(NOW + 125 * MIN).text).toBe('Waiting to retry in 3 hours…');
    expect(backoff(NOW - 1000).text).toBe('Retrying…');
  });

  it('needs sign-in and errors ask for attention, each with its own sentence', () => {
    expect(statusLine(status({ name: 'needs-sign-in', reason: 'expired' }), NOW)).toEqual({
      text: 'Sign in to iCloud to sync',
      tone: 'attention',
    });
    const error = (kind: Extract<SyncState, { name: 'error' }>['kind']) =>
      statusLine(status({ name: 'error', kind, message: 'details' }), NOW);
    expect(error('quota-full')).toEqual({ text: 'iCloud storage is full', tone: 'attention' });
    expect(error('zone-deleted').text).toBe('Sync data was removed from iCloud');
    expect(error('account-changed').text).toBe('A different iCloud account is signed in');
    expect(error('web-access-off').text).toBe('Turn on Access iCloud Data on the Web');
    expect(error('container-not-set-up')).toEqual({ text: 'The iCloud container is not set up for Photoflare', tone: 'attention' });
    expect(error('internal').text).toBe('iCloud Sync stopped after an error');
  });

  it('an unreachable PhotoPrism server outranks a healthy, busy, paused or switched-off sync', () => {
    const offline = { photoprism: 'offline' } as const;
    const expected = { text: "Can't reach your PhotoPrism server", tone: 'offline' };
    expect(statusLine(status({ name: 'idle', lastSyncedAt: NOW - 5 * MIN }, offline), NOW)).toEqual(expected);
    expect(statusLine(status({ name: 'syncing', phase: 'pushing', done: 0, total: 3 }, offline), NOW)).toEqual(expected);
    expect(statusLine(status({ name: 'paused' }, offline), NOW)).toEqual(expected);
    expect(statusLine(status({ name: 'disabled' }, offline), NOW)).toEqual(expected);
    expect(statusLine(status({ name: 'offline' }, offline), NOW)).toEqual(expected);
  });

  it('sync problems the user must fix outrank an unreachable server', () => {
    const offline = { photoprism: 'offline' } as const;
    expect(statusLine(status({ name: 'needs-sign-in', reason: 'x' }, offline), NOW).text).toBe('Sign in to iCloud to sync');
    expect(statusLine(status({ name: 'error', kind: 'quota-full', message: 'x' }, offline), NOW).text).toBe('iCloud storage is full');
  });

  it('a PhotoPrism session that ended comes first of all', () => {
    expect(statusLine(status({ name: 'needs-sign-in', reason: 'x' }, { photoprism: 'needs-sign-in' }), NOW)).toEqual({
      text: 'Sign in to your PhotoPrism server',
      tone: 'attention',
    });
  });

  it('idle without a PhotoPrism server says so instead of "Up to date"', () => {
    expect(statusLine(status({ name: 'idle', lastSyncedAt: null }, { photoprism: 'signed-out' }), NOW)).toEqual({
      text: 'Not connected to a PhotoPrism server',
      tone: 'paused',
    });
  });
});

describe('agoLabel / inLabel', () => {
  it('ages in minutes, hours and days', () => {
    expect(agoLabel(NOW - 59_999, NOW)).toBeNull();
    expect(agoLabel(NOW - MIN, NOW)).toBe('1 min ago');
    expect(agoLabel(NOW - 60 * MIN, NOW)).toBe('1 hour ago');
    expect(agoLabel(NOW - 24 * 60 * MIN, NOW)).toBe('yesterday');
    expect(agoLabel(NOW - 3 * 24 * 60 * MIN, NOW)).toBe('3 days ago');
  });

  it('counts down in seconds, minutes and hours', () => {
    expect(inLabel(NOW, NOW)).toBeNull();
    expect(inLabel(NOW + 1, NOW)).toBe('in 1 s');
    expect(inLabel(NOW + 60_000, NOW)).toBe('in 1 min');
    expect(inLabel(NOW + 60 * MIN, NOW)).toBe('in 1 hour');
  });
});
