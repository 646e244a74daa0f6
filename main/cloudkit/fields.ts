import { z } from 'zod';
import { CloudKitError } from './errors';
import type { WireField } from './schemas';

/**
 * Typed CloudKit field values (docs/cloudkit.md §4): how we write them and how we read them back.
 *
 * We always send `type`, because the server cannot tell a TIMESTAMP or BYTES from a bare number
 * or string (docs/cloudkit.md §4). Reading is tolerant: a missing `type` is inferred from the JSON shape, and
 * INT64 may arrive as a string when `numbersAsStrings` was requested.
 */
export type FieldValue =
  | { readonly type: 'STRING'; readonly value: string }
  | { readonly type: 'STRING_LIST'; readonly value: readonly string[] }
  | { readonly type: 'TIMESTAMP'; readonly value: number }
  | { readonly type: 'TIMESTAMP_LIST'; readonly value: readonly number[] }
  | { readonly type: 'INT64'; readonly value: number }
  | { readonly type: 'INT64_LIST'; readonly value: readonly number[] }
  | { readonly type: 'DOUBLE'; readonly value: number }
  | { readonly type: 'DOUBLE_LIST'; readonly value: readonly number[] }
  | { readonly type: 'BYTES'; readonly value: string }
  | { readonly type: 'REFERENCE'; readonly value: ReferenceValue };

/** A REFERENCE value (docs/cloudkit.md §4). */
export interface ReferenceValue {
  readonly recordName: string;
  readonly zoneID?: { readonly zoneName: string; readonly ownerRecordName?: string };
  readonly action: 'NONE' | 'DELETE_SELF' | 'VALIDATE';
}

/** The field map of a record we send. */
export type FieldMap = Readonly<Record<string, FieldValue>>;

function badField(message: string): CloudKitError {
  return new CloudKitError('bad-request', { message });
}

/** A STRING field. */
export function stringField(value: string): FieldValue {
  return { type: 'STRING', value };
}

/** A STRING_LIST field; an empty list is a valid value (docs/cloudkit.md §4). */
export function stringListField(value: readonly string[]): FieldValue {
  return { type: 'STRING_LIST', value: [...value] };
}

/**
 * A TIMESTAMP field: integer milliseconds since the epoch.
 *
 * The server rejects a fractional value with BAD_REQUEST (docs/cloudkit.md §4), so we refuse it here, where the
 * bug is, instead of silently rounding someone's data.
 */
export function timestampField(at: number | Date): FieldValue {
  const ms = at instanceof Date ? at.getTime() : at;
  if (!Number.isSafeInteger(ms)) throw badField(`A TIMESTAMP must be whole milliseconds since 1970; got ${String(ms)}.`);
  return { type: 'TIMESTAMP', value: ms };
}

/** An INT64 field; beyond 2^53 JavaScript numbers lose precision, so those are refused. */
export function int64Field(value: number): FieldValue {
  if (!Number.isSafeInteger(value)) throw badField(`An INT64 must be a whole number within ±2^53; got ${String(value)}.`);
  return { type: 'INT64', value };
}

/** A DOUBLE field. */
export function doubleField(value: number): FieldValue {
  if (!Number.isFinite(value)) throw badField(`A DOUBLE must be finite; got ${String(value)}.`);
  return { type: 'DOUBLE', value };
}

/** A BYTES field from raw bytes (sent as base64). */
export function bytesField(value: Uint8Array): FieldValue {
  return { type: 'BYTES', value: Buffer.from(value).toString('base64') };
}

/** The JSON a field map becomes on the wire: `{name: {value, type}}`. */
export function encodeFields(fields: FieldMap): Record<string, { value: unknown; type: string }> {
  const out: Record<string, { value: unknown; type: string }> = {};
  for (const [name, field] of Object.entries(fields)) out[name] = { value: field.value, type: field.type };
  return out;
}

const SafeInt = z.union([
  z.number().refine(Number.isSafeInteger),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number)
    .refine(Number.isSafeInteger),
]);
const ReferenceSchema = z.object({
  recordName: z.string(),
  zoneID: z.object({ zoneName: z.string(), ownerRecordName: z.string().optional() }).optional(),
  action: z.enum(['NONE', 'DELETE_SELF', 'VALIDATE']).default('NONE'),
});

/**
 * Decode one wire field into a typed value, or `undefined` if its type is one we do not use
 * (assets, locations, encrypted fields) or its value does not match its type.
 */
export function decodeField(field: WireField): FieldValue | undefined {
  const type = field.type ?? inferType(field.value);
  const value = field.value;
  switch (type) {
    case 'STRING':
    case 'BYTES': {
      const r = z.string().safeParse(value);
      return r.success ? { type, value: r.data } : undefined;
    }
    case 'STRING_LIST': {
      const r = z.array(z.string()).safeParse(value);
      return r.success ? { type, value: r.data } : undefined;
    }
    case 'TIMESTAMP':
    case 'INT64': {
      const r = SafeInt.safeParse(value);
      return r.success ? { type, value: r.data } : undefined;
    }
    case 'TIMESTAMP_LIST':
    case 'INT64_LIST': {
      const r = z.array(SafeInt).safeParse(value);
      return r.success ? { type, value: r.data } : undefined;
    }
    case 'DOUBLE': {
      const r = z.number().safeParse(value);
      return r.success ? { type, value: r.data } : undefined;
    }
    case 'DOUBLE_LIST': {
      const r = z.array(z.number()).safeParse(value);
      return r.success ? { type, value: r.data } : undefined;
    }
    case 'REFERENCE': {
      const r = ReferenceSchema.safeParse(value);
      if (!r.success) return undefined;
      const { recordName, zoneID, action } = r.data;
      return { type, value: zoneID ? { recordName, action, zoneID: stripUndefined(zoneID) } : { recordName, action } };
    }
    default:
      return undefined;
  }
}

function stripUndefined(zoneID: { zoneName: string; ownerRecordName?: string | undefined }): ReferenceValue['zoneID'] & object {
  return zoneID.ownerRecordName === undefined
    ? { zoneName: zoneID.zoneName }
    : { zoneName: zoneID.zoneName, ownerRecordName: zoneID.ownerRecordName };
}

/** A bare value's likely type, for the rare response without `type` (docs/cloudkit.md §4 says responses carry it). */
function inferType(value: unknown): string | undefined {
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'number') return Number.isInteger(value) ? 'INT64' : 'DOUBLE';
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return 'STRING_LIST';
  return undefined;
}

type WireFields = Readonly<Record<string, WireField>> | undefined;

/** Read a STRING field, or `undefined` when absent or of another type. */
export function readString(fields: WireFields, name: string): string | undefined {
  const field = fields?.[name];
  const decoded = field ? decodeField(field) : undefined;
  return decoded?.type === 'STRING' ? decoded.value : undefined;
}

/** Read a STRING_LIST field, or `undefined` when absent or of another type. */
export function readStringList(fields: WireFields, name: string): readonly string[] | undefined {
  const field = fields?.[name];
  const decoded = field ? decodeField(field) : undefined;
  return decoded?.type === 'STRING_LIST' ? decoded.value : undefined;
}

/** Read a TIMESTAMP field as epoch milliseconds (a typeless integer is accepted). */
export function readTimestamp(fields: WireFields, name: string): number | undefined {
  const field = fields?.[name];
  const decoded = field ? decodeField(field) : undefined;
  if (decoded?.type === 'TIMESTAMP') return decoded.value;
  if (decoded?.type === 'INT64' && field?.type === undefined) return decoded.value;
  return undefined;
}

/** Read an INT64 field (string-encoded numbers from `numbersAsStrings` are accepted). */
export function readInt64(fields: WireFields, name: string): number | undefined {
  const field = fields?.[name];
  const decoded = field ? decodeField(field) : undefined;
  return decoded?.type === 'INT64' ? decoded.value : undefined;
}
