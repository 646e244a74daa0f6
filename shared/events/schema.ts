import { z } from 'zod';
import { AlbumUid, PhotoUid } from '../ids';

/**
 * [Note: The synced event]
 *
 * The ONLY thing Photoflare ever sends to iCloud, exactly the shape of the product promise
 * (seed/icloud-sync.txt):
 *
 *   {"event":"photos.updated","data":{"entities":[{"UID":"ptajmyx4rf5gni6h"}]}}
 *
 * Names come from PhotoPrism's own event vocabulary; each entity carries a UID and nothing else.
 * Every object in the schema is `.strict()`: any other key, anywhere, is rejected — so a title,
 * a file name or a server address cannot ride along by accident. The event says *what to
 * refresh*, never *what changed*: the receiving device asks its own PhotoPrism server for the
 * truth, which makes replay idempotent and order-free.
 */

/** Events about photos carry photo UIDs (`p…`). */
export const PHOTO_EVENT_NAMES = ['photos.updated', 'photos.archived', 'photos.restored', 'photos.deleted'] as const;
/** Events about albums carry album UIDs (`a…`). */
export const ALBUM_EVENT_NAMES = ['albums.created', 'albums.updated', 'albums.deleted'] as const;
export const EVENT_NAMES = [...PHOTO_EVENT_NAMES, ...ALBUM_EVENT_NAMES] as const;

export const EventName = z.enum(EVENT_NAMES);
export type EventName = z.infer<typeof EventName>;

/**
 * Most entities one event may name. An action over more items makes several events.
 *
 * 200 UIDs keep one CloudKit record around 4 KB (16-char UIDs in a STRING_LIST), so a full
 * 200-record request stays well under CloudKit's 1 MB limit, and one lost record loses little.
 */
export const MAX_ENTITIES_PER_EVENT = 200;

const photoEntity = z.object({ UID: PhotoUid }).strict();
const albumEntity = z.object({ UID: AlbumUid }).strict();

function eventOf<N extends EventName, E extends z.ZodType>(name: N, entity: E) {
  return z
    .object({
      event: z.literal(name),
      data: z.object({ entities: z.array(entity).min(1).max(MAX_ENTITIES_PER_EVENT) }).strict(),
    })
    .strict();
}

/** One synced event, strictly: photo events name photos, album events name albums. */
export const SyncEvent = z.discriminatedUnion('event', [
  eventOf('photos.updated', photoEntity),
  eventOf('photos.archived', photoEntity),
  eventOf('photos.restored', photoEntity),
  eventOf('photos.deleted', photoEntity),
  eventOf('albums.created', albumEntity),
  eventOf('albums.updated', albumEntity),
  eventOf('albums.deleted', albumEntity),
]);
export type SyncEvent = z.infer<typeof SyncEvent>;

export function isPhotoEventName(name: EventName): boolean {
  return (PHOTO_EVENT_NAMES as readonly string[]).includes(name);
}

/** The UIDs an event names, in order. */
export function eventUids(event: SyncEvent): string[] {
  return event.data.entities.map((entity) => entity.UID);
}

/**
 * Build the events for an action over `uids`: deduplicated, in order, split at
 * MAX_ENTITIES_PER_EVENT, each validated by the strict schema (a bad UID throws here, before
 * anything is stored).
 */
export function makeEvents(name: EventName, uids: readonly string[]): SyncEvent[] {
  const unique = [...new Set(uids)];
  const events: SyncEvent[] = [];
  for (let i = 0; i < unique.length; i += MAX_ENTITIES_PER_EVENT) {
    const entities = unique.slice(i, i + MAX_ENTITIES_PER_EVENT).map((UID) => ({ UID }));
    events.push(SyncEvent.parse({ event: name, data: { entities } }));
  }
  return events;
}

/** Where an event in the local log came from. */
export const EventOrigin = z.enum(['local', 'remote']);
export type EventOrigin = z.infer<typeof EventOrigin>;

/**
 * Lifecycle of an event in the local log.
 *
 * local:  pending ──push ok──► pushed          (sync on)
 *         local-only                            (sync off when it happened: never pushed later)
 * remote: received ──replayed──► applied
 *         quarantined                           (failed the strict schema: never applied)
 */
export const EventStatus = z.enum(['pending', 'pushed', 'local-only', 'received', 'applied', 'quarantined']);
export type EventStatus = z.infer<typeof EventStatus>;

/**
 * What the user did, kept locally so the Activity view can say "Favourited 3 photos" — the
 * synced event alone cannot tell a favourite from a title edit. Never leaves the machine.
 */
export const LocalAction = z.enum([
  'favourite',
  'unfavourite',
  'make-private',
  'make-public',
  'approve',
  'archive',
  'restore',
  'add-to-album',
  'remove-from-album',
  'create-album',
  'rename-album',
  'delete-album',
  'delete-photos',
]);
export type LocalAction = z.infer<typeof LocalAction>;

/** One row of the Activity view. */
export const ActivityEntry = z.object({
  id: z.string(),
  /** The synced event exactly as it is (or would be) sent; null for a quarantined record. */
  event: SyncEvent.nullable(),
  origin: EventOrigin,
  status: EventStatus,
  /** Epoch ms. */
  createdAt: z.number(),
  /** A sentence for a person: "Favourited 3 photos", "Added 12 photos to Holiday 2024". */
  summary: z.string(),
  /** Events appended by one action share this id (null: an event on its own). */
  groupId: z.string().nullable(),
  /**
   * True for an event that only accompanies another of its action (the `albums.updated` that
   * lets other devices re-list an album's members): shown under the action's line, not as one.
   */
  companion: z.boolean(),
});
export type ActivityEntry = z.infer<typeof ActivityEntry>;
