/**
 * Query filters and sorting (docs/cloudkit.md §3.2), shared by records/query and query subscriptions (docs/cloudkit.md §7.3).
 */
import { isDeepStrictEqual } from 'node:util';
import { ckError } from './errors';
import type { Filter, QueryDefinition } from './schemas';
import type { StoredRecord } from './store';
import type { RecordTypeSchema } from './types';

const COMPARATORS = new Set([
  'EQUALS',
  'NOT_EQUALS',
  'LESS_THAN',
  'LESS_THAN_OR_EQUALS',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUALS',
  'IN',
  'NOT_IN',
  'LIST_CONTAINS',
  'NOT_LIST_CONTAINS',
  'NOT_LIST_CONTAINS_ANY',
  'LIST_CONTAINS_ALL',
  'NOT_LIST_CONTAINS_ALL',
  'BEGINS_WITH',
  'NOT_BEGINS_WITH',
  'LIST_MEMBER_BEGINS_WITH',
  'NOT_LIST_MEMBER_BEGINS_WITH',
  'CONTAINS_ALL_TOKENS',
  'CONTAINS_ANY_TOKENS',
]);

const SYSTEM_FIELDS = new Set(['recordName', 'createdTimestamp', 'modifiedTimestamp', 'createdUserRecordName', 'modifiedUserRecordName']);

/** Throws BAD_REQUEST for a query the live service would refuse (unknown type or field, bad IN). */
export function validateQuery(schema: RecordTypeSchema, query: Pick<QueryDefinition, 'recordType' | 'filterBy' | 'sortBy'>): void {
  const declared = schema[query.recordType];
  if (declared === undefined) throw ckError('BAD_REQUEST', `Did not find record type: ${query.recordType}`);
  const checkName = (fieldName: string | null | undefined, systemFieldName: string | null | undefined): void => {
    if (systemFieldName !== undefined && systemFieldName !== null) {
      if (!SYSTEM_FIELDS.has(systemFieldName)) throw ckError('BAD_REQUEST', `Unknown system field ${systemFieldName}`);
    } else if (fieldName === undefined || fieldName === null || declared[fieldName] === undefined) {
      throw ckError('BAD_REQUEST', `Field ${fieldName ?? '(none)'} not found in ${query.recordType}`);
    }
  };
  for (const filter of query.filterBy ?? []) {
    if (filter.comparator === 'NEAR') throw ckError('BAD_REQUEST', 'The emulator does not support NEAR queries');
    if (!COMPARATORS.has(filter.comparator)) throw ckError('BAD_REQUEST', `Unexpected input: comparator ${filter.comparator}`);
    checkName(filter.fieldName, filter.systemFieldName);
    // IN / NOT_IN need a typed list, otherwise the live service answers "Unexpected input" (docs/cloudkit.md §3.2).
    if ((filter.comparator === 'IN' || filter.comparator === 'NOT_IN') && !(filter.fieldValue.type ?? '').endsWith('_LIST')) {
      throw ckError('BAD_REQUEST', 'Unexpected input: IN and NOT_IN need a list type on fieldValue');
    }
  }
  for (const sort of query.sortBy ?? []) checkName(sort.fieldName, sort.systemFieldName);
}

function systemValue(record: StoredRecord, name: string): unknown {
  switch (name) {
    case 'recordName':
      return record.recordName;
    case 'createdTimestamp':
      return record.created.timestamp;
    case 'modifiedTimestamp':
      return record.modified.timestamp;
    case 'createdUserRecordName':
      return record.created.userRecordName;
    case 'modifiedUserRecordName':
      return record.modified.userRecordName;
    default:
      return undefined;
  }
}

function valueOf(record: StoredRecord, fieldName: string | null | undefined, systemFieldName: string | null | undefined): unknown {
  if (systemFieldName !== undefined && systemFieldName !== null) return systemValue(record, systemFieldName);
  return fieldName === undefined || fieldName === null ? undefined : record.fields[fieldName]?.value;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

const contains = (list: unknown, item: unknown): boolean => Array.isArray(list) && list.some((entry) => isDeepStrictEqual(entry, item));
const tokens = (text: unknown): string[] => String(text).toLowerCase().split(/\s+/).filter(Boolean);

function positiveMatch(comparator: string, actual: unknown, expected: unknown): boolean {
  const expectedList = Array.isArray(expected) ? expected : [expected];
  switch (comparator) {
    case 'EQUALS':
      return isDeepStrictEqual(actual, expected);
    case 'LESS_THAN':
      return compare(actual, expected) < 0;
    case 'LESS_THAN_OR_EQUALS':
      return compare(actual, expected) <= 0;
    case 'GREATER_THAN':
      return compare(actual, expected) > 0;
    case 'GREATER_THAN_OR_EQUALS':
      return compare(actual, expected) >= 0;
    case 'IN':
      return contains(expectedList, actual);
    case 'LIST_CONTAINS':
      return contains(actual, expected);
    case 'LIST_CONTAINS_ANY':
      return expectedList.some((item) => contains(actual, item));
    case 'LIST_CONTAINS_ALL':
      return expectedList.every((item) => contains(actual, item));
    case 'BEGINS_WITH':
      return typeof actual === 'string' && actual.startsWith(String(expected));
    case 'LIST_MEMBER_BEGINS_WITH':
      return Array.isArray(actual) && actual.some((item) => typeof item === 'string' && item.startsWith(String(expected)));
    case 'CONTAINS_ALL_TOKENS':
      return tokens(expected).every((token) => tokens(actual).includes(token));
    case 'CONTAINS_ANY_TOKENS':
      return tokens(expected).some((token) => tokens(actual).includes(token));
    default:
      return false;
  }
}

/** Whether one filter matches. `NOT_*` comparators are the negation of their positive twin. */
function matchesFilter(record: StoredRecord, filter: Filter): boolean {
  const actual = valueOf(record, filter.fieldName, filter.systemFieldName);
  const expected = filter.fieldValue.value;
  if (filter.comparator.startsWith('NOT_')) {
    const positive = filter.comparator === 'NOT_EQUALS' ? 'EQUALS' : filter.comparator.slice('NOT_'.length);
    return actual === undefined || !positiveMatch(positive, actual, expected);
  }
  return actual !== undefined && positiveMatch(filter.comparator, actual, expected);
}

/** Whether a record satisfies every filter (filters are ANDed, as in CloudKit). */
export function matchesQuery(record: StoredRecord, query: Pick<QueryDefinition, 'recordType' | 'filterBy'>): boolean {
  return record.recordType === query.recordType && (query.filterBy ?? []).every((filter) => matchesFilter(record, filter));
}

/** Sorts records by `sortBy` (stable; records without the field sort last). */
export function sortRecords(records: StoredRecord[], sortBy: QueryDefinition['sortBy']): StoredRecord[] {
  if (sortBy === undefined || sortBy === null || sortBy.length === 0) return records;
  return [...records].sort((a, b) => {
    for (const sort of sortBy) {
      const left = valueOf(a, sort.fieldName, sort.systemFieldName);
      const right = valueOf(b, sort.fieldName, sort.systemFieldName);
      if (left === right) continue;
      if (left === undefined) return 1;
      if (right === undefined) return -1;
      const order = compare(left, right);
      if (order !== 0) return sort.ascending === false ? -order : order;
    }
    return 0;
  });
}
