import { describe, expect, test } from 'vitest';
import { MAX_RECENT_COMMANDS, RecentCommands, matchTier, rankPalette, type RankableRow } from '../../../renderer/lib/palette-ranking';

const rows: RankableRow[] = [
  { id: 'app.settings', label: 'Settings…', group: 'Go to' },
  { id: 'photo.favourite', label: 'Favourite', group: 'Actions' },
  { id: 'photo.addToAlbum', label: 'Add to Album…', group: 'Actions' },
  { id: 'album.new', label: 'New Album…', group: 'Actions' },
  { id: 'view.albums', label: 'Albums', group: 'Go to' },
  { id: 'go.favourites', label: 'Favourites', group: 'Go to' },
  { id: 'album:s', label: 'Summer', group: 'Albums' },
  { id: 'album:ns', label: 'New Summer', group: 'Albums' },
  { id: 'album:a', label: 'Alps', group: 'Albums' },
];

const flat = (query: string, recent: string[] = []) =>
  rankPalette(rows, query, recent).flatMap((section) => section.rows.map((row) => row.id));
const titles = (query: string, recent: string[] = []) => rankPalette(rows, query, recent).map((section) => section.title);

describe('palette ranking', () => {
  test('with nothing typed: Recent first (newest first), then Actions, Go to, Albums without the recent rows', () => {
    expect(titles('')).toEqual(['Actions', 'Go to', 'Albums']);
    const sections = rankPalette(rows, '', ['album:a', 'photo.favourite', 'gone.command']);
    expect(sections.map((section) => section.title)).toEqual(['Recent', 'Actions', 'Go to', 'Albums']);
    expect(sections[0]?.rows.map((row) => row.id)).toEqual(['album:a', 'photo.favourite']);
    expect(sections.flatMap((section) => section.rows).filter((row) => row.id === 'photo.favourite')).toHaveLength(1);
  });

  test('an album that starts with what was typed comes before Settings', () => {
    // Summer and Settings start with it, New Summer has a word that does, the rest have an s
    // somewhere; a section keeps its rows together, after its best one.
    expect(flat('s')).toEqual(['album:s', 'album:ns', 'album:a', 'app.settings', 'view.albums', 'go.favourites']);
    expect(titles('s')[0]).toBe('Albums');
  });

  test('an exact match beats a prefix match, a prefix beats a word start, a word start beats anywhere', () => {
    expect(flat('favourite')).toEqual(['photo.favourite', 'go.favourites']);
    expect(flat('summer')).toEqual(['album:s', 'album:ns']);
    expect(matchTier('Albums', 'Go to', 'albums')).toBe(0);
    expect(matchTier('Add to Album…', 'Actions', 'add')).toBe(1);
    expect(matchTier('Add to Album…', 'Actions', 'album')).toBe(2);
    expect(matchTier('Add to Album…', 'Actions', 'lbu')).toBe(3);
    expect(matchTier('Favourite', 'Actions', 'actions')).toBe(4);
    expect(matchTier('Favourite', 'Actions', 'zebra')).toBeNull();
    expect(matchTier('Éclair', 'Albums', 'ecl')).toBe(1);
  });

  test('a recently used command goes first among equal matches, and sections follow their best row', () => {
    // The albums themselves come last: they match only by their section's name.
    expect(flat('album')).toEqual(['view.albums', 'photo.addToAlbum', 'album.new', 'album:s', 'album:ns', 'album:a']);
    expect(flat('album', ['album.new']).slice(0, 3)).toEqual(['view.albums', 'album.new', 'photo.addToAlbum']);
    expect(titles('album')).toEqual(['Go to', 'Actions', 'Albums']);
    expect(flat('fav', ['go.favourites'])[0]).toBe('go.favourites');
  });
});

describe('recent commands', () => {
  function memoryStorage(initial: Record<string, string> = {}) {
    const data = new Map(Object.entries(initial));
    return { getItem: (key: string) => data.get(key) ?? null, setItem: (key: string, value: string) => void data.set(key, value) };
  }

  test('newest first, each once, at most a few, and kept in storage for the next launch', () => {
    const storage = memoryStorage();
    const recent = new RecentCommands(storage);
    for (const id of ['a', 'b', 'a', 'c', 'd', 'e', 'f', 'g']) recent.note(id);
    expect(recent.ids()).toEqual(['g', 'f', 'e', 'd', 'c'].slice(0, MAX_RECENT_COMMANDS));
    expect(new RecentCommands(storage).ids()).toEqual(recent.ids());
  });

  test('unreadable or failing storage gives an empty list, never an error', () => {
    expect(new RecentCommands(memoryStorage({ paletteRecentCommands: '{not json' })).ids()).toEqual([]);
    expect(new RecentCommands(memoryStorage({ paletteRecentCommands: '{"a":1}' })).ids()).toEqual([]);
    const failing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    const recent = new RecentCommands(failing);
    expect(() => recent.note('a')).not.toThrow();
    expect(recent.ids()).toEqual([]);
    expect(new RecentCommands(undefined).ids()).toEqual([]);
  });
});
