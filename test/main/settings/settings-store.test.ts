import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

  it('reads a file from a newer version, dropping fields it does not know', () => {
    const path = tempPath();
    writeFileSync(path, JSON.stringify({ theme: 'light', futureFeature: true }));
    const store = new SettingsStore({ path, log: createMemoryLogger() });
    expect(store.get()).toEqual({ ...SETTINGS_DEFAULTS, theme: 'light' });
    store.update({ syncEnabled: true });
    expect(JSON.parse(readFileSync(path, 'utf8'))).not.toHaveProperty('futureFeature');
  });

  describe('a bad file (see [Note: A bad settings file])', () => {
    const NOW = Date.UTC(2026, 10, 30, 6, 31, 5, 123);
    const open = (path: string, log = createMemoryLogger()) => new SettingsStore({ path, log, now: () => NOW });
    const badCopies = (path: string) => readdirSync(dirname(path)).filter((name) => name.startsWith('settings.json.bad-'));

    for (const [label, content] of [
      ['garbage', '{ not json'],
      ['an empty file', ''],
      ['null', 'null'],
      ['an array', '[1, 2]'],
    ] as const) {
      it(`${label}: keeps a copy, warns, and never switches sync off for good`, () => {
        const path = tempPath();
        writeFileSync(path, content);
        const log = createMemoryLogger();
        const store = open(path, log);
        expect(store.get()).toEqual(SETTINGS_DEFAULTS);
        expect(badCopies(path)).toEqual(['settings.json.bad-2026-11-30T06-31-05-123Z']);
        expect(readFileSync(join(dirname(path), badCopies(path)[0] ?? ''), 'utf8')).toBe(content);
        expect(store.repair()).toEqual({ brokenFields: [], wholeFile: true, copyName: 'settings.json.bad-2026-11-30T06-31-05-123Z' });
        expect(log.lines.some((l) => l.includes('WARN'))).toBe(true);
        // Nothing is known about sync: no iCloud request, but changes wait in the outbox.
        expect(store.get().syncEnabled).toBe(false);
        expect(store.syncUndecided()).toBe(true);
        expect(store.keepEventsPending()).toBe(true);
      });
    }

    it('one out-of-range field: keeps every valid field and defaults only that one', () => {
      const path = tempPath();
      writeFileSync(path, JSON.stringify({ theme: 'dark', syncEnabled: true, thumbnailCacheMiB: 1 }));
      const store = open(path);
      expect(store.get()).toEqual({ theme: 'dark', syncEnabled: true, thumbnailCacheMiB: SETTINGS_DEFAULTS.thumbnailCacheMiB });
      expect(store.repair()).toMatchObject({ brokenFields: ['thumbnailCacheMiB'], wholeFile: false });
      expect(store.syncUndecided()).toBe(false);
      expect(badCopies(path)).toHaveLength(1);
      // The repaired file is what the next start reads: no second copy, no second notice.
      const reopened = open(path);
      expect(reopened.get()).toEqual(store.get());
      expect(reopened.repair()).toBeUndefined();
      expect(badCopies(path)).toHaveLength(1);
    });

    it('an unreadable sync field stays undecided across restarts until the person chooses', () => {
      const path = tempPath();
      writeFileSync(path, JSON.stringify({ theme: 'light', syncEnabled: 'yes', thumbnailCacheMiB: 512 }));
      const store = open(path);
      expect(store.get()).toEqual({ theme: 'light', syncEnabled: false, thumbnailCacheMiB: 512 });
      expect(store.repair()).toMatchObject({ brokenFields: ['syncEnabled'] });
      expect(store.syncUndecided()).toBe(true);
      expect(store.keepEventsPending()).toBe(true);

      // Changing another setting does not decide it.
      store.update({ theme: 'dark' });
      const restarted = open(path);
      expect(restarted.get()).toEqual({ theme: 'dark', syncEnabled: false, thumbnailCacheMiB: 512 });
      expect(restarted.syncUndecided()).toBe(true);
      expect(restarted.repair()).toBeUndefined();

      // The person keeps it off: from now on changes stay on this Mac.
      restarted.update({ syncEnabled: false });
      expect(restarted.syncUndecided()).toBe(false);
      expect(restarted.keepEventsPending()).toBe(false);
      expect(open(path).syncUndecided()).toBe(false);
    });

    it('the person turns sync on after all: decided, and the file says so', () => {
      const path = tempPath();
      writeFileSync(path, '{"syncEnabled": null}');
      const store = open(path);
      store.update({ syncEnabled: true });
      expect(store.syncUndecided()).toBe(false);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ ...SETTINGS_DEFAULTS, syncEnabled: true });
    });
  });
});
