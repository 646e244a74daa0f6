import type { z } from 'zod';
import type { Logger } from '../log/logger';
import type { SecretStore } from '../secrets/secret-store';
import { MAX_OPERATIONS_PER_REQUEST, splitIntoBatches } from './batching';
import { CloudKitConfig, tokenEndpoint, type CloudKitConfigInput } from './config';
import { classifyServerError, CloudKitError, type CloudKitErrorKind } from './errors';
import { encodeFields, type FieldMap } from './fields';
import { CLOUDKIT_MAX_RESPONSE_BYTES, readTextWithin, ResponseTooLargeError } from './response-limit';
import {
  ApnsTokenResponse,
  CallerResponse,
  DatabaseChangesResponse,
  EmptyResponse,
  RecordsResponse,
  ServerErrorBody,
  SubscriptionsResponse,
  ZoneChangesResponse,
  ZonesResponse,
  isErrorEntry,
  type UserIdentity,
  type WireRecord,
  type WireRecordError,
  type WireSubscription,
  type WireZone,
} from './schemas';
import type { SignInFlow } from './sign-in';
import { WebAuthTokenStore } from './token-store';
import { SerialQueue } from '../platform/serial-queue';

/** A record as CloudKit returned it; read its fields with fields.ts (`readString`, …). */
export type CloudRecord = WireRecord;

/** A CloudKit subscription as returned by the server. */
export type CloudSubscription = WireSubscription;

/** The signed-in iCloud user (`users/caller`). */
export type CallerIdentity = UserIdentity;

/** The outcome of one item in a batch: CloudKit reports per-item failures inside a 200 (docs/cloudkit.md §3.8). */
export type ItemResult<T> =
  | { readonly ok: true; readonly name: string; readonly value: T }
  | { readonly ok: false; readonly name: string; readonly error: CloudKitError };

/**
 * One `records/modify` operation (docs/cloudkit.md §3.1).
 *
 * Record names are required: the sync engine names its records so a retry is idempotent and own
 * records are recognised in the change feed. `recordType` defaults to the configured one.
 */
export type RecordOperation =
  | {
      readonly operationType: 'create' | 'forceUpdate' | 'forceReplace';
      readonly recordName: string;
      readonly recordType?: string;
      readonly fields: FieldMap;
    }
  | {
      readonly operationType: 'update' | 'replace';
      readonly recordName: string;
      readonly recordChangeTag: string;
      readonly recordType?: string;
      readonly fields: FieldMap;
    }
  | { readonly operationType: 'delete'; readonly recordName: string; readonly recordChangeTag: string }
  | { readonly operationType: 'forceDelete'; readonly recordName: string };

/** A zone as the client reports it. */
export interface ZoneInfo {
  readonly zoneName: string;
  readonly ownerRecordName: string | undefined;
  readonly syncToken: string | undefined;
  /** True in the database change feed when the zone was deleted or purged (docs/cloudkit.md §3.6, docs/cloudkit.md §9.5). */
  readonly deleted: boolean;
}

/** One page of `changes/database` (docs/cloudkit.md §3.6). */
export interface DatabaseChangesPage {
  readonly zones: readonly ZoneInfo[];
  readonly syncToken: string;
  readonly moreComing: boolean;
}

/** One page of `changes/zone` for one zone (docs/cloudkit.md §3.7). Tombstones carry `deleted: true`. */
export interface ZoneChangesPage {
  readonly zoneName: string;
  readonly records: readonly CloudRecord[];
  readonly syncToken: string;
  readonly moreComing: boolean;
}

/** `tokens/create` result: where to long-poll for pushes, and until when (docs/cloudkit.md §7.1). */
export interface ApnsToken {
  readonly apnsEnvironment: 'development' | 'production';
  readonly apnsToken: string;
  /** Self-contained courier URL; it carries the APNs token in its query: never log it. */
  readonly webcourierUrl: string;
  /** When the courier URL's `ttl` runs out (epoch ms), if it states one. */
  readonly expiresAtMs: number | undefined;
}

/** A subscription operation (docs/cloudkit.md §7.3). */
export type SubscriptionOperation =
  | {
      readonly operationType: 'create' | 'update';
      readonly subscription: Readonly<Record<string, unknown>> & { readonly subscriptionID: string };
    }
  | {
      readonly operationType: 'delete';
      /** The spec asks only for the ID; sending the type too satisfies stricter servers. */
      readonly subscription: { readonly subscriptionID: string; readonly subscriptionType?: 'zone' | 'query' };
    };

/** A subscription to create: its ID and the rest of its dictionary (docs/cloudkit.md §7.3). */
export type SubscriptionDefinition = Readonly<Record<string, unknown>> & { readonly subscriptionID: string };

/** A zone subscription: a `ck.fet` notification for any change in the zone (docs/cloudkit.md §7.3). */
export function zoneSubscription(subscriptionID: string, zoneName: string): SubscriptionDefinition {
  return { subscriptionID, subscriptionType: 'zone', zoneID: { zoneName } };
}

/**
 * A query subscription on records of one type in one zone, firing on `firesOn` (docs/cloudkit.md §7.3). Query
 * notifications (`ck.qry`) are the ones seen live on the web courier (docs/cloudkit.md §7.2).
 * `shouldSendContentAvailable` asks for a silent push: nothing is shown to the user.
 */
export function recordQuerySubscription(
  subscriptionID: string,
  options: { recordType: string; zoneName: string; firesOn: ReadonlyArray<'create' | 'update' | 'delete'> },
): SubscriptionDefinition {
  return {
    subscriptionID,
    subscriptionType: 'query',
    query: { recordType: options.recordType },
    zoneID: { zoneName: options.zoneName },
    firesOn: [...options.firesOn],
    firesOnce: false,
    zoneWide: true,
    notificationInfo: { shouldSendContentAvailable: true },
  };
}

/** Constructor seams (see the style guide's "constructor injection"). */
export interface CloudKitClientOptions {
  readonly config: CloudKitConfigInput;
  readonly secrets: SecretStore;
  readonly log: Logger;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** How to send a person through Apple's sign-in page; without it `signIn()` reports `auth-required`. */
  readonly signIn?: SignInFlow;
  /** Clock for the courier token's expiry. */
  readonly now?: () => number;
}

interface RequestSpec<T> {
  readonly operation: string;
  readonly method: 'GET' | 'POST';
  readonly schema: z.ZodType<T>;
  readonly body?: unknown;
  /** `device` for tokens/* (docs/cloudkit.md §7.1: the documented /database/ path answers 405). */
  readonly route?: 'database' | 'device';
  readonly database?: 'private' | 'shared' | 'public';
  /** A changes/* request made with a stored token: see classifyServerError. */
  readonly usedSyncToken?: boolean;
  /** Also accept this shape on a 400 (the atomic-failure body of records/modify, docs/cloudkit.md §3.1). */
  readonly acceptOn400?: boolean;
  readonly signal?: AbortSignal | undefined;
}

const TOKEN_HEADERS = ['x-apple-cloudkit-web-auth-token', 'x-apple-cloudkit-session'] as const;

const TLS_ERROR_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i;

/**
 * The CloudKit Web Services client for one user session.
 *
 * - Typed operations for what the sync engine needs; every response is parsed with zod
 *   (schemas.ts), and failures become `CloudKitError`s with a kind and an action
 *   (See [Note: CloudKit error kinds]).
 * - Token rotation: see [Note: CloudKit token rotation]. Requests of one client are sent one at a
 *   time, so the token adopted from one response is the one the next request carries.
 * - Batches are split to ≤ 200 operations and well under 1 MB (batching.ts).
 * - Never logs a URL: the API token and the web auth token travel in its query string.
 *   Logs name the operation only.
 *
 * Retrying is the caller's job (the sync engine owns backoff); errors carry `retryAfterMs`.
 */
export class CloudKitClient {
  readonly config: CloudKitConfig;
  readonly #tokens: WebAuthTokenStore;
  readonly #fetch: typeof fetch;
  readonly #log: Logger;
  readonly #signInFlow: SignInFlow | undefined;
  readonly #now: () => number;
  readonly #serial = new SerialQueue();

  constructor(options: CloudKitClientOptions) {
    this.config = CloudKitConfig.parse(options.config);
    this.#tokens = new WebAuthTokenStore(options.secrets, tokenEndpoint(this.config));
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#log = options.log.child('cloudkit');
    this.#signInFlow = options.signIn;
    this.#now = options.now ?? Date.now;
  }

  // --- Session ---------------------------------------------------------------------------

  /** Whether a web auth token is stored (it may still turn out to be expired). */
  hasWebAuthToken(): boolean {
    return this.#tokens.get() !== undefined;
  }

  /** Adopt a token obtained outside `signIn()` (e.g. a shell that captured the callback itself). */
  setWebAuthToken(token: string): void {
    this.#tokens.set(token);
  }

  /** Forget the token. There is no server-side sign-out (docs/cloudkit.md §2.4). */
  signOut(): void {
    this.#tokens.clear();
  }

  /**
   * Make sure a person is signed in, running the sign-in flow if the server asks for it.
   *
   * Probes `users/caller`; on AUTHENTICATION_REQUIRED/FAILED opens the server's `redirectURL`
   * through the injected SignInFlow, stores the token, and probes again. Resolves with the
   * caller's identity so the engine can detect an account switch (docs/cloudkit.md §8 "Account change").
   * See [Note: CloudKit sign-in].
   */
  async signIn(options: { signal?: AbortSignal } = {}): Promise<CallerIdentity> {
    let redirectUrl: string | undefined;
    try {
      return await this.getCaller(options);
    } catch (error) {
      if (!isAuthError(error)) throw error;
      redirectUrl = error.redirectUrl;
    }
    if (redirectUrl === undefined) {
      // AUTHENTICATION_FAILED has no redirect; the token is gone now, so ask again without one.
      try {
        return await this.getCaller(options);
      } catch (error) {
        if (!isAuthError(error)) throw error;
        redirectUrl = error.redirectUrl;
      }
    }
    if (redirectUrl === undefined) throw new CloudKitError('auth-required', { operation: 'users/caller' });
    if (!this.#signInFlow) throw new CloudKitError('auth-required', { operation: 'users/caller', redirectUrl });
    const token = await this.#signInFlow.signIn(redirectUrl, options.signal ? { signal: options.signal } : {});
    if (!token) throw new CloudKitError('sign-in-failed');
    this.#tokens.set(token);
    return this.getCaller(options);
  }

  /** The signed-in user (`GET users/caller`, on the public database path as documented, docs/cloudkit.md §1.2). */
  async getCaller(options: { signal?: AbortSignal } = {}): Promise<CallerIdentity> {
    const body = await this.#request({
      operation: 'users/caller',
      method: 'GET',
      database: 'public',
      schema: CallerResponse,
      signal: options.signal,
    });
    return body;
  }

  // --- Zones -----------------------------------------------------------------------------

  /** All zones of the database with their current sync tokens (`GET zones/list`). */
  async listZones(options: { signal?: AbortSignal } = {}): Promise<ZoneInfo[]> {
    const body = await this.#request({ operation: 'zones/list', method: 'GET', schema: ZonesResponse, signal: options.signal });
    return body.zones.flatMap((entry) => (isErrorEntry(entry) ? [] : [toZoneInfo(entry)]));
  }

  /** Zones by name; a missing zone comes back as a ZONE_NOT_FOUND item. */
  async lookupZones(zoneNames: readonly string[], options: { signal?: AbortSignal } = {}): Promise<ItemResult<ZoneInfo>[]> {
    const body = await this.#request({
      operation: 'zones/lookup',
      method: 'POST',
      schema: ZonesResponse,
      body: { zones: zoneNames.map((zoneName) => ({ zoneName })) },
      signal: options.signal,
    });
    return zoneResults('zones/lookup', body.zones, zoneNames);
  }

  /** Create or delete zones; failures are per zone (docs/cloudkit.md §3.4). */
  async modifyZones(
    operations: ReadonlyArray<{ readonly operationType: 'create' | 'delete'; readonly zoneName: string }>,
    options: { signal?: AbortSignal } = {},
  ): Promise<ItemResult<ZoneInfo>[]> {
    const body = await this.#request({
      operation: 'zones/modify',
      method: 'POST',
      schema: ZonesResponse,
      body: { operations: operations.map((op) => ({ operationType: op.operationType, zone: { zoneID: { zoneName: op.zoneName } } })) },
      signal: options.signal,
    });
    return zoneResults(
      'zones/modify',
      body.zones,
      operations.map((op) => op.zoneName),
    );
  }

  /**
   * Create the custom zone if needed and return it.
   *
   * Whether re-creating an existing zone succeeds or answers EXISTS is unconfirmed (docs/cloudkit.md §10.16); both
   * count as success here.
   */
  async ensureZone(zoneName = this.config.zoneName, options: { signal?: AbortSignal } = {}): Promise<ZoneInfo> {
    const [result] = await this.modifyZones([{ operationType: 'create', zoneName }], options);
    if (!result) throw new CloudKitError('unexpected-response', { operation: 'zones/modify' });
    if (result.ok) return result.value;
    if (result.error.kind === 'exists') return { zoneName, ownerRecordName: undefined, syncToken: undefined, deleted: false };
    throw result.error;
  }

  /** Delete a zone and all of its records (docs/cloudkit.md §9.4). A zone that is already gone counts as deleted. */
  async deleteZone(zoneName = this.config.zoneName, options: { signal?: AbortSignal } = {}): Promise<void> {
    const [result] = await this.modifyZones([{ operationType: 'delete', zoneName }], options);
    if (!result) throw new CloudKitError('unexpected-response', { operation: 'zones/modify' });
    if (!result.ok && result.error.kind !== 'zone-not-found') throw result.error;
  }

  // --- Records ---------------------------------------------------------------------------

  /**
   * Apply record operations, split into requests of ≤ 200 operations and ≤ 512 KiB (docs/cloudkit.md §6).
   *
   * Results come back one per operation, in order: the saved record, or a per-record error with
   * its kind (`conflict`, `exists`, `not-found`, `zone-not-found`, `atomic-error`, …). Batches are
   * not atomic unless asked (like CKSyncEngine's `atomicByZone = false`); an atomic request that
   * does not fit in one batch is refused with `limit-exceeded`, since CloudKit cannot make two
   * requests all-or-nothing. A `forceDelete` answered with NOT_FOUND counts as success (docs/cloudkit.md §5).
   *
   * If the first request fails as a whole (auth, throttling, network…) nothing was applied and the
   * error is thrown. If a later one fails, the operations already applied are reported as saved
   * and the rest carry that request's error, so the caller keeps the change tags it got.
   */
  async modifyRecords(
    operations: readonly RecordOperation[],
    options: { zoneName?: string; atomic?: boolean; signal?: AbortSignal } = {},
  ): Promise<ItemResult<CloudRecord>[]> {
    const zoneName = options.zoneName ?? this.config.zoneName;
    const atomic = options.atomic ?? false;
    const wire = operations.map((op) => this.#encodeOperation(op));
    const batches = splitIntoBatches(wire, { keyOf: (op) => op.record.recordName });
    if (atomic && batches.length > 1) {
      throw new CloudKitError('limit-exceeded', {
        operation: 'records/modify',
        message: `An all-or-nothing save of ${operations.length} changes does not fit in one iCloud request.`,
      });
    }
    const results: ItemResult<CloudRecord>[] = [];
    for (const batch of batches) {
      let body: RecordsResponse;
      try {
        body = await this.#request({
          operation: 'records/modify',
          method: 'POST',
          schema: RecordsResponse,
          body: { zoneID: { zoneName }, atomic, operations: batch },
          acceptOn400: true,
          signal: options.signal,
        });
      } catch (error) {
        if (results.length === 0 || !(error instanceof CloudKitError)) throw error;
        for (const op of wire.slice(results.length)) results.push({ ok: false, name: op.record.recordName, error });
        return results;
      }
      results.push(
        ...recordResults(
          'records/modify',
          body.records,
          batch.map((op) => op.record.recordName),
          batch.map((op) => op.operationType),
        ),
      );
    }
    return results;
  }

  /** Fetch records by name (≤ 200 per request); a missing one is a `not-found` item (docs/cloudkit.md §3.3). */
  async lookupRecords(
    recordNames: readonly string[],
    options: { zoneName?: string; desiredKeys?: readonly string[]; signal?: AbortSignal } = {},
  ): Promise<ItemResult<CloudRecord>[]> {
    const zoneName = options.zoneName ?? this.config.zoneName;
    const results: ItemResult<CloudRecord>[] = [];
    for (const batch of splitIntoBatches(recordNames, { maxCount: MAX_OPERATIONS_PER_REQUEST })) {
      const body = await this.#request({
        operation: 'records/lookup',
        method: 'POST',
        schema: RecordsResponse,
        body: {
          zoneID: { zoneName },
          records: batch.map((recordName) => ({ recordName })),
          ...(options.desiredKeys ? { desiredKeys: options.desiredKeys } : {}),
        },
        signal: options.signal,
      });
      results.push(...recordResults('records/lookup', body.records, batch, undefined));
    }
    return results;
  }

  // --- Change feeds ----------------------------------------------------------------------

  /**
   * Which zones changed since `syncToken` (`changes/database`, docs/cloudkit.md §3.6). Omit the token to start over.
   *
   * A stale token surfaces as `sync-token-expired`: drop it and call again without one (docs/cloudkit.md §5).
   */
  async fetchDatabaseChanges(
    options: { syncToken?: string | undefined; resultsLimit?: number; signal?: AbortSignal } = {},
  ): Promise<DatabaseChangesPage> {
    const body = await this.#request({
      operation: 'changes/database',
      method: 'POST',
      schema: DatabaseChangesResponse,
      body: {
        ...(options.syncToken ? { syncToken: options.syncToken } : {}),
        resultsLimit: clampLimit(options.resultsLimit),
      },
      usedSyncToken: options.syncToken !== undefined,
      signal: options.signal,
    });
    const zones: ZoneInfo[] = [];
    for (const entry of body.zones) {
      if (isErrorEntry(entry)) this.#log.warn('changes/database reported a zone error', { serverErrorCode: entry.serverErrorCode });
      else zones.push(toZoneInfo(entry));
    }
    return { zones, syncToken: body.syncToken, moreComing: body.moreComing };
  }

  /**
   * One page of record changes in one zone since `syncToken` (`changes/zone`, docs/cloudkit.md §3.7).
   *
   * The engine commits each page together with its token, then asks again while `moreComing`.
   * Zone-level failures (ZONE_NOT_FOUND, a stale token) are thrown as CloudKitErrors.
   */
  async fetchZoneChanges(
    options: {
      zoneName?: string;
      syncToken?: string | undefined;
      resultsLimit?: number;
      desiredRecordTypes?: readonly string[];
      signal?: AbortSignal;
    } = {},
  ): Promise<ZoneChangesPage> {
    const zoneName = options.zoneName ?? this.config.zoneName;
    const usedSyncToken = options.syncToken !== undefined;
    const body = await this.#request({
      operation: 'changes/zone',
      method: 'POST',
      schema: ZoneChangesResponse,
      body: {
        zones: [
          {
            zoneID: { zoneName },
            ...(options.syncToken ? { syncToken: options.syncToken } : {}),
            resultsLimit: clampLimit(options.resultsLimit),
          },
        ],
        ...(options.desiredRecordTypes ? { desiredRecordTypes: options.desiredRecordTypes } : {}),
      },
      usedSyncToken,
      signal: options.signal,
    });
    const entry = body.zones.find((zone) => zone.zoneID?.zoneName === zoneName) ?? body.zones[0];
    if (!entry) throw new CloudKitError('unexpected-response', { operation: 'changes/zone' });
    if (isErrorEntry(entry)) throw classifyServerError({ body: entry, operation: 'changes/zone', usedSyncToken });
    const records: CloudRecord[] = [];
    for (const record of entry.records) {
      if (isErrorEntry(record)) this.#log.warn('changes/zone reported a record error', { serverErrorCode: record.serverErrorCode });
      else records.push(record);
    }
    return { zoneName, records, syncToken: entry.syncToken, moreComing: entry.moreComing };
  }

  /**
   * Every page of a zone's changes since `syncToken`, in order.
   *
   * Stops with an `unexpected-response` error if the server repeats a token while saying
   * `moreComing` — the symptom of a feed that would otherwise page forever (docs/cloudkit.md §9.3).
   */
  async *iterateZoneChanges(options: {
    zoneName?: string;
    syncToken?: string | undefined;
    resultsLimit?: number;
    signal?: AbortSignal;
  }): AsyncGenerator<ZoneChangesPage, void, undefined> {
    let syncToken = options.syncToken;
    for (;;) {
      const page = await this.fetchZoneChanges({ ...options, syncToken });
      yield page;
      if (!page.moreComing) return;
      if (page.syncToken === syncToken) {
        throw new CloudKitError('unexpected-response', {
          operation: 'changes/zone',
          reason: 'the server repeated the same sync token with moreComing',
        });
      }
      syncToken = page.syncToken;
    }
  }

  // --- Subscriptions ---------------------------------------------------------------------

  /** All subscriptions of the database (`GET subscriptions/list`). */
  async listSubscriptions(options: { signal?: AbortSignal } = {}): Promise<CloudSubscription[]> {
    const body = await this.#request({
      operation: 'subscriptions/list',
      method: 'GET',
      schema: SubscriptionsResponse,
      signal: options.signal,
    });
    return body.subscriptions.flatMap((entry) => (isErrorEntry(entry) ? [] : [entry]));
  }

  /** Subscriptions by ID. */
  async lookupSubscriptions(ids: readonly string[], options: { signal?: AbortSignal } = {}): Promise<ItemResult<CloudSubscription>[]> {
    const body = await this.#request({
      operation: 'subscriptions/lookup',
      method: 'POST',
      schema: SubscriptionsResponse,
      body: { subscriptions: ids.map((subscriptionID) => ({ subscriptionID })) },
      signal: options.signal,
    });
    return subscriptionResults('subscriptions/lookup', body.subscriptions, ids);
  }

  /** Create, update or delete subscriptions; failures are per subscription. */
  async modifySubscriptions(
    operations: readonly SubscriptionOperation[],
    options: { signal?: AbortSignal } = {},
  ): Promise<ItemResult<CloudSubscription>[]> {
    const results: ItemResult<CloudSubscription>[] = [];
    for (const batch of splitIntoBatches(operations)) {
      const body = await this.#request({
        operation: 'subscriptions/modify',
        method: 'POST',
        schema: SubscriptionsResponse,
        body: { operations: batch },
        signal: options.signal,
      });
      results.push(
        ...subscriptionResults(
          'subscriptions/modify',
          body.subscriptions,
          batch.map((op) => op.subscription.subscriptionID),
        ),
      );
    }
    return results;
  }

  /**
   * Make sure these subscriptions exist (docs/cloudkit.md §7.3), creating the missing ones in one request.
   *
   * Lists first: a query subscription that twins an existing one under another ID answers
   * INTERNAL_ERROR on the live service (docs/cloudkit.md §7.3), and an existing one needs no request. Results come
   * back per subscription, in order; a refused one is an error item, for the caller to weigh.
   */
  async ensureSubscriptions(
    subscriptions: ReadonlyArray<SubscriptionDefinition>,
    options: { signal?: AbortSignal } = {},
  ): Promise<ItemResult<CloudSubscription>[]> {
    const existing = new Map((await this.listSubscriptions(options)).map((sub) => [sub.subscriptionID, sub]));
    const missing = subscriptions.filter((sub) => !existing.has(sub.subscriptionID));
    const created =
      missing.length === 0
        ? []
        : await this.modifySubscriptions(
            missing.map((subscription) => ({ operationType: 'create', subscription })),
            options,
          );
    const createdById = new Map(created.map((result) => [result.name, result]));
    return subscriptions.map((sub): ItemResult<CloudSubscription> => {
      const found = existing.get(sub.subscriptionID);
      if (found) return { ok: true, name: sub.subscriptionID, value: found };
      return (
        createdById.get(sub.subscriptionID) ?? {
          ok: false,
          name: sub.subscriptionID,
          error: new CloudKitError('unexpected-response', { operation: 'subscriptions/modify', reason: 'no result for a subscription' }),
        }
      );
    });
  }

  /** Make sure a zone subscription with this ID exists (docs/cloudkit.md §7.3), so changes reach the courier. */
  async ensureZoneSubscription(
    subscriptionId: string,
    options: { zoneName?: string; signal?: AbortSignal } = {},
  ): Promise<CloudSubscription> {
    const zoneName = options.zoneName ?? this.config.zoneName;
    const [result] = await this.ensureSubscriptions([zoneSubscription(subscriptionId, zoneName)], options);
    if (!result) throw new CloudKitError('unexpected-response', { operation: 'subscriptions/modify' });
    if (!result.ok) throw result.error;
    return result.value;
  }

  // --- Push tokens -----------------------------------------------------------------------

  /**
   * Mint an APNs token and its web courier URL (`tokens/create` on the /device/ path, docs/cloudkit.md §7.1).
   *
   * Re-mint before `expiresAtMs`, or when the courier answers non-2xx.
   */
  async createApnsToken(options: { signal?: AbortSignal } = {}): Promise<ApnsToken> {
    const apnsEnvironment = this.config.apnsEnvironment ?? this.config.environment;
    const requestedAtMs = this.#now();
    const body = await this.#request({
      operation: 'tokens/create',
      method: 'POST',
      route: 'device',
      schema: ApnsTokenResponse,
      body: { apnsEnvironment },
      signal: options.signal,
    });
    const ttlSecs = Number(new URL(body.webcourierURL).searchParams.get('ttl'));
    return {
      apnsEnvironment: body.apnsEnvironment ?? apnsEnvironment,
      apnsToken: body.apnsToken,
      webcourierUrl: body.webcourierURL,
      expiresAtMs: Number.isFinite(ttlSecs) && ttlSecs > 0 ? requestedAtMs + ttlSecs * 1000 : undefined,
    };
  }

  /** Register an existing APNs token (`tokens/register`; both keys are required, docs/cloudkit.md §7.1). */
  async registerApnsToken(apnsToken: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#request({
      operation: 'tokens/register',
      method: 'POST',
      route: 'device',
      schema: EmptyResponse,
      body: { apnsEnvironment: this.config.apnsEnvironment ?? this.config.environment, apnsToken },
      signal: options.signal,
    });
  }

  // --- Transport -------------------------------------------------------------------------

  #encodeOperation(op: RecordOperation): {
    operationType: RecordOperation['operationType'];
    record: { recordName: string; recordType?: string; recordChangeTag?: string; fields?: Record<string, unknown> };
  } {
    switch (op.operationType) {
      case 'create':
      case 'forceUpdate':
      case 'forceReplace':
        return {
          operationType: op.operationType,
          record: { recordName: op.recordName, recordType: op.recordType ?? this.config.recordType, fields: encodeFields(op.fields) },
        };
      case 'update':
      case 'replace':
        return {
          operationType: op.operationType,
          record: {
            recordName: op.recordName,
            recordType: op.recordType ?? this.config.recordType,
            recordChangeTag: op.recordChangeTag,
            fields: encodeFields(op.fields),
          },
        };
      case 'delete':
        return { operationType: op.operationType, record: { recordName: op.recordName, recordChangeTag: op.recordChangeTag } };
      case 'forceDelete':
        return { operationType: op.operationType, record: { recordName: op.recordName } };
    }
  }

  /** Queue a request behind the previous one: one request at a time per session (docs/cloudkit.md §2.3). */
  #request<T>(spec: RequestSpec<T>): Promise<T> {
    return this.#serial.run(() => this.#send(spec));
  }

  #url(spec: RequestSpec<unknown>, token: string | undefined): string {
    const { baseUrl, containerId, environment } = this.config;
    const container = encodeURIComponent(containerId);
    const path =
      spec.route === 'device'
        ? `/device/1/${container}/${environment}/${spec.operation}`
        : `/database/1/${container}/${environment}/${spec.database ?? this.config.database}/${spec.operation}`;
    // encodeURIComponent escapes + / = as the spec requires (docs/cloudkit.md §2.2 step 4).
    let query = `?ckAPIToken=${encodeURIComponent(this.config.apiToken)}`;
    if (token) query += `&ckWebAuthToken=${encodeURIComponent(token)}`;
    return `${baseUrl}${path}${query}`;
  }

  async #send<T>(spec: RequestSpec<T>): Promise<T> {
    if (spec.signal?.aborted) throw new CloudKitError('aborted', { operation: spec.operation });
    const token = this.#tokens.get();
    const timeout = AbortSignal.timeout(this.config.requestTimeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
    const init: RequestInit = { method: spec.method, signal, headers: { accept: 'application/json' } };
    if (spec.method === 'POST') {
      init.headers = { accept: 'application/json', 'content-type': 'application/json' };
      init.body = JSON.stringify(spec.body ?? {});
    }

    let response: Response;
    let text: string;
    try {
      // Note: the Fetch standard resends a request once, on a new connection, after any HTTP 421.
      // CloudKit uses 421 for AUTHENTICATION_REQUIRED, so such a request reaches the server twice;
      // that is harmless (a 421 means nothing was processed) and the second answer is what we see.
      response = await this.#fetch(this.#url(spec, token), init);
      this.#adoptToken(response, token);
      text = await readTextWithin(response, CLOUDKIT_MAX_RESPONSE_BYTES);
    } catch (error) {
      if (error instanceof CloudKitError) throw error;
      if (error instanceof ResponseTooLargeError) {
        const tooLarge = new CloudKitError('unexpected-response', { operation: spec.operation, reason: error.message });
        this.#log.warn('cloudkit response refused', tooLarge.toLogFields());
        throw tooLarge;
      }
      throw this.#transportError(spec, error);
    }

    const json = parseJson(text);
    this.#log.debug('cloudkit request', { operation: spec.operation, status: response.status });

    if (!response.ok) {
      if (spec.acceptOn400 && response.status === 400 && json.ok) {
        const parsed = spec.schema.safeParse(json.value);
        if (parsed.success) return parsed.data;
      }
      const errorBody = json.ok ? ServerErrorBody.safeParse(json.value) : undefined;
      const error = classifyServerError({
        status: response.status,
        body: errorBody?.success ? errorBody.data : undefined,
        operation: spec.operation,
        usedSyncToken: spec.usedSyncToken,
      });
      if (token && (error.kind === 'auth-failed' || error.kind === 'auth-required')) {
        // The spec says: discard a rejected token and sign in again; never retry with it (docs/cloudkit.md §5).
        this.#tokens.clear();
      }
      this.#log.warn('cloudkit request failed', error.toLogFields());
      throw error;
    }

    const parsed = json.ok ? spec.schema.safeParse(json.value) : undefined;
    if (!parsed?.success) {
      const reason = parsed ? parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.code}`).join('; ') : 'not JSON';
      const error = new CloudKitError('unexpected-response', { operation: spec.operation, status: response.status, reason });
      this.#log.warn('cloudkit response did not match the expected shape', error.toLogFields());
      throw error;
    }
    return parsed.data;
  }

  /** Adopt and persist the rotated token before anything else happens (See [Note: CloudKit token rotation]). */
  #adoptToken(response: Response, sent: string | undefined): void {
    for (const header of TOKEN_HEADERS) {
      const value = response.headers.get(header)?.trim();
      if (!value) continue;
      if (value !== sent) this.#tokens.set(value);
      return;
    }
  }

  #transportError(spec: RequestSpec<unknown>, error: unknown): CloudKitError {
    if (spec.signal?.aborted) return new CloudKitError('aborted', { operation: spec.operation });
    const code = errorCode(error);
    const kind: CloudKitErrorKind = code !== undefined && TLS_ERROR_CODES.test(code) ? 'tls' : 'network';
    // Only the error code is kept: a fetch error's message or cause may quote the URL (and its tokens).
    const result = new CloudKitError(kind, { operation: spec.operation, reason: code ?? errorName(error) });
    this.#log.warn('cloudkit request did not complete', result.toLogFields());
    return result;
  }
}

function isAuthError(error: unknown): error is CloudKitError {
  return error instanceof CloudKitError && (error.kind === 'auth-required' || error.kind === 'auth-failed');
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!text.trim()) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The first `code` found on an error or its causes (undici nests the socket error). */
function errorCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 4) return undefined;
  const code: unknown = Reflect.get(error, 'code');
  if (typeof code === 'string') return code;
  return errorCode(Reflect.get(error, 'cause'), depth + 1);
}

function errorName(error: unknown): string {
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'timeout' : error.name;
  return 'unknown';
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return MAX_OPERATIONS_PER_REQUEST;
  return Math.max(1, Math.min(MAX_OPERATIONS_PER_REQUEST, Math.floor(limit)));
}

function toZoneInfo(zone: WireZone): ZoneInfo {
  return {
    zoneName: zone.zoneID.zoneName,
    ownerRecordName: zone.zoneID.ownerRecordName,
    syncToken: zone.syncToken,
    deleted: zone.deleted === true,
  };
}

function zoneResults(operation: string, entries: ZonesResponse['zones'], names: readonly string[]): ItemResult<ZoneInfo>[] {
  return entries.map((entry, index) => {
    const name = entry.zoneID?.zoneName ?? names[index] ?? '';
    if (isErrorEntry(entry)) return { ok: false, name, error: classifyServerError({ body: entry, operation }) };
    return { ok: true, name, value: toZoneInfo(entry) };
  });
}

function recordResults(
  operation: string,
  entries: ReadonlyArray<WireRecord | WireRecordError>,
  names: readonly string[],
  operationTypes: readonly string[] | undefined,
): ItemResult<CloudRecord>[] {
  return entries.map((entry, index) => {
    const name = entry.recordName ?? names[index] ?? '';
    if (!isErrorEntry(entry)) return { ok: true, name, value: entry };
    const error = classifyServerError({ body: entry, operation });
    if (error.kind === 'not-found' && operationTypes?.[names.indexOf(name)] === 'forceDelete') {
      return { ok: true, name, value: { recordName: name, deleted: true } };
    }
    return { ok: false, name, error };
  });
}

function subscriptionResults(
  operation: string,
  entries: SubscriptionsResponse['subscriptions'],
  ids: readonly string[],
): ItemResult<CloudSubscription>[] {
  return entries.map((entry, index) => {
    const name = entry.subscriptionID ?? ids[index] ?? '';
    if (isErrorEntry(entry)) return { ok: false, name, error: classifyServerError({ body: entry, operation }) };
    return { ok: true, name, value: entry };
  });
}
