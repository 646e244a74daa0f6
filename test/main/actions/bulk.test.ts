import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ENTITIES_PER_EVENT } from '../../../shared/events/schema';
import type { LibraryCounts } from '../../../shared/library/schemas';
import { activePhotos, startActionsEnv, type ActionsEnv } from './harness';

let env: ActionsEnv;

beforeAll(async () => {
  env = await startActionsEnv({ photos: 5300, albums: 1, seed: 9 });
}, 60_000);
afterAll(async () => {
  await env.close();
});

describe('5,000 selected photos', () => {
  it('favourites them with one request each, at most 8 in flight, and 25 events of ≤200 UIDs', async () => {
    const uids = activePhotos(env.emu).slice(0, 5000);
    const before = await env.call<LibraryCounts>('library.counts');
    // Favourites counts what PhotoPrism's Favourites page shows: not private, not in review.
    const picked = new Set(uids);
    const newInFavourites = env.emu.admin
      .snapshot()
      .photos.filter((p) => picked.has(p.UID) && !p.Favorite && !p.Private && p.Quality >= 3).length;
    const sentBefore = env.emu.requests.length;

    const started = performance.now();
    const result = await env.act('actions.setFavorite', { uids, favorite: true });
    const elapsedMs = performance.now() - started;
    // Measured, never asserted (shared machines): shows what 5,000 per-photo requests cost.
    console.info(`favourite 5,000 photos against the emulator: ${Math.round(elapsedMs)} ms`);

    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(5000);
    expect(env.maxInFlight()).toBeLessThanOrEqual(8);
    const sent = env.emu.requests.slice(sentBefore);
    expect(sent.filter((r) => r.method === 'POST' && r.path.endsWith('/like'))).toHaveLength(5000);
    const favourites = new Set(
      env.emu.admin
        .snapshot()
        .photos.filter((p) => p.Favorite)
        .map((p) => p.UID),
    );
    expect(uids.every((uid) => favourites.has(uid))).toBe(true);
    expect((await env.call<LibraryCounts>('library.counts')).favorites).toBe(before.favorites + newInFavourites);

    const events = env.log().filter((e) => e.event?.event === 'photos.updated');
    expect(events).toHaveLength(5000 / MAX_ENTITIES_PER_EVENT);
    expect(events.every((e) => (e.event?.data.entities.length ?? 0) === MAX_ENTITIES_PER_EVENT)).toBe(true);
    expect(new Set(events.flatMap((e) => e.event?.data.entities.map((x) => x.UID) ?? []))).toEqual(new Set(uids));
    // Too many to list: the renderer is told to re-query everything.
    expect(env.pushed.filter((p) => p.event === 'library.changed').at(-1)?.payload).toEqual({ uids: [], albums: false, full: true });
  }, 60_000);

  it('archives them in batches of 500 (10 requests), and undo restores them', async () => {
    const uids = activePhotos(env.emu).slice(0, 5000);
    const sentBefore = env.emu.requests.length;
    const result = await env.act('actions.setArchived', { uids, archived: true });
    expect(result.failed).toEqual([]);
    const batches = env.emu.requests.slice(sentBefore).filter((r) => r.path === '/api/v1/batch/photos/archive');
    expect(batches).toHaveLength(10);
    expect(batches.every((r) => (JSON.parse(r.body ?? '{}') as { photos: string[] }).photos.length === 500)).toBe(true);
    expect(env.log().filter((e) => e.event?.event === 'photos.archived')).toHaveLength(25);

    await env.act('actions.undo');
    const archived = new Set(
      env.emu.admin
        .snapshot()
        .photos.filter((p) => p.Archived)
        .map((p) => p.UID),
    );
    expect(uids.some((uid) => archived.has(uid))).toBe(false);
  }, 60_000);
});
