/**
 * Words and numbers for people, in the system locale.
 *
 * When a photo was taken is shown as the wall-clock time WHERE it was taken (`takenAtLocal`,
 * `YYYY-MM-DDTHH:MM:SS` without a zone; see [Note: TakenAtLocal is not UTC] in
 * main/library/photo-mapping.ts): its digits are formatted as if in UTC, so no conversion to the
 * viewer's zone moves 23:30 on 31 December into January.
 */

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortMonthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' });
const takenFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' });
const whenFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const numberFormat = new Intl.NumberFormat();

/** `2024-03` → "March 2024". */
export function monthLabel(month: string): string {
  const date = monthDate(month);
  return date ? monthFormat.format(date) : month;
}

/** `2024-03` → "Mar". */
export function shortMonthLabel(month: string): string {
  const date = monthDate(month);
  return date ? shortMonthFormat.format(date) : month;
}

/** When a photo was taken (its local wall-clock time, `YYYY-MM-DDTHH:MM:SS`), long form, or "Unknown date". */
export function takenLabel(localWallTime: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)/.exec(localWallTime);
  // PhotoPrism's zero time (year 1) means "unknown".
  if (!match?.[1] || match[1].startsWith('0001-')) return 'Unknown date';
  const ms = Date.parse(`${match[1]}Z`);
  return Number.isNaN(ms) ? 'Unknown date' : takenFormat.format(ms);
}

/** A local moment (epoch ms), for "as of …". */
export function momentLabel(epochMs: number): string {
  return whenFormat.format(epochMs);
}

/** 12345 → "12,345" (locale grouping). */
export function countLabel(count: number): string {
  return numberFormat.format(count);
}

/** "1 photo", "12,345 photos". */
export function photosLabel(count: number): string {
  return `${countLabel(count)} ${count === 1 ? 'photo' : 'photos'}`;
}

/** Bytes in the units Finder uses (decimal). */
export function bytesLabel(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit] ?? 'TB'}`;
}

/**
 * How long a video plays, as Photos writes it on a tile: "0:07", "0:42", "12:05", "1:02:03".
 * Rounded to the nearest second, but never "0:00" for a clip that has any length.
 */
export function durationLabel(durationMs: number): string {
  const total = Math.max(durationMs > 0 ? 1 : 0, Math.round(durationMs / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** Host (and port) of a server URL, for compact account lines. */
export function hostLabel(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function monthDate(month: string): Date | null {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return null;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}
