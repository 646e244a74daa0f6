import { describe, expect, it } from 'vitest';
import { CloudKitError } from '../../../main/cloudkit/errors';
import {
  bytesField,
  decodeField,
  encodeFields,
  int64Field,
  readInt64,
  readString,
  readStringList,
  readTimestamp,
  stringField,
  stringListField,
  timestampField,
} from '../../../main/cloudkit/fields';

describe('field encoding', () => {
  it('always sends a type with each value (docs/cloudkit.md §4)', () => {
    const at = new Date('2025-10-27T00:00:00.123Z');
    expect(
      encodeFields({
        event: stringField('photos.updated'),
        entities: stringListField(['ptajmyx4rf5gni6h']),
        at: timestampField(at),
        n: int64Field(3),
      }),
    ).toEqual({
      event: { value: 'photos.updated', type: 'STRING' },
      entities: { value: ['ptajmyx4rf5gni6h'], type: 'STRING_LIST' },
      at: { value: 1761523200123, type: 'TIMESTAMP' },
      n: { value: 3, type: 'INT64' },
    });
  });

  it('encodes an empty STRING_LIST as an empty array', () => {
    expect(encodeFields({ entities: stringListField([]) })).toEqual({ entities: { value: [], type: 'STRING_LIST' } });
  });

  it('refuses a fractional TIMESTAMP, which the server would reject (docs/cloudkit.md §4)', () => {
    expect(() => timestampField(1761523200123.5)).toThrow(CloudKitError);
    expect(() => timestampField(Number.NaN)).toThrow(/whole milliseconds/);
    expect(() => int64Field(2 ** 60)).toThrow(CloudKitError);
  });

  it('sends BYTES as base64', () => {
    expect(bytesField(new Uint8Array([1, 2, 3]))).toEqual({ type: 'BYTES', value: 'AQID' });
  });
});

describe('field decoding', () => {
  const fields = {
    event: { value: 'photos.updated', type: 'STRING' },
    entities: { value: ['a', 'b'], type: 'STRING_LIST' },
    empty: { value: [], type: 'STRING_LIST' },
    at: { value: 1761523200123, type: 'TIMESTAMP' },
    asString: { value: '42', type: 'INT64' },
    wrong: { value: 12, type: 'STRING' },
    typeless: { value: 'plain' },
    typelessNumber: { value: 1761523200123 },
    asset: { value: { fileChecksum: 'x', size: 1 }, type: 'ASSETID' },
  };

  it('reads STRING, STRING_LIST and TIMESTAMP back as typed values', () => {
    expect(readString(fields, 'event')).toBe('photos.updated');
    expect(readStringList(fields, 'entities')).toEqual(['a', 'b']);
    expect(readStringList(fields, 'empty')).toEqual([]);
    expect(readTimestamp(fields, 'at')).toBe(1761523200123);
  });

  it('round-trips what it encodes', () => {
    const wire = encodeFields({ e: stringField('x'), l: stringListField(['1']), t: timestampField(5) });
    expect(readString(wire, 'e')).toBe('x');
    expect(readStringList(wire, 'l')).toEqual(['1']);
    expect(readTimestamp(wire, 't')).toBe(5);
  });

  it('accepts INT64 as a string (numbersAsStrings)', () => {
    expect(readInt64(fields, 'asString')).toBe(42);
  });

  it('infers the type of a typeless value', () => {
    expect(readString(fields, 'typeless')).toBe('plain');
    expect(readTimestamp(fields, 'typelessNumber')).toBe(1761523200123);
  });

  it('returns undefined for a missing field, a mismatched value, or the wrong reader', () => {
    expect(readString(fields, 'missing')).toBeUndefined();
    expect(readString(fields, 'wrong')).toBeUndefined();
    expect(readString(fields, 'entities')).toBeUndefined();
    expect(readTimestamp(fields, 'event')).toBeUndefined();
    expect(readString(undefined, 'event')).toBeUndefined();
  });

  it('ignores types the app does not use', () => {
    expect(decodeField(fields.asset)).toBeUndefined();
  });

  it('decodes references with a default action', () => {
    expect(decodeField({ value: { recordName: 'r1' }, type: 'REFERENCE' })).toEqual({
      type: 'REFERENCE',
      value: { recordName: 'r1', action: 'NONE' },
    });
  });
});
