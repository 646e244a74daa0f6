import { expect, test } from 'vitest';
import { zoneOffsetAtInstantMs, zoneOffsetAtWallTimeMs } from '../../shared/time-zone';

const HOUR_MS = 60 * 60 * 1000;

test('the offset at an instant follows daylight saving time', () => {
  expect(zoneOffsetAtInstantMs('Europe/Lisbon', Date.parse('2024-01-15T12:00:00Z'))).toBe(0);
  expect(zoneOffsetAtInstantMs('Europe/Lisbon', Date.parse('2024-07-15T12:00:00Z'))).toBe(HOUR_MS);
  expect(zoneOffsetAtInstantMs('America/New_York', Date.parse('2024-07-15T12:00:00.750Z'))).toBe(-4 * HOUR_MS);
});

test('a wall-clock time just after the spring change gets the summer offset, not the winter guess', () => {
  // 2024-03-31 in Lisbon: 01:00 became 02:00. 03:30 local is summer time (UTC+1), 00:30 is winter.
  expect(zoneOffsetAtWallTimeMs('Europe/Lisbon', Date.parse('2024-03-31T03:30:00Z'))).toBe(HOUR_MS);
  expect(zoneOffsetAtWallTimeMs('Europe/Lisbon', Date.parse('2024-03-31T00:30:00Z'))).toBe(0);
  // New York, 2024-03-10 02:00 → 03:00: 01:30 local is EST, 03:30 EDT.
  expect(zoneOffsetAtWallTimeMs('America/New_York', Date.parse('2024-03-10T01:30:00Z'))).toBe(-5 * HOUR_MS);
  expect(zoneOffsetAtWallTimeMs('America/New_York', Date.parse('2024-03-10T03:30:00Z'))).toBe(-4 * HOUR_MS);
});

test('an unknown zone has no offset (the caller keeps what it had)', () => {
  expect(zoneOffsetAtInstantMs('Mars/Olympus_Mons', 0)).toBeUndefined();
  expect(zoneOffsetAtWallTimeMs('Mars/Olympus_Mons', 0)).toBeUndefined();
});
