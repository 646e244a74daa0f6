import { describe, expect, it } from 'vitest';
import { safeFileName, uniqueName } from '../../../main/export/unique-name';

describe('uniqueName: a copy is named like Finder names it', () => {
  it('keeps a free name and numbers a taken one from 2, before the extension', () => {
    const taken = new Set(['img_1.jpg', 'img_1 (2).jpg', 'notes']);
    const isTaken = (name: string) => taken.has(name.toLowerCase());
    expect(uniqueName('IMG_2.jpg', isTaken)).toBe('IMG_2.jpg');
    expect(uniqueName('IMG_1.jpg', isTaken)).toBe('IMG_1 (3).jpg');
    expect(uniqueName('IMG_1.JPG', isTaken)).toBe('IMG_1 (3).JPG');
    expect(uniqueName('notes', isTaken)).toBe('notes (2)');
  });

  it('makes a server name or album title safe for a Mac folder', () => {
    expect(safeFileName('2024/05/IMG_1.jpg', 'x')).toBe('IMG_1.jpg');
    expect(safeFileName('../../etc/passwd', 'x')).toBe('passwd');
    expect(safeFileName('..', 'fallback.bin')).toBe('fallback.bin');
    expect(safeFileName('Trip: Rome\u0000', 'x')).toBe('Trip- Rome-');
  });
});
