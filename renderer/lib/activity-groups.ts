import type { ActivityEntry, SyncEvent } from '../../shared/events/schema';

/** One line of the Activity view: an action (or a remote event) and every event it made. */
export interface ActivityLine {
  /** The entry whose sentence, origin, status and time the line shows. */
  readonly entry: ActivityEntry;
  /** The synced events of the line, in the order they were appended (null: quarantined). */
  readonly events: readonly (SyncEvent | null)[];
}

/**
 * Fold the log (newest first) into one line per action: an album edit appends `photos.updated`
 * and a companion `albums.updated`; a person did one thing, so they see one sentence, with both
 * events under it — both are what went to iCloud.
 */
export function groupActivity(entries: readonly ActivityEntry[]): ActivityLine[] {
  const lines: { entry: ActivityEntry; events: (SyncEvent | null)[] }[] = [];
  const byGroup = new Map<string, { entry: ActivityEntry; events: (SyncEvent | null)[] }>();
  for (const entry of entries) {
    const group = entry.groupId === null ? undefined : byGroup.get(entry.groupId);
    if (group) {
      // Entries arrive newest first; events are shown in the order they were appended.
      group.events.unshift(entry.event);
      if (group.entry.companion && !entry.companion) group.entry = entry;
      continue;
    }
    const line = { entry, events: [entry.event] };
    lines.push(line);
    if (entry.groupId !== null) byGroup.set(entry.groupId, line);
  }
  return lines;
}
