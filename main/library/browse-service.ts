import { isAppError } from '../../shared/errors';
import { BrowseSection, type BrowseList, type BrowseOpened, type BrowseSummary } from '../../shared/library/schemas';
import { slug } from '../../shared/library/search-query';
import type { EventHub } from '../ipc/event-hub';
import type { Logger } from '../log/logger';
import type { PhotoPrismClient, SearchPage, SearchParams } from '../photoprism/client';
import type { Clock } from '../platform/clock';
import type { ConnectionService } from '../photoprism/connection-service';
import type { BrowseItemRecord, BrowseRepo } from './browse-repo';
import type { LibraryRepo } from './library-repo';
import type { LibraryService } from './library-service';
import { allPages, type PageWindow } from '../photoprism/paging';
import { ForegroundWork } from '../platform/foreground-work';

export interface BrowseServiceOptions {
  readonly repo: BrowseRepo;
  readonly libraryRepo: LibraryRepo;
  readonly library: LibraryService;
  readonly connection: ConnectionService;
  readonly events: EventHub;
  readonly clock: Clock;
  readonly log: Logger;
  /** A page listed longer ago than this is listed again when shown (while online). */
  readonly listMaxAgeMs?: number;
  /** After listing a page, this many of its items have their photos listed ahead (counts, offline use). */
  readonly prefetchItems?: number;
  /** Items per request when listing a page. */
  readonly pageSize?: number;
  /** Requests for the screen, which listing ahead yields to (shared with thumbnails; see [Note: Background work yields to what is on screen]). */
  readonly foreground?: ForegroundWork;
}

/** While listing items ahead, `browse.changed` goes out after this many. */
const PREFETCH_NOTIFY_EVERY = 5;

/** Country names for place headings, as PhotoPrism's maps package spells the common ones. */
const COUNTRY_NAMES: Record<string, string> = {
  at: 'Austria',
  au: 'Australia',
  be: 'Belgium',
  br: 'Brazil',
  ca: 'Canada',
  ch: 'Switzerland',
  cn: 'China',
  de: 'Germany',
  dk: 'Denmark',
  es: 'Spain',
  fi: 'Finland',
  fr: 'France',
  gb: 'United Kingdom',
  gr: 'Greece',
  ie: 'Ireland',
  in: 'India',
  is: 'Iceland',
  it: 'Italy',
  jp: 'Japan',
  mx: 'Mexico',
  nl: 'Netherlands',
  no: 'Norway',
  nz: 'New Zealand',
  pl: 'Poland',
  pt: 'Portugal',
  se: 'Sweden',
  us: 'USA',
  za: 'South Africa',
};

/**
 * A city's part of a browse key: its slug (`BrowseKey` allows a-z, 0-9, `-`), or for a name
 * without Latin letters (東京) its code points in hex.
 */
function cityKey(city: string): string {
  const s = slug(city);
  if (s !== '') return s.slice(0, 60);
  return Array.from(city, (ch) => ch.codePointAt(0)?.toString(16) ?? '')
    .join('-')
    .slice(0, 60);
}

/**
 * The file hash of a person's cover. PhotoPrism's subject `Thumb` is a marker thumb: the file
 * hash, a dash and the face's crop area (PhotoPrism internal/thumb/crop/area.go, Area.Thumb), so
 * the cover photo is the one whose file has that hash.
 */
export function markerFileHash(thumb: string): string {
  return /^[0-9a-f]{40}-/.test(thumb) ? thumb.slice(0, 40) : thumb;
}

/**
 * The browse pages (People, Places, Labels, Calendar, Moments, Folders): their items and each
 * item's photos, cached so they show offline.
 *
 * [Note: Browse items are saved searches]
 * PhotoPrism exposes these pages as lists (docs/photoprism-api.md §12): people from
 * `/subjects`, labels from `/labels`, and calendar months, places (states), folders and moments
 * as albums of type month/state/folder/moment whose `Filter` is a saved photo search — a photo
 * search with `s=<album UID>` runs it. So an item is stored with the search that lists its
 * photos (`subject=…`, `label=…`, `s=…`, `country=…`); opening it lists them through the
 * library's refresh queue into the photo cache and remembers the UIDs, and the grid reads those
 * from the cache like an album. Generated albums report PhotoCount 0, so their counts are the
 * number listed; after a page is listed its first items are listed ahead, for counts and for
 * offline use. Browse grids add the Library's own conditions (`public`, `quality=3`, see
 * [Note: What each view shows]) so a person's page never shows what Library hides.
 */
export class BrowseService {
  readonly #o: Required<BrowseServiceOptions>;
  readonly #listing = new Map<BrowseSection, Promise<void>>();
  #listingAll: Promise<void> | undefined;
  #disposed = false;

  constructor(options: BrowseServiceOptions) {
    this.#o = {
      listMaxAgeMs: 5 * 60 * 1000,
      prefetchItems: 40,
      pageSize: 500,
      foreground: new ForegroundWork({ clock: options.clock }),
      ...options,
    };
  }

  dispose(): void {
    this.#disposed = true;
  }

  /**
   * The sidebar's counts: items per page, and videos in the cache. While online, pages never
   * listed are listed now in the background (items only, not their photos), so the sidebar has
   * counts and the pages have something offline before their first visit; `browse.changed`
   * follows each. Asked by the window, not at sign-in, so a core without one lists nothing.
   */
  summary(): BrowseSummary {
    const sections = this.#o.repo.sectionCounts();
    const unlisted = BrowseSection.options.filter((section) => sections[section] === null);
    // On a first run these lists wait for the index: the first screen's page and thumbnails
    // went to the server with them, and a busy server answered those seconds later (the
    // first-run bench's timeline). The index's end is announced (`library.changed`), and the
    // sidebar then asks again.
    if (unlisted.length > 0 && !this.#listingAll && this.#o.connection.active() && !this.#o.library.servedLive) {
      this.#listingAll = (async () => {
        for (const section of unlisted) {
          // Nobody waits on these lists (see [Note: Background work yields to what is on screen]),
          // and listing Places groups every cached photo by city on main's one thread.
          await this.#o.foreground.idle();
          if (this.#disposed || !this.#o.connection.active()) return;
          await this.refresh(section, { ahead: false }).catch(() => undefined);
        }
      })().finally(() => (this.#listingAll = undefined));
    }
    return { sections, videos: this.#o.libraryRepo.viewTotal({ kind: 'videos' }) };
  }

  /**
   * A page as cached. While online a page never listed, or listed longer ago than
   * `listMaxAgeMs`, is listed again in the background; `browse.changed` says when it is done.
   */
  list(section: BrowseSection): BrowseList {
    const cached = this.#o.repo.list(section);
    const stale = cached.fetchedAt === null || this.#o.clock.now() - cached.fetchedAt >= this.#o.listMaxAgeMs;
    if (stale && this.#o.connection.active()) void this.refresh(section).catch(() => undefined);
    return cached;
  }

  /**
   * List a page from the server now (one run per page at a time), and with `ahead` the photos
   * of its first items. Rejects when listing the page fails.
   */
  refresh(section: BrowseSection, options: { ahead?: boolean } = {}): Promise<void> {
    const running = this.#listing.get(section);
    if (running) return running;
    const run = this.#refresh(section, options.ahead ?? true).finally(() => this.#listing.delete(section));
    this.#listing.set(section, run);
    return run;
  }

  /**
   * Opening an item: list its photos from the server when online, else keep what was cached.
   * Never rejects: the answer says whether there is something to show and why it may be old.
   */
  async open(section: BrowseSection, key: string): Promise<BrowseOpened> {
    const item = this.#o.repo.item(section, key);
    if (!item) return { cached: false, error: 'This item is not in the cache; open its page while connected to list it.' };
    const cached = item.photosFetchedAt !== null;
    if (!this.#o.connection.active()) {
      return { cached, error: 'PhotoPrism cannot be reached right now; showing the photos cached when this was last opened.' };
    }
    try {
      await this.#listPhotos(section, key, item.filter);
      return { cached: true, error: null };
    } catch (error) {
      this.#o.log.info('could not list the photos of a browse item', { section, error });
      return { cached, error: isAppError(error) ? error.message : 'The photos could not be listed from PhotoPrism.' };
    }
  }

  async #refresh(section: BrowseSection, ahead: boolean): Promise<void> {
    const active = this.#o.connection.active();
    if (!active) return;
    let items: BrowseItemRecord[];
    try {
      items = await this.#fetchItems(active.client, section);
    } catch (error) {
      this.#o.log.warn('could not list a browse page', { section, error });
      this.#o.connection.reportFailure(error);
      throw error;
    }
    if (this.#disposed) return;
    this.#o.repo.replaceItems(section, items, this.#o.clock.now());
    this.#o.events.emit('browse.changed', { section });
    if (!ahead) return;
    // List the first items' photos ahead: their counts, and opening them offline later. The
    // page hears every few items, so counts fill in while it is on screen.
    const keys = this.#o.repo.unlisted(section).slice(0, this.#o.prefetchItems);
    for (const [i, key] of keys.entries()) {
      // Ahead of need: after what the screen asks for (the page's covers).
      await this.#o.foreground.idle();
      const item = this.#o.repo.item(section, key);
      if (!item || this.#disposed || !this.#o.connection.active()) break;
      try {
        await this.#listPhotos(section, key, item.filter);
      } catch (error) {
        this.#o.log.info('stopped listing browse items ahead', { section, error });
        break;
      }
      if (i % PREFETCH_NOTIFY_EVERY === PREFETCH_NOTIFY_EVERY - 1) this.#o.events.emit('browse.changed', { section });
    }
    if (!this.#disposed && keys.length > 0) this.#o.events.emit('browse.changed', { section });
  }

  async #listPhotos(section: BrowseSection, key: string, filter: SearchParams): Promise<void> {
    const features = this.#o.libraryRepo.features();
    const uids = await this.#o.library.listPhotos({
      ...filter,
      ...(features.private ? { public: true } : {}),
      ...(features.review ? { quality: 3 } : {}),
    });
    if (this.#disposed) return;
    this.#o.repo.replacePhotos(section, key, uids, this.#o.clock.now());
  }

  /** One page's items from the server, paged to the end. */
  async #fetchItems(client: PhotoPrismClient, section: BrowseSection): Promise<BrowseItemRecord[]> {
    switch (section) {
      case 'people':
        // Named people, favourites first then by name (PhotoPrism's People page).
        return (await this.#pageAll((p) => client.searchSubjects({ ...p, type: 'person' }))).map((s) => ({
          key: s.UID,
          title: s.Name,
          subtitle: '',
          group: '',
          photoCount: s.PhotoCount,
          coverHash: markerFileHash(s.Thumb),
          filter: { subject: s.UID },
        }));
      case 'labels':
        return (await this.#pageAll((p) => client.searchLabels(p))).map((l) => ({
          key: l.UID,
          title: l.Name,
          subtitle: '',
          group: '',
          photoCount: l.PhotoCount,
          coverHash: l.Thumb,
          filter: { label: l.Slug },
        }));
      case 'calendar':
        return (await this.#pageAll((p) => client.searchAlbums({ ...p, type: 'month', order: 'newest' }))).map((a) => ({
          key: a.UID,
          title: a.Title,
          subtitle: '',
          group: a.Year > 0 ? String(a.Year) : '',
          photoCount: null,
          coverHash: a.Thumb,
          filter: { s: a.UID },
        }));
      case 'moments':
        return (await this.#pageAll((p) => client.searchAlbums({ ...p, type: 'moment', order: 'newest' }))).map((a) => ({
          key: a.UID,
          title: a.Title,
          subtitle: a.Location,
          group: '',
          photoCount: null,
          coverHash: a.Thumb,
          filter: { s: a.UID },
        }));
      case 'folders':
        return (await this.#pageAll((p) => client.searchAlbums({ ...p, type: 'folder', order: 'name' }))).map((a) => ({
          key: a.UID,
          title: a.Title,
          subtitle: a.Path,
          group: '',
          photoCount: null,
          coverHash: a.Thumb,
          filter: { s: a.UID },
        }));
      case 'places': {
        // [Note: Places are countries, states and cities]
        // PhotoPrism lists places as state albums (docs/photoprism-api.md §12.3); it has no city
        // list. So Places is: countries (a `country` search each, from the states' countries),
        // then every state and every city of the cached photos under its country's name (a
        // `country`+`city` search). The Places page shows the countries; a country shows its
        // states and cities (renderer/lib/browse-tree.ts).
        const states = await this.#pageAll((p) => client.searchAlbums({ ...p, type: 'state', order: 'name' }));
        const countries = new Map<string, { name: string; thumb: string }>();
        for (const a of states) {
          const code = a.Country.toLowerCase();
          if (!/^[a-z]{2}$/.test(code) || code === 'zz' || countries.has(code)) continue;
          countries.set(code, { name: a.Location || COUNTRY_NAMES[code] || code.toUpperCase(), thumb: a.Thumb });
        }
        const countryItems = [...countries]
          .sort(([, a], [, b]) => a.name.localeCompare(b.name))
          .map(([code, c]) => ({
            key: `country:${code}`,
            title: c.name,
            subtitle: '',
            group: 'Countries',
            photoCount: null,
            coverHash: c.thumb,
            filter: { country: code },
          }));
        const stateItems = states
          .map((a) => ({
            key: a.UID,
            title: a.Title,
            subtitle: a.Location,
            group: a.Location || COUNTRY_NAMES[a.Country.toLowerCase()] || '',
            photoCount: null,
            coverHash: a.Thumb,
            filter: { s: a.UID },
          }))
          .sort((a, b) => a.group.localeCompare(b.group) || a.title.localeCompare(b.title));
        return [...countryItems, ...stateItems, ...(await this.#cityItems(countries))];
      }
    }
  }

  /**
   * Cities under their country's name (see [Note: Places are countries, states and cities]).
   * Only countries the server lists states for: a city of an unlisted country has no page to sit on.
   */
  async #cityItems(countries: ReadonlyMap<string, { name: string }>): Promise<BrowseItemRecord[]> {
    const used = new Set<string>();
    const out: BrowseItemRecord[] = [];
    // Grouping every cached photo by city held main's one thread 260–360 ms at 100k photos, and a
    // scrubber jump's thumbnails waited behind it: it goes in steps, each after the screen's
    // requests (see [Note: Background work yields to what is on screen]).
    const quiet = () => this.#o.foreground.idle();
    await quiet();
    for (const c of await this.#o.repo.cachedCities(quiet)) {
      const country = countries.get(c.country);
      if (!country) continue;
      let key = `city:${c.country}:${cityKey(c.city)}`;
      for (let n = 2; used.has(key); n += 1) key = `city:${c.country}:${cityKey(c.city)}-${n}`;
      used.add(key);
      out.push({
        key,
        title: c.city,
        subtitle: c.state,
        group: country.name,
        photoCount: null,
        coverHash: c.coverHash,
        filter: { country: c.country, city: c.city },
      });
    }
    return out;
  }

  /** Page a list endpoint to its end (labels send no X-Count: docs/photoprism-api.md §12.2; see forEachPage). */
  #pageAll<T>(fetchPage: (window: PageWindow) => Promise<SearchPage<T>>): Promise<T[]> {
    return allPages(fetchPage, this.#o.pageSize);
  }
}
