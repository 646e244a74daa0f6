import { describe, expect, it } from 'vitest';
import type { ActivityEntry, SyncEvent } from '../../../shared/events/schema';
import { groupActivity } from '../../../renderer/lib/activity-groups';

const photos = { event: 'photos.updated', data: { entities: [{ UID: 'p000000000000001' }] } } as SyncEvent;
const album = { event: 'albums.updated', data: { entities: [{ UID: 'a000000000000001' }] } } as SyncEvent;

function entry(id: string, event: SyncEvent | null, extra: Partial<ActivityEntry> = {}): ActivityEntry {
  return { id, event, origin: 'local', status: 'pushed', createdAt: 0, summary: id, groupId: null, companion: false, ...extra };
}

describe('Activity lines', () => {
  it('shows one line per action, with every event it appended, in append order', () => {
    // Newest first, as the log answers: the companion album event was appended last.
    const lines = groupActivity([
      entry('album-companion', album, { groupId: 'g1', companion: true, summary: 'Changed 1 album' }),
      entry('add', photos, { groupId: 'g1', summary: 'Added 1 photo to “Trip”' }),
      entry('older', photos, { summary: 'Favourited 1 photo' }),
    ]);
    expect(lines.map((l) => l.entry.summary)).toEqual(['Added 1 photo to “Trip”', 'Favourited 1 photo']);
    expect(lines[0]?.events).toEqual([photos, album]);
  });

  it('keeps events without a group, remote ones and quarantined ones, as lines of their own', () => {
    const lines = groupActivity([entry('a', photos, { origin: 'remote' }), entry('b', null, { origin: 'remote', status: 'quarantined' })]);
    expect(lines.map((l) => l.events)).toEqual([[photos], [null]]);
  });
});
