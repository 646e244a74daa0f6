import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { compose } from '../../../main/compose';
import { DATABASE_FILE } from '../../../main/db/database';
import { createMemoryLogger } from '../../../main/log/logger';
import { FileSecretStore } from '../../../main/secrets/file-secret-store';
import type { PhotoDetails } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { eventually, snapshotPhoto, startActionsEnv, type ActionsEnv } from './harness';

/**
 * Item 4 of "Never lose a change": a change PhotoPrism made whose answer never reached us must
 * still become an event (other devices refresh on events) and show in the cache. The intent is
 * recorded before the request; an unclear outcome or a crash leaves it behind, and it is
 * resolved by refreshing those UIDs from the server.
 */

function plainPhoto(emu: PhotoPrismEmulator): string {
  const uid = emu.admin
    .snapshot()
    .photos.filter((p) => !p.Archived && !p.Favorite && !p.Private)
    .map((p) => p.UID)
    .sort()[0];
  if (!uid) throw new Error('the seeded library has no plain photo');
  return uid;
}

describe('a change whose answer was lost', () => {
  let env: ActionsEnv | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it('becomes an event and the cache matches the server (answer dropped after the server applied a favourite)', async () => {
    env = await startActionsEnv({ photos: 20, albums: 2, seed: 5 });
    const e = env;
    const uid = plainPhoto(e.emu);
    await e.emu.admin.setFault({ dropResponsesAfterApply: 1 });
    const result = await e.act('actions.setFavorite', { uids: [uid], favorite: true });
    // The server did it…
    expect(snapshotPhoto(e.emu, uid).Favorite).toBe(true);
    // …so the result must not claim nothing changed; it says the outcome is being checked.
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]?.message).not.toMatch(/Nothing was changed/);
    expect(result.failed[0]?.message).toMatch(/checking/i);
    // Once the server is asked again, the cache shows the favourite and an event records it.
    await eventually(async () => {
      expect((await e.details(uid)).favorite).toBe(true);
      expect(e.rows()).toContainEqual({ name: 'photos.updated', uids: JSON.stringify([uid]), status: 'local-only' });
    }, 20_000);
    expect(e.log()[0]?.summary).toBe('Favourited 1 photo');
    // Resolved: nothing is left to check, and a second pass adds no more events.
    expect(e.core.actions.uncheckedCount()).toBe(0);
  });

  it('keeps trying (with the one backoff) while the check itself fails, then records the event', async () => {
    env = await startActionsEnv({ photos: 20, albums: 2, seed: 5 });
    const e = env;
    const uid = plainPhoto(e.emu);
    let failChecks = true;
    let failedChecks = 0;
    // The server answers the check's searches with 500 for a while (still online).
    e.setHook(async (req, send) => {
      if (failChecks && req.method === 'GET' && decodeURIComponent(req.url).includes(`uid=${uid}`)) {
        failedChecks++;
        return {
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: Buffer.from('{"code":500,"error":"Something went wrong, try again"}'),
        };
      }
      return send();
    });
    await e.emu.admin.setFault({ dropResponsesAfterApply: 1 });
    await e.act('actions.setFavorite', { uids: [uid], favorite: true });
    await eventually(() => expect(failedChecks).toBeGreaterThan(0), 20_000);
    expect(e.core.actions.uncheckedCount()).toBe(1);
    expect(e.rows()).toEqual([]);
    failChecks = false;
    await eventually(async () => {
      expect(e.rows()).toContainEqual({ name: 'photos.updated', uids: JSON.stringify([uid]), status: 'local-only' });
      expect((await e.details(uid)).favorite).toBe(true);
    }, 20_000);
    expect(e.core.actions.uncheckedCount()).toBe(0);
  });

  it('records nothing when the request never reached the server (offline: the intent is dropped)', async () => {
    env = await startActionsEnv({ photos: 20, albums: 2, seed: 5 });
    const e = env;
    const uid = plainPhoto(e.emu);
    await e.emu.admin.goDown();
    const result = await e.act('actions.setFavorite', { uids: [uid], favorite: true });
    expect(result.applied).toEqual([]);
    await e.emu.admin.goUp();
    await eventually(async () => {
      expect(e.core.actions.uncheckedCount()).toBe(0);
    }, 20_000);
    expect(snapshotPhoto(e.emu, uid).Favorite).toBe(false);
    expect((await e.details(uid)).favorite).toBe(false);
    expect(e.rows()).toEqual([]);
  });

  it('is resolved into an event on the next start when the app was killed between the answer and the commit', async () => {
    const emu = await startPhotoPrismEmulator({ photos: 20, albums: 2, seed: 6 });
    const dir = mkdtempSync(join(tmpdir(), 'pf-crash-'));
    try {
      const uid = plainPhoto(emu);
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(__dirname, 'fixtures', 'crash-before-commit.ts'),
          dir,
          emu.url,
          emu.credentials.username,
          emu.credentials.password,
          uid,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      expect(exit, stderr).toEqual({ code: null, signal: 'SIGKILL' });
      // The server made the change; the dead process recorded nothing but its intent.
      expect(snapshotPhoto(emu, uid).Favorite).toBe(true);
      expect(readEvents(dir)).toEqual([]);

      // The next start resumes the session and resolves the intent.
      const log = createMemoryLogger();
      const core = compose({
        profile: 'test',
        profileDir: dir,
        shell: 'web',
        version: '0.0.0',
        log,
        secrets: new FileSecretStore({ path: join(dir, 'secrets.json'), log }),
        photoprism: { libraryOptions: { createLiveEvents: null } },
      });
      try {
        const sender = { trusted: true, description: 'test' };
        await eventually(async () => {
          const details = await core.dispatch('photo.details', { uid }, sender);
          expect(details.ok && (details.value as PhotoDetails).favorite).toBe(true);
          expect(readEvents(dir)).toContainEqual({ name: 'photos.updated', uids: JSON.stringify([uid]) });
        }, 30_000);
        expect(core.actions.uncheckedCount()).toBe(0);
      } finally {
        await core.dispose();
      }
    } finally {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

function readEvents(dir: string): Array<{ name: string; uids: string }> {
  const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare('SELECT name, uids FROM events ORDER BY seq').all() as Array<{ name: string; uids: string }>;
  } finally {
    db.close();
  }
}

describe('a lost answer to an album change', () => {
  let env: ActionsEnv | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it('add to album: the membership the server made shows in the cache and becomes events', async () => {
    env = await startActionsEnv({ photos: 20, albums: 1, seed: 5 });
    const e = env;
    const album = e.emu.admin.createAlbum('Lost and found');
    await e.call('library.refresh');
    await eventually(async () => expect((await e.call<Array<{ uid: string }>>('library.albums')).map((a) => a.uid)).toContain(album.UID));
    const uid = plainPhoto(e.emu);
    await e.emu.admin.setFault({ dropResponsesAfterApply: 1 });
    const result = await e.act('actions.addToAlbum', { albumUid: album.UID, uids: [uid] });
    expect(result.applied).toEqual([]);
    expect(e.emu.admin.snapshot().albums.find((a) => a.UID === album.UID)?.PhotoUIDs).toEqual([uid]);
    await eventually(() => {
      expect(e.rows()).toEqual(
        expect.arrayContaining([
          { name: 'photos.updated', uids: JSON.stringify([uid]), status: 'local-only' },
          { name: 'albums.updated', uids: JSON.stringify([album.UID]), status: 'local-only' },
        ]),
      );
    }, 20_000);
    expect(e.log().find((entry) => entry.event?.event === 'photos.updated')?.summary).toBe('Added 1 photo to “Lost and found”');
    const page = await e.call<{ photos: Array<{ uid: string }> }>('library.query', {
      view: { kind: 'album', albumUid: album.UID },
      q: '',
      offset: 0,
      limit: 50,
    });
    expect(page.photos.map((p) => p.uid)).toEqual([uid]);
    expect(e.core.actions.uncheckedCount()).toBe(0);
  });

  it('create album: the album the server created (UID never seen) is found and recorded', async () => {
    env = await startActionsEnv({ photos: 10, albums: 1, seed: 5 });
    const e = env;
    await e.emu.admin.setFault({ dropResponsesAfterApply: 1 });
    // The create request loses its answer, so the photo was never added (that request was not sent).
    const result = await e.act('actions.createAlbum', { title: 'Made in the dark', uids: [plainPhoto(e.emu)] });
    expect(result.failed[0]?.message).toMatch(/checking/);
    const created = e.emu.admin.snapshot().albums.find((a) => a.Title === 'Made in the dark');
    expect(created).toBeDefined();
    await eventually(async () => {
      expect((await e.call<Array<{ uid: string }>>('library.albums')).map((a) => a.uid)).toContain(created?.UID);
      expect(e.rows()).toContainEqual({ name: 'albums.created', uids: JSON.stringify([created?.UID]), status: 'local-only' });
    }, 20_000);
    expect(e.core.actions.uncheckedCount()).toBe(0);
  });
});
