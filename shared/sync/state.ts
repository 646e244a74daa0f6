import { z } from 'zod';
import type { ConnectionStatus } from '../library/schemas';

/**
 * The iCloud Sync engine's state, published to the UI and the menu-bar item.
 *
 * A discriminated union on `name`; the engine (main/sync/) documents its transitions as a
 * diagram. The tray menu and the web shell's title-bar status are pure functions of
 * `SyncStatus`.
 */
export const SyncState = z.discriminatedUnion('name', [
  /** Sync is off (the default): zero requests to iCloud. */
  z.object({ name: z.literal('disabled') }),
  /** On, but the user paused it from the menu bar. */
  z.object({ name: z.literal('paused') }),
  /** On, but there is no valid iCloud sign-in (never signed in, expired, signed out). */
  z.object({ name: z.literal('needs-sign-in'), reason: z.string() }),
  /** Up to date. `lastSyncedAt` is epoch ms, null before the first run. */
  z.object({ name: z.literal('idle'), lastSyncedAt: z.number().nullable() }),
  z.object({
    name: z.literal('syncing'),
    phase: z.enum(['pushing', 'pulling', 'replaying']),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  /** Waiting before a retry (throttled, server busy, network blip). `until` is epoch ms. */
  z.object({ name: z.literal('backoff'), until: z.number(), reason: z.string(), attempt: z.number().int() }),
  /** iCloud cannot be reached. */
  z.object({ name: z.literal('offline') }),
  /**
   * Needs the user: iCloud full, zone deleted in iCloud settings, account switched, … or the
   * iCloud container has no Photoflare schema (`container-not-set-up`: a build problem the
   * developer fixes in CloudKit Console, see README "iCloud container setup").
   */
  z.object({
    name: z.literal('error'),
    kind: z.enum(['quota-full', 'zone-deleted', 'account-changed', 'web-access-off', 'container-not-set-up', 'internal']),
    message: z.string(),
  }),
]);
export type SyncState = z.infer<typeof SyncState>;
export type SyncStateName = SyncState['name'];

/** Everything the status surfaces show: sync state, the outbox, and the PhotoPrism link. */
export const SyncStatus = z.object({
  state: SyncState,
  /** Local events waiting to be pushed. */
  pendingCount: z.number().int().nonnegative(),
  /** The PhotoPrism connection matters to the status line too ("Can't reach your server"). */
  photoprism: z.enum(['signed-out', 'online', 'offline', 'needs-sign-in']),
  /**
   * Push from iCloud (subscriptions + the web courier): `on` when both work, `unavailable` when
   * iCloud refused either, so changes from other devices arrive with the timer and when the
   * window comes to the front. Absent while unknown, or when this build listens to no courier.
   */
  liveUpdates: z.enum(['on', 'unavailable']).optional(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/**
 * The PhotoPrism link as the status line cares about it, from the connection's state. Used by
 * the sync engine's status and by the menu bar when there is no engine.
 */
export function photoprismLink(state: ConnectionStatus['state']): SyncStatus['photoprism'] {
  // Connecting is not a problem worth a status line; it becomes online or offline in a moment.
  return state === 'connecting' ? 'online' : state;
}
