/**
 * docs/cloudkit.md §9.2 (sync tokens), docs/cloudkit.md §9.3 (paging), docs/cloudkit.md §9.4 (zone deletion), docs/cloudkit.md §9.5 (purge), docs/cloudkit.md §3.6/docs/cloudkit.md §3.7 feeds —
 * in both token modes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CloudKitEmulator, CloudKitEmulatorOptions } from '../index';
import { at, eventOp, list, start, str, TestUser, TOKEN_MODES } from './helpers';

let emulator: CloudKitEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const ZONE = { zoneName: 'Events' };
const names = (records: unknown[]): unknown[] => records.map((record) => at(record, 'recordName'));

async function setup(options: CloudKitEmulatorOptions = {}): Promise<TestUser> {
  emulator = await start(options);
  const user = new TestUser(emulator);
  await user.createZone('Events');
  return user;
}

/** One changes/zone call for the Events zone. */
async function zoneChanges(user: TestUser, syncToken?: string, resultsLimit?: number) {
  const zone: Record<string, unknown> = { zoneID: ZONE };
  if (syncToken !== undefined) zone['syncToken'] = syncToken;
  if (resultsLimit !== undefined) zone['resultsLimit'] = resultsLimit;
  const res = await user.call('changes/zone', { zones: [zone] });
  expect(res.status).toBe(200);
  const entry = at(res.body, 'zones', 0);
  return { records: list(entry, 'records'), syncToken: str(entry, 'syncToken'), moreComing: at(entry, 'moreComing'), entry, res };
}

describe.each(TOKEN_MODES)('change feeds (%s tokens)', (tokenMode) => {
  it('returns every change since the token; no token means from the beginning; tokens are opaque', async () => {
    const user = await setup({ tokenMode });
    await user.createEvents('Events', ['a', 'b']);
    const first = await zoneChanges(user);
    expect(names(first.records)).toEqual(['a', 'b']);
    expect(first.moreComing).toBe(false);
    expect(first.syncToken).not.toMatch(/^\d+$/);
    expect(first.syncToken.length).toBeGreaterThan(16);
    const none = await zoneChanges(user, first.syncToken);
    expect(none.records).toEqual([]);
    expect(none.syncToken).toBe(first.syncToken);
    await user.createEvents('Events', ['c']);
    const next = await zoneChanges(user, first.syncToken);
    expect(names(next.records)).toEqual(['c']);
    // zones/list and zones/lookup report the zone's current token.
    const listed = list((await user.call('zones/list')).body, 'zones').find((zone) => at(zone, 'zoneID', 'zoneName') === 'Events');
    expect(at(listed, 'syncToken')).toBe(next.syncToken);
  });

  it('pages at resultsLimit with moreComing and a token that resumes exactly after the last change', async () => {
    const user = await setup({ tokenMode });
    await user.createEvents(
      'Events',
      Array.from({ length: 7 }, (_, index) => `r${index}`),
    );
    const seen: unknown[] = [];
    let token: string | undefined;
    const tokens = new Set<string>();
    for (let page = 0; page < 10; page += 1) {
      const result = await zoneChanges(user, token, 3);
      expect(result.records.length).toBeLessThanOrEqual(3);
      seen.push(...names(result.records));
      expect(tokens.has(result.syncToken)).toBe(false);
      tokens.add(result.syncToken);
      token = result.syncToken;
      if (result.moreComing !== true) break;
    }
    expect(seen).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
  });

  it('caps pages at 200 (resultsLimit above 200 is clamped) and may return fewer than asked', async () => {
    const user = await setup({ tokenMode });
    for (let batch = 0; batch < 2; batch += 1) {
      await user.createEvents(
        'Events',
        Array.from({ length: 150 }, (_, index) => `b${batch}-${index}`),
      );
    }
    const first = await zoneChanges(user, undefined, 500);
    expect(first.records).toHaveLength(200);
    expect(first.moreComing).toBe(true);
    const second = await zoneChanges(user, first.syncToken);
    expect(second.records).toHaveLength(100);
    expect(second.moreComing).toBe(false);

    await emulator?.close();
    const small = await setup({ tokenMode, maxChangesPerPage: 2 });
    await small.createEvents('Events', ['x', 'y', 'z']);
    const page = await zoneChanges(small, undefined, 200);
    expect(page.records).toHaveLength(2);
    expect(page.moreComing).toBe(true);
  });

  it('rejects resultsLimit above 200 when configured to', async () => {
    const user = await setup({ tokenMode, resultsLimitOverMax: 'reject' });
    const res = await user.call('changes/zone', { zones: [{ zoneID: ZONE, resultsLimit: 201 }] });
    expect(res.status).toBe(400);
  });

  it('reports deleted records as tombstones (deleted: true), minimal or full', async () => {
    const user = await setup({ tokenMode });
    await user.createEvents('Events', ['a', 'b']);
    const base = await zoneChanges(user);
    await user.call('records/modify', { zoneID: ZONE, operations: [eventOp('forceDelete', 'a')] });
    const after = await zoneChanges(user, base.syncToken);
    expect(after.records).toEqual([{ recordName: 'a', deleted: true }]);

    await emulator?.close();
    const full = await setup({ tokenMode, tombstoneShape: 'full' });
    await full.createEvents('Events', ['a']);
    await full.call('records/modify', { zoneID: ZONE, operations: [eventOp('forceDelete', 'a')] });
    expect((await zoneChanges(full)).records[0]).toMatchObject({ recordName: 'a', recordType: 'PhotoflareEvent', deleted: true });
  });

  it('coalesces several edits into one entry by default, and lists each change in every-change mode', async () => {
    for (const changeFeed of ['coalesced', 'every-change'] as const) {
      await emulator?.close();
      const user = await setup({ tokenMode, changeFeed });
      await user.createEvents('Events', ['a', 'b']);
      await user.call('records/modify', { zoneID: ZONE, operations: [eventOp('forceUpdate', 'a', { event: 'photos.archived' })] });
      const feed = await zoneChanges(user);
      if (changeFeed === 'coalesced') {
        expect(names(feed.records)).toEqual(['b', 'a']);
        expect(at(feed.records[1], 'fields', 'event', 'value')).toBe('photos.archived');
      } else {
        expect(names(feed.records)).toEqual(['a', 'b', 'a']);
        expect(at(feed.records[0], 'fields', 'event', 'value')).toBe('photos.updated');
      }
    }
  });

  it('legacy records/changes pages the same way and refuses the default zone', async () => {
    const user = await setup({ tokenMode });
    await user.createEvents('Events', ['a', 'b', 'c']);
    const first = await user.call('records/changes', { zoneID: ZONE, resultsLimit: 2 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ moreComing: true, reverse: false });
    const second = await user.call('records/changes', { zoneID: ZONE, syncToken: str(first.body, 'syncToken') });
    expect(names(list(second.body, 'records'))).toEqual(['c']);
    const defaultZone = await user.call('records/changes', { zoneID: { zoneName: '_defaultZone' } });
    expect(defaultZone.status).toBe(400);
    expect(defaultZone.body).toMatchObject({ serverErrorCode: 'BAD_REQUEST', reason: 'cannot get changes in default zone' });
  });

  it('answers an invalid or expired sync token with the configured error, everywhere', async () => {
    const user = await setup({ tokenMode, expiredSyncTokenError: { status: 410, serverErrorCode: 'CHANGE_TOKEN_EXPIRED' } });
    await user.createEvents('Events', ['a']);
    const garbage = await user.call('changes/zone', { zones: [{ zoneID: ZONE, syncToken: 'AQAAAaBJidqD' }] });
    expect(garbage.status).toBe(410);
    expect(garbage.body).toMatchObject({ serverErrorCode: 'CHANGE_TOKEN_EXPIRED' });
    const zoneToken = (await zoneChanges(user)).syncToken;
    const dbToken = str((await user.call('changes/database', {})).body, 'syncToken');
    emulator?.admin.expireSyncTokens();
    expect((await user.call('changes/zone', { zones: [{ zoneID: ZONE, syncToken: zoneToken }] })).status).toBe(410);
    expect((await user.call('records/changes', { zoneID: ZONE, syncToken: zoneToken })).status).toBe(410);
    expect((await user.call('changes/database', { syncToken: dbToken })).status).toBe(410);
    expect((await user.call('zones/changes', { metaSyncToken: dbToken })).status).toBe(410);
    // Re-syncing from no token works and yields a token that is valid again.
    const fresh = await zoneChanges(user);
    expect(names(fresh.records)).toEqual(['a']);
    expect((await zoneChanges(user, fresh.syncToken)).records).toEqual([]);
  });

  it('defaults the expired-token error to 400 BAD_REQUEST; per-zone scope puts it in the zone entry', async () => {
    const user = await setup({ tokenMode });
    const res = await user.call('changes/zone', { zones: [{ zoneID: ZONE, syncToken: 'garbage' }] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ serverErrorCode: 'BAD_REQUEST' });
    await emulator?.close();
    const perZone = await setup({ tokenMode, changesZoneTokenErrorScope: 'per-zone' });
    const scoped = await perZone.call('changes/zone', { zones: [{ zoneID: ZONE, syncToken: 'garbage' }] });
    expect(scoped.status).toBe(200);
    expect(at(scoped.body, 'zones', 0)).toMatchObject({ zoneID: { zoneName: 'Events' }, serverErrorCode: 'BAD_REQUEST' });
    // At run time (admin switch): a stale token reported as a server error.
    emulator?.admin.setExpiredSyncTokenError({ status: 500, serverErrorCode: 'INTERNAL_ERROR' });
    const internal = await perZone.call('changes/database', { syncToken: 'garbage' });
    expect(internal.status).toBe(500);
    expect(internal.body).toMatchObject({ serverErrorCode: 'INTERNAL_ERROR' });
  });

  it('changes/database lists changed zones, pages, and reports deleted zones with deleted: true', async () => {
    const user = await setup({ tokenMode });
    await user.createZone('Other');
    const first = await user.call('changes/database', { resultsLimit: 1 });
    expect(first.body).toMatchObject({ moreComing: true, zones: [{ zoneID: { zoneName: 'Events', zoneType: 'REGULAR_CUSTOM_ZONE' } }] });
    const second = await user.call('changes/database', { syncToken: str(first.body, 'syncToken') });
    expect(second.body).toMatchObject({ moreComing: false, zones: [{ zoneID: { zoneName: 'Other' } }] });
    const token = str(second.body, 'syncToken');
    await user.createEvents('Events', ['a']);
    await user.call('zones/modify', { operations: [{ operationType: 'delete', zone: { zoneID: { zoneName: 'Other' } } }] });
    const third = await user.call('changes/database', { syncToken: token });
    const zones = list(third.body, 'zones');
    expect(zones.map((zone) => [at(zone, 'zoneID', 'zoneName'), at(zone, 'deleted')])).toEqual([
      ['Events', undefined],
      ['Other', true],
    ]);
    expect(at(zones[0], 'syncToken')).toBeDefined();
  });

  it('legacy zones/changes uses metaSyncToken; a syncToken key is ignored (page one repeats)', async () => {
    const user = await setup({ tokenMode });
    await user.createZone('Other');
    const first = await user.call('zones/changes', { resultsLimit: 1 });
    expect(first.body).toMatchObject({ moreComing: true });
    const meta = str(first.body, 'metaSyncToken');
    const wrongKey = await user.call('zones/changes', { syncToken: meta, resultsLimit: 1 });
    expect(at(wrongKey.body, 'metaSyncToken')).toBe(meta);
    expect(at(wrongKey.body, 'moreComing')).toBe(true);
    const rightKey = await user.call('zones/changes', { metaSyncToken: meta, resultsLimit: 1 });
    expect(rightKey.body).toMatchObject({ moreComing: false, zones: [{ zoneID: { zoneName: 'Other' } }] });
  });

  it('deleting a zone deletes its records; later writes and changes → ZONE_NOT_FOUND; re-creating starts fresh', async () => {
    const user = await setup({ tokenMode });
    await user.createEvents('Events', ['a']);
    const oldToken = (await zoneChanges(user)).syncToken;
    const deleted = await user.call('zones/modify', { operations: [{ operationType: 'delete', zone: { zoneID: ZONE } }] });
    expect(at(deleted.body, 'zones', 0)).toMatchObject({ zoneID: { zoneName: 'Events' }, deleted: true });
    const write = await user.call('records/modify', { zoneID: ZONE, operations: [eventOp('create', 'b')] });
    expect(write.status).toBe(404);
    expect(write.body).toMatchObject({ serverErrorCode: 'ZONE_NOT_FOUND' });
    const changes = await user.call('changes/zone', { zones: [{ zoneID: ZONE }] });
    expect(at(changes.body, 'zones', 0)).toMatchObject({ serverErrorCode: 'ZONE_NOT_FOUND', zoneID: { zoneName: 'Events' } });
    expect((await user.call('records/changes', { zoneID: ZONE })).status).toBe(404);
    await user.createZone('Events');
    const fresh = await zoneChanges(user);
    expect(fresh.records).toEqual([]);
    expect(fresh.syncToken).not.toBe(oldToken);
    expect((await user.call('changes/zone', { zones: [{ zoneID: ZONE, syncToken: oldToken }] })).status).toBe(400);
  });

  it('purgeZone (user deleted the data): gone from the feed as deleted, ZONE_NOT_FOUND with a distinguishing reason', async () => {
    const user = await setup({ tokenMode, purgedZoneReason: 'Zone purged by user', reportPurgedInFeed: true });
    await user.createEvents('Events', ['a']);
    const dbToken = str((await user.call('changes/database', {})).body, 'syncToken');
    emulator?.admin.purgeZone('alice', 'Events');
    const feed = await user.call('changes/database', { syncToken: dbToken });
    expect(list(feed.body, 'zones')).toEqual([{ zoneID: expect.objectContaining({ zoneName: 'Events' }), deleted: true, purged: true }]);
    const lookup = await user.call('records/lookup', { zoneID: ZONE, records: [{ recordName: 'a' }] });
    expect(lookup.status).toBe(404);
    expect(lookup.body).toMatchObject({ serverErrorCode: 'ZONE_NOT_FOUND', reason: 'Zone purged by user' });
    expect(emulator?.admin.zones('alice')).toContainEqual({ zoneName: 'Events', deleted: true, purged: true, recordCount: 0 });
  });

  it('deletedZonesInFeed off: a purged zone just stops appearing; only ZONE_NOT_FOUND tells', async () => {
    const user = await setup({ tokenMode });
    emulator?.admin.setDeletedZonesInFeed(false);
    await user.createEvents('Events', ['a']);
    const dbToken = str((await user.call('changes/database', {})).body, 'syncToken');
    emulator?.admin.purgeZone('alice', 'Events');
    expect(list((await user.call('changes/database', { syncToken: dbToken })).body, 'zones')).toEqual([]);
    expect(list((await user.call('changes/database', {})).body, 'zones')).toEqual([]);
    expect((await user.call('records/modify', { zoneID: ZONE, atomic: false, operations: [eventOp('create', 'b')] })).status).toBe(404);
  });
});
