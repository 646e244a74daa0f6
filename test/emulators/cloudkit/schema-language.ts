/**
 * Reads a schema written in the CloudKit Schema Language (Apple: "Integrating a Text-Based Schema
 * into Your Workflow"; the `.ckdb` files `cktool export-schema` writes and CloudKit Console's
 * "Import Schema" reads) into the emulator's {@link RecordTypeSchema}.
 *
 * Enough of the language for a container's record types: `DEFINE SCHEMA`, `RECORD TYPE Name (…);`
 * with fields `name TYPE [QUERYABLE|SEARCHABLE|SORTABLE]…`, `LIST<TYPE>`, quoted names, `GRANT …`
 * lines and `//` comments. System fields (`___…`) and grants are accepted and not stored: the
 * emulator does not model indexes or security roles. Anything else is an error, so a typo in the
 * repository's schema file fails the tests instead of passing silently.
 */
import type { FieldType, RecordTypeSchema } from './types';

const SCALAR_TYPES: Readonly<Record<string, FieldType>> = {
  STRING: 'STRING',
  INT64: 'INT64',
  DOUBLE: 'DOUBLE',
  TIMESTAMP: 'TIMESTAMP',
  BYTES: 'BYTES',
  REFERENCE: 'REFERENCE',
  ASSET: 'ASSET',
  LOCATION: 'LOCATION',
};
const LIST_TYPES: Readonly<Record<string, FieldType>> = {
  STRING: 'STRING_LIST',
  INT64: 'INT64_LIST',
  DOUBLE: 'DOUBLE_LIST',
  TIMESTAMP: 'TIMESTAMP_LIST',
  BYTES: 'BYTES_LIST',
  REFERENCE: 'REFERENCE_LIST',
  ASSET: 'ASSET_LIST',
  LOCATION: 'LOCATION_LIST',
};
const INDEX_ATTRIBUTES: ReadonlySet<string> = new Set(['QUERYABLE', 'SEARCHABLE', 'SORTABLE']);

/** A schema file the emulator cannot read; the message names the record type and field. */
export class SchemaLanguageError extends Error {
  override readonly name = 'SchemaLanguageError';
}

function unquote(name: string): string {
  return name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
}

/** Parses `.ckdb` text into record type → field → type. */
export function parseCkdb(text: string): RecordTypeSchema {
  const source = text.replace(/\/\/[^\n]*/g, '');
  if (!/^\s*DEFINE\s+SCHEMA\b/i.test(source)) throw new SchemaLanguageError('A CloudKit schema starts with DEFINE SCHEMA.');
  const body = source.replace(/^\s*DEFINE\s+SCHEMA\b/i, '');
  const schema: Record<string, Record<string, FieldType>> = {};
  const recordType = /RECORD\s+TYPE\s+("[^"]+"|[A-Za-z_][\w]*)\s*\(([\s\S]*?)\)\s*;/gy;
  let rest = body.trim();
  while (rest.length > 0) {
    recordType.lastIndex = 0;
    const match = recordType.exec(rest);
    if (!match) throw new SchemaLanguageError(`Expected RECORD TYPE Name (…); at: ${rest.slice(0, 40)}`);
    const typeName = unquote(match[1] ?? '');
    const fields: Record<string, FieldType> = {};
    for (const rawLine of (match[2] ?? '').split(',')) {
      const line = rawLine.trim();
      if (line === '' || /^GRANT\s/i.test(line)) continue;
      const field = /^("[^"]+"|[A-Za-z_][\w]*)\s+(LIST\s*<\s*([A-Z0-9]+)\s*>|[A-Z0-9]+)((?:\s+[A-Z]+)*)$/i.exec(line);
      if (!field) throw new SchemaLanguageError(`Cannot read the field "${line}" of ${typeName}.`);
      const fieldName = unquote(field[1] ?? '');
      const listOf = field[3]?.toUpperCase();
      const type = listOf !== undefined ? LIST_TYPES[listOf] : SCALAR_TYPES[(field[2] ?? '').toUpperCase()];
      if (type === undefined) throw new SchemaLanguageError(`Unknown type ${field[2] ?? ''} for ${typeName}.${fieldName}.`);
      for (const attribute of (field[4] ?? '').trim().split(/\s+/).filter(Boolean)) {
        if (!INDEX_ATTRIBUTES.has(attribute.toUpperCase())) {
          throw new SchemaLanguageError(`Unknown attribute ${attribute} on ${typeName}.${fieldName}.`);
        }
      }
      // System fields exist on every record type; the emulator keeps them out of the user's fields.
      if (fieldName.startsWith('___')) continue;
      fields[fieldName] = type;
    }
    schema[typeName] = fields;
    rest = rest.slice(match[0].length).trim();
  }
  return schema;
}
