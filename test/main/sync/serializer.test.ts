import { describe, expect, it } from 'vitest';
import { encodeFields } from '../../../main/cloudkit/fields';
import { fromCloudRecord, toCreateOperation } from '../../../main/sync/serializer';
import { SyncEvent } from '../../../shared/events/schema';

const stored = {
  seq: 1,
  id: '0b9a4a9e-7d1e-4c4f-9a53-1f5c2b7f0d11',
  event: { event: 'photos.updated', data: { entities: [{ UID: 'ptajmyx4rf5gni6h' }] } } as SyncEvent,
};

describe('the single serializer', () => {
  it('writes exactly two fields, event and entities, named by the event id', () => {
    const op = toCreateOperation(stored, 'PhotoflareEvent');
    expect(op).toMatchObject({ operationType: 'create', recordName: stored.id, recordType: 'PhotoflareEvent' });
    if (op.operationType !== 'create') throw new Error('expected create');
    expect(encodeFields(op.fields)).toEqual({
      event: { value: 'photos.updated', type: 'STRING' },
      entities: { value: ['ptajmyx4rf5gni6h'], type: 'STRING_LIST' },
    });
  });

  it('keeps a one-photo event well under 200 bytes on the wire', () => {
    const op = toCreateOperation(stored, 'PhotoflareEvent');
    if (op.operationType !== 'create') throw new Error('expected create');
    expect(JSON.stringify(encodeFields(op.fields)).length).toBeLessThanOrEqual(200);
  });

  it('reads a record written by another device back into the same event', () => {
    const incoming = fromCloudRecord(
      {
        recordName: 'r1',
        recordType: 'PhotoflareEvent',
        fields: {
          event: { value: 'photos.archived', type: 'STRING' },
          entities: { value: ['ptajmyx4rf5gni6h', 'pqbcdefghijklmn2'], type: 'STRING_LIST' },
        },
      },
      'PhotoflareEvent',
    );
    expect(SyncEvent.parse(incoming.payload)).toEqual({
      event: 'photos.archived',
      data: { entities: [{ UID: 'ptajmyx4rf5gni6h' }, { UID: 'pqbcdefghijklmn2' }] },
    });
  });

  it.each([
    [
      'an extra field',
      {
        event: { value: 'photos.updated', type: 'STRING' },
        entities: { value: ['ptajmyx4rf5gni6h'], type: 'STRING_LIST' },
        title: { value: 'Beach', type: 'STRING' },
      },
      'PhotoflareEvent',
    ],
    [
      'entities of the wrong type',
      { event: { value: 'photos.updated', type: 'STRING' }, entities: { value: 'ptajmyx4rf5gni6h', type: 'STRING' } },
      'PhotoflareEvent',
    ],
    ['no event field', { entities: { value: ['ptajmyx4rf5gni6h'], type: 'STRING_LIST' } }, 'PhotoflareEvent'],
    [
      'another record type',
      { event: { value: 'photos.updated', type: 'STRING' }, entities: { value: ['ptajmyx4rf5gni6h'], type: 'STRING_LIST' } },
      'SomethingElse',
    ],
  ])('turns a record with %s into a payload the strict schema rejects', (_what, fields, recordType) => {
    const incoming = fromCloudRecord({ recordName: 'r', recordType, fields }, 'PhotoflareEvent');
    expect(SyncEvent.safeParse(incoming.payload).success).toBe(false);
  });
});
