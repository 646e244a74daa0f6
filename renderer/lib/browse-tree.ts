import type { PhotoUid } from '../../shared/ids';
import type { BrowseItem, BrowseSection } from '../../shared/library/schemas';

/**
 * The levels of the browse pages that nest: Places (countries → their states and cities) and
 * Folders (a folder tree from the folders' paths). Main lists flat items (see [Note: Places are
 * countries, states and cities] in main/library/browse-service.ts); this arranges one level of
 * them. A level is addressed by `at`: '' is the top, a country's key (`country:fr`) or a folder
 * path (`2024`, `2024/03`) one further down. Other pages have one level, grouped as main says.
 */

/** One card of a level: an item opens its photos, a node goes one level down. */
export interface BrowseEntry {
  readonly key: string;
  readonly title: string;
  readonly subtitle: string;
  readonly coverUid: PhotoUid | null;
  readonly count: number | null;
  /** The item to open; null for a node. */
  readonly item: BrowseItem | null;
  /** The level a node leads to; null for an item. */
  readonly at: string | null;
}

export interface BrowseLevelGroup {
  readonly title: string;
  readonly entries: readonly BrowseEntry[];
}

/** One step of the way to a level, for the breadcrumb. */
export interface BrowseCrumb {
  readonly at: string;
  readonly title: string;
}

export interface BrowseLevel {
  readonly groups: readonly BrowseLevelGroup[];
  /** The levels above this one, top first (empty at the top). */
  readonly crumbs: readonly BrowseCrumb[];
  /** This level's name ('' at the top). */
  readonly title: string;
}

function itemEntry(item: BrowseItem, title = item.title): BrowseEntry {
  return { key: item.key, title, subtitle: item.subtitle, coverUid: item.coverUid, count: item.photoCount, item, at: null };
}

/** Items under their headings, in main's order. */
function byGroup(items: readonly BrowseItem[]): BrowseLevelGroup[] {
  const out: { title: string; entries: BrowseEntry[] }[] = [];
  for (const item of items) {
    let group = out.find((g) => g.title === item.group);
    if (!group) out.push((group = { title: item.group, entries: [] }));
    group.entries.push(itemEntry(item));
  }
  return out;
}

/** Places: countries at the top; a country: all of it, then its cities and states. */
function placesLevel(items: readonly BrowseItem[], at: string): BrowseLevel {
  const countries = items.filter((i) => i.key.startsWith('country:'));
  const country = countries.find((c) => c.key === at);
  if (!country) {
    // No countries (a server whose states name none): the flat list is all there is.
    if (countries.length === 0) return { groups: byGroup(items), crumbs: [], title: '' };
    return {
      groups: [{ title: 'Countries', entries: countries.map((c) => ({ ...itemEntry(c), item: null, at: c.key })) }],
      crumbs: [],
      title: '',
    };
  }
  const inside = items.filter((i) => i !== country && !i.key.startsWith('country:') && i.group === country.title);
  const groups: BrowseLevelGroup[] = [{ title: '', entries: [itemEntry(country, `All of ${country.title}`)] }];
  const cities = inside.filter((i) => i.key.startsWith('city:'));
  const states = inside.filter((i) => !i.key.startsWith('city:'));
  if (cities.length > 0) groups.push({ title: 'Cities', entries: cities.map((i) => itemEntry(i)) });
  if (states.length > 0) groups.push({ title: 'States and regions', entries: states.map((i) => itemEntry(i)) });
  return { groups, crumbs: [{ at: '', title: 'Places' }], title: country.title };
}

/** Folders: the folders directly inside `at`, nested ones as nodes; a folder's own photos first. */
function foldersLevel(items: readonly BrowseItem[], at: string): BrowseLevel {
  const pathOf = (item: BrowseItem): string => item.subtitle.replace(/^\/+|\/+$/g, '');
  const prefix = at === '' ? '' : `${at}/`;
  const own = at === '' ? undefined : items.find((i) => pathOf(i) === at);
  const children = new Map<string, { item: BrowseItem | undefined; descendants: BrowseItem[] }>();
  for (const item of items) {
    const path = pathOf(item);
    if (path === '' || !path.startsWith(prefix) || path === at) continue;
    const rest = path.slice(prefix.length);
    const segment = rest.split('/')[0] ?? rest;
    const child = `${prefix}${segment}`;
    let entry = children.get(child);
    if (!entry) children.set(child, (entry = { item: undefined, descendants: [] }));
    if (rest === segment) entry.item = item;
    else entry.descendants.push(item);
  }
  const entries: BrowseEntry[] = [];
  if (own) entries.push(itemEntry(own, `Photos in ${own.title}`));
  for (const [path, { item, descendants }] of children) {
    if (descendants.length === 0 && item) {
      entries.push(itemEntry(item));
      continue;
    }
    const name = path.slice(prefix.length);
    const inner =
      (item ? 1 : 0) +
      new Set(
        descendants.map(
          (d) =>
            pathOf(d)
              .slice(path.length + 1)
              .split('/')[0],
        ),
      ).size;
    entries.push({
      key: `folder:${path}`,
      title: name,
      subtitle: `${inner} ${inner === 1 ? 'folder' : 'folders'}`,
      coverUid: item?.coverUid ?? descendants.find((d) => d.coverUid !== null)?.coverUid ?? null,
      count: null,
      item: null,
      at: path,
    });
  }
  const parts = at === '' ? [] : at.split('/');
  const crumbs: BrowseCrumb[] = [
    { at: '', title: 'Folders' },
    ...parts.slice(0, -1).map((_, i) => ({ at: parts.slice(0, i + 1).join('/'), title: parts[i] ?? '' })),
  ];
  return { groups: [{ title: '', entries }], crumbs: at === '' ? [] : crumbs, title: parts[parts.length - 1] ?? '' };
}

/** One level of a browse page. An `at` that no longer exists shows the top. */
export function browseLevel(section: BrowseSection, items: readonly BrowseItem[], at: string): BrowseLevel {
  if (section === 'places') return placesLevel(items, at);
  if (section === 'folders') {
    const known =
      at === '' || items.some((i) => i.subtitle.replace(/^\/+/, '').startsWith(`${at}/`) || i.subtitle.replace(/^\/+|\/+$/g, '') === at);
    return foldersLevel(items, known ? at : '');
  }
  return { groups: byGroup(items), crumbs: [], title: '' };
}
