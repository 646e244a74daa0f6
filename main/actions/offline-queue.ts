import type { ErrorKind } from '../../shared/errors';
import type { ActionFailure } from '../../shared/ipc/contract';
import type { Operation } from './operations';

/**
 * [Note: The offline queue]
 * While PhotoPrism cannot be reached (offline, the server down, the session expired, still
 * connecting at start) a curation action is not refused: its executor writes the effect to the
 * cache (`applyLocally`) and, in the same transaction, the operation is appended to the action
 * ledger as 'queued' (main/actions/action-intents.ts: the one ordered, durable table that also
 * journals sent changes, in the same SQLite file as the event outbox). No event is appended:
 * another device refreshes on an event, and the server does not have the change yet.
 *
 * - Order: while anything is queued, new actions queue behind it even when online, so the server
 *   sees them in the order they were made.
 * - The cache holds: LibraryService.holdWhilePending keeps every refresh from writing the photos
 *   and albums a queued action names (the server's old state must not undo them).
 * - Drain: when the connection comes online (and at start, and after a retry delay), the queue
 *   first asks the server about every photo it names (one `refreshByUid`, which writes nothing
 *   held), then sends each action in order through its executor — which commits the cache and
 *   appends the event only for what the server accepted (item 3: the iCloud event follows the
 *   server). Operations are idempotent (like, PUT, batch archive, album membership, rename;
 *   creating an existing title returns that album), so a send cut short by a crash is sent again.
 * - Conflicts, per item: a photo deleted or archived on the server meanwhile, an album deleted,
 *   permission lost. Those items are not sent (or were refused); the row becomes 'conflict' with
 *   the reason (Activity shows it until dismissed), and the items are refreshed from the server,
 *   which rolls the cache back to the truth.
 * - Transient failures (unreachable again, session expired, 5xx, rate limit, an answer lost):
 *   the row keeps its place with only the items still to send, and the drain stops until the
 *   next time online (or the retry delay).
 * - Undo of a queued action cancels it: the row is deleted and the cache put back, nothing is
 *   ever sent. Once sent, its history step becomes the server's inverse like any action's.
 */

/** Failures that say "not now" rather than "no": the queued action keeps its place. */
const TRANSIENT_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'network',
  'tls',
  'auth',
  'two-factor-required',
  'rate-limited',
  'server',
  'internal',
]);

export function isTransient(failure: ActionFailure): boolean {
  return TRANSIENT_KINDS.has(failure.kind);
}

/** What the server said about the photos the queue names, before sending. */
export interface ServerCheck {
  readonly archived: ReadonlySet<string>;
  readonly absent: ReadonlySet<string>;
}

/** Items of a queued action that must not be sent, and why. */
export interface Refused {
  readonly uids: readonly string[];
  readonly reason: string;
}

/** The photo UIDs an operation changes. */
export function photosOf(op: Operation): readonly string[] {
  switch (op.type) {
    case 'title':
      return op.titles.map((t) => t.uid);
    case 'edit':
      return op.edits.map((e) => e.uid);
    case 'primary':
    case 'unstack':
      return [op.uid];
    case 'rename-album':
    case 'delete-album':
      return [];
    default:
      return op.uids;
  }
}

/** The operation for `keep` of its photos only; undefined when nothing is left to send. */
export function restrict(op: Operation, keep: ReadonlySet<string>): Operation | undefined {
  switch (op.type) {
    case 'title': {
      const titles = op.titles.filter((t) => keep.has(t.uid));
      return titles.length > 0 ? { ...op, titles } : undefined;
    }
    case 'edit': {
      const edits = op.edits.filter((e) => keep.has(e.uid));
      return edits.length > 0 ? { ...op, edits } : undefined;
    }
    case 'primary':
    case 'unstack':
      return keep.has(op.uid) ? op : undefined;
    case 'rename-album':
    case 'delete-album':
      return op;
    case 'create-album':
      // The album is still made, with whichever photos remain.
      return { ...op, uids: op.uids.filter((uid) => keep.has(uid)) };
    default: {
      const uids = op.uids.filter((uid) => keep.has(uid));
      return uids.length > 0 ? { ...op, uids } : undefined;
    }
  }
}

/**
 * One operation that does what `a` and `b` do: the steps of two parts of one action, which name
 * other photos with the same kind and value (the parts a queued action was sent in, see
 * ActionService's history settling). Album-level steps and a single photo's are the same whichever
 * part ran them: the later one stands.
 */
export function joinParts(a: Operation | undefined, b: Operation | undefined): Operation | undefined {
  if (!a || !b) return a ?? b;
  const both = <T extends Operation['type']>(type: T) => a.type === type && b.type === type;
  const uids = (x: readonly string[], y: readonly string[]) => [...new Set([...x, ...y])];
  if (a.type === 'edit' && b.type === 'edit') return { ...a, edits: [...a.edits, ...b.edits] };
  if (a.type === 'title' && b.type === 'title') return { ...a, titles: [...a.titles, ...b.titles] };
  if (a.type === 'archive' && b.type === 'archive') {
    // A restore's memberships to put back, per album, from both parts.
    const memberships = new Map<string, readonly string[]>(a.memberships ?? []);
    for (const [album, photos] of b.memberships ?? []) memberships.set(album, uids(memberships.get(album) ?? [], photos));
    return { ...a, uids: uids(a.uids, b.uids), ...(memberships.size > 0 ? { memberships } : {}) };
  }
  if ((a.type === 'favorite' || a.type === 'private') && both(a.type) && 'value' in b) return { ...a, uids: uids(a.uids, b.uids) };
  if (a.type === 'approve' && b.type === 'approve') return { ...a, uids: uids(a.uids, b.uids) };
  if ((a.type === 'add' || a.type === 'remove') && both(a.type) && 'albumUid' in b && a.albumUid === b.albumUid && 'uids' in b) {
    return { ...a, uids: uids(a.uids, b.uids) };
  }
  return b;
}

/**
 * Split a queued action by what the server now says: photos deleted there, and photos archived
 * there (changing an archived photo's favourite or album is not what the person saw when they
 * made the change), are refused before anything is sent.
 */
export function checkAgainstServer(op: Operation, check: ServerCheck): { sendable: Operation | undefined; refused: Refused[] } {
  const photos = photosOf(op);
  const deleted = photos.filter((uid) => check.absent.has(uid));
  // Archiving an archived photo, or restoring one, is what the person asked for: no conflict.
  const archived = op.type === 'archive' ? [] : photos.filter((uid) => check.archived.has(uid));
  const refused: Refused[] = [];
  if (deleted.length > 0) refused.push({ uids: deleted, reason: `${countPhotos(deleted.length)} deleted on the PhotoPrism server` });
  if (archived.length > 0) {
    refused.push({
      uids: archived,
      reason: `${countPhotos(archived.length)} archived on the PhotoPrism server meanwhile; restore it from the Archive and try again`,
    });
  }
  if (refused.length === 0) return { sendable: op, refused };
  const out = new Set([...deleted, ...archived]);
  return { sendable: restrict(op, new Set(photos.filter((uid) => !out.has(uid)))), refused };
}

/** "1 photo was", "3 photos were". */
function countPhotos(count: number): string {
  return count === 1 ? '1 photo was' : `${count.toLocaleString('en-US')} photos were`;
}

/** The sentence Activity shows for a refused action: what was not changed and why, then what to do. */
export function conflictReason(refused: readonly Refused[]): string {
  return refused.map((r) => `${r.reason.charAt(0).toUpperCase()}${r.reason.slice(1)}.`).join(' ');
}

/** What the person did, as the queue lists it: "Favourite 3 photos", "Add 1 photo to “Trip”". */
export function summaryOf(op: Operation, albumTitle: string | undefined): string {
  const photos = (count: number) => (count === 1 ? '1 photo' : `${count.toLocaleString('en-US')} photos`);
  const album = albumTitle !== undefined && albumTitle !== '' ? `“${albumTitle}”` : 'an album';
  switch (op.type) {
    case 'favorite':
      return `${op.value ? 'Favourite' : 'Unfavourite'} ${photos(op.uids.length)}`;
    case 'private':
      return `Make ${photos(op.uids.length)} ${op.value ? 'private' : 'public'}`;
    case 'approve':
      return `Approve ${photos(op.uids.length)}`;
    case 'title':
      return `Rename ${photos(op.titles.length)}`;
    case 'edit':
      return `Edit the info of ${photos(op.edits.length)}`;
    case 'archive':
      return `${op.value ? 'Archive' : 'Restore'} ${photos(op.uids.length)}`;
    case 'add':
      return `Add ${photos(op.uids.length)} to ${album}`;
    case 'remove':
      return `Remove ${photos(op.uids.length)} from ${album}`;
    case 'create-album':
      return op.uids.length > 0 ? `Create the album “${op.title}” with ${photos(op.uids.length)}` : `Create the album “${op.title}”`;
    case 'rename-album':
      return `Rename ${album} to “${op.title}”`;
    case 'delete-album':
      return `Delete ${album}`;
    case 'primary':
      return 'Choose the primary version of 1 photo';
    case 'unstack':
      return 'Unstack a version of 1 photo';
  }
}
