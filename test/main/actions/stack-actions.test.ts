import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LibraryPage, PhotoMetadata } from '../../../shared/library/schemas';
import { lastPush, startActionsEnv, type ActionsEnv } from './harness';

let env: ActionsEnv;

beforeEach(async () => {
  // Every 29th plain image of the generator is a stack of two JPEGs (library-generator.ts, addStacks).
  env = await startActionsEnv({ photos: 90, albums: 0, seed: 5 });
});
afterEach(async () => {
  await env.close();
});

/** The stacks of the seeded library: images with two JPEGs. */
function stackUids(): string[] {
  return env.emu.admin
    .snapshot()
    .photos.filter((p) => p.Type === 'image' && !p.Archived && p.Files.length > 1)
    .map((p) => p.UID)
    .sort();
}

const metadata = (uid: string) => env.call<PhotoMetadata>('photo.metadata', { uid });
const tile = async (uid: string) =>
  (await env.call<LibraryPage>('library.query', { view: { kind: 'all' }, q: '', offset: 0, limit: 1000 })).photos.find(
    (p) => p.uid === uid,
  );

describe('photo stacks', () => {
  it('marks stacks in the cache, so their tiles show the number of versions', async () => {
    const [uid = ''] = stackUids();
    expect(uid).not.toBe('');
    expect((await tile(uid))?.stackSize).toBe(2);
    const plain = env.emu.admin.snapshot().photos.find((p) => p.Type === 'image' && !p.Archived && p.Files.length === 1);
    expect((await tile(plain?.UID ?? ''))?.stackSize).toBeUndefined();
  });

  it('chooses another primary version: server, tile thumbnail, ONE photos.updated event with the UID only, and undo', async () => {
    const [uid = ''] = stackUids();
    const before = await metadata(uid);
    const other = before.files.find((f) => f.canBePrimary);
    const primary = before.files.find((f) => f.primary);
    if (!other || !primary) throw new Error('no second version');
    // The primary version can be neither chosen again nor unstacked: the panel offers neither.
    expect(primary).toMatchObject({ canBePrimary: false, canUnstack: false });

    const result = await env.act('actions.choosePrimary', { uid, fileUid: other.uid });
    expect(result).toEqual({ applied: [uid], failed: [] });
    const after = env.emu.admin.snapshot().photos.find((p) => p.UID === uid);
    expect(after?.Files.filter((f) => f.Primary).map((f) => f.UID)).toEqual([other.uid]);
    // The cached photo now stands for the new primary file (its name, and its thumbnail).
    expect((await env.details(uid)).fileName).toBe(other.name);
    expect(env.log()[0]?.event).toEqual({ event: 'photos.updated', data: { entities: [{ UID: uid }] } });
    expect(lastPush(env, 'library.changed')).toEqual({ uids: [uid], albums: false, full: false });
    expect(await env.history()).toMatchObject({ canUndo: true, undoLabel: 'Undo Choose Primary Version' });

    await env.act('actions.undo');
    const undone = env.emu.admin.snapshot().photos.find((p) => p.UID === uid);
    expect(undone?.Files.filter((f) => f.Primary).map((f) => f.UID)).toEqual([primary.uid]);
  });

  it('unstacks a version into a photo of its own: both rows cached, both UIDs in the event, no undo', async () => {
    const [uid = ''] = stackUids();
    const before = await metadata(uid);
    const version = before.files.find((f) => f.canUnstack);
    if (!version) throw new Error('no version to unstack');

    const result = await env.act('actions.unstack', { uid, fileUid: version.uid });
    expect(result).toEqual({ applied: [uid], failed: [] });
    const created = env.emu.admin.snapshot().photos.find((p) => p.UID !== uid && p.Files.some((f) => f.UID === version.uid));
    if (!created) throw new Error('the server made no new photo');
    expect((await tile(uid))?.stackSize).toBeUndefined();
    expect(await tile(created.UID)).toMatchObject({ uid: created.UID });
    expect(env.log()[0]?.event).toEqual({ event: 'photos.updated', data: { entities: [{ UID: uid }, { UID: created.UID }] } });
    // PhotoPrism cannot stack files again: nothing to undo.
    expect((await env.history()).canUndo).toBe(false);
  });

  it('refuses, with why and without a request, a version that may not be unstacked or is gone', async () => {
    const [uid = ''] = stackUids();
    const before = await metadata(uid);
    const primary = before.files.find((f) => f.primary);
    if (!primary) throw new Error('no primary');
    const posts = () => env.emu.requests.filter((r) => r.method === 'POST' && r.path.includes('/files/')).length;

    const refused = await env.act('actions.unstack', { uid, fileUid: primary.uid });
    expect(refused.applied).toEqual([]);
    expect(refused.failed[0]).toMatchObject({
      uids: [uid],
      kind: 'conflict',
      message: expect.stringMatching(/Make another version primary first/),
    });
    const gone = await env.act('actions.choosePrimary', { uid, fileUid: 'fzzzzzzzzzzzzzzz' });
    expect(gone.failed[0]?.message).toMatch(/no longer part of the photo/);
    expect(posts()).toBe(0);
    expect(env.log()).toHaveLength(0);

    // A malformed file UID never reaches the action.
    const bad = await env.core.dispatch('actions.unstack', { uid, fileUid: 'nope' }, { trusted: true, description: 't' });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'bad-request' } });
  });

  it('says why a read-only server refused to unstack, and records nothing', async () => {
    const [uid = ''] = stackUids();
    const version = (await metadata(uid)).files.find((f) => f.canUnstack);
    env.emu.stackSwitches.readOnly = true;
    const result = await env.act('actions.unstack', { uid, fileUid: version?.uid ?? '' });
    expect(result.applied).toEqual([]);
    expect(result.failed[0]).toMatchObject({ kind: 'permission', message: expect.stringMatching(/read-only/) });
    expect(env.log()).toHaveLength(0);
    expect((await tile(uid))?.stackSize).toBe(2);
  });

  it('says the server is needed while offline, and changes nothing', async () => {
    const [uid = ''] = stackUids();
    const version = (await metadata(uid)).files.find((f) => f.canBePrimary);
    await env.emu.admin.goDown();
    await env.call('library.refresh');
    const result = await env.act('actions.choosePrimary', { uid, fileUid: version?.uid ?? '' });
    expect(result.applied).toEqual([]);
    expect(result.failed[0]).toMatchObject({ kind: 'network', message: expect.stringMatching(/can't reach your PhotoPrism server/) });
    expect(env.log()).toHaveLength(0);
  });
});
