import { describe, expect, it } from 'vitest';
import type { BrowseItem } from '../../../shared/library/schemas';
import { browseLevel } from '../../../renderer/lib/browse-tree';

const item = (key: string, title: string, subtitle: string, group = ''): BrowseItem => ({
  key,
  title,
  subtitle,
  group,
  photoCount: 3,
  coverUid: null,
  cached: true,
});

describe('browse levels', () => {
  const places = [
    item('country:fr', 'France', '', 'Countries'),
    item('country:pt', 'Portugal', '', 'Countries'),
    item('as1', 'Île-de-France', 'France', 'France'),
    item('as2', 'Lisbon', 'Portugal', 'Portugal'),
    item('city:fr:paris', 'Paris', 'Île-de-France', 'France'),
    item('city:fr:lyon', 'Lyon', 'Auvergne-Rhône-Alpes', 'France'),
  ];

  it('Places: countries at the top lead to a level with the whole country, its cities and its states', () => {
    const top = browseLevel('places', places, '');
    expect(top.groups.map((g) => [g.title, g.entries.map((e) => [e.title, e.at])])).toEqual([
      [
        'Countries',
        [
          ['France', 'country:fr'],
          ['Portugal', 'country:pt'],
        ],
      ],
    ]);
    const france = browseLevel('places', places, 'country:fr');
    expect(france.title).toBe('France');
    expect(france.crumbs).toEqual([{ at: '', title: 'Places' }]);
    expect(france.groups.map((g) => [g.title, g.entries.map((e) => e.title)])).toEqual([
      ['', ['All of France']],
      ['Cities', ['Paris', 'Lyon']],
      ['States and regions', ['Île-de-France']],
    ]);
    // Every card of a country's level opens photos.
    expect(france.groups.flatMap((g) => g.entries).every((e) => e.item !== null && e.at === null)).toBe(true);
  });

  it('Folders: a tree from the paths, a folder with subfolders shows its own photos first', () => {
    const folders = [
      item('a1', 'Holiday', 'Holiday'),
      item('a2', 'Beach', 'Holiday/Beach'),
      item('a3', 'March 2024', '2024/03'),
      item('a4', 'April 2024', '2024/04'),
      item('a5', 'Day 1', '2024/04/day1'),
    ];
    const top = browseLevel('folders', folders, '');
    expect(top.groups[0]?.entries.map((e) => [e.title, e.subtitle, e.at])).toEqual([
      ['Holiday', '2 folders', 'Holiday'],
      ['2024', '2 folders', '2024'],
    ]);
    const year = browseLevel('folders', folders, '2024');
    expect(year.crumbs).toEqual([{ at: '', title: 'Folders' }]);
    expect(year.groups[0]?.entries.map((e) => [e.title, e.at])).toEqual([
      ['March 2024', null],
      ['04', '2024/04'],
    ]);
    const april = browseLevel('folders', folders, '2024/04');
    expect(april.crumbs).toEqual([
      { at: '', title: 'Folders' },
      { at: '2024', title: '2024' },
    ]);
    expect(april.groups[0]?.entries.map((e) => [e.title, e.item?.key ?? null])).toEqual([
      ['Photos in April 2024', 'a4'],
      ['Day 1', 'a5'],
    ]);
    // A folder that went away shows the top.
    expect(browseLevel('folders', folders, '1999').crumbs).toEqual([]);
  });

  it('other pages are one level, grouped as listed', () => {
    const level = browseLevel('calendar', [item('a1', 'May 2024', '', '2024'), item('a2', 'May 2023', '', '2023')], '');
    expect(level.groups.map((g) => g.title)).toEqual(['2024', '2023']);
  });
});
