import { extname } from 'node:path';

/**
 * A name not yet taken in the target folder, the way Finder names a copy: `IMG_1.jpg`, then
 * `IMG_1 (2).jpg`, `IMG_1 (3).jpg`. `taken` answers for names on disk and names this export
 * already gave out (compared without case: APFS is case-insensitive by default).
 */
export function uniqueName(name: string, taken: (candidate: string) => boolean): string {
  if (!taken(name)) return name;
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!taken(candidate)) return candidate;
  }
}

/**
 * A file name safe on macOS from a server's name or an album title: the last path segment,
 * no `/` or `:` (Finder shows `:` as `/`), no control characters, not hidden, not empty.
 */
export function safeFileName(raw: string, fallback: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  // Control characters (U+0000–U+001F, U+007F) and ':' become '-'.
  const cleaned = last
    .replace(/[\p{Cc}:]/gu, '-')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200);
  return cleaned.length > 0 ? cleaned : fallback;
}
