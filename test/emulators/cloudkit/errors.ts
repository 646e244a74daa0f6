/**
 * CloudKit error codes and bodies, with the spec's exact field casing (docs/cloudkit.md §3.1, docs/cloudkit.md §3.8, docs/cloudkit.md §5).
 */
import { randomUUID } from 'node:crypto';

/** HTTP status for each `serverErrorCode` (docs/cloudkit.md §5). */
export const STATUS_BY_CODE = {
  ACCESS_DENIED: 403,
  ATOMIC_ERROR: 400,
  AUTHENTICATION_FAILED: 401,
  AUTHENTICATION_REQUIRED: 421,
  BAD_REQUEST: 400,
  CONFLICT: 409,
  EXISTS: 409,
  INTERNAL_ERROR: 500,
  NOT_FOUND: 404,
  QUOTA_EXCEEDED: 413,
  THROTTLED: 429,
  TRY_AGAIN_LATER: 503,
  VALIDATING_REFERENCE_ERROR: 412,
  ZONE_NOT_FOUND: 404,
} as const;

/** A `serverErrorCode` the emulator emits itself (configurable codes may be any string). */
export type ServerErrorCode = keyof typeof STATUS_BY_CODE;

/** Extra keys an error dictionary may carry (docs/cloudkit.md §3.1 Record Fetch Error Dictionary, docs/cloudkit.md §5). */
export type ErrorExtras = Readonly<Record<string, unknown>>;

/**
 * A whole-request failure: thrown by handlers, turned into a non-2xx JSON response by the server.
 *
 * Per-item failures (one record, one zone) are not thrown; they are built with {@link errorEntry}
 * and returned inside a 200 body, as CloudKit does.
 */
export class CloudKitError extends Error {
  readonly status: number;
  readonly serverErrorCode: string;
  readonly extras: ErrorExtras;

  constructor(status: number, serverErrorCode: string, reason: string, extras: ErrorExtras = {}) {
    super(reason);
    this.name = 'CloudKitError';
    this.status = status;
    this.serverErrorCode = serverErrorCode;
    this.extras = extras;
  }

  /** The JSON body Apple sends for a whole-request error (docs/cloudkit.md §3.8). */
  toBody(): Record<string, unknown> {
    return { uuid: randomUUID(), serverErrorCode: this.serverErrorCode, reason: this.message, ...this.extras };
  }
}

/** Shorthand for the common case: a known code with its standard HTTP status. */
export function ckError(code: ServerErrorCode, reason: string, extras: ErrorExtras = {}): CloudKitError {
  return new CloudKitError(STATUS_BY_CODE[code], code, reason, extras);
}

/** A per-item error dictionary (record, zone or subscription) inside a 200 or atomic-400 body. */
export function errorEntry(code: string, reason: string, extras: ErrorExtras = {}): Record<string, unknown> {
  return { ...extras, serverErrorCode: code, reason, uuid: randomUUID() };
}
