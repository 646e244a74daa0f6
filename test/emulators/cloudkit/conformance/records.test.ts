/**
 * docs/cloudkit.md §9.1 (change tags, conflicts, atomic batches), docs/cloudkit.md §4 (strict field types, declared schema),
 * docs/cloudkit.md §6 / docs/cloudkit.md §9.8 (limits), docs/cloudkit.md §3.3 (lookup) — in both token modes.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CloudKitEmulator } from '../index';
import { startCloudKitEmulator } from '../index';
import { PHOTOFLARE_SCHEMA_PATH } from '../photoflare-schema';
import { parseCkdb } from '../schema-language';
import { adminPost, at, eventOp, list, start, str, TestUser, TOKEN_MODES } from './helpers';

let emulator: CloudKitEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const ZONE = { zoneName: 'Events' };

describe.each(TOKEN_MODES)('records/modify (%s tokens)', (tokenMode) => {
  let user: TestUser;
  beforeEach(async () => {
    emulator = await start({ tokenMode });
    user = new TestUser(emulator);
    await user.createZone('Events');
  });

  const modify = (operations: unknown[], extra: Record<string, unknown> = {}) =>
    user.call('records/modify', { zoneID: ZONE, operations, ...extra });

  it('create stores a record with an opaque tag and created/modified stamps; create again → EXISTS', async () => {
    const res = await modify([eventOp('create', 'e1', { entities: ['ptajmyx4rf5gni6h'] })]);
    expect(res.status).toBe(200);
    const record = at(res.body, 'records', 0);
    expect(record).toMatchObject({
      recordName: 'e1',
      recordType: 'PhotoflareEvent',
      fields: { entities: { value: ['ptajmyx4rf5gni6h'], type: 'STRING_LIST' } },
      created: { userRecordName: emulator?.admin.userRecordName('alice') },
      deleted: false,
    });
    expect(typeof at(record, 'created', 'timestamp')).toBe('number');
    expect(typeof at(record, 'modified', 'deviceID')).toBe('string');
    expect(str(record, 'recordChangeTag')).not.toBe('');
    const again = await modify([eventOp('create', 'e1')], { atomic: false });
    expect(again.status).toBe(200);
    expect(at(again.body, 'records', 0)).toMatchObject({ recordName: 'e1', serverErrorCode: 'EXISTS' });
    expect(str(again.body, 'records', 0, 'uuid')).not.toBe('');
  });

  it('assigns a recordName when create omits it', async () => {
    const res = await modify([{ operationType: 'create', record: { recordType: 'PhotoflareEvent', fields: { event: { value: 'x' } } } }]);
    expect(str(res.body, 'records', 0, 'recordName')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('update merges named fields with the current tag, gives a new tag, and CONFLICTs on a stale tag', async () => {
    const created = await modify([eventOp('create', 'e1', { event: 'a', entities: ['u1'] })]);
    const tag1 = str(created.body, 'records', 0, 'recordChangeTag');
    const updated = await modify([eventOp('update', 'e1', { recordChangeTag: tag1, event: 'b', omitType: true })]);
    expect(updated.status).toBe(200);
    const tag2 = str(updated.body, 'records', 0, 'recordChangeTag');
    expect(tag2).not.toBe(tag1);
    expect(at(updated.body, 'records', 0, 'fields')).toEqual({
      event: { value: 'b', type: 'STRING' },
      entities: { value: ['u1'], type: 'STRING_LIST' },
    });
    const stale = await modify([eventOp('update', 'e1', { recordChangeTag: tag1, event: 'c' })]);
    expect(at(stale.body, 'records', 0)).toMatchObject({ recordName: 'e1', serverErrorCode: 'CONFLICT' });
    const noTag = await modify([eventOp('update', 'e1', { event: 'c' })]);
    expect(at(noTag.body, 'records', 0, 'serverErrorCode')).toBe('CONFLICT');
  });

  it('update, replace and delete of a missing record → NOT_FOUND', async () => {
    const res = await modify(
      [
        eventOp('update', 'm1', { recordChangeTag: 'x' }),
        eventOp('replace', 'm2', { recordChangeTag: 'x' }),
        eventOp('delete', 'm3', { recordChangeTag: 'x' }),
      ],
      { atomic: false },
    );
    expect(list(res.body, 'records').map((entry) => at(entry, 'serverErrorCode'))).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
  });

  it('replace nulls omitted fields; forceReplace ignores the tag', async () => {
    const created = await modify([eventOp('create', 'e1', { event: 'a', entities: ['u1'] })]);
    const tag = str(created.body, 'records', 0, 'recordChangeTag');
    const replaced = await modify([eventOp('replace', 'e1', { recordChangeTag: tag, event: 'b' })]);
    expect(at(replaced.body, 'records', 0, 'fields')).toEqual({ event: { value: 'b', type: 'STRING' } });
    const forced = await modify([eventOp('forceReplace', 'e1', { recordChangeTag: 'stale', entities: ['u9'] })]);
    expect(at(forced.body, 'records', 0, 'fields')).toEqual({ entities: { value: ['u9'], type: 'STRING_LIST' } });
  });

  it('forceUpdate writes whatever the tag and creates a missing record (which needs recordType)', async () => {
    await modify([eventOp('create', 'e1', { event: 'a' })]);
    const forced = await modify([eventOp('forceUpdate', 'e1', { event: 'z', omitType: true })]);
    expect(at(forced.body, 'records', 0, 'fields', 'event', 'value')).toBe('z');
    const createdByForce = await modify([eventOp('forceUpdate', 'new1', { event: 'n' })]);
    expect(at(createdByForce.body, 'records', 0, 'recordName')).toBe('new1');
    const noType = await modify([eventOp('forceUpdate', 'new2', { event: 'n', omitType: true })]);
    expect(at(noType.body, 'records', 0, 'serverErrorCode')).toBe('BAD_REQUEST');
  });

  it('delete needs the current tag; forceDelete does not; forceDelete of a missing record → NOT_FOUND', async () => {
    const created = await modify([eventOp('create', 'e1'), eventOp('create', 'e2')], { atomic: false });
    const tag1 = str(created.body, 'records', 0, 'recordChangeTag');
    const conflict = await modify([eventOp('delete', 'e1', { recordChangeTag: 'stale' })]);
    expect(at(conflict.body, 'records', 0, 'serverErrorCode')).toBe('CONFLICT');
    const deleted = await modify([eventOp('delete', 'e1', { recordChangeTag: tag1 }), eventOp('forceDelete', 'e2')], { atomic: false });
    expect(list(deleted.body, 'records')).toEqual([
      { recordName: 'e1', deleted: true },
      { recordName: 'e2', deleted: true },
    ]);
    const missing = await modify([eventOp('forceDelete', 'e2')]);
    expect(at(missing.body, 'records', 0, 'serverErrorCode')).toBe('NOT_FOUND');
    expect(emulator?.admin.records('alice', 'Events')).toEqual([]);
  });

  it('an atomic batch in a custom zone applies nothing on failure: 400, culprit code, ATOMIC_ERROR siblings', async () => {
    await modify([eventOp('create', 'exists')]);
    const res = await modify([eventOp('create', 'a1'), eventOp('create', 'exists'), eventOp('create', 'a2')]);
    expect(res.status).toBe(400);
    expect(list(res.body, 'records').map((entry) => [at(entry, 'recordName'), at(entry, 'serverErrorCode')])).toEqual([
      ['a1', 'ATOMIC_ERROR'],
      ['exists', 'EXISTS'],
      ['a2', 'ATOMIC_ERROR'],
    ]);
    expect(emulator?.admin.records('alice', 'Events').map((record) => record.recordName)).toEqual(['exists']);
  });

  it('a non-atomic batch applies what it can and reports per-record errors in a 200', async () => {
    await modify([eventOp('create', 'exists')]);
    const res = await modify([eventOp('create', 'a1'), eventOp('create', 'exists')], { atomic: false });
    expect(res.status).toBe(200);
    expect(at(res.body, 'records', 0, 'recordName')).toBe('a1');
    expect(at(res.body, 'records', 1, 'serverErrorCode')).toBe('EXISTS');
  });

  it('atomic has no effect in _defaultZone', async () => {
    await user.call('records/modify', { operations: [eventOp('create', 'd0')] });
    const res = await user.call('records/modify', { atomic: true, operations: [eventOp('create', 'd1'), eventOp('create', 'd0')] });
    expect(res.status).toBe(200);
    expect(at(res.body, 'records', 1, 'serverErrorCode')).toBe('EXISTS');
    expect(
      emulator?.admin
        .records('alice', '_defaultZone')
        .map((record) => record.recordName)
        .sort(),
    ).toEqual(['d0', 'd1']);
  });

  it('allows one operation per record per request', async () => {
    const res = await modify([eventOp('create', 'same'), eventOp('forceDelete', 'same')]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ serverErrorCode: 'BAD_REQUEST' });
  });

  it('writes to a missing zone fail with 404 ZONE_NOT_FOUND', async () => {
    const res = await user.call('records/modify', { zoneID: { zoneName: 'Nope' }, operations: [eventOp('create', 'x')] });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ serverErrorCode: 'ZONE_NOT_FOUND' });
  });

  it('enforces the 200-operation and 1 MB limits', async () => {
    const tooMany = await modify(Array.from({ length: 201 }, (_, index) => eventOp('create', `r${index}`)));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ serverErrorCode: 'BAD_REQUEST' });
    const ok = await modify(Array.from({ length: 200 }, (_, index) => eventOp('create', `r${index}`)));
    expect(ok.status).toBe(200);
    const huge = await modify([eventOp('create', 'big', { event: 'x'.repeat(1024 * 1024) })]);
    expect(huge.status).toBe(400);
    expect(huge.body).toMatchObject({ serverErrorCode: 'BAD_REQUEST' });
  });

  it('records/lookup returns records immediately and NOT_FOUND per missing name; honours desiredKeys', async () => {
    await modify([eventOp('create', 'e1', { event: 'a', entities: ['u'] })]);
    const res = await user.call('records/lookup', {
      zoneID: ZONE,
      records: [{ recordName: 'e1' }, { recordName: 'gone' }],
      desiredKeys: ['event'],
    });
    expect(res.status).toBe(200);
    expect(at(res.body, 'records', 0, 'fields')).toEqual({ event: { value: 'a', type: 'STRING' } });
    expect(at(res.body, 'records', 1)).toMatchObject({ recordName: 'gone', serverErrorCode: 'NOT_FOUND' });
  });
});

describe('the container schema (none until set up in CloudKit Console)', () => {
  it('starts empty: a new container rejects every record, per record, with BAD_REQUEST', async () => {
    emulator = await startCloudKitEmulator();
    const user = new TestUser(emulator);
    await user.createZone('Events');
    const res = await user.call('records/modify', {
      zoneID: ZONE,
      atomic: false,
      operations: [eventOp('create', 'e1', { entities: ['ptajmyx4rf5gni6h'] })],
    });
    expect(res.status).toBe(200);
    expect(at(res.body, 'records', 0)).toMatchObject({
      recordName: 'e1',
      serverErrorCode: 'BAD_REQUEST',
      reason: 'Did not find record type: PhotoflareEvent',
    });
    expect(emulator.admin.records('alice', 'Events')).toEqual([]);
  });

  it('installs the schema file the repository ships (over HTTP too), per environment', async () => {
    emulator = await startCloudKitEmulator();
    const ckdb = readFileSync(PHOTOFLARE_SCHEMA_PATH, 'utf8');
    expect(parseCkdb(ckdb)).toEqual({ PhotoflareEvent: { event: 'STRING', entities: 'STRING_LIST' } });
    expect((await adminPost(emulator, 'schema', { ckdb, environment: 'development' })).status).toBe(200);
    const dev = new TestUser(emulator);
    await dev.createZone('Events');
    const saved = await dev.call('records/modify', {
      zoneID: ZONE,
      operations: [eventOp('create', 'e1', { entities: ['ptajmyx4rf5gni6h'] })],
    });
    expect(at(saved.body, 'records', 0, 'serverErrorCode')).toBeUndefined();
    // Production is its own schema: not deployed yet, so still rejected there.
    const prod = new TestUser(emulator, 'alice', 'production');
    await prod.createZone('Events');
    const refused = await prod.call('records/modify', { zoneID: ZONE, atomic: false, operations: [eventOp('create', 'e1')] });
    expect(at(refused.body, 'records', 0, 'serverErrorCode')).toBe('BAD_REQUEST');
    expect((await adminPost(emulator, 'schema', { ckdb: 'RECORD TYPE X (a STRNG);' })).status).toBe(400);
    expect(() => parseCkdb('DEFINE SCHEMA RECORD TYPE X (a STRING FAST);')).toThrow(/Unknown attribute FAST/);
  });
});

describe('field types and schema', () => {
  let user: TestUser;
  beforeEach(async () => {
    emulator = await start({
      recordTypes: {
        PhotoflareEvent: { event: 'STRING', entities: 'STRING_LIST' },
        Sample: {
          at: 'TIMESTAMP',
          n: 'INT64',
          d: 'DOUBLE',
          b: 'BYTES',
          ref: 'REFERENCE',
          loc: 'LOCATION',
          times: 'TIMESTAMP_LIST',
          ns: 'INT64_LIST',
        },
      },
    });
    user = new TestUser(emulator);
    await user.createZone('Events');
  });

  const save = (fields: Record<string, unknown>, recordType = 'Sample') =>
    user.call('records/modify', {
      zoneID: ZONE,
      operations: [{ operationType: 'forceReplace', record: { recordName: 's', recordType, fields } }],
    });
  const errorOf = async (fields: Record<string, unknown>, recordType?: string) => at((await save(fields, recordType)).body, 'records', 0);

  it('accepts well-typed values and returns typed fields', async () => {
    const res = await save({
      at: { value: 1761523200123, type: 'TIMESTAMP' },
      n: { value: 3, type: 'INT64' },
      d: { value: 1.5 },
      b: { value: 'aGVsbG8=', type: 'BYTES' },
      ref: { value: { recordName: 'other', action: 'NONE' }, type: 'REFERENCE' },
      loc: { value: { latitude: 1, longitude: 2 }, type: 'LOCATION' },
      times: { value: [], type: 'TIMESTAMP_LIST' },
      ns: { value: [1, 2], type: 'INT64_LIST' },
    });
    expect(res.status).toBe(200);
    expect(at(res.body, 'records', 0, 'fields')).toMatchObject({
      at: { value: 1761523200123, type: 'TIMESTAMP' },
      d: { value: 1.5, type: 'DOUBLE' },
      times: { value: [], type: 'TIMESTAMP_LIST' },
    });
  });

  it('rejects a fractional TIMESTAMP, a mistyped value, a wrong type tag, an unknown field and an unknown type', async () => {
    expect(await errorOf({ at: { value: 1.5, type: 'TIMESTAMP' } })).toMatchObject({
      serverErrorCode: 'BAD_REQUEST',
      reason: expect.stringContaining('Invalid value, expected type TIMESTAMP'),
    });
    expect(await errorOf({ n: { value: 'three', type: 'INT64' } })).toMatchObject({ serverErrorCode: 'BAD_REQUEST' });
    expect(await errorOf({ n: { value: 3, type: 'STRING' } })).toMatchObject({ serverErrorCode: 'BAD_REQUEST' });
    expect(await errorOf({ ns: { value: [1, 'x'], type: 'INT64_LIST' } })).toMatchObject({ serverErrorCode: 'BAD_REQUEST' });
    expect(await errorOf({ nope: { value: 'x', type: 'STRING' } })).toMatchObject({
      serverErrorCode: 'BAD_REQUEST',
      reason: 'Field nope not found in Sample',
    });
    expect(await errorOf({}, 'Undeclared')).toMatchObject({ serverErrorCode: 'BAD_REQUEST' });
  });

  it('the default schema has only PhotoflareEvent {event, entities}', async () => {
    await emulator?.close();
    emulator = await start();
    user = new TestUser(emulator);
    await user.createZone('Events');
    expect(await errorOf({ filename: { value: 'IMG_0001.jpg', type: 'STRING' } }, 'PhotoflareEvent')).toMatchObject({
      serverErrorCode: 'BAD_REQUEST',
      reason: 'Field filename not found in PhotoflareEvent',
    });
    expect(await errorOf({ entities: { value: 'not-a-list', type: 'STRING_LIST' } }, 'PhotoflareEvent')).toMatchObject({
      serverErrorCode: 'BAD_REQUEST',
    });
  });

  it('numbersAsStrings returns INT64 and DOUBLE values as strings', async () => {
    await save({ n: { value: 42, type: 'INT64' }, d: { value: 2.5, type: 'DOUBLE' } });
    const res = await user.call('records/lookup', { zoneID: ZONE, records: [{ recordName: 's' }], numbersAsStrings: true });
    expect(at(res.body, 'records', 0, 'fields')).toEqual({ n: { value: '42', type: 'INT64' }, d: { value: '2.5', type: 'DOUBLE' } });
  });

  it('production has its own schema and data', async () => {
    await emulator?.close();
    emulator = await start({ productionRecordTypes: { Other: { x: 'STRING' } } });
    const prod = new TestUser(emulator, 'alice', 'production');
    await prod.createZone('Events');
    const res = await prod.call('records/modify', { zoneID: ZONE, operations: [eventOp('create', 'e1')] });
    expect(at(res.body, 'records', 0, 'serverErrorCode')).toBe('BAD_REQUEST');
  });
});
