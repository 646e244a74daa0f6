import { describe, expect, it, test } from 'vitest';
import { durationLabel, takenLabel } from '../../../renderer/lib/format';

describe('takenLabel', () => {
  test('shows the wall-clock time where the photo was taken, whatever zone the viewer is in', () => {
    // 23:30 on 31 December (in New York): never 1 January, never a shifted hour.
    const label = takenLabel('2030-12-31T23:30:00');
    expect(label).toMatch(/2030/);
    expect(label).toMatch(/31/);
    expect(label).toMatch(/December|Dec|12/);
    expect(label).toMatch(/11:30|23:30/);
    expect(label).not.toMatch(/2031/);
  });

  test('says "Unknown date" for PhotoPrism’s zero time and for garbage', () => {
    expect(takenLabel('0001-01-01T00:00:00')).toBe('Unknown date');
    expect(takenLabel('')).toBe('Unknown date');
    expect(takenLabel('not a date')).toBe('Unknown date');
  });
});

describe('durationLabel', () => {
  it('writes durations as Photos does on a tile', () => {
    expect(durationLabel(42_000)).toBe('0:42');
    expect(durationLabel(7_400)).toBe('0:07');
    expect(durationLabel(725_000)).toBe('12:05');
    expect(durationLabel(3_723_000)).toBe('1:02:03');
    // A clip shorter than half a second is still a clip.
    expect(durationLabel(300)).toBe('0:01');
    expect(durationLabel(0)).toBe('0:00');
  });
});
