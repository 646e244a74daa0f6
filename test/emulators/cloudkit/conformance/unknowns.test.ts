/**
 * docs/cloudkit.md §10: behaviours no source confirmed are options; each option does what it says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CloudKitEmulator } from '../index';
import { at, eventOp, list, start, TestUser } from './helpers';

let emulator: CloudKitEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const ZONE = { zoneName: 'Events' };

describe('configurable unknowns', () => {
  it('forceDeleteMissing: success answers a tombstone instead of NOT_FOUND (docs/cloudkit.md §10.6)', async () => {
    emulator = await start({ forceDeleteMissing: 'success' });
    const user = new TestUser(emulator);
    await user.createZone('Events');
    const res = await user.call('records/modify', { zoneID: ZONE, operations: [eventOp('forceDelete', 'never')] });
    expect(res.status).toBe(200);
    expect(list(res.body, 'records')).toEqual([{ recordName: 'never', deleted: true }]);
    expect(list(at((await user.call('changes/zone', { zones: [{ zoneID: ZONE }] })).body, 'zones', 0), 'records')).toEqual([]);
  });

  it('a null field value in update clears that field (docs/cloudkit.md §10.6)', async () => {
    emulator = await start();
    const user = new TestUser(emulator);
    await user.createZone('Events');
    await user.call('records/modify', { zoneID: ZONE, operations: [eventOp('create', 'e', { event: 'a', entities: ['u'] })] });
    const res = await user.call('records/modify', {
      zoneID: ZONE,
      operations: [{ operationType: 'forceUpdate', record: { recordName: 'e', fields: { entities: { value: null } } } }],
    });
    expect(at(res.body, 'records', 0, 'fields')).toEqual({ event: { value: 'a', type: 'STRING' } });
  });

  it('overLimitError sets the status and code for over-limit requests (docs/cloudkit.md §10.13)', async () => {
    emulator = await start({ overLimitError: { status: 413, serverErrorCode: 'LIMIT_EXCEEDED' } });
    const user = new TestUser(emulator);
    const res = await user.call('records/modify', {
      operations: Array.from({ length: 201 }, (_, index) => eventOp('create', `r${index}`)),
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ serverErrorCode: 'LIMIT_EXCEEDED' });
  });

  it('retryAfterUnit: milliseconds scales retryAfter (docs/cloudkit.md §10.3)', async () => {
    emulator = await start({ retryAfterUnit: 'milliseconds' });
    const user = new TestUser(emulator);
    emulator.admin.injectFault({ kind: 'throttled', retryAfterSeconds: 2, times: 1 });
    expect((await user.call('zones/list')).body).toMatchObject({ retryAfter: 2000 });
  });

  it('reset() forgets data and returns admin-changed settings to the options', async () => {
    emulator = await start({ tokenMode: 'lenient' });
    emulator.admin.setTokenMode('strict');
    emulator.admin.reset();
    const user = new TestUser(emulator);
    const first = user.token;
    await user.call('zones/list');
    expect((await user.call('zones/list', undefined, { token: first })).status).toBe(200);
  });
});
