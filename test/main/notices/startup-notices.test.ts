import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeEvents } from '../../../shared/events/schema';
import { StartupNotice } from '../../../shared/notices';
import { compose, type Core } from '../../../main/compose';
import { DATABASE_FILE, openDatabase } from '../../../main/db/database';
import { createMemoryLogger } from '../../../main/log/logger';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { TRUSTED } from '../../helpers/core';

/**
 * Start-up with a damaged profile: the app starts anyway and the window is told what happened
 * (items "a damaged database stops the app from starting" and "a bad settings.json silently
 * turns iCloud Sync off").
 */
const cores: Core[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function profileDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'photoflare-start-'));
  dirs.push(dir);
  return dir;
}

function start(dir: string): Core {
  const core = compose({
    profile: 'default',
    profileDir: dir,
    shell: 'web',
    version: '9.9.9-test',
    log: createMemoryLogger(),
    secrets: new MemorySecretStore(),
  });
  cores.push(core);
  return core;
}

/** The notices as the window reads them, through the contract. */
async function noticesOf(core: Core): Promise<StartupNotice[]> {
  const result = await core.dispatch('app.notices', {}, TRUSTED);
  if (!result.ok) throw new Error(result.error.message);
  return z.array(StartupNotice).parse(result.value);
}

const uid = (n: number) => `p${String(n).padStart(15, '0')}`;

describe('start-up notices', () => {
  it('a sound profile starts with no notice', async () => {
    const core = start(profileDir());
    expect(await noticesOf(core)).toEqual([]);
  });

  it('a garbage database: the app starts, sets the file aside and says so once', async () => {
    const dir = profileDir();
    writeFileSync(join(dir, DATABASE_FILE), 'this is not a database, it is a shopping list');
    const core = start(dir);
    const notices = await noticesOf(core);
    expect(notices.map((n) => n.id)).toEqual(['database.recovered']);
    expect(notices[0]?.message).toMatch(/damaged, so it started a new one.*photoflare\.db\.damaged-/);
    expect(readdirSync(dir).filter((name) => name.startsWith('photoflare.db.damaged-'))).toHaveLength(1);
    // Dismissed once, gone for every window.
    expect(await core.dispatch('app.dismissNotice', { id: 'database.recovered' }, TRUSTED)).toEqual({ ok: true, value: [] });
    expect(await noticesOf(core)).toEqual([]);
  });

  it('a 0-byte database that held an outbox: the person hears about it instead of losing it silently', async () => {
    const dir = profileDir();
    const first = start(dir);
    first.eventLog.appendLocal(makeEvents('photos.updated', [uid(1)]), { syncEnabled: true });
    await first.dispose();
    cores.splice(0);
    writeFileSync(join(dir, DATABASE_FILE), '');
    for (const suffix of ['-wal', '-shm']) rmSync(join(dir, `${DATABASE_FILE}${suffix}`), { force: true });
    const core = start(dir);
    const notices = await noticesOf(core);
    expect(notices[0]?.message).toMatch(/No changes could be recovered/);
  });

  it('a database with a damaged cache page: the outbox is saved and the notice counts it', async () => {
    const dir = profileDir();
    const first = start(dir);
    first.eventLog.appendLocal(makeEvents('photos.updated', [uid(1), uid(2)]), { syncEnabled: true });
    first.eventLog.appendLocal(makeEvents('photos.archived', [uid(3)]), { syncEnabled: true });
    await first.dispose();
    cores.splice(0);
    const path = join(dir, DATABASE_FILE);
    const probe = openDatabase(path);
    const { rootpage } = probe.prepare(`SELECT rootpage FROM sqlite_schema WHERE name = 'photos'`).get() as { rootpage: number };
    probe.close();
    const bytes = readFileSync(path);
    bytes.fill(0xee, (rootpage - 1) * 4096, rootpage * 4096);
    writeFileSync(path, bytes);

    const core = start(dir);
    const notices = await noticesOf(core);
    expect(notices[0]?.message).toMatch(/2 changes from your history were saved, including 2 changes not yet sent to iCloud/);
    expect(core.eventLog.countPending()).toBe(2);
  });

  it('a settings file with one bad field: the rest is kept and the notice names the field', async () => {
    const dir = profileDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ theme: 'dark', syncEnabled: false, thumbnailCacheMiB: -5 }));
    const core = start(dir);
    expect(core.settings.get().theme).toBe('dark');
    const notices = await noticesOf(core);
    expect(notices.map((n) => n.id)).toEqual(['settings.repaired']);
    expect(notices[0]?.message).toMatch(/“Thumbnail cache size”.*settings\.json\.bad-/);
  });

  it('an unreadable settings file: no iCloud request, changes wait as pending, and the window asks', async () => {
    const dir = profileDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'settings.json'), 'null');
    const core = start(dir);
    const notices = await noticesOf(core);
    expect(notices.map((n) => [n.id, n.asksSyncChoice])).toEqual([
      ['settings.repaired', false],
      ['settings.syncUndecided', true],
    ]);
    expect(core.settings.get().syncEnabled).toBe(false);
    expect(core.settings.keepEventsPending()).toBe(true);
    // The person answers (Keep It Off): the question goes away on its own.
    await core.dispatch('settings.update', { syncEnabled: false }, TRUSTED);
    const after = await noticesOf(core);
    expect(after.map((n) => n.id)).toEqual(['settings.repaired']);
  });
});

describe('settings notices', () => {
  it('only the sync field unreadable: one question, naming the copy; no second card', async () => {
    const dir = profileDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ theme: 'dark', syncEnabled: 'on', thumbnailCacheMiB: 512 }));
    const notices = await noticesOf(start(dir));
    expect(notices.map((n) => n.id)).toEqual(['settings.syncUndecided']);
    expect(notices[0]?.message).toMatch(/could not read whether iCloud Sync was on.*settings\.json\.bad-/);
  });
});
