import type { EventName, EventOrigin, LocalAction } from '../../shared/events/schema';

/**
 * A sentence for the Activity view, as a person would say it.
 *
 * Local events know what the user did (`action`, `detail` = the album title). Remote events know
 * their synced name and how many items they touch; when this device saw what their refresh
 * changed, they carry an action too (see [Note: What happened on another device]).
 */
export function describeEvent(input: {
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- documents the known names; others are allowed
  name: EventName | string;
  count: number;
  origin: EventOrigin;
  action: LocalAction | null;
  detail: string | null;
}): string {
  const sentence = describeAction(input);
  // A remote event's action is what this device saw change (see [Note: What happened on another device]).
  if (sentence !== null) return input.origin === 'remote' ? `${sentence} on another device` : sentence;
  const where = input.origin === 'remote' ? ' on another device' : '';
  const photos = plural(input.count, 'photo');
  const albums = plural(input.count, 'album');
  switch (input.name) {
    case 'photos.updated':
      return `Changed ${photos}${where}`;
    case 'photos.archived':
      return `Archived ${photos}${where}`;
    case 'photos.restored':
      return `Restored ${photos}${where}`;
    case 'photos.deleted':
      return `Deleted ${photos}${where}`;
    case 'albums.created':
      return `Created ${albums}${where}`;
    case 'albums.updated':
      return `Changed ${albums}${where}`;
    case 'albums.deleted':
      return `Deleted ${albums}${where}`;
    default:
      return `Ignored an unreadable event${where}`;
  }
}

/** The sentence for a known action ("Favourited 3 photos"), or null without one. */
function describeAction(input: { count: number; action: LocalAction | null; detail: string | null }): string | null {
  const photos = plural(input.count, 'photo');
  const album = input.detail ? `“${input.detail}”` : 'an album';
  switch (input.action) {
    case 'favourite':
      return `Favourited ${photos}`;
    case 'unfavourite':
      return `Removed ${photos} from Favourites`;
    case 'make-private':
      return `Made ${photos} private`;
    case 'make-public':
      return `Made ${photos} public`;
    case 'approve':
      return `Approved ${photos} from Review`;
    case 'archive':
      return `Archived ${photos}`;
    case 'restore':
      return `Restored ${photos} from the Archive`;
    case 'add-to-album':
      return `Added ${photos} to ${album}`;
    case 'remove-from-album':
      return `Removed ${photos} from ${album}`;
    case 'create-album':
      return `Created the album ${album}`;
    case 'rename-album':
      return `Renamed an album to ${album}`;
    case 'delete-album':
      return `Deleted the album ${album}`;
    case 'delete-photos':
      return `Deleted ${photos}`;
    case null:
      return null;
  }
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
