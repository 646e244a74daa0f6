/**
 * Words and numbers for people, in the system locale.
 *
 * Dates from PhotoPrism are UTC ISO strings of when a photo was *taken*; we show them in UTC
 * so a photo taken at 23:30 does not jump to the next day on a laptop in another time zone.
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

/** When a photo was taken, long form, or "Unknown date". */
export function takenLabel(iso: string): string {
  const ms = Date.parse(iso);
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
