import { renameSync } from 'node:fs';

/**
 * A file name stamp for `now` that every file system accepts: `2026-11-30T06-31-05-123Z`
 * (ISO 8601 with `:` and `.` replaced, so Finder and Windows shares show it as written).
 */
export function fileStamp(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/[:.]/g, '-');
}

/**
 * Move a damaged file out of the way, keeping it for diagnosis: `settings.json` becomes
 * `settings.json.bad-<stamp>`, `photoflare.db` becomes `photoflare.db.damaged-<stamp>`.
 * Answers with the new path. Throws what rename throws (the caller decides what that means).
 */
export function setAside(path: string, label: string, nowMs: number): string {
  const target = `${path}.${label}-${fileStamp(nowMs)}`;
  renameSync(path, target);
  return target;
}
