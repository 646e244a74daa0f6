/**
 * subscriptions/modify|list|lookup (docs/cloudkit.md §7.3) and turning committed record changes into courier
 * notification frames (docs/cloudkit.md §7.2).
 *
 * Live quirk reproduced: query subscriptions are unique by (recordType, exact firesOn set); a second
 * one with a different ID fails with INTERNAL_ERROR "could not find subscription we just created",
 * while re-creating the same ID succeeds silently.
 */
import { randomUUID } from 'node:crypto';
import type { ChangeListener, CommittedChange, HandlerResult, OpContext, Services } from './context';
import { MAX_OPERATIONS } from './context';
import type { Courier } from './courier';
import { CloudKitError, errorEntry } from './errors';
import { zoneIdDictionary } from './fields';
import { matchesQuery, validateQuery } from './query';
import { LookupSubscriptionsSchema, ModifySubscriptionsSchema, parseBody, type SubscriptionInput } from './schemas';
import type { Namespace, StoredRecord, StoredSubscription } from './store';
import { findZone, overLimitError } from './zones';

/** CKDatabaseScope raw values, as the courier frame's `dbs` carries them. */
const DATABASE_SCOPE_CODE = { public: 1, private: 2, shared: 3 } as const;
const FIRES_ON_CODE = { create: 1, update: 2, delete: 3 } as const;

/** A subscription in its response form. */
export function formatSubscription(ns: Namespace, sub: StoredSubscription): Record<string, unknown> {
  const out: Record<string, unknown> = { subscriptionID: sub.subscriptionID, subscriptionType: sub.subscriptionType };
  if (sub.zoneName !== null) out['zoneID'] = zoneIdDictionary(sub.zoneName, ns.userRecordName);
  if (sub.query !== null) {
    out['query'] = sub.query;
    out['firesOn'] = sub.firesOn;
    out['firesOnce'] = sub.firesOnce;
    out['zoneWide'] = sub.zoneWide;
  }
  if (sub.notificationInfo !== null) out['notificationInfo'] = sub.notificationInfo;
  return out;
}

/** Validates one subscription; returns it normalised or an error entry. */
function normalise(
  ctx: OpContext,
  input: SubscriptionInput,
): { ok: true; sub: StoredSubscription } | { ok: false; entry: Record<string, unknown> } {
  const subscriptionID = input.subscriptionID ?? randomUUID();
  const fail = (code: string, reason: string): { ok: false; entry: Record<string, unknown> } => ({
    ok: false,
    entry: errorEntry(code, reason, { subscriptionID }),
  });
  const zoneName = input.zoneID?.zoneName ?? null;
  if (zoneName !== null && findZone(ctx.ns, zoneName) === undefined) return fail('ZONE_NOT_FOUND', `Zone '${zoneName}' does not exist`);
  if (input.subscriptionType === 'zone') {
    if (zoneName === null) return fail('BAD_REQUEST', 'A zone subscription needs a zoneID');
    return {
      ok: true,
      sub: {
        subscriptionID,
        subscriptionType: 'zone',
        zoneName,
        query: null,
        firesOn: [],
        firesOnce: false,
        zoneWide: false,
        notificationInfo: input.notificationInfo ?? null,
      },
    };
  }
  if (input.query === undefined || input.query === null) return fail('BAD_REQUEST', 'A query subscription needs a query');
  if (input.firesOn === undefined || input.firesOn === null || input.firesOn.length === 0) {
    return fail('BAD_REQUEST', 'A query subscription needs firesOn');
  }
  try {
    validateQuery(ctx.services.settings.schemas[ctx.environment], input.query);
  } catch (error) {
    if (error instanceof CloudKitError) return fail(error.serverErrorCode, error.message);
    throw error;
  }
  return {
    ok: true,
    sub: {
      subscriptionID,
      subscriptionType: 'query',
      zoneName,
      query: { recordType: input.query.recordType, filterBy: input.query.filterBy ?? [] },
      firesOn: [...new Set(input.firesOn)],
      firesOnce: input.firesOnce ?? false,
      zoneWide: input.zoneWide ?? zoneName === null,
      notificationInfo: input.notificationInfo ?? null,
    },
  };
}

const firesOnKey = (sub: StoredSubscription): string => [...sub.firesOn].sort().join(',');

/** subscriptions/modify: create, update, delete; one result per operation. */
export function modifySubscriptions(ctx: OpContext): HandlerResult {
  const { operations } = parseBody(ModifySubscriptionsSchema, ctx.body);
  if (operations.length > MAX_OPERATIONS) throw overLimitError(ctx.services, `Too many operations (limit ${MAX_OPERATIONS})`);
  const subs = ctx.ns.subscriptions;
  const subscriptions = operations.map(({ operationType, subscription }) => {
    if (operationType === 'delete') {
      const id = subscription.subscriptionID ?? '';
      if (!subs.delete(id)) return errorEntry('NOT_FOUND', `Subscription ${id} not found`, { subscriptionID: id });
      return { subscriptionID: id, deleted: true };
    }
    const normalised = normalise(ctx, subscription);
    if (!normalised.ok) return normalised.entry;
    const sub = normalised.sub;
    if (operationType === 'update' && !subs.has(sub.subscriptionID)) {
      return errorEntry('NOT_FOUND', `Subscription ${sub.subscriptionID} not found`, { subscriptionID: sub.subscriptionID });
    }
    const twin = [...subs.values()].find(
      (other) =>
        other.subscriptionID !== sub.subscriptionID &&
        other.query !== null &&
        sub.query !== null &&
        other.query.recordType === sub.query.recordType &&
        firesOnKey(other) === firesOnKey(sub),
    );
    if (twin !== undefined) {
      return errorEntry('INTERNAL_ERROR', 'could not find subscription we just created', { subscriptionID: sub.subscriptionID });
    }
    subs.set(sub.subscriptionID, sub);
    return formatSubscription(ctx.ns, sub);
  });
  return { status: 200, body: { subscriptions } };
}

/** subscriptions/list (GET). */
export function listSubscriptions(ctx: OpContext): HandlerResult {
  return { status: 200, body: { subscriptions: [...ctx.ns.subscriptions.values()].map((sub) => formatSubscription(ctx.ns, sub)) } };
}

/** subscriptions/lookup: per-ID subscription or NOT_FOUND entry. */
export function lookupSubscriptions(ctx: OpContext): HandlerResult {
  const { subscriptions: ids } = parseBody(LookupSubscriptionsSchema, ctx.body);
  const subscriptions = ids.map(({ subscriptionID }) => {
    const sub = ctx.ns.subscriptions.get(subscriptionID);
    return sub === undefined
      ? errorEntry('NOT_FOUND', `Subscription ${subscriptionID} not found`, { subscriptionID })
      : formatSubscription(ctx.ns, sub);
  });
  return { status: 200, body: { subscriptions } };
}

/**
 * Turns committed changes into frames: one `ck.fet` per zone subscription per write request, and
 * one `ck.qry` per matching query subscription per record. All frames of one write share a `nid`
 * (docs/cloudkit.md §7.2: do not de-duplicate on nid).
 */
export class Notifier implements ChangeListener {
  readonly #courier: Courier;
  readonly #services: () => Services;

  constructor(courier: Courier, services: () => Services) {
    this.#courier = courier;
    this.#services = services;
  }

  recordsChanged(ns: Namespace, zoneName: string, changes: ReadonlyArray<CommittedChange>): void {
    const { settings } = this.#services();
    const nid = randomUUID();
    const frames: unknown[] = [];
    const ck = (payload: Record<string, unknown>): unknown => ({
      aps: { 'content-available': 1 },
      ck: { nid, cid: ns.container, ckuserid: ns.userRecordName, ce: 2, ...payload },
    });
    for (const sub of [...ns.subscriptions.values()]) {
      if (sub.subscriptionType === 'zone') {
        if (sub.zoneName === zoneName && settings.zoneNotificationsReachCourier) {
          frames.push(
            ck({ fet: { sid: sub.subscriptionID, zid: zoneName, zoid: ns.userRecordName, dbs: DATABASE_SCOPE_CODE[ns.database] } }),
          );
        }
        continue;
      }
      const query = sub.query;
      if (query === null || (!sub.zoneWide && sub.zoneName !== zoneName)) continue;
      for (const change of changes) {
        if (!sub.firesOn.includes(change.kind)) continue;
        const probe: StoredRecord = {
          recordName: change.recordName,
          recordType: change.recordType,
          fields: change.fields,
          recordChangeTag: '',
          created: { timestamp: 0, userRecordName: '', deviceID: '' },
          modified: { timestamp: 0, userRecordName: '', deviceID: '' },
        };
        if (!matchesQuery(probe, query)) continue;
        frames.push(
          ck({
            qry: {
              sid: sub.subscriptionID,
              rid: change.recordName,
              fo: FIRES_ON_CODE[change.kind],
              zid: zoneName,
              zoid: ns.userRecordName,
              dbs: DATABASE_SCOPE_CODE[ns.database],
              af: {},
            },
          }),
        );
        if (sub.firesOnce) {
          ns.subscriptions.delete(sub.subscriptionID);
          break;
        }
      }
    }
    if (frames.length > 0) this.#courier.deliver(ns.container, ns.environment, ns.userRecordName, frames);
  }
}
