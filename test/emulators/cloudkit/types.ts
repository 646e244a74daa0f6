/**
 * Public types of the CloudKit Web Services emulator.
 *
 * They live apart from index.ts so the internal modules can share them without importing the
 * entry point (which would create an import cycle). Everything here is re-exported by index.ts.
 * Spec references (§n) point at docs/cloudkit.md.
 */

/** The two CloudKit environments; each has its own API token, schema and data (docs/cloudkit.md §9.6). */
export type Environment = 'development' | 'production';

/** The three database scopes that appear in the URL (docs/cloudkit.md §1.1). */
export type DatabaseScope = 'public' | 'private' | 'shared';

/**
 * How web auth tokens behave after use (docs/cloudkit.md §2.3).
 *
 * `lenient` is what the live service does (a token keeps working after rotation); `strict` is what
 * the docs say (each token is good for one round trip). Clients must pass both.
 */
export type TokenMode = 'lenient' | 'strict';

/** The schema field types the emulator knows (docs/cloudkit.md §4). Booleans are INT64 on the wire. */
export type FieldType =
  | 'STRING'
  | 'INT64'
  | 'DOUBLE'
  | 'TIMESTAMP'
  | 'BYTES'
  | 'REFERENCE'
  | 'ASSET'
  | 'LOCATION'
  | 'STRING_LIST'
  | 'INT64_LIST'
  | 'DOUBLE_LIST'
  | 'TIMESTAMP_LIST'
  | 'BYTES_LIST'
  | 'REFERENCE_LIST'
  | 'LOCATION_LIST'
  | 'ASSET_LIST';

/**
 * A declared schema: record type name → field name → type.
 *
 * CloudKit Web Services does not create schema on write (docs/cloudkit.md §4, docs/cloudkit.md §9.6), so every field a client sends
 * must be declared here, otherwise the operation fails with BAD_REQUEST.
 */
export type RecordTypeSchema = Readonly<Record<string, Readonly<Record<string, FieldType>>>>;

/** An HTTP status plus `serverErrorCode`, for behaviours the spec could not confirm (docs/cloudkit.md §10). */
export interface ErrorSpec {
  status: number;
  serverErrorCode: string;
}

/** Options for {@link startCloudKitEmulator}; every unknown of docs/cloudkit.md §10 is one of these knobs. */
export interface CloudKitEmulatorOptions {
  /** Default 0 (ephemeral); the host is always 127.0.0.1. */
  port?: number;
  /** Default 'iCloud.app.photoflare.desktop'. */
  containerId?: string;
  /** The development ckAPIToken (default: a fixed test value). */
  apiToken?: string;
  /** The production ckAPIToken (default: a different fixed test value). */
  productionApiToken?: string;
  /** lenient (default, as live: old tokens keep working) | strict (single use, as documented). */
  tokenMode?: TokenMode;
  /** Session lifetime without "Keep me signed in". Default 30 minutes (docs/cloudkit.md §2.4). */
  webAuthTokenTtlMs?: number;
  /**
   * `absolute` (default): a session ends its TTL after sign-in however much it is used, as Apple
   * documents (30 minutes, or two weeks with "Keep me signed in", docs/cloudkit.md §2.4). `sliding`: each request
   * extends it by the TTL (documented nowhere; opt-in).
   */
  webAuthTokenLifetime?: 'absolute' | 'sliding';
  /** Optional JSON persistence so state survives restarts. */
  persistPath?: string;
  /** records/query index lag (docs/cloudkit.md §3.2): a change becomes visible to queries this long after it. Default 0. */
  indexLagMs?: number;
  /** docs/cloudkit.md §10.1 unknown: how an expired or invalid sync token is reported. Default 400 BAD_REQUEST. */
  expiredSyncTokenError?: ErrorSpec;
  /** Injectable clock (default Date.now); drives timestamps, token TTLs, index lag and courier TTLs. */
  now?: () => number;
  /** Seeds probabilistic faults, so a flaky-network test is reproducible. */
  seed?: number;

  // --- Additions beyond the agreed API ----------------------------------------------------
  /**
   * Development schema. Default: EMPTY, as a new container (Web Services creates no schema on
   * write). Photoflare's: `photoflareSchema()` from photoflare-schema.ts.
   */
  recordTypes?: RecordTypeSchema;
  /** Production schema (docs/cloudkit.md §9.6: separate); defaults to the development schema. */
  productionRecordTypes?: RecordTypeSchema;
  /**
   * docs/cloudkit.md §9.2 / docs/cloudkit.md §10.4: whether the change feed coalesces several edits of one record into one
   * entry at its latest state (`coalesced`, default) or lists every change (`every-change`).
   */
  changeFeed?: 'coalesced' | 'every-change';
  /** docs/cloudkit.md §9.3: the server may return fewer than `resultsLimit`; this caps every change page. Default 200. */
  maxChangesPerPage?: number;
  /** docs/cloudkit.md §10.4: keys on tombstones. `minimal` = {recordName, deleted}; `full` adds recordType and zoneID. */
  tombstoneShape?: 'minimal' | 'full';
  /** docs/cloudkit.md §10.13: error for more than 200 operations or a body over 1 MB. Default 400 BAD_REQUEST. */
  overLimitError?: ErrorSpec;
  /** docs/cloudkit.md §10.13: `resultsLimit` above 200 is clamped (default) or rejected with BAD_REQUEST. */
  resultsLimitOverMax?: 'clamp' | 'reject';
  /** docs/cloudkit.md §10.16: creating a zone that exists succeeds (default) or fails with EXISTS. */
  zoneCreateExisting?: 'success' | 'EXISTS';
  /** docs/cloudkit.md §10.6: forceDelete of a missing record answers NOT_FOUND (default) or succeeds. */
  forceDeleteMissing?: 'NOT_FOUND' | 'success';
  /** docs/cloudkit.md §9.5: the `reason` of ZONE_NOT_FOUND for a zone the user purged. */
  purgedZoneReason?: string;
  /** docs/cloudkit.md §10.2: add `purged: true` to purged zones in the database change feeds. Default false (as MistKit saw). */
  reportPurgedInFeed?: boolean;
  /** docs/cloudkit.md §10.3: unit of `retryAfter` in error bodies. Default seconds. */
  retryAfterUnit?: 'seconds' | 'milliseconds';
  /** How long a courier GET waits for a notification before answering an empty keep-alive. Default 10 s. */
  courierPollTimeoutMs?: number;
  /** Lifetime of a webcourier token (`ttl` in its URL). Default 43200 s, as live (docs/cloudkit.md §7.1). */
  courierTokenTtlSecs?: number;
  /**
   * docs/cloudkit.md §10.11: whether zone-subscription (`ck.fet`) notifications reach the courier. Default
   * FALSE: only query notifications (`ck.qry`) were seen live on the web courier (docs/cloudkit.md §7.2, MistKit's
   * courier spike); Apple documents zone subscriptions for Web Services ("Modifying Subscriptions")
   * but not their delivery to the web courier.
   */
  zoneNotificationsReachCourier?: boolean;
  /** The API token's "Sign in Callback" URL; without one the sign-in page answers by postMessage (docs/cloudkit.md §2.2). */
  signInCallbackUrl?: string;
  /** docs/cloudkit.md §10.1: whether an invalid token in changes/zone fails the whole request (default) or only that zone. */
  changesZoneTokenErrorScope?: 'request' | 'per-zone';
  /**
   * The body of `users/caller`. `identity` (default): the UserIdentity dictionary itself, as Apple's
   * CloudKit JS reads it (`fetchCurrentUserIdentity`); `lookup-info-only`: a user who is not
   * discoverable (Apple: CloudKit JS, `CloudKit.UserIdentity`: "only the lookupInfo key");
   * `users-list`: `{users: [identity]}`, as an older Web Services reference page shows.
   */
  callerResponseShape?: 'identity' | 'lookup-info-only' | 'users-list';
  /**
   * docs/cloudkit.md §10.2: whether `changes/database` lists deleted and purged zones (default true, with
   * `deleted: true`). False: they just stop appearing, and only ZONE_NOT_FOUND tells a client.
   */
  deletedZonesInFeed?: boolean;
}

/** One request the emulator received, as the wire carried it (for privacy and "zero requests" tests). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  /** The status sent back; 0 when the connection was dropped on purpose. */
  status: number;
}

/** Fault kinds that {@link CloudKitAdmin.injectFault} understands (see README for the wire shapes). */
export type FaultKind =
  | 'throttled'
  | 'try-again-later'
  | 'server-error'
  | 'service-unavailable-html'
  | 'drop-connection'
  | 'drop-after-commit'
  | 'quota-exceeded'
  | 'auth-failed'
  | 'auth-required'
  | 'zone-not-found'
  | 'bad-request';

/** A fault rule: which operation, what happens, how often. */
export interface FaultSpec {
  /** 'records/modify', 'changes/zone', 'tokens/create', 'users/caller', 'webcourier', … or '*' (default). */
  operation?: string | undefined;
  kind: FaultKind;
  /** Fire this many times, then disappear. Omitted: fire until removed or cleared. */
  times?: number | undefined;
  /** Chance (0..1) that a matching request is hit; drawn from the seeded generator. Default 1. */
  probability?: number | undefined;
  /** `retryAfter` for throttled / try-again-later (default 3). */
  retryAfterSeconds?: number | undefined;
}

/** Where in the emulator an admin snapshot looks; defaults to the development private database. */
export interface AdminScope {
  environment?: Environment;
  database?: DatabaseScope;
  containerId?: string;
}

/** A record as stored, returned by admin snapshots (a deep copy: mutating it changes nothing). */
export interface RecordSnapshot {
  recordName: string;
  recordType: string;
  recordChangeTag: string;
  fields: Record<string, { value: unknown; type: string }>;
  createdTimestamp: number;
  modifiedTimestamp: number;
}

/** A zone as stored, returned by admin snapshots (deleted and purged zones included). */
export interface ZoneSnapshot {
  zoneName: string;
  deleted: boolean;
  purged: boolean;
  recordCount: number;
}

/**
 * In-process fault injection and inspection. The same operations are served as JSON under
 * `/_admin/...` (see README.md) for tests that run the app in another process.
 */
export interface CloudKitAdmin {
  /** Adds a fault rule; returns its id for {@link removeFault}. */
  injectFault(spec: FaultSpec): string;
  removeFault(id: string): void;
  clearFaults(): void;
  /** Delays every API response by this many (real) milliseconds. */
  setLatency(ms: number): void;
  setTokenMode(mode: TokenMode): void;
  setIndexLag(ms: number): void;
  /** Sets (or clears with null) the API token's sign-in callback URL. */
  setSignInCallback(url: string | null): void;
  /** The user deleted the app's data in iCloud settings: the zone is purged (docs/cloudkit.md §9.5). */
  purgeZone(userName: string, zoneName: string, scope?: AdminScope): void;
  /** Every sync token issued so far becomes invalid (clients must re-sync from scratch, docs/cloudkit.md §5). */
  expireSyncTokens(): void;
  /**
   * Sets up the container's schema as CloudKit Console does: record types as parsed, or `.ckdb`
   * text in the CloudKit Schema Language. Without `environment`, development and production
   * (as "Deploy Schema Changes" would); an environment alone replaces only that one.
   */
  installSchema(schema: RecordTypeSchema | string, environment?: Environment): void;
  /**
   * How a stale sync token is answered from now on (the `expiredSyncTokenError` option at run
   * time), e.g. `{status: 500, serverErrorCode: 'INTERNAL_ERROR'}`: Web Services documents no code
   * for it (Apple: CloudKit Web Services Reference, "Error Codes"), so any may be seen.
   */
  setExpiredSyncTokenError(spec: ErrorSpec): void;
  /** Whether `changes/database` reports deleted and purged zones (the `deletedZonesInFeed` option). */
  setDeletedZonesInFeed(reported: boolean): void;
  /** Every web auth session (of one user, or of all) expires: the next request needs sign-in. */
  expireWebAuthTokens(userName?: string): void;
  /** Another Apple ID is now behind the sessions of `fromUser` (same tokens, new identity). */
  switchAccount(fromUser: string, toUser: string): void;
  /** "Access iCloud Data on the Web" off (or ADP on): sign-in is refused, sessions get ACCESS_DENIED. */
  setWebAccess(enabled: boolean, userName?: string): void;
  /** The stable userRecordName of a user in this container. */
  userRecordName(userName: string, containerId?: string): string;
  records(userName: string, zoneName: string, scope?: AdminScope): RecordSnapshot[];
  zones(userName: string, scope?: AdminScope): ZoneSnapshot[];
  /** Subscriptions of a user, as the API returns them. */
  subscriptions(userName: string, scope?: AdminScope): unknown[];
  /** Notifications queued for a user's courier tokens and not yet delivered. */
  pendingNotifications(userName: string, scope?: AdminScope): unknown[];
  clearRequests(): void;
  /** Forgets all data, sessions, faults and recorded requests; admin-changed settings return to the options. */
  reset(): void;
}

/** A running emulator. */
export interface CloudKitEmulator {
  /** Base URL, e.g. http://127.0.0.1:PORT. */
  readonly url: string;
  readonly containerId: string;
  /** Development ckAPIToken. */
  readonly apiToken: string;
  /** Production ckAPIToken (production has its own data and schema). */
  readonly productionApiToken: string;
  readonly environment: 'development';
  /** Sign a test user in without a browser, as the sign-in page would (default user 'alice'). */
  signIn(userName?: string, options?: { environment?: Environment; keepSignedIn?: boolean }): string;
  /** The sign-in page a 421 redirectURL points at (development environment). */
  signInPageUrl(environment?: Environment): string;
  readonly admin: CloudKitAdmin;
  /** Every request received (admin endpoints excluded), in order. */
  readonly requests: ReadonlyArray<RecordedRequest>;
  close(): Promise<void>;
}
