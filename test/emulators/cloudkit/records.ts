/**
 * records/modify, records/lookup and records/query (docs/cloudkit.md §3.1–docs/cloudkit.md §3.3, docs/cloudkit.md §9.1).
 *
 * Change tags: every successful save gets a new opaque tag; update/replace/delete must present the
 * current one (CONFLICT otherwise). Atomic batches (custom zones only) apply all or nothing: the
 * culprit keeps its real code, the others report ATOMIC_ERROR, and the status is 400.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type CommittedChange, type HandlerResult, MAX_OPERATIONS, MAX_RESULTS, type OpContext, type Services } from './context';
import { ckError, errorEntry } from './errors';
import { formatRecord, type FormatOptions, validateFields } from './fields';
import { MarkerSchema } from './opaque';
import { matchesQuery, sortRecords, validateQuery } from './query';
import {
  LookupRecordsSchema,
  ModifyRecordsSchema,
  parseBody,
  QueryRecordsSchema,
  type RecordInput,
  type RecordOperationType,
} from './schemas';
import type { StoredField, StoredRecord, ZoneState } from './store';
import { DEFAULT_ZONE, overLimitError, requireZone, touchZone } from './zones';

/** A new opaque change tag. Random, so clients cannot do arithmetic on it. */
function newChangeTag(): string {
  return randomBytes(6).toString('base64url');
}

/** Applies `resultsLimit` rules: default and cap 200; above 200 clamped or rejected (docs/cloudkit.md §6, docs/cloudkit.md §10.13). */
export function resolveResultsLimit(services: Services, requested: number | null | undefined): number {
  if (requested === undefined || requested === null) return MAX_RESULTS;
  if (requested > MAX_RESULTS && services.settings.resultsLimitOverMax === 'reject') {
    throw ckError('BAD_REQUEST', `resultsLimit must be at most ${MAX_RESULTS}`);
  }
  return Math.min(requested, MAX_RESULTS);
}

/** Records `changes` into the zone's log and database feed, then tells the push side. */
export function commitChanges(
  ctx: OpContext,
  zone: ZoneState,
  changes: ReadonlyArray<CommittedChange & { record: StoredRecord | null }>,
): void {
  if (changes.length === 0) return;
  const atMs = ctx.services.now();
  for (const change of changes) {
    zone.seq += 1;
    zone.log.push({ seq: zone.seq, atMs, recordName: change.recordName, recordType: change.recordType, record: change.record });
  }
  touchZone(ctx.ns, zone);
  ctx.services.listener.recordsChanged(ctx.ns, zone.zoneName, changes);
}

type OperationOutcome =
  /** `change` is null for a successful no-op (forceDelete of a missing record in 'success' mode). */
  | { ok: true; response: Record<string, unknown>; change: (CommittedChange & { record: StoredRecord | null }) | null }
  | { ok: false; entry: Record<string, unknown> };

/** Fields after a write: `merge` keeps unnamed fields (update), otherwise they are dropped (replace). */
function writeFields(
  base: Readonly<Record<string, StoredField>>,
  incoming: Readonly<Record<string, StoredField | null>>,
  merge: boolean,
): Record<string, StoredField> {
  const out = new Map<string, StoredField>(merge ? Object.entries(base) : []);
  for (const [name, field] of Object.entries(incoming)) {
    if (field === null) out.delete(name);
    else out.set(name, field);
  }
  return Object.fromEntries(out);
}

function applyOperation(
  ctx: OpContext,
  zone: ZoneState,
  staged: Map<string, StoredRecord>,
  operationType: RecordOperationType,
  input: RecordInput,
  format: FormatOptions,
): OperationOutcome {
  const fail = (code: string, reason: string, recordName?: string): OperationOutcome => ({
    ok: false,
    entry: errorEntry(code, reason, recordName === undefined ? {} : { recordName }),
  });
  const creates = operationType === 'create' || operationType === 'forceUpdate' || operationType === 'forceReplace';
  const recordName = input.recordName ?? (creates ? randomUUID() : undefined);
  if (recordName === undefined) return fail('BAD_REQUEST', `${operationType} needs a recordName`);
  const existing = staged.get(recordName);
  const stamp = { timestamp: ctx.services.now(), userRecordName: ctx.userRecordName, deviceID: ctx.deviceID };
  const tagMatches = existing !== undefined && input.recordChangeTag === existing.recordChangeTag;

  if (operationType === 'delete' || operationType === 'forceDelete') {
    if (existing === undefined) {
      if (operationType === 'forceDelete' && ctx.services.settings.forceDeleteMissing === 'success') {
        return { ok: true, response: { recordName, deleted: true }, change: null };
      }
      return fail('NOT_FOUND', `Record ${recordName} not found`, recordName);
    }
    if (operationType === 'delete' && !tagMatches) return fail('CONFLICT', 'oplock error: record change tag does not match', recordName);
    staged.delete(recordName);
    return {
      ok: true,
      response: { recordName, deleted: true },
      change: { recordName, recordType: existing.recordType, kind: 'delete', fields: existing.fields, record: null },
    };
  }

  if (existing === undefined && (operationType === 'update' || operationType === 'replace')) {
    return fail('NOT_FOUND', `Record ${recordName} not found`, recordName);
  }
  if (existing !== undefined && operationType === 'create') return fail('EXISTS', `Record ${recordName} already exists`, recordName);
  if (existing !== undefined && (operationType === 'update' || operationType === 'replace') && !tagMatches) {
    return fail('CONFLICT', 'oplock error: record change tag does not match', recordName);
  }
  const recordType = existing?.recordType ?? input.recordType ?? undefined;
  if (recordType === undefined) return fail('BAD_REQUEST', `${operationType} of a new record needs a recordType`, recordName);
  if (existing !== undefined && input.recordType !== undefined && input.recordType !== null && input.recordType !== existing.recordType) {
    return fail('BAD_REQUEST', `Record ${recordName} is a ${existing.recordType}, not a ${input.recordType}`, recordName);
  }
  const validated = validateFields(ctx.services.settings.schemas[ctx.environment], recordType, input.fields ?? {});
  if (!validated.ok) return fail('BAD_REQUEST', validated.reason, recordName);
  const merge = operationType === 'update' || operationType === 'forceUpdate';
  const record: StoredRecord = {
    recordName,
    recordType,
    fields: writeFields(existing?.fields ?? {}, validated.fields, merge),
    recordChangeTag: newChangeTag(),
    created: existing?.created ?? stamp,
    modified: stamp,
  };
  staged.set(recordName, record);
  return {
    ok: true,
    response: formatRecord(record, zone, ctx.ns.userRecordName, format),
    change: { recordName, recordType, kind: existing === undefined ? 'create' : 'update', fields: record.fields, record },
  };
}

/** records/modify (docs/cloudkit.md §3.1). */
export function modifyRecords(ctx: OpContext): HandlerResult {
  const request = parseBody(ModifyRecordsSchema, ctx.body);
  if (request.operations.length > MAX_OPERATIONS) {
    throw overLimitError(ctx.services, `Too many operations: ${request.operations.length} (limit ${MAX_OPERATIONS})`);
  }
  const zone = requireZone(ctx.services, ctx.ns, request.zoneID?.zoneName ?? DEFAULT_ZONE);
  const names = request.operations.map((op) => op.record.recordName).filter((name) => typeof name === 'string');
  if (new Set(names).size !== names.length) throw ckError('BAD_REQUEST', 'Only one operation per record is allowed in a request');
  // `atomic` defaults to true and has no effect in the default zone (docs/cloudkit.md §3.1, docs/cloudkit.md §9.1).
  const atomic = (request.atomic ?? true) && zone.zoneName !== DEFAULT_ZONE;

  const staged = new Map(zone.records);
  const outcomes = request.operations.map((op) =>
    applyOperation(ctx, zone, staged, op.operationType, op.record, {
      desiredKeys: op.desiredKeys ?? request.desiredKeys,
      numbersAsStrings: request.numbersAsStrings,
    }),
  );
  const failed = outcomes.some((outcome) => !outcome.ok);
  if (atomic && failed) {
    const records = outcomes.map((outcome, index) =>
      outcome.ok
        ? errorEntry('ATOMIC_ERROR', 'Atomic batch failed because another operation in it failed', {
            recordName: outcome.change?.recordName ?? request.operations[index]?.record.recordName,
          })
        : outcome.entry,
    );
    return { status: 400, body: { records } };
  }
  zone.records = staged;
  commitChanges(
    ctx,
    zone,
    outcomes.flatMap((outcome) => (outcome.ok && outcome.change !== null ? [outcome.change] : [])),
  );
  return { status: 200, body: { records: outcomes.map((outcome) => (outcome.ok ? outcome.response : outcome.entry)) } };
}

/** records/lookup (docs/cloudkit.md §3.3): immediate (no index lag); missing names come back as NOT_FOUND entries. */
export function lookupRecords(ctx: OpContext): HandlerResult {
  const request = parseBody(LookupRecordsSchema, ctx.body);
  if (request.records.length > MAX_OPERATIONS) throw overLimitError(ctx.services, `Too many records (limit ${MAX_OPERATIONS})`);
  const zone = requireZone(ctx.services, ctx.ns, request.zoneID?.zoneName ?? DEFAULT_ZONE);
  const records = request.records.map(({ recordName, desiredKeys }) => {
    const record = zone.records.get(recordName);
    if (record === undefined) return errorEntry('NOT_FOUND', `Record ${recordName} not found`, { recordName });
    return formatRecord(record, zone, ctx.ns.userRecordName, {
      desiredKeys: desiredKeys ?? request.desiredKeys,
      numbersAsStrings: request.numbersAsStrings,
    });
  });
  return { status: 200, body: { records } };
}

/**
 * The records the query index can see now: the zone as it was `indexLagMs` ago (docs/cloudkit.md §3.2, eventual
 * consistency), rebuilt from the change log.
 */
function indexedRecords(ctx: OpContext, zone: ZoneState): StoredRecord[] {
  const lagMs = ctx.services.settings.indexLagMs;
  if (lagMs <= 0) return [...zone.records.values()];
  const cutoffMs = ctx.services.now() - lagMs;
  const asOf = new Map<string, StoredRecord | null>();
  for (const entry of zone.log) {
    if (entry.atMs > cutoffMs) break;
    asOf.set(entry.recordName, entry.record);
  }
  return [...asOf.values()].filter((record): record is StoredRecord => record !== null);
}

/** records/query (docs/cloudkit.md §3.2): filters, sort, resultsLimit and an opaque continuationMarker. */
export function queryRecords(ctx: OpContext): HandlerResult {
  const request = parseBody(QueryRecordsSchema, ctx.body);
  const { services } = ctx;
  const zone = requireZone(services, ctx.ns, request.zoneID?.zoneName ?? DEFAULT_ZONE);
  validateQuery(services.settings.schemas[ctx.environment], request.query);
  const limit = resolveResultsLimit(services, request.resultsLimit);
  // The marker is bound to this exact query so it cannot be replayed against another one.
  const queryHash = createHash('sha256')
    .update(JSON.stringify([zone.zoneName, zone.epoch, request.query]))
    .digest('hex')
    .slice(0, 16);
  let offset = 0;
  if (request.continuationMarker !== undefined && request.continuationMarker !== null) {
    const marker = services.sealer.open(request.continuationMarker, MarkerSchema);
    if (marker === undefined || marker.h !== queryHash) throw ckError('BAD_REQUEST', 'Invalid continuationMarker');
    offset = marker.o;
  }
  const matching = sortRecords(
    indexedRecords(ctx, zone).filter((record) => matchesQuery(record, request.query)),
    request.query.sortBy,
  );
  const page = matching.slice(offset, offset + limit);
  const format = { desiredKeys: request.desiredKeys, numbersAsStrings: request.numbersAsStrings };
  const body: Record<string, unknown> = { records: page.map((record) => formatRecord(record, zone, ctx.ns.userRecordName, format)) };
  if (offset + page.length < matching.length) {
    body['continuationMarker'] = services.sealer.seal({ k: 'query', o: offset + page.length, h: queryHash });
  }
  return { status: 200, body };
}
