import { z } from 'zod';
import { MAX_ACTION_UIDS } from '../../shared/ipc/contract';

/**
 * The curation operations main can run against PhotoPrism, as plain values.
 *
 * An action the user asks for, its undo and its redo are all one of these: running an
 * operation answers its result AND the operation that would reverse what it actually did
 * (computed from the cache's state before it ran, for the items the server accepted). So undo
 * is "run the recorded inverse", and redo is "run the inverse of the undo" — each a full action
 * with its own server requests, cache update and event. See [Note: Undo is an action].
 */
import { MetadataFields, type MetadataEdit } from '../../shared/library/metadata';

export type Operation =
  | { readonly type: 'favorite'; readonly uids: readonly string[]; readonly value: boolean }
  | { readonly type: 'private'; readonly uids: readonly string[]; readonly value: boolean }
  /** Approve photos waiting in Review. No inverse: PhotoPrism has no way back into Review. */
  | { readonly type: 'approve'; readonly uids: readonly string[] }
  | { readonly type: 'title'; readonly titles: ReadonlyArray<{ readonly uid: string; readonly title: string }> }
  | {
      readonly type: 'archive';
      readonly uids: readonly string[];
      readonly value: boolean;
      /**
       * Restore only: album → photos to put back after restoring. Archiving hides a photo in
       * every album for good and a plain restore does not bring it back (docs/photoprism-api.md §5), so the undo
       * of an archive carries the memberships it removed.
       */
      readonly memberships?: ReadonlyMap<string, readonly string[]>;
    }
  | { readonly type: 'add'; readonly albumUid: string; readonly uids: readonly string[] }
  | { readonly type: 'remove'; readonly albumUid: string; readonly uids: readonly string[] }
  | {
      readonly type: 'create-album';
      readonly title: string;
      readonly uids: readonly string[];
      /** Undo of a delete: the album this re-creates (its UID may come back different). */
      readonly replaces?: string;
    }
  | { readonly type: 'rename-album'; readonly albumUid: string; readonly title: string }
  | { readonly type: 'delete-album'; readonly albumUid: string }
  /** Choose a stack's primary version (main/actions/executors/stack-file.ts); its inverse chooses the old one again. */
  | { readonly type: 'primary'; readonly uid: string; readonly fileUid: string }
  /** Move a version out of its stack into a photo of its own. No inverse: PhotoPrism cannot stack files again. */
  | { readonly type: 'unstack'; readonly uid: string; readonly fileUid: string }
  /** Metadata edits, per photo (an undo puts back each photo's own values). See main/actions/executors/edit-metadata.ts. */
  | { readonly type: 'edit'; readonly edits: ReadonlyArray<{ readonly uid: string; readonly edit: MetadataEdit }> };

/** The Edit menu's name for an operation: "Undo Favourite", "Redo Add to Album". */
export function labelOf(op: Operation): string {
  switch (op.type) {
    case 'favorite':
      return op.value ? 'Favourite' : 'Unfavourite';
    case 'private':
      return op.value ? 'Make Private' : 'Make Public';
    case 'approve':
      return 'Approve';
    case 'title':
      return 'Rename Photo';
    case 'archive':
      return op.value ? 'Archive' : 'Restore';
    case 'add':
      return 'Add to Album';
    case 'remove':
      return 'Remove from Album';
    case 'create-album':
      return 'New Album';
    case 'rename-album':
      return 'Rename Album';
    case 'delete-album':
      return 'Delete Album';
    case 'edit':
      return 'Edit Info';
    case 'primary':
      return 'Choose Primary Version';
    case 'unstack':
      return 'Unstack';
  }
}

const Uids = z.array(z.string().max(64)).max(MAX_ACTION_UIDS);
const AlbumRef = z.string().max(64);

/** An operation as stored in the offline queue: plain JSON (an archive's memberships as pairs). */
const StoredOperation = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['favorite', 'private']), uids: Uids, value: z.boolean() }).strict(),
  z.object({ type: z.literal('approve'), uids: Uids }).strict(),
  z
    .object({ type: z.literal('title'), titles: z.array(z.object({ uid: z.string().max(64), title: z.string().max(1000) }).strict()) })
    .strict(),
  z
    .object({
      type: z.literal('archive'),
      uids: Uids,
      value: z.boolean(),
      memberships: z.array(z.tuple([AlbumRef, Uids])).optional(),
    })
    .strict(),
  z.object({ type: z.enum(['add', 'remove']), albumUid: AlbumRef, uids: Uids }).strict(),
  z.object({ type: z.literal('create-album'), title: z.string().max(1000), uids: Uids, replaces: AlbumRef.optional() }).strict(),
  z.object({ type: z.literal('rename-album'), albumUid: AlbumRef, title: z.string().max(1000) }).strict(),
  z.object({ type: z.literal('delete-album'), albumUid: AlbumRef }).strict(),
  // No "nothing to change" rule here: a queued row that no longer parses is dropped, and an edit must never be.
  z
    .object({
      type: z.literal('edit'),
      edits: z.array(z.object({ uid: z.string().max(64), edit: MetadataFields.partial().strict() }).strict()).max(MAX_ACTION_UIDS),
    })
    .strict(),
]);
type StoredOperation = z.infer<typeof StoredOperation>;

/** Operations to and from the JSON the offline queue keeps (validated on the way back). */
export const OperationJson = {
  schema: StoredOperation,
  encode(op: Operation): StoredOperation {
    if (op.type === 'archive') {
      const { memberships, ...rest } = op;
      return { ...rest, uids: [...rest.uids], ...(memberships ? { memberships: [...memberships].map(([a, p]) => [a, [...p]]) } : {}) };
    }
    return JSON.parse(JSON.stringify(op)) as StoredOperation;
  },
  decode(stored: StoredOperation): Operation {
    if (stored.type === 'archive') {
      const { memberships, ...rest } = stored;
      return memberships ? { ...rest, memberships: new Map(memberships) } : rest;
    }
    if (stored.type === 'create-album') {
      const { replaces, ...rest } = stored;
      return replaces !== undefined ? { ...rest, replaces } : rest;
    }
    return stored;
  },
};
