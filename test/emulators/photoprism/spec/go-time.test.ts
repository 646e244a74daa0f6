import { describe, expect, it } from 'vitest';
import { goTime } from '../util';

/** Go's RFC 3339 for `time.Time` in UTC, from toISOString (what goTime computes by arithmetic). */
function fromIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0*Z$/, 'Z');
}

describe('goTime (Go time.Time JSON, PhotoPrism internal/entity times)', () => {
  it('writes the fraction without trailing zeros, and none when it is zero', () => {
    expect(goTime(Date.UTC(2024, 11, 13, 9, 5, 7))).toBe('2024-12-13T09:05:07Z');
    expect(goTime(Date.UTC(2024, 11, 13, 9, 5, 7, 100))).toBe('2024-12-13T09:05:07.1Z');
    expect(goTime(Date.UTC(2024, 11, 13, 9, 5, 7, 120))).toBe('2024-12-13T09:05:07.12Z');
    expect(goTime(Date.UTC(2024, 11, 13, 9, 5, 7, 50))).toBe('2024-12-13T09:05:07.05Z');
    expect(goTime(Date.UTC(2024, 11, 13, 9, 5, 7, 7))).toBe('2024-12-13T09:05:07.007Z');
    expect(goTime(Date.UTC(2024, 11, 13, 23, 59, 59, 999))).toBe('2024-12-13T23:59:59.999Z');
  });

  it('agrees with the calendar on day edges, before 1970 and across a wide range', () => {
    const edges = [0, -1, 1, 86_399_999, 86_400_000, -86_400_000, -62_135_596_800_000, 253_402_300_799_999];
    // A fixed walk of odd steps: every millisecond digit, hour and many days (no randomness).
    const walk = Array.from({ length: 20_000 }, (_, i) => -2_000_000_000_000 + i * 211_111_111_117);
    for (const ms of [...edges, ...walk]) expect(goTime(ms), String(ms)).toBe(fromIso(ms));
  });
});
