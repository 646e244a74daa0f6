import { AppError, type ErrorKind } from '../../shared/errors';

/**
 * What went wrong with a CloudKit request, as a closed list the sync engine can switch on.
 *
 * [Note: CloudKit error kinds]
 * The server's `serverErrorCode` (docs/cloudkit.md §5) and a few client-side failures are folded into one
 * kind each, and each kind carries the action the spec prescribes (`CLOUDKIT_ACTION_BY_KIND`).
 * The engine decides *when* to act (backoff, asking the user); this module decides *what* the
 * failure means, so that decision is made once and tested once.
 */
export const CLOUDKIT_ERROR_KINDS = [
  /** 421 AUTHENTICATION_REQUIRED: no (usable) web auth token; `redirectUrl` starts sign-in. */
  'auth-required',
  /** 401 AUTHENTICATION_FAILED: the token was rejected; it has been discarded. */
  'auth-failed',
  /** The sign-in flow was cancelled or produced no token. */
  'sign-in-failed',
  /** 403 ACCESS_DENIED: no permission (often: iCloud data web access is off). */
  'access-denied',
  /** 429 THROTTLED: wait `retryAfterMs`, then retry. */
  'throttled',
  /** 503 TRY_AGAIN_LATER (or a 503 that is not JSON): transient. */
  'try-again-later',
  /** 500 INTERNAL_ERROR or another 5xx. */
  'server',
  /** The server answered something we cannot parse (not JSON, wrong shape). */
  'unexpected-response',
  /** No answer: refused, reset, dropped, DNS, timeout. */
  'network',
  /** The TLS handshake failed (bad or changed certificate). */
  'tls',
  /** ZONE_NOT_FOUND: the zone was deleted, never created, or purged by the user. */
  'zone-not-found',
  /** A changes/* request made with a stored token failed non-transiently: the token is stale. */
  'sync-token-expired',
  /** 413 QUOTA_EXCEEDED: the user's iCloud storage is full. */
  'quota-exceeded',
  /** 400 BAD_REQUEST: malformed request, unknown field, schema mismatch. A bug; never retried. */
  'bad-request',
  /** 409 CONFLICT: the record change tag is stale. */
  'conflict',
  /** 409 EXISTS: `create` of a name that exists. */
  'exists',
  /** 404 NOT_FOUND: the record or resource is missing. */
  'not-found',
  /** ATOMIC_ERROR: this entry failed only because a sibling in an atomic batch failed. */
  'atomic-error',
  /** 412 VALIDATING_REFERENCE_ERROR. */
  'validating-reference',
  /** UNIQUE_FIELD_ERROR (CloudKit JS). */
  'unique-field',
  /** A batch or a single record exceeds the request limits (docs/cloudkit.md §6). */
  'limit-exceeded',
  /** The courier answered non-2xx: its APNs token is bad or expired; mint a new one (docs/cloudkit.md §7.2). */
  'courier-expired',
  /** The secret store could not read or write the token (CloudKit JS AUTH_PERSIST_ERROR). */
  'auth-persist',
  /** The caller aborted the request. */
  'aborted',
  /** A code we do not know, on a status that does not tell us more. */
  'unknown',
] as const;

/** See [Note: CloudKit error kinds]. */
export type CloudKitErrorKind = (typeof CLOUDKIT_ERROR_KINDS)[number];

/** The spec's prescribed reaction to a failure (docs/cloudkit.md §5, docs/cloudkit.md §8 "errors the app must handle"). */
export type CloudKitAction =
  | 'retry-later'
  | 'sign-in'
  | 'recreate-zone'
  | 'refetch-from-start'
  | 'stop-and-tell-user'
  | 'resolve-conflict'
  | 'lookup-existing'
  | 'drop-or-recreate'
  | 'resend-without-culprit'
  | 'save-target-first'
  | 'split-batch'
  | 'renew-courier-token'
  | 'fix-request'
  | 'none';

/** One action per kind, straight from the spec's docs/cloudkit.md §5 table. See [Note: CloudKit error kinds]. */
export const CLOUDKIT_ACTION_BY_KIND: Readonly<Record<CloudKitErrorKind, CloudKitAction>> = {
  'auth-required': 'sign-in',
  'auth-failed': 'sign-in',
  'sign-in-failed': 'sign-in',
  'access-denied': 'stop-and-tell-user',
  throttled: 'retry-later',
  'try-again-later': 'retry-later',
  server: 'retry-later',
  // A captive portal or proxy page is the usual cause; it passes, so back off and retry.
  'unexpected-response': 'retry-later',
  network: 'retry-later',
  tls: 'stop-and-tell-user',
  'zone-not-found': 'recreate-zone',
  'sync-token-expired': 'refetch-from-start',
  'quota-exceeded': 'stop-and-tell-user',
  'bad-request': 'fix-request',
  conflict: 'resolve-conflict',
  exists: 'lookup-existing',
  'not-found': 'drop-or-recreate',
  'atomic-error': 'resend-without-culprit',
  'validating-reference': 'save-target-first',
  'unique-field': 'resolve-conflict',
  'limit-exceeded': 'split-batch',
  'courier-expired': 'renew-courier-token',
  'auth-persist': 'stop-and-tell-user',
  aborted: 'none',
  unknown: 'fix-request',
};

/** Kinds the engine may retry automatically (after `retryAfterMs` or its own backoff). */
export function isRetryableCloudKitKind(kind: CloudKitErrorKind): boolean {
  return CLOUDKIT_ACTION_BY_KIND[kind] === 'retry-later';
}

const APP_KIND_BY_KIND: Readonly<Record<CloudKitErrorKind, ErrorKind>> = {
  'auth-required': 'auth',
  'auth-failed': 'auth',
  'sign-in-failed': 'auth',
  'access-denied': 'permission',
  throttled: 'rate-limited',
  'try-again-later': 'server',
  server: 'server',
  'unexpected-response': 'server',
  network: 'network',
  tls: 'tls',
  'zone-not-found': 'not-found',
  'sync-token-expired': 'server',
  'quota-exceeded': 'quota',
  'bad-request': 'bad-request',
  conflict: 'conflict',
  exists: 'conflict',
  'not-found': 'not-found',
  'atomic-error': 'bad-request',
  'validating-reference': 'bad-request',
  'unique-field': 'conflict',
  'limit-exceeded': 'bad-request',
  'courier-expired': 'server',
  'auth-persist': 'internal',
  aborted: 'internal',
  unknown: 'internal',
};

/** Sentences for a person (what happened, what they can do), by kind. Never include a URL. */
const MESSAGE_BY_KIND: Readonly<Record<CloudKitErrorKind, string>> = {
  'auth-required': 'iCloud needs you to sign in before Photoflare can sync. Sign in to iCloud in Settings.',
  'auth-failed': 'iCloud no longer accepts the saved sign-in. Sign in to iCloud again in Settings.',
  'sign-in-failed': 'Signing in to iCloud did not finish. Try signing in again.',
  'access-denied': 'iCloud refused access to your data. Check that "Access iCloud Data on the Web" is on in your Apple ID settings.',
  throttled: 'iCloud asked Photoflare to slow down. Sync will resume by itself shortly.',
  'try-again-later': 'iCloud is temporarily unavailable. Sync will try again by itself.',
  server: 'iCloud had an internal problem. Sync will try again by itself.',
  'unexpected-response':
    'iCloud sent an answer Photoflare does not understand. If you are behind a login page or proxy, sign in to the network; sync will retry.',
  network: 'iCloud could not be reached. Check your internet connection; sync will retry.',
  tls: 'The secure connection to iCloud failed (certificate problem). Check your network and the system clock.',
  'zone-not-found': 'The Photoflare data in iCloud is gone (deleted or reset). Photoflare will set it up again.',
  'sync-token-expired': 'iCloud no longer recognises where sync left off. Photoflare will fetch all changes again.',
  'quota-exceeded': 'Your iCloud storage is full, so Photoflare cannot upload changes. Free up iCloud storage; sync will resume.',
  'bad-request': 'iCloud rejected a request from Photoflare. This is a bug; please report it.',
  conflict: 'The item was changed on another device first. Photoflare will merge and try again.',
  exists: 'The item already exists in iCloud.',
  'not-found': 'The item no longer exists in iCloud.',
  'atomic-error': 'A batch of changes was rejected because one of them failed.',
  'validating-reference': 'iCloud rejected a change that refers to a missing item.',
  'unique-field': 'The item conflicts with another one in iCloud.',
  'limit-exceeded': 'A change is too large to send to iCloud.',
  'courier-expired': 'The iCloud change notifications need to be renewed. Photoflare will renew them.',
  'auth-persist': 'Photoflare could not save your iCloud sign-in securely. Check the Keychain and try again.',
  aborted: 'The iCloud request was cancelled.',
  unknown: 'iCloud reported an error Photoflare does not know. Please report it if it persists.',
};

/**
 * A failed CloudKit request (or a failed single item inside one).
 *
 * Not an AppError itself, because its `kind` is the richer CloudKit kind; `toAppError()` gives
 * the UI-facing error. Messages never contain URLs: the request URL carries the tokens.
 */
export class CloudKitError extends Error {
  override readonly name = 'CloudKitError';
  readonly kind: CloudKitErrorKind;
  readonly action: CloudKitAction;
  /** The operation, e.g. `records/modify` (never the URL). */
  readonly operation: string | undefined;
  readonly status: number | undefined;
  readonly serverErrorCode: string | undefined;
  /** The server's reason text (free text, for logs and bug reports). */
  readonly reason: string | undefined;
  /** How long the server asked us to wait; see `retryAfterToMs`. */
  readonly retryAfterMs: number | undefined;
  /** With `auth-required`: the sign-in page to open. Contains no token of ours. */
  readonly redirectUrl: string | undefined;
  /** The server's error identifier (for support). */
  readonly uuid: string | undefined;

  constructor(
    kind: CloudKitErrorKind,
    details: {
      operation?: string | undefined;
      status?: number | undefined;
      serverErrorCode?: string | undefined;
      reason?: string | undefined;
      retryAfterMs?: number | undefined;
      redirectUrl?: string | undefined;
      uuid?: string | undefined;
      message?: string | undefined;
    } = {},
  ) {
    super(details.message ?? MESSAGE_BY_KIND[kind]);
    this.kind = kind;
    this.action = CLOUDKIT_ACTION_BY_KIND[kind];
    this.operation = details.operation;
    this.status = details.status;
    this.serverErrorCode = details.serverErrorCode;
    this.reason = details.reason;
    this.retryAfterMs = details.retryAfterMs;
    this.redirectUrl = details.redirectUrl;
    this.uuid = details.uuid;
  }

  /** The error the UI sees (kind from shared/errors.ts, a sentence for a person). */
  toAppError(): AppError {
    return new AppError(APP_KIND_BY_KIND[this.kind], MESSAGE_BY_KIND[this.kind], { cause: this });
  }

  /** A log-safe summary (no URL, no token). */
  toLogFields(): Record<string, unknown> {
    return {
      kind: this.kind,
      operation: this.operation,
      status: this.status,
      serverErrorCode: this.serverErrorCode,
      reason: this.reason,
      retryAfterMs: this.retryAfterMs,
      uuid: this.uuid,
    };
  }
}

/** Narrow an unknown thrown value. */
export function isCloudKitError(value: unknown): value is CloudKitError {
  return value instanceof CloudKitError;
}

/** Turn anything thrown by the CloudKit layer into the AppError the UI understands. */
export function toAppError(error: unknown): AppError {
  if (error instanceof CloudKitError) return error.toAppError();
  if (error instanceof AppError) return error;
  return new AppError('internal', 'Something went wrong while syncing with iCloud. Please report it.', { cause: error });
}

/** The server's error fields, as the client has parsed them (schemas.ts `ServerErrorBody`). */
export interface ServerErrorFields {
  readonly serverErrorCode?: string | undefined;
  readonly reason?: string | undefined;
  readonly retryAfter?: number | undefined;
  readonly redirectURL?: string | undefined;
  readonly redirectUrl?: string | undefined;
  readonly uuid?: string | undefined;
}

/**
 * `retryAfter` from a body → milliseconds.
 *
 * The unit is unconfirmed (docs/cloudkit.md §3.8, docs/cloudkit.md §10.3): native CloudKit uses seconds, but TN3162 shows
 * 110207, which only makes sense as milliseconds. We read seconds, except that a value above one
 * hour is implausible as seconds for a retry hint and is read as milliseconds.
 */
export function retryAfterToMs(retryAfter: number | undefined): number | undefined {
  if (retryAfter === undefined || !Number.isFinite(retryAfter) || retryAfter < 0) return undefined;
  const ONE_HOUR_SECS = 3600;
  return retryAfter > ONE_HOUR_SECS ? Math.round(retryAfter) : Math.round(retryAfter * 1000);
}

const KIND_BY_CODE: Readonly<Record<string, CloudKitErrorKind>> = {
  ACCESS_DENIED: 'access-denied',
  ATOMIC_ERROR: 'atomic-error',
  AUTHENTICATION_FAILED: 'auth-failed',
  AUTHENTICATION_REQUIRED: 'auth-required',
  BAD_REQUEST: 'bad-request',
  CONFLICT: 'conflict',
  EXISTS: 'exists',
  INTERNAL_ERROR: 'server',
  NOT_FOUND: 'not-found',
  QUOTA_EXCEEDED: 'quota-exceeded',
  THROTTLED: 'throttled',
  TRY_AGAIN_LATER: 'try-again-later',
  VALIDATING_REFERENCE_ERROR: 'validating-reference',
  ZONE_NOT_FOUND: 'zone-not-found',
  UNIQUE_FIELD_ERROR: 'unique-field',
  // CloudKit JS client-side codes, in case a proxy or the emulator reports them.
  SERVICE_UNAVAILABLE: 'try-again-later',
  NETWORK_ERROR: 'network',
  LIMIT_EXCEEDED: 'limit-exceeded',
};

/** A status alone, when the body names no code we know (e.g. a 503 from a load balancer). */
function kindForStatus(status: number | undefined): CloudKitErrorKind {
  switch (status) {
    case 401:
      return 'auth-failed';
    case 403:
      return 'access-denied';
    case 404:
      return 'not-found';
    case 409:
      return 'conflict';
    case 412:
      return 'validating-reference';
    case 413:
      return 'quota-exceeded';
    case 421:
      return 'auth-required';
    case 429:
      return 'throttled';
    case 503:
      return 'try-again-later';
    default:
      if (status !== undefined && status >= 500) return 'server';
      if (status === 400) return 'bad-request';
      return 'unknown';
  }
}

/** Codes that prove a changes/* failure is about something other than the sync token. */
const NOT_A_TOKEN_PROBLEM: ReadonlySet<CloudKitErrorKind> = new Set([
  'auth-required',
  'auth-failed',
  'access-denied',
  'throttled',
  'try-again-later',
  'server',
  'zone-not-found',
  'quota-exceeded',
  'network',
]);

/**
 * Classify a whole-request or per-item error from its HTTP status and body (docs/cloudkit.md §3.8, docs/cloudkit.md §5).
 *
 * `usedSyncToken` marks a changes/* request made with a stored token: the spec (docs/cloudkit.md §5 "Expired sync
 * token") says to read any non-transient failure there — BAD_REQUEST or a code we do not know —
 * as "token invalid", because Web Services has no documented code for it.
 */
export function classifyServerError(input: {
  readonly status?: number | undefined;
  readonly body?: ServerErrorFields | undefined;
  readonly operation?: string | undefined;
  readonly usedSyncToken?: boolean | undefined;
}): CloudKitError {
  const code = input.body?.serverErrorCode;
  const known = code === undefined ? undefined : KIND_BY_CODE[code];
  let kind: CloudKitErrorKind = known ?? kindForStatus(input.status);
  if (input.usedSyncToken && !NOT_A_TOKEN_PROBLEM.has(kind)) {
    const statusIsClientError = input.status === undefined || (input.status >= 400 && input.status < 500);
    if (kind === 'bad-request' || (known === undefined && statusIsClientError)) kind = 'sync-token-expired';
  }
  // A 5xx with a code we do not know is still a server problem worth retrying.
  if (known === undefined && kind === 'unknown' && input.status !== undefined && input.status >= 500) kind = 'server';
  return new CloudKitError(kind, {
    operation: input.operation,
    status: input.status,
    serverErrorCode: code,
    reason: input.body?.reason,
    retryAfterMs: retryAfterToMs(input.body?.retryAfter),
    redirectUrl: input.body?.redirectURL ?? input.body?.redirectUrl,
    uuid: input.body?.uuid,
  });
}
