import type { LocalAction, SyncEvent } from '../../shared/events/schema';

/**
 * [Note: What happened on another device]
 *
 * A synced event says only which UIDs changed ("photos.updated" + UIDs), never how: that stays
 * on the device that made it (privacy promise). The receiving device refreshes those UIDs from
 * its own PhotoPrism server anyway, so it can see what changed by comparing the cached item
 * before and after the refresh, and tell the person "Favourited 1 photo on another device"
 * instead of "Changed 1 photo". An event gets a sentence only when every UID it names changed
 * the same way (all favourited, all added to one album); anything else — a title edit, mixed
 * changes, an item the cache already had in its new state — keeps the general sentence.
 * Nothing here leaves the device: the words are derived locally, like a local action's.
 */

/** The parts of a cached photo that say what an action did. */
export interface PhotoState {
  readonly favorite: boolean;
  readonly private: boolean;
  readonly archived: boolean;
  /** PhotoPrism's photo_quality: below 3 the photo waits in Review. */
  readonly quality: number;
  /** UIDs of the albums the photo is in. */
  readonly albumUids: readonly string[];
}

export interface AlbumState {
  readonly title: string;
}

/** The cache's view of some photos and albums at one moment (absent: not cached). */
export interface CacheSnapshot {
  readonly photos: ReadonlyMap<string, PhotoState>;
  readonly albums: ReadonlyMap<string, AlbumState>;
}

/** What the Activity view says for one remote event (see describeEvent). */
export interface RemoteDescription {
  readonly id: string;
  /** Null for a companion: an event shown under another's line (groupId set). */
  readonly action: LocalAction | null;
  /** The album title, for album actions. */
  readonly detail: string | null;
  /** Events of one action share it, as on the device that made them; null: a line of its own. */
  readonly groupId: string | null;
}

/** Photos under this quality wait in Review (PhotoPrism internal/entity/photo.go, photo_quality < 3). */
const REVIEW_QUALITY = 3;

/** One way items changed; `albumUid` for album memberships. */
interface Found {
  readonly action: LocalAction;
  readonly detail: string | null;
  readonly albumUid?: string;
}

/** How one photo changed between two snapshots, or null when it is none (or more than one) of the known ways. */
function photoChange(before: PhotoState | undefined, after: PhotoState | undefined, titleOf: (uid: string) => string | null) {
  if (!before || !after) return null;
  const changes: Found[] = [];
  if (before.favorite !== after.favorite) changes.push({ action: after.favorite ? 'favourite' : 'unfavourite', detail: null });
  if (before.private !== after.private) changes.push({ action: after.private ? 'make-private' : 'make-public', detail: null });
  if (before.quality < REVIEW_QUALITY && after.quality >= REVIEW_QUALITY) changes.push({ action: 'approve', detail: null });
  const added = after.albumUids.filter((uid) => !before.albumUids.includes(uid));
  const removed = before.albumUids.filter((uid) => !after.albumUids.includes(uid));
  for (const uid of added) changes.push({ action: 'add-to-album', detail: titleOf(uid), albumUid: uid });
  for (const uid of removed) changes.push({ action: 'remove-from-album', detail: titleOf(uid), albumUid: uid });
  return changes.length === 1 ? (changes[0] ?? null) : null;
}

/** One sentence per event whose UIDs all changed the same way; events left out keep the general one. */
export function describeRemoteEvents(
  events: readonly { readonly id: string; readonly event: SyncEvent }[],
  before: CacheSnapshot,
  after: CacheSnapshot,
): RemoteDescription[] {
  const titleOf = (albumUid: string) => after.albums.get(albumUid)?.title ?? before.albums.get(albumUid)?.title ?? null;
  // A UID named by two events of the batch: the net change cannot be told apart (a title edit
  // and a favourite would both read "Favourited"), so neither event is described.
  const named = new Map<string, number>();
  for (const { event } of events) for (const entity of event.data.entities) named.set(entity.UID, (named.get(entity.UID) ?? 0) + 1);
  const out: RemoteDescription[] = [];
  /** Event id → the album its photos went into or left. */
  const membershipOf = new Map<string, string>();
  for (const { id, event } of events) {
    const uids = event.data.entities.map((entity) => entity.UID);
    if (uids.some((uid) => (named.get(uid) ?? 0) > 1)) continue;
    let found: Found | null = null;
    if (event.event === 'photos.updated') {
      const changes = uids.map((uid) => photoChange(before.photos.get(uid), after.photos.get(uid), titleOf));
      const first = changes[0];
      if (
        first &&
        changes.every((change) => change?.action === first.action && change.albumUid === first.albumUid && change.detail === first.detail)
      )
        found = first;
    } else if (event.event === 'albums.updated' && uids.length === 1) {
      const uid = uids[0] ?? '';
      const was = before.albums.get(uid)?.title;
      const now = after.albums.get(uid)?.title;
      if (was !== undefined && now !== undefined && was !== now) found = { action: 'rename-album', detail: now };
    } else if (event.event === 'albums.created' && uids.length === 1) {
      const now = after.albums.get(uids[0] ?? '')?.title;
      if (now !== undefined) found = { action: 'create-album', detail: now };
    } else if (event.event === 'albums.deleted' && uids.length === 1) {
      const was = before.albums.get(uids[0] ?? '')?.title;
      if (was !== undefined) found = { action: 'delete-album', detail: was };
    }
    if (found) {
      out.push({ id, action: found.action, detail: found.detail, groupId: null });
      if (found.albumUid !== undefined) membershipOf.set(id, found.albumUid);
    }
  }
  return groupAlbumCompanions(events, out, membershipOf, before, after);
}

/**
 * Adding photos to an album sends `photos.updated` (the photos) and `albums.updated` (the
 * album, so receivers re-list its members). The device that did it shows one line for both;
 * so does this one: an `albums.updated` whose album did not change otherwise (same title), in
 * the batch of the photos' event naming that album, becomes that event's companion.
 */
function groupAlbumCompanions(
  events: readonly { readonly id: string; readonly event: SyncEvent }[],
  described: RemoteDescription[],
  membershipOf: ReadonlyMap<string, string>,
  before: CacheSnapshot,
  after: CacheSnapshot,
): RemoteDescription[] {
  if (membershipOf.size === 0) return described;
  const out = [...described];
  for (const { id, event } of events) {
    if (event.event !== 'albums.updated' || event.data.entities.length !== 1) continue;
    const albumUid = event.data.entities[0]?.UID ?? '';
    const title = after.albums.get(albumUid)?.title;
    if (title === undefined || before.albums.get(albumUid)?.title !== title) continue;
    const owner = out.find((d) => d.groupId === null && membershipOf.get(d.id) === albumUid);
    if (!owner) continue;
    const at = out.indexOf(owner);
    out[at] = { ...owner, groupId: owner.id };
    out.push({ id, action: null, detail: null, groupId: owner.id });
  }
  return out;
}
