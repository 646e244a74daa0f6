/**
 * The curation operations main can run against PhotoPrism, as plain values.
 *
 * An action the user asks for, its undo and its redo are all one of these: running an
 * operation answers its result AND the operation that would reverse what it actually did
 * (computed from the cache's state before it ran, for the items the server accepted). So undo
 * is "run the recorded inverse", and redo is "run the inverse of the undo" — each a full action
 * with its own server requests, cache update and event. See [Note: Undo is an action].
 */
import type { MetadataEdit } from '../../shared/library/metadata';

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
  }
}
