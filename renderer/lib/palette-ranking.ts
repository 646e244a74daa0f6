import { fold } from './filter';

/**
 * [Note: Palette ranking]
 *
 * The ⌘K palette shows its rows in sections. With nothing typed: the commands used last
 * ("Recent", newest first, remembered across launches), then Actions, Go to and Albums in
 * their own order. While typing, each row that matches gets a rank, best first:
 * 1. how the label matches — the whole label, then the label's start, then a word's start,
 *    then anywhere (every typed word must appear); a row found only through its section's name
 *    ("album" lists the albums) comes last;
 * 2. among equal matches, a recently used command first (newest first);
 * 3. then albums, places (Go to), actions, and Settings last: typing "s" is far more often
 *    an album called "Summer" than the settings window;
 * 4. then the palette's own order.
 * Sections keep their rows together and follow their best row, so the best match is always
 * the first row, where Return runs it.
 */

export type PaletteSectionTitle = 'Recent' | 'Actions' | 'Go to' | 'Albums';

/** The part of a palette row the ranking reads. */
export interface RankableRow {
  readonly id: string;
  readonly label: string;
  readonly group: Exclude<PaletteSectionTitle, 'Recent'>;
}

export interface PaletteSection<T> {
  readonly title: PaletteSectionTitle;
  readonly rows: readonly T[];
}

/** Commands that open settings rank after everything else of the same match. */
const SETTINGS_IDS: ReadonlySet<string> = new Set(['app.settings']);

const KIND_ORDER: Record<RankableRow['group'], number> = { Albums: 0, 'Go to': 1, Actions: 2 };

/** How the typed words match a label: 0 exact … 4 only through the section name; null: no match. */
export function matchTier(label: string, group: string, query: string): number | null {
  const words = fold(query)
    .split(/\s+/)
    .filter((word) => word.length > 0);
  if (words.length === 0) return 0;
  const whole = words.join(' ');
  const text = fold(label).trim();
  if (text === whole) return 0;
  if (text.startsWith(whole)) return 1;
  const starts = (of: string) => of.split(/[\s“”"'…,.:-]+/).filter((part) => part.length > 0);
  const labelStarts = starts(text);
  if (words.every((word) => text.includes(word))) return words.every((word) => labelStarts.some((part) => part.startsWith(word))) ? 2 : 3;
  // By its section: "album" also lists the albums. Only at a word's start, so one letter ("s")
  // does not list every album.
  const withGroup = [...labelStarts, ...starts(fold(group))];
  return words.every((word) => text.includes(word) || withGroup.some((part) => part.startsWith(word))) ? 4 : null;
}

/** The palette's rows in sections, ranked for what was typed (see [Note: Palette ranking]). */
export function rankPalette<T extends RankableRow>(rows: readonly T[], query: string, recentIds: readonly string[]): PaletteSection<T>[] {
  const recentAt = new Map(recentIds.map((id, index) => [id, index]));
  if (query.trim() === '') {
    const recent = recentIds.map((id) => rows.find((row) => row.id === id)).filter((row): row is T => row !== undefined);
    const sections: PaletteSection<T>[] = recent.length > 0 ? [{ title: 'Recent', rows: recent }] : [];
    for (const title of ['Actions', 'Go to', 'Albums'] as const) {
      const inSection = rows.filter((row) => row.group === title && !recentAt.has(row.id));
      if (inSection.length > 0) sections.push({ title, rows: inSection });
    }
    return sections;
  }
  const ranked: { row: T; key: number[] }[] = [];
  rows.forEach((row, order) => {
    const tier = matchTier(row.label, row.group, query);
    if (tier === null) return;
    const kind = SETTINGS_IDS.has(row.id) ? 3 : KIND_ORDER[row.group];
    ranked.push({ row, key: [tier, recentAt.get(row.id) ?? Number.MAX_SAFE_INTEGER, kind, order] });
  });
  ranked.sort((a, b) => compareKeys(a.key, b.key));
  const sections: { title: PaletteSectionTitle; rows: T[] }[] = [];
  for (const { row } of ranked) {
    const title = row.group;
    const section = sections.find((candidate) => candidate.title === title);
    if (section) section.rows.push(row);
    else sections.push({ title, rows: [row] });
  }
  return sections;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** How many recent commands the palette remembers. */
export const MAX_RECENT_COMMANDS = 5;

const RECENT_KEY = 'paletteRecentCommands';

/**
 * The commands last run from the palette, newest first, kept in the page's storage (per
 * device, like the sidebar width) so they survive a restart. Storage that is full, disabled or
 * holds something unreadable gives an empty list, never an error.
 */
export class RecentCommands {
  readonly #storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined) {
    this.#storage = storage;
  }

  ids(): string[] {
    try {
      const parsed: unknown = JSON.parse(this.#storage?.getItem(RECENT_KEY) ?? '[]');
      return Array.isArray(parsed)
        ? parsed.filter((id): id is string => typeof id === 'string' && id.length <= 200).slice(0, MAX_RECENT_COMMANDS)
        : [];
    } catch {
      return [];
    }
  }

  note(id: string): void {
    const next = [id, ...this.ids().filter((other) => other !== id)].slice(0, MAX_RECENT_COMMANDS);
    try {
      this.#storage?.setItem(RECENT_KEY, JSON.stringify(next));
    } catch {
      // Storage full or disabled: the palette simply has no recent section next time.
    }
  }
}
