import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../main/log/logger';
import { SettingsStore } from '../../../main/settings/settings-store';
import { SETTINGS_DEFAULTS } from '../../../shared/settings';

function tempPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'photoflare-settings-')), 'settings.json');
}

describe('SettingsStore', () => {
  it('starts from defaults with iCloud Sync off', () => {
    const store = new SettingsStore({ path: tempPath(), log: createMemoryLogger() });
    expect(store.get()).toEqual(SETTINGS_DEFAULTS);
    expect(store.get().syncEnabled).toBe(false);
  });

  it('persists a patch and keeps the fields it did not name', () => {
    const path = tempPath();
    const store = new SettingsStore({ path, log: createMemoryLogger() });
    store.update({ theme: 'dark' });
    store.update({ thumbnailCacheMiB: 512 });
    const reopened = new SettingsStore({ path, log: createMemoryLogger() });
    expect(reopened.get()).toEqual({ ...SETTINGS_DEFAULTS, theme: 'dark', thumbnailCacheMiB: 512 });
  });

  it('an empty patch changes nothing (no default sneaks back in)', () => {
    const store = new SettingsStore({ path: tempPath(), log: createMemoryLogger() });
    store.update({ syncEnabled: true });
    expect(store.update({})).toMatchObject({ syncEnabled: true });
  });

  it('rejects an invalid value and keeps the old settings', () => {
    const store = new SettingsStore({ path: tempPath(), log: createMemoryLogger() });
    expect(() => store.update({ thumbnailCacheMiB: 1 })).toThrow();
    expect(store.get().thumbnailCacheMiB).toBe(2048);
  });

  it('notifies listeners of changes', () => {
    const store = new SettingsStore({ path: tempPath(), log: createMemoryLogger() });
    const seen: string[] = [];
    store.onChange((s) => seen.push(s.theme));
    store.update({ theme: 'light' });
    expect(seen).toEqual(['light']);
  });

  it('sets a broken file aside, warns, and starts from defaults instead of refusing to start', () => {
    const path = tempPath();
    writeFileSync(path, '{ not json');
    const log = createMemoryLogger();
    const store = new SettingsStore({ path, log });
    expect(store.get()).toEqual(SETTINGS_DEFAULTS);
    expect(existsSync(`${path}.broken`)).toBe(true);
    expect(log.lines.some((l) => l.includes('WARN'))).toBe(true);
  });

  it('reads a file from a newer version, dropping fields it does not know', () => {
    const path = tempPath();
    writeFileSync(path, JSON.stringify({ theme: 'light', futureFeature: true }));
    const store = new SettingsStore({ path, log: createMemoryLogger() });
    expect(store.get()).toEqual({ ...SETTINGS_DEFAULTS, theme: 'light' });
    store.update({ syncEnabled: true });
    expect(JSON.parse(readFileSync(path, 'utf8'))).not.toHaveProperty('futureFeature');
  });
});
