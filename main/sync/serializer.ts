import type { CloudRecord, RecordOperation } from '../cloudkit/client';
import { readString, readStringList, stringField, stringListField } from '../cloudkit/fields';
import type { IncomingRecord, StoredEvent } from '../eventlog/event-log';

/**
 * [Note: The single serializer]
 *
 * This is the ONLY path from the event log to CloudKit. A record has exactly two fields:
 *
 *   event     STRING       "photos.updated"
 *   entities  STRING_LIST  ["ptajmyx4rf5gni6h", …]
 *
 * and its record name is the event's random id. Nothing else — not a device id, not a time, not
 * a title — is ever put in a record; own events are recognised by their record names in the
 * local log. The input is a StoredEvent, which has passed the strict SyncEvent schema, so only
 * names and UIDs can reach this function in the first place. The privacy test captures every
 * request body sent to the CloudKit emulator and checks it against this shape.
 */
export const EVENT_FIELD = 'event';
export const ENTITIES_FIELD = 'entities';

/** The `create` operation that pushes one event. */
export function toCreateOperation(stored: StoredEvent, recordType: string): RecordOperation {
  return {
    operationType: 'create',
    recordName: stored.id,
    recordType,
    fields: {
      [EVENT_FIELD]: stringField(stored.event.event),
      [ENTITIES_FIELD]: stringListField(stored.event.data.entities.map((entity) => entity.UID)),
    },
  };
}

/**
 * Turn a pulled record back into the event payload it claims to be, WITHOUT trusting it: the
 * event log validates the result with the strict schema and quarantines what fails. A record
 * of another type, or with any field beyond the two, is passed on in a shape that fails.
 */
export function fromCloudRecord(record: CloudRecord, recordType: string): IncomingRecord {
  const fields = record.fields ?? {};
  const extra = Object.keys(fields).filter((name) => name !== EVENT_FIELD && name !== ENTITIES_FIELD);
  const entities = readStringList(fields, ENTITIES_FIELD);
  const payload: Record<string, unknown> = {
    event: readString(fields, EVENT_FIELD),
    data: { entities: entities?.map((UID) => ({ UID })) },
  };
  if (extra.length > 0) payload['unexpectedFields'] = extra;
  if (record.recordType !== undefined && record.recordType !== recordType) payload['unexpectedRecordType'] = record.recordType;
  return { id: record.recordName, payload };
}

/**
 * Whether a record in iCloud holds exactly this event: its two fields, nothing else. Used when a
 * `create` answers EXISTS (docs/cloudkit.md §3.1): the name is taken, but only a record with our
 * content means an earlier attempt of ours got through.
 */
export function holdsEvent(record: CloudRecord, stored: StoredEvent, recordType: string): boolean {
  const { payload } = fromCloudRecord(record, recordType);
  const expected = { event: stored.event.event, data: { entities: stored.event.data.entities.map((e) => ({ UID: e.UID })) } };
  return JSON.stringify(payload) === JSON.stringify(expected);
}
