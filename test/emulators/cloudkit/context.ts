/**
 * The settings every module reads and the per-request context handlers receive.
 *
 * Settings are resolved once from the options (with the spec's defaults) and some can be changed
 * later by the admin API, so modules read them at call time instead of copying them.
 */
import type { Sealer } from './opaque';
import type { Namespace, Store } from './store';
import type { CloudKitEmulatorOptions, DatabaseScope, Environment, ErrorSpec, RecordTypeSchema, TokenMode } from './types';

/** The fixed development API token used when none is configured (a test value, not a secret). */
export const DEFAULT_API_TOKEN = 'ck-dev-0123456789abcdef0123456789abcdef0123456789abcdef';
/** The fixed production API token used when none is configured. */
export const DEFAULT_PRODUCTION_API_TOKEN = 'ck-prod-fedcba9876543210fedcba9876543210fedcba9876543210';
export const DEFAULT_CONTAINER_ID = 'iCloud.app.photoflare.desktop';
/**
 * Default schema: none, as a new container has. CloudKit Web Services does not create record
 * types or fields on write (production always rejects them, Apple: CKRecord; a development
 * container did not create them through Web Services either, docs/cloudkit.md §4), so a container must be set
 * up in CloudKit Console first. Tests install Photoflare's schema (photoflare-schema.ts).
 */
export const DEFAULT_RECORD_TYPES: RecordTypeSchema = {};
/** Per-request cap on operations and on results per page (docs/cloudkit.md §6). */
export const MAX_OPERATIONS = 200;
export const MAX_RESULTS = 200;
/** Request body cap (docs/cloudkit.md §6: 1 MB). */
export const MAX_BODY_BYTES = 1024 * 1024;
const THIRTY_MINUTES_MS = 30 * 60 * 1000;

/** Resolved, mutable configuration. */
export interface Settings {
  containerId: string;
  apiTokens: Record<Environment, string>;
  schemas: Record<Environment, RecordTypeSchema>;
  tokenMode: TokenMode;
  webAuthTokenTtlMs: number;
  webAuthTokenLifetime: 'absolute' | 'sliding';
  indexLagMs: number;
  latencyMs: number;
  expiredSyncTokenError: ErrorSpec;
  changeFeed: 'coalesced' | 'every-change';
  maxChangesPerPage: number;
  tombstoneShape: 'minimal' | 'full';
  overLimitError: ErrorSpec;
  resultsLimitOverMax: 'clamp' | 'reject';
  zoneCreateExisting: 'success' | 'EXISTS';
  forceDeleteMissing: 'NOT_FOUND' | 'success';
  purgedZoneReason: string;
  reportPurgedInFeed: boolean;
  retryAfterUnit: 'seconds' | 'milliseconds';
  courierPollTimeoutMs: number;
  courierTokenTtlSecs: number;
  zoneNotificationsReachCourier: boolean;
  signInCallbackUrl: string | null;
  changesZoneTokenErrorScope: 'request' | 'per-zone';
  callerResponseShape: 'identity' | 'lookup-info-only' | 'users-list';
  deletedZonesInFeed: boolean;
}

/** Applies the spec's defaults to the options. */
export function resolveSettings(options: CloudKitEmulatorOptions): Settings {
  const development = options.recordTypes ?? DEFAULT_RECORD_TYPES;
  return {
    containerId: options.containerId ?? DEFAULT_CONTAINER_ID,
    apiTokens: {
      development: options.apiToken ?? DEFAULT_API_TOKEN,
      production: options.productionApiToken ?? DEFAULT_PRODUCTION_API_TOKEN,
    },
    schemas: { development, production: options.productionRecordTypes ?? development },
    tokenMode: options.tokenMode ?? 'lenient',
    webAuthTokenTtlMs: options.webAuthTokenTtlMs ?? THIRTY_MINUTES_MS,
    webAuthTokenLifetime: options.webAuthTokenLifetime ?? 'absolute',
    indexLagMs: options.indexLagMs ?? 0,
    latencyMs: 0,
    expiredSyncTokenError: options.expiredSyncTokenError ?? { status: 400, serverErrorCode: 'BAD_REQUEST' },
    changeFeed: options.changeFeed ?? 'coalesced',
    maxChangesPerPage: Math.min(options.maxChangesPerPage ?? MAX_RESULTS, MAX_RESULTS),
    tombstoneShape: options.tombstoneShape ?? 'minimal',
    overLimitError: options.overLimitError ?? { status: 400, serverErrorCode: 'BAD_REQUEST' },
    resultsLimitOverMax: options.resultsLimitOverMax ?? 'clamp',
    zoneCreateExisting: options.zoneCreateExisting ?? 'success',
    forceDeleteMissing: options.forceDeleteMissing ?? 'NOT_FOUND',
    purgedZoneReason: options.purgedZoneReason ?? 'Zone was purged by the user',
    reportPurgedInFeed: options.reportPurgedInFeed ?? false,
    retryAfterUnit: options.retryAfterUnit ?? 'seconds',
    courierPollTimeoutMs: options.courierPollTimeoutMs ?? 10_000,
    courierTokenTtlSecs: options.courierTokenTtlSecs ?? 43_200,
    zoneNotificationsReachCourier: options.zoneNotificationsReachCourier ?? false,
    signInCallbackUrl: options.signInCallbackUrl ?? null,
    changesZoneTokenErrorScope: options.changesZoneTokenErrorScope ?? 'request',
    callerResponseShape: options.callerResponseShape ?? 'identity',
    deletedZonesInFeed: options.deletedZonesInFeed ?? true,
  };
}

/** A record change that was committed, handed to the notifier for push delivery. */
export interface CommittedChange {
  recordName: string;
  recordType: string;
  kind: 'create' | 'update' | 'delete';
  /** The record after the change (the last state before deletion, for deletes). */
  fields: Record<string, { value: unknown; type: string }>;
}

/** Receives committed record changes (implemented by subscriptions.ts + courier.ts). */
export interface ChangeListener {
  recordsChanged(ns: Namespace, zoneName: string, changes: ReadonlyArray<CommittedChange>): void;
}

/** Long-lived collaborators shared by every handler. */
export interface Services {
  store: Store;
  settings: Settings;
  sealer: Sealer;
  now: () => number;
  listener: ChangeListener;
}

/** Everything a handler needs about one authenticated request. */
export interface OpContext {
  services: Services;
  ns: Namespace;
  container: string;
  environment: Environment;
  database: DatabaseScope;
  userName: string;
  userRecordName: string;
  deviceID: string;
  body: unknown;
  /** The `/device/` tokens handlers need the public base URL for the webcourier URL. */
  baseUrl: string;
}

/** What a handler returns: a status and a JSON body. Whole-request errors are thrown instead. */
export interface HandlerResult {
  status: number;
  body: unknown;
}
