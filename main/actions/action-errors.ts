import { AppError, isAppError, type ErrorKind } from '../../shared/errors';

/**
 * Why an action failed, as a sentence for the person who pressed the key.
 *
 * The PhotoPrism client's own messages are written for sign-in and browsing ("has no such item,
 * or this is not a PhotoPrism server"); an action needs to say what happened to THE CHANGE:
 * whether anything was changed, and what to do next. The kind is kept as the client classified
 * it (network, auth, not-found, permission, rate-limited, server), so the renderer can react to
 * the kind (offer "Sign In" for auth) without reading the text.
 */

/** The kind of a thrown value; anything that is not an AppError is a bug (`internal`). */
export function kindOf(error: unknown): ErrorKind {
  return isAppError(error) ? error.kind : 'internal';
}

/** Is this failure about one item only (the photo is gone), so the rest may carry on? */
export function isItemError(error: unknown): boolean {
  return kindOf(error) === 'not-found';
}

/** The error for "not online": offline/connecting → network, otherwise sign in first. */
export function notOnlineError(state: string): AppError {
  return state === 'offline' || state === 'connecting'
    ? new AppError('network', "Photoflare can't reach your PhotoPrism server.")
    : new AppError('auth', 'You are not signed in to PhotoPrism.');
}

const REASONS: Partial<Record<ErrorKind, { reason: string; advice: string }>> = {
  network: { reason: "Photoflare can't reach your PhotoPrism server", advice: "try again when it's back" },
  tls: { reason: 'The secure connection to your PhotoPrism server failed', advice: "check the server's certificate in Settings" },
  auth: { reason: 'Your PhotoPrism session has expired', advice: 'sign in again, then try once more' },
  permission: { reason: 'Your PhotoPrism account is not allowed to make this change', advice: "ask the server's administrator" },
  'rate-limited': { reason: 'Your PhotoPrism server is busy and refused the change', advice: 'wait a moment, then try again' },
  server: { reason: 'Your PhotoPrism server had a problem and did not make the change', advice: 'try again in a moment' },
  db: { reason: "Photoflare's library database failed", advice: 'the change will show after the next refresh' },
};

/**
 * The sentence for a failure of `kind` over `count` items.
 *
 * `partial` says some other items of the same action did go through, so "nothing was changed"
 * would be a lie: the sentence names how many were not changed instead.
 */
export function failureMessage(
  kind: ErrorKind,
  options: { readonly count: number; readonly partial: boolean; readonly subject: 'photo' | 'album' },
): string {
  const { count, partial, subject } = options;
  if (kind === 'not-found') {
    if (subject === 'album') {
      return 'This album was deleted on the PhotoPrism server, so nothing was changed. It has been removed from your library.';
    }
    return count === 1
      ? 'This photo was deleted on the PhotoPrism server, so it could not be changed. It has been removed from your library.'
      : `${count.toLocaleString('en-US')} photos were deleted on the PhotoPrism server, so they could not be changed. They have been removed from your library.`;
  }
  const known = REASONS[kind] ?? { reason: 'Something went wrong', advice: 'details are in the log' };
  const outcome = partial
    ? `${count.toLocaleString('en-US')} ${subject}${count === 1 ? ' was' : 's were'} not changed`
    : 'Nothing was changed';
  return `${known.reason}. ${outcome}; ${known.advice}.`;
}

/**
 * Socket errors that mean the request never left this Mac or never reached a listener, so the
 * server cannot have acted on it (Node: `ECONNREFUSED` = nothing listening, `ENOTFOUND` /
 * `EAI_AGAIN` = no address, `E*UNREACH` = no route). Anything else after a request was sent — a
 * timeout, `ECONNRESET`, "socket hang up" — may have lost the answer to a change the server made.
 */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);

/** Might the server have made this change although we got no answer? See [Note: Action intents]. */
export function mayHaveBeenApplied(error: unknown): boolean {
  if (kindOf(error) !== 'network') return false;
  // Walk the cause chain (AppError → TransportError → the socket error) for a socket code.
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = 'code' in current ? String(current.code) : '';
    if (NEVER_SENT_CODES.has(code)) return false;
    current = (current as { cause?: unknown }).cause;
  }
  // No cause at all: made up here (not online), never sent.
  return (error as { cause?: unknown }).cause !== undefined;
}

/** The sentence for items whose answer was lost: the change may or may not have been made. */
export function unclearMessage(count: number, subject: 'photo' | 'album'): string {
  const what = count === 1 ? `this ${subject} was` : `${count.toLocaleString('en-US')} ${subject}s were`;
  return `Your PhotoPrism server did not answer, so Photoflare can't tell yet whether ${what} changed. It is checking with the server and will show the result; nothing is lost.`;
}
