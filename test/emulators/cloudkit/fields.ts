/**
 * Strict field typing against a declared schema (docs/cloudkit.md §4), and the wire form of records in responses.
 *
 * The live service does not create schema on write and rejects unknown fields ("Field X not found
 * in Y") and values that do not match their type ("Invalid value, expected type TIMESTAMP").
 */
import type { ZoneState, StoredField, StoredRecord } from './store';
import type { FieldType, RecordTypeSchema } from './types';

/** A field as a client sent it. */
export interface FieldInput {
  value?: unknown;
  type?: string | null | undefined;
}

/** Validation outcome: typed fields (null = clear the field) or a reason for BAD_REQUEST. */
export type FieldsResult = { ok: true; fields: Record<string, StoredField | null> } | { ok: false; reason: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const INTEGER_STRING = /^-?\d+$/;
const REFERENCE_ACTIONS = new Set(['NONE', 'DELETE_SELF', 'VALIDATE']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Normalises one scalar value of a declared type, or returns undefined if it does not fit. */
function scalar(type: string, value: unknown): { value: unknown } | undefined {
  switch (type) {
    case 'STRING':
      return typeof value === 'string' ? { value } : undefined;
    case 'INT64':
      // Booleans have no schema type and travel as INT64 0/1 (docs/cloudkit.md §4); numbersAsStrings clients may send strings.
      if (typeof value === 'boolean') return { value: value ? 1 : 0 };
      if (typeof value === 'number' && Number.isInteger(value)) return { value };
      if (typeof value === 'string' && INTEGER_STRING.test(value)) return { value: Number(value) };
      return undefined;
    case 'DOUBLE':
      if (typeof value === 'number' && Number.isFinite(value)) return { value };
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return { value: Number(value) };
      return undefined;
    case 'TIMESTAMP':
      // Integer milliseconds only: a fractional value is rejected, as live (docs/cloudkit.md §4).
      return typeof value === 'number' && Number.isInteger(value) ? { value } : undefined;
    case 'BYTES':
      return typeof value === 'string' && BASE64.test(value) ? { value } : undefined;
    case 'REFERENCE':
      if (!isObject(value) || typeof value['recordName'] !== 'string') return undefined;
      if (value['action'] !== undefined && (typeof value['action'] !== 'string' || !REFERENCE_ACTIONS.has(value['action'])))
        return undefined;
      return { value };
    case 'LOCATION':
      return isObject(value) && typeof value['latitude'] === 'number' && typeof value['longitude'] === 'number' ? { value } : undefined;
    case 'ASSET':
      return isObject(value) ? { value } : undefined;
    default:
      return undefined;
  }
}

/** Validates a value against a declared field type (lists element by element). */
export function coerceValue(type: FieldType, value: unknown): { value: unknown } | undefined {
  if (type.endsWith('_LIST')) {
    if (!Array.isArray(value)) return undefined;
    const element = type.slice(0, -'_LIST'.length);
    const out: unknown[] = [];
    for (const item of value) {
      const ok = scalar(element, item);
      if (ok === undefined) return undefined;
      out.push(ok.value);
    }
    return { value: out };
  }
  return scalar(type, value);
}

/**
 * Checks client fields against `schema[recordType]`.
 *
 * `type` is optional on writes but must match the declaration when present (`ASSET` may be echoed
 * back as `ASSETID`). `{value: null}` clears a field (docs/cloudkit.md §10.6 leaves this open; we allow it).
 */
export function validateFields(schema: RecordTypeSchema, recordType: string, fields: Readonly<Record<string, FieldInput>>): FieldsResult {
  const declared = schema[recordType];
  if (declared === undefined) return { ok: false, reason: `Did not find record type: ${recordType}` };
  const out: Record<string, StoredField | null> = {};
  for (const [name, field] of Object.entries(fields)) {
    const type = declared[name];
    if (type === undefined) return { ok: false, reason: `Field ${name} not found in ${recordType}` };
    const sentType = field.type ?? undefined;
    if (sentType !== undefined && sentType !== type && !(type === 'ASSET' && sentType === 'ASSETID')) {
      return { ok: false, reason: `Invalid value, expected type ${type} for field ${name}` };
    }
    if (field.value === null) {
      out[name] = null;
      continue;
    }
    const coerced = coerceValue(type, field.value);
    if (coerced === undefined) return { ok: false, reason: `Invalid value, expected type ${type} for field ${name}` };
    out[name] = { value: coerced.value, type };
  }
  return { ok: true, fields: out };
}

/** Options that shape a record in a response. */
export interface FormatOptions {
  desiredKeys?: ReadonlyArray<string> | null | undefined;
  numbersAsStrings?: boolean | null | undefined;
}

function numberToString(type: string, value: unknown): unknown {
  const numeric = type.startsWith('INT64') || type.startsWith('DOUBLE');
  if (!numeric) return value;
  return Array.isArray(value) ? value.map((item) => String(item)) : String(value);
}

/** The zoneID dictionary as live payloads show it (docs/cloudkit.md §3.5). */
export function zoneIdDictionary(zoneName: string, ownerRecordName: string): Record<string, string> {
  return {
    zoneName,
    ownerRecordName,
    zoneType: zoneName === '_defaultZone' ? 'DEFAULT_ZONE' : 'REGULAR_CUSTOM_ZONE',
  };
}

/** A stored record in its response form (docs/cloudkit.md §3.1): typed fields, tag, created/modified stamps. */
export function formatRecord(
  record: StoredRecord,
  zone: Pick<ZoneState, 'zoneName'>,
  ownerRecordName: string,
  options: FormatOptions,
): Record<string, unknown> {
  const fields: Record<string, { value: unknown; type: string }> = {};
  for (const [name, field] of Object.entries(record.fields)) {
    if (options.desiredKeys !== undefined && options.desiredKeys !== null && !options.desiredKeys.includes(name)) continue;
    // Assets are written as ASSET and read back as ASSETID (docs/cloudkit.md §4).
    const type = field.type === 'ASSET' ? 'ASSETID' : field.type === 'ASSET_LIST' ? 'ASSETID_LIST' : field.type;
    fields[name] = { value: options.numbersAsStrings === true ? numberToString(type, field.value) : field.value, type };
  }
  return {
    recordName: record.recordName,
    recordType: record.recordType,
    fields,
    recordChangeTag: record.recordChangeTag,
    created: { ...record.created },
    modified: { ...record.modified },
    deleted: false,
    zoneID: zoneIdDictionary(zone.zoneName, ownerRecordName),
  };
}
