import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, SyncEvent } from '../../../shared/events/schema';
import { EntityUid } from '../../../shared/ids';
import type { ActionResult } from '../../../shared/ipc/contract';
import type { AlbumSummary } from '../../../shared/library/schemas';
import { startActionsEnv, type ActionsEnv } from './harness';

/**
 * Property: ANY sequence of curation actions (including undo/redo, odd album titles, repeats,
 * archived photos) leaves only events that pass the strict SyncEvent schema, and the synced
 * columns of the log hold nothing but event names and UIDs. Along the way the cache's photo
 * flags and album list must match the server after every sequence.
 */

let env: ActionsEnv;
let photos: string[];
const titleMarker = 'Ttl·';

beforeAll(async () => {
  env = await startActionsEnv({ photos: 30, albums: 2, seed: 21 });
  photos = env.emu.admin
    .snapshot()
    .photos.map((p) => p.UID)
    .sort();
}, 30_000);
afterAll(async () => {
  await env.close();
});

type Command =
  | { kind: 'favorite' | 'private' | 'archive'; picks: number[]; value: boolean }
  | { kind: 'add' | 'remove'; album: number; picks: number[] }
  | { kind: 'create'; title: string; picks: number[] }
  | { kind: 'rename'; album: number; title: string }
  | { kind: 'delete'; album: number }
  | { kind: 'undo' | 'redo' };

const picks = fc.uniqueArray(fc.nat({ max: 29 }), { minLength: 1, maxLength: 6 });
// Titles a person might type, some clashing (dedupe) and some with characters PhotoPrism trims.
const title = fc
  .oneof(
    fc.constantFrom('Trip', 'trip', 'Family', 'Family ', '<Pets>'),
    fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ''),
  )
  .map((s) => `${titleMarker}${s}`);
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constantFrom('favorite' as const, 'private' as const, 'archive' as const), picks, value: fc.boolean() }),
  fc.record({ kind: fc.constantFrom('add' as const, 'remove' as const), album: fc.nat({ max: 5 }), picks }),
  fc.record({ kind: fc.constant('create' as const), title, picks: fc.uniqueArray(fc.nat({ max: 29 }), { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('rename' as const), album: fc.nat({ max: 5 }), title }),
  fc.record({ kind: fc.constant('delete' as const), album: fc.nat({ max: 5 }) }),
  fc.record({ kind: fc.constantFrom('undo' as const, 'redo' as const) }),
);

async function run(cmd: Command): Promise<void> {
  const uids = 'picks' in cmd ? cmd.picks.map((i) => photos[i] ?? '') : [];
  const albums = (await env.call<AlbumSummary[]>('library.albums')).map((a) => a.uid);
  const album = 'album' in cmd ? albums[cmd.album % Math.max(1, albums.length)] : undefined;
  let request: [string, unknown] | undefined;
  switch (cmd.kind) {
    case 'favorite':
      request = ['actions.setFavorite', { uids, favorite: cmd.value }];
      break;
    case 'private':
      request = ['actions.setPrivate', { uids, private: cmd.value }];
      break;
    case 'archive':
      request = ['actions.setArchived', { uids, archived: cmd.value }];
      break;
    case 'add':
    case 'remove':
      if (album) request = [cmd.kind === 'add' ? 'actions.addToAlbum' : 'actions.removeFromAlbum', { albumUid: album, uids }];
      break;
    case 'create':
      request = ['actions.createAlbum', uids.length > 0 ? { title: cmd.title, uids } : { title: cmd.title }];
      break;
    case 'rename':
      if (album) request = ['actions.renameAlbum', { albumUid: album, title: cmd.title }];
      break;
    case 'delete':
      if (album) request = ['actions.deleteAlbum', { albumUid: album }];
      break;
    case 'undo':
    case 'redo':
      request = [`actions.${cmd.kind}`, {}];
      break;
  }
  if (!request) return;
  const result = await env.core.dispatch(request[0], request[1], { trusted: true, description: 'property' });
  if (!result.ok) {
    // Only "nothing to undo/redo" may be refused; everything else is a valid request.
    expect(result.error.kind).toBe('validation');
    return;
  }
  // The server is healthy: every action goes through completely.
  expect((result.value as ActionResult).failed).toEqual([]);
}

describe('any sequence of actions', () => {
  it('stores only strict events made of names and UIDs, and the cache matches the server', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (commands) => {
        for (const cmd of commands) await run(cmd);

        const rows = env.rows();
        for (const row of rows) {
          expect(EVENT_NAMES).toContain(row.name);
          const uids: unknown = JSON.parse(row.uids);
          expect(Array.isArray(uids)).toBe(true);
          for (const uid of uids as unknown[]) expect(EntityUid.safeParse(uid).success).toBe(true);
          const event = { event: row.name, data: { entities: (uids as string[]).map((UID) => ({ UID })) } };
          expect(SyncEvent.safeParse(event).success).toBe(true);
          expect(row.status).toBe('local-only');
        }
        expect(JSON.stringify(rows)).not.toContain(titleMarker);
        for (const entry of env.log(10_000)) expect(entry.event === null || SyncEvent.safeParse(entry.event).success).toBe(true);

        // The cache says what the server says.
        const snapshot = env.emu.admin.snapshot();
        for (const photo of snapshot.photos) {
          const cached = await env.details(photo.UID);
          expect([cached.favorite, cached.private, cached.archived]).toEqual([photo.Favorite, photo.Private, photo.Archived]);
        }
        const cachedAlbums = await env.call<AlbumSummary[]>('library.albums');
        const liveAlbums = snapshot.albums.filter((a) => a.DeletedAt === null);
        expect(cachedAlbums.map((a) => [a.uid, a.title]).sort()).toEqual(liveAlbums.map((a) => [a.UID, a.Title]).sort());
      }),
      { numRuns: 25, seed: 424242 },
    );
    // The sequences really ran (not all refused or skipped).
    console.info(`property: ${env.rows().length} events from ${env.emu.requests.length} server requests`);
    expect(env.rows().length).toBeGreaterThan(20);
  }, 120_000);
});
