/**
 * Errors as values: every failure that crosses a boundary carries a `kind`.
 *
 * The renderer decides what to show from the kind, never from the message text; the
 * message is a sentence meant for a person ("what happened, what you can do").
 * See [Note: Result envelope] in shared/ipc/result.ts.
 */
export const ERROR_KINDS = [
  /** The request did not match the contract (wrong type, extra key). A bug in the caller. */
  'bad-request',
  /** The channel is not in the contract. */
  'unknown-channel',
  /** The sender is not our window / not authenticated. */
  'forbidden',
  /** Input a person typed is not acceptable (malformed URL, empty album title, …). */
  'validation',
  /** The server could not be reached (DNS, refused, reset, timeout). */
  'network',
  /** TLS failed: self-signed or changed certificate. */
  'tls',
  /** Credentials are wrong, expired or revoked: sign in again. */
  'auth',
  /** The server asks for a second factor. */
  'two-factor-required',
  /** Too many requests: wait and retry. */
  'rate-limited',
  /** The user may not do this. */
  'permission',
  /** The thing is gone (photo deleted on the server, album removed). */
  'not-found',
  /** Concurrent change: someone else changed it first. */
  'conflict',
  /** The server answered with something we did not expect (not PhotoPrism, 5xx, bad JSON). */
  'server',
  /** iCloud storage is full. */
  'quota',
  /** The local database failed. */
  'db',
  /** Anything else: a bug. Logged with a stack. */
  'internal',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * An expected failure with a kind and a human message.
 *
 * Thrown inside the main process; turned into `{ok:false, error:{kind,message}}` at the IPC
 * boundary. Anything that is not an AppError becomes kind `internal`.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/** Narrow an unknown thrown value to an AppError. */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** What to show for anything thrown: an Error's message (AppErrors included), or the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Kinds worth retrying automatically (idempotent requests only). */
export function isRetryableKind(kind: ErrorKind): boolean {
  return kind === 'network' || kind === 'rate-limited' || kind === 'server';
}

/** Exhaustiveness check for switches over string-literal unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
