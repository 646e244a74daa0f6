/**
 * docs/cloudkit.md §3.4/docs/cloudkit.md §3.5 (zones), docs/cloudkit.md §3.2 and docs/cloudkit.md §9.8 (query, index lag) — in both token modes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CloudKitEmulator } from '../index';
import { at, eventOp, FakeClock, list, start, str, TestUser, TOKEN_MODES } from './helpers';

let emulator: CloudKitEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const ZONE = { zoneName: 'Events' };
const names = (records: unknown[]): unknown[] => records.map((record) => at(record, 'recordName'));

describe.each(TOKEN_MODES)('zones (%s tokens)', (tokenMode) => {
  it('creates, lists (with _defaultZone), looks up and deletes zones, one result per operation', async () => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    const created = await user.call('zones/modify', {
      operations: [
        { operationType: 'create', zone: { zoneID: { zoneName: 'Events' } } },
        { operationType: 'delete', zone: { zoneID: { zoneName: 'Missing' } } },
      ],
    });
    expect(created.status).toBe(200);
    expect(at(created.body, 'zones', 0)).toMatchObject({
      zoneID: { zoneName: 'Events', ownerRecordName: emulator.admin.userRecordName('alice'), zoneType: 'REGULAR_CUSTOM_ZONE' },
      atomic: true,
    });
    expect(typeof at(created.body, 'zones', 0, 'syncToken')).toBe('string');
    expect(at(created.body, 'zones', 1)).toMatchObject({ zoneID: { zoneName: 'Missing' }, serverErrorCode: 'ZONE_NOT_FOUND' });
    const listed = list((await user.call('zones/list')).body, 'zones').map((zone) => at(zone, 'zoneID', 'zoneName'));
    expect(listed.sort()).toEqual(['Events', '_defaultZone']);
    const lookup = await user.call('zones/lookup', { zones: [{ zoneName: 'Events' }, { zoneName: 'Nope' }] });
    expect(at(lookup.body, 'zones', 0, 'zoneID', 'zoneName')).toBe('Events');
    expect(at(lookup.body, 'zones', 1, 'serverErrorCode')).toBe('ZONE_NOT_FOUND');
  });

  it('treats creating an existing zone as success by default, or EXISTS when configured', async () => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    await user.createZone('Events');
    await user.createEvents('Events', ['a']);
    await user.createZone('Events');
    expect(emulator.admin.records('alice', 'Events')).toHaveLength(1);
    await emulator.close();
    emulator = await start({ tokenMode, zoneCreateExisting: 'EXISTS' });
    const strict = new TestUser(emulator);
    await strict.createZone('Events');
    const again = await strict.call('zones/modify', { operations: [{ operationType: 'create', zone: { zoneID: ZONE } }] });
    expect(at(again.body, 'zones', 0, 'serverErrorCode')).toBe('EXISTS');
  });

  it('refuses custom zones outside the private database', async () => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    const res = await user.call(
      'zones/modify',
      { operations: [{ operationType: 'create', zone: { zoneID: ZONE } }] },
      { database: 'public' },
    );
    expect(res.status).toBe(400);
  });
});

describe.each(TOKEN_MODES)('records/query (%s tokens)', (tokenMode) => {
  async function seeded(options: Parameters<typeof start>[0] = {}): Promise<TestUser> {
    emulator = await start({ tokenMode, ...options });
    const user = new TestUser(emulator);
    await user.createZone('Events');
    await user.call('records/modify', {
      zoneID: ZONE,
      atomic: false,
      operations: [
        eventOp('create', 'e1', { event: 'photos.updated', entities: ['u1', 'u2'] }),
        eventOp('create', 'e2', { event: 'albums.updated', entities: ['u3'] }),
        eventOp('create', 'e3', { event: 'photos.archived', entities: ['u2'] }),
      ],
    });
    return user;
  }
  const query = (user: TestUser, body: Record<string, unknown>) =>
    user.call('records/query', {
      zoneID: ZONE,
      ...body,
      query: { recordType: 'PhotoflareEvent', ...(body['query'] as object | undefined) },
    });

  it('filters with EQUALS, BEGINS_WITH, LIST_CONTAINS and IN, and sorts', async () => {
    const user = await seeded();
    const equals = await query(user, {
      query: { filterBy: [{ comparator: 'EQUALS', fieldName: 'event', fieldValue: { value: 'albums.updated', type: 'STRING' } }] },
    });
    expect(names(list(equals.body, 'records'))).toEqual(['e2']);
    const begins = await query(user, {
      query: {
        filterBy: [{ comparator: 'BEGINS_WITH', fieldName: 'event', fieldValue: { value: 'photos.' } }],
        sortBy: [{ fieldName: 'event', ascending: false }],
      },
    });
    expect(names(list(begins.body, 'records'))).toEqual(['e1', 'e3']);
    const contains = await query(user, {
      query: { filterBy: [{ comparator: 'LIST_CONTAINS', fieldName: 'entities', fieldValue: { value: 'u2', type: 'STRING' } }] },
    });
    expect(names(list(contains.body, 'records'))).toEqual(['e1', 'e3']);
    const inList = await query(user, {
      query: { filterBy: [{ comparator: 'IN', systemFieldName: 'recordName', fieldValue: { value: ['e1', 'e2'], type: 'STRING_LIST' } }] },
    });
    expect(names(list(inList.body, 'records'))).toEqual(['e1', 'e2']);
  });

  it('IN without a list type, unknown fields and unknown types → 400 BAD_REQUEST', async () => {
    const user = await seeded();
    const noListType = await query(user, { query: { filterBy: [{ comparator: 'IN', fieldName: 'event', fieldValue: { value: ['x'] } }] } });
    expect(noListType.status).toBe(400);
    expect(noListType.body).toMatchObject({ serverErrorCode: 'BAD_REQUEST' });
    const unknownField = await query(user, {
      query: { filterBy: [{ comparator: 'EQUALS', fieldName: 'nope', fieldValue: { value: 1 } }] },
    });
    expect(unknownField.status).toBe(400);
    const unknownType = await user.call('records/query', { zoneID: ZONE, query: { recordType: 'Nope' } });
    expect(unknownType.status).toBe(400);
  });

  it('pages with resultsLimit and an opaque continuationMarker until it is absent', async () => {
    const user = await seeded();
    const first = await query(user, { resultsLimit: 2 });
    expect(list(first.body, 'records')).toHaveLength(2);
    const marker = str(first.body, 'continuationMarker');
    const second = await query(user, { resultsLimit: 2, continuationMarker: marker });
    expect(names(list(second.body, 'records'))).toEqual(['e3']);
    expect(at(second.body, 'continuationMarker')).toBeUndefined();
    expect((await query(user, { continuationMarker: 'forged' })).status).toBe(400);
  });

  it('lags behind writes by indexLagMs while lookup sees them at once', async () => {
    const clock = new FakeClock();
    const user = await seeded({ indexLagMs: 3000, now: clock.now });
    expect(list((await query(user, {})).body, 'records')).toHaveLength(0);
    const lookup = await user.call('records/lookup', { zoneID: ZONE, records: [{ recordName: 'e1' }] });
    expect(at(lookup.body, 'records', 0, 'recordName')).toBe('e1');
    clock.advance(3000);
    expect(list((await query(user, {})).body, 'records')).toHaveLength(3);
    await user.call('records/modify', { zoneID: ZONE, operations: [eventOp('forceDelete', 'e1')] });
    expect(list((await query(user, {})).body, 'records')).toHaveLength(3);
    clock.advance(3000);
    expect(names(list((await query(user, {})).body, 'records'))).toEqual(['e2', 'e3']);
    emulator?.admin.setIndexLag(0);
    await user.createEvents('Events', ['e4']);
    expect(list((await query(user, {})).body, 'records')).toHaveLength(3);
  });
});
