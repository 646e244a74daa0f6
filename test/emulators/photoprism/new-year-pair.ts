import type { PhotoPrismAdmin } from './admin';

/**
 * The pair of photos that tells local time from UTC, as tests across the suite need it:
 * `newYork` taken at 23:30 on 31 Dec 2030 in New York (UTC−5) = 04:30 UTC on 1 Jan 2031;
 * `berlin` taken at 01:00 on 1 Jan 2031 in Berlin (UTC+1) = 00:00 UTC. By UTC `newYork` is the
 * newer one and falls in January; where they were taken, `berlin` is newer and `newYork` belongs
 * to December. Both are newer than any generated photo, so they lead a newest-first listing.
 */
export function placeAcrossNewYear(admin: PhotoPrismAdmin, uids: { readonly newYork: string; readonly berlin: string }): void {
  admin.updatePhoto(uids.newYork, {
    TakenAt: '2031-01-01T04:30:00Z',
    TakenAtLocal: '2030-12-31T23:30:00Z',
    TimeZone: 'America/New_York',
    Year: 2030,
    Month: 12,
    Day: 31,
  });
  admin.updatePhoto(uids.berlin, {
    TakenAt: '2031-01-01T00:00:00Z',
    TakenAtLocal: '2031-01-01T01:00:00Z',
    TimeZone: 'Europe/Berlin',
    Year: 2031,
    Month: 1,
    Day: 1,
  });
}
