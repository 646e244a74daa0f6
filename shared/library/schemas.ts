import { z } from 'zod';
import { ERROR_KINDS } from '../errors';
import { AlbumUid, PhotoUid } from '../ids';
import { MAX_PAGE_SIZE } from '../limits';

/**
 * What the renderer knows about the library: rows from main's SQLite cache, never raw server
 * JSON and never a token. Thumbnails are fetched by path, `thumbnailPath(uid, size)`, which both
 * shells serve from main's disk cache (Electron: the app:// scheme; web shell: same origin).
 */

/** Thumbnail sizes the grid and viewer use (PhotoPrism names, docs/photoprism-api.md §6.2). */
export const ThumbSize = z.enum(['tile_224', 'tile_500', 'fit_720', 'fit_1280', 'fit_1920', 'fit_2560', 'fit_4096', 'fit_7680']);
export type ThumbSize = z.infer<typeof ThumbSize>;

// The media paths live in a zod-free module the page's first script can load: see there.
export { originalPath, thumbnailPath, videoPath } from './media-paths';

/** One tile in the grid. */
export const PhotoSummary = z.object({
  uid: PhotoUid,
  title: z.string(),
  /** ISO 8601 (UTC) of when the photo was taken, as PhotoPrism reports it. */
  takenAt: z.string(),
  /**
   * The wall-clock time where it was taken, `YYYY-MM-DDTHH:MM:SS` without a zone (PhotoPrism's
   * TakenAtLocal). Show and group by this, never by `takenAt`: a photo taken at 23:30 on
   * 31 December in New York belongs to December wherever the viewer is.
   */
  takenAtLocal: z.string(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  /** PhotoPrism media type: image, raw, live, video, animated, vector, … */
  type: z.string(),
  favorite: z.boolean(),
  private: z.boolean(),
  archived: z.boolean(),
  /** How long a video or Live photo plays, ms; absent for a still photo (or not known yet). The tile shows "0:42". */
  durationMs: z.number().int().positive().optional(),
  /**
   * A stack's number of versions (PhotoPrism shows an image with more than one JPEG as one photo,
   * a stack); absent when it is none. The tile shows a quiet stack badge.
   */
  stackSize: z.number().int().min(2).optional(),
});
export type PhotoSummary = z.infer<typeof PhotoSummary>;

/** Everything the info panel shows, from the cache. */
export const PhotoDetails = PhotoSummary.extend({
  description: z.string(),
  fileName: z.string(),
  fileSizeBytes: z.number().int().nonnegative(),
  cameraModel: z.string(),
  lensModel: z.string(),
  iso: z.number().int().nonnegative(),
  exposure: z.string(),
  fNumber: z.number().nonnegative(),
  focalLengthMm: z.number().int().nonnegative(),
  placeLabel: z.string(),
  lat: z.number(),
  lng: z.number(),
  albums: z.array(z.object({ uid: AlbumUid, title: z.string() })),
});
export type PhotoDetails = z.infer<typeof PhotoDetails>;

/**
 * What only the server knows of a photo, for the info panel: its files, keywords and labels
 * (PhotoPrism `GET /api/v1/photos/:uid`). Asked for live, so it needs the server (offline the
 * panel shows what the cache has and says the rest needs the server).
 */
export const PhotoMetadata = z.object({
  files: z.array(
    z.object({
      /** PhotoPrism's file UID: what choosing the primary version and unstacking name. */
      uid: z.string().max(64),
      name: z.string(),
      /** PhotoPrism's file type: jpg, heic, raw, mov, mp4, … */
      fileType: z.string(),
      mime: z.string(),
      codec: z.string(),
      sizeBytes: z.number().int().nonnegative(),
      width: z.number().int().nonnegative(),
      height: z.number().int().nonnegative(),
      durationMs: z.number().int().nonnegative(),
      primary: z.boolean(),
      /** A file PhotoPrism made (a JPEG of a RAW or a video frame), kept in its sidecar folder. */
      sidecar: z.boolean(),
      /** May become the stack's primary version (`actions.choosePrimary`); see main/library/photo-mapping.ts, stackFileActions. */
      canBePrimary: z.boolean(),
      /** May be moved out of the stack into a photo of its own (`actions.unstack`). */
      canUnstack: z.boolean(),
    }),
  ),
  keywords: z.array(z.string()),
  /** Most certain first; `uncertainty` is 100 − confidence (PhotoPrism's own measure). */
  labels: z.array(z.object({ name: z.string(), uncertainty: z.number().int(), source: z.string() })),
});
export type PhotoMetadata = z.infer<typeof PhotoMetadata>;

export const AlbumSummary = z.object({
  uid: AlbumUid,
  title: z.string(),
  photoCount: z.number().int().nonnegative(),
  coverUid: PhotoUid.nullable(),
  /** Marked a favourite on the server (PhotoPrism internal/entity/album.go, AlbumFavorite). */
  favorite: z.boolean(),
  /** When its newest photo was taken (local time, `YYYY-MM-DDTHH:MM:SS`); null when empty. The overview's "date" sort. */
  newestTakenAtLocal: z.string().nullable(),
});
export type AlbumSummary = z.infer<typeof AlbumSummary>;

/**
 * The browse pages of the sidebar besides albums, as PhotoPrism has them (docs/photoprism-api.md §12):
 * People (subjects), Places (countries, their states and cities), Labels, Calendar (months), Moments
 * and Folders. Each lists items; an item opens a grid of its photos.
 */
export const BrowseSection = z.enum(['people', 'places', 'labels', 'calendar', 'moments', 'folders']);
export type BrowseSection = z.infer<typeof BrowseSection>;

/** A browse item's key: a subject, label or album UID, `country:xx` for a country, `city:xx:slug` for a city. */
export const BrowseKey = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[0-9a-z:-]+$/);

/** One cover on a browse page. */
export const BrowseItem = z.object({
  key: BrowseKey,
  title: z.string(),
  /** A second line: the folder path, the country of a state, … ('' = none). */
  subtitle: z.string(),
  /** The heading it is listed under: the year of a month, the country of a state ('' = none). */
  group: z.string(),
  /** Photos in it: the server's count, or how many it listed when last opened; null = not known yet. */
  photoCount: z.number().int().nonnegative().nullable(),
  /** The cover photo, when it is in the cache. */
  coverUid: PhotoUid.nullable(),
  /** Its photos were listed before, so it opens offline. */
  cached: z.boolean(),
});
export type BrowseItem = z.infer<typeof BrowseItem>;

/** A browse page as cached: its items and when they were last read from the server. */
export const BrowseList = z.object({
  section: BrowseSection,
  items: z.array(BrowseItem),
  /** Epoch ms of the last successful listing; null = never listed (nothing cached). */
  fetchedAt: z.number().nullable(),
});
export type BrowseList = z.infer<typeof BrowseList>;

/** The sidebar's Browse counts: items per page (null = never listed) and videos in the cache. */
export const BrowseSummary = z.object({
  sections: z.record(BrowseSection, z.number().int().nonnegative().nullable()),
  videos: z.number().int().nonnegative(),
});
export type BrowseSummary = z.infer<typeof BrowseSummary>;

/** What opening an item did: its photos are cached (now or from before), or why not. */
export const BrowseOpened = z.object({
  cached: z.boolean(),
  /** Why the server could not be asked now (offline, signed out, an error); null = listed fresh. */
  error: z.string().nullable(),
});
export type BrowseOpened = z.infer<typeof BrowseOpened>;

/**
 * Which part of the library a grid shows. `all` is PhotoPrism's browse view (reviewed, public
 * photos); `review` holds photos waiting for approval and `private` the private ones, shown only
 * when the server's features have them (LibraryCounts.features).
 */
export const LibraryView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('favorites') }).strict(),
  z.object({ kind: z.literal('review') }).strict(),
  z.object({ kind: z.literal('private') }).strict(),
  z.object({ kind: z.literal('archive') }).strict(),
  z.object({ kind: z.literal('album'), albumUid: AlbumUid }).strict(),
  /** PhotoPrism's Videos page: `video=true`, photos of type video (docs/photoprism-api.md §12.4). */
  z.object({ kind: z.literal('videos') }).strict(),
  /** The photos of one browse item (a person, a place, a month…), as last listed from the server. */
  z.object({ kind: z.literal('browse'), section: BrowseSection, key: BrowseKey, title: z.string().max(300) }).strict(),
]);
export type LibraryView = z.infer<typeof LibraryView>;

export const LibraryQuery = z
  .object({
    view: LibraryView,
    /** PhotoPrism search text (`q`); empty = no filter. */
    q: z.string().max(500).default(''),
    offset: z.number().int().nonnegative(),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE),
  })
  .strict();
export type LibraryQuery = z.infer<typeof LibraryQuery>;

export const LibraryPage = z.object({
  /** Photos in the whole view (for the grid's full height). */
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  photos: z.array(PhotoSummary),
});
export type LibraryPage = z.infer<typeof LibraryPage>;

/** Run a search (PhotoPrism `q`) for a view: on the server when connected, else over the cache. */
export const SearchRequest = z.object({ view: LibraryView, q: z.string().max(500) }).strict();
export type SearchRequest = z.infer<typeof SearchRequest>;

/** How a search was answered, for the note above the results (docs/photoprism-api.md §2.9). */
export const SearchInfo = z.object({
  /** `server`: PhotoPrism's own answer (now, or cached at `searchedAt`); `cache`: evaluated offline. */
  source: z.enum(['server', 'cache']),
  /** When the server's answer was fetched (ISO 8601), for `server`. */
  searchedAt: z.string().nullable(),
  /** The server could not be asked (offline, signed out). */
  offline: z.boolean(),
  /** Filters the offline search could not apply (e.g. `label`): results ignore them. */
  unsupported: z.array(z.string()),
  /** Offline, words matched titles and descriptions only (PhotoPrism also matches labels and people). */
  wordsPartial: z.boolean(),
  /** The query is invalid (e.g. an unknown filter): nothing matches, and this says why. */
  error: z.string().nullable(),
});
export type SearchInfo = z.infer<typeof SearchInfo>;

/** Values to suggest while typing a search: from the cache and the server's config. */
export const SearchSuggestions = z.object({
  years: z.array(z.number().int()),
  cameras: z.array(z.string()),
  cities: z.array(z.string()),
  albums: z.array(z.string()),
});
export type SearchSuggestions = z.infer<typeof SearchSuggestions>;

/** Month buckets for date headers and the scrubber, newest first. */
export const MonthBucket = z.object({
  /** `YYYY-MM`. */
  month: z.string().regex(/^\d{4}-\d{2}$/),
  count: z.number().int().nonnegative(),
  /** Index of the bucket's first photo in the view. */
  offset: z.number().int().nonnegative(),
});
export type MonthBucket = z.infer<typeof MonthBucket>;

/** The server's switches for what the library shows (PhotoPrism `settings.features`). */
export const LibraryFeatures = z.object({
  /** Photos of quality < 3 wait in Review instead of showing in the library. */
  review: z.boolean(),
  /** Private photos show only in Private. */
  private: z.boolean(),
});
export type LibraryFeatures = z.infer<typeof LibraryFeatures>;

export const LibraryCounts = z.object({
  all: z.number().int().nonnegative(),
  favorites: z.number().int().nonnegative(),
  archived: z.number().int().nonnegative(),
  review: z.number().int().nonnegative(),
  private: z.number().int().nonnegative(),
  /** Which of Review and Private the sidebar offers (as last seen on the server; cached). */
  features: LibraryFeatures,
});
export type LibraryCounts = z.infer<typeof LibraryCounts>;

/** The connection to the PhotoPrism server, as the UI shows it. */
export const ConnectionStatus = z.object({
  state: z.enum(['signed-out', 'connecting', 'online', 'offline', 'needs-sign-in']),
  /** Server base URL as the user typed it (shown in Settings; never sent to iCloud). */
  serverUrl: z.string().nullable(),
  /** Plain HTTP: allowed for LAN servers, with a visible warning. */
  insecureHttp: z.boolean(),
  userName: z.string().nullable(),
  serverVersion: z.string().nullable(),
  /** The last failure, for the offline banner and the sign-in form. */
  lastError: z.object({ kind: z.enum(ERROR_KINDS), message: z.string() }).nullable(),
  /** Indexing progress while the cache fills (null when idle). */
  indexing: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
  /** When the cache last matched the server (epoch ms), for "offline — showing the library as of …". */
  lastRefreshedAt: z.number().nullable(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

/** What probing a server URL found, before any credentials are sent. */
export const ServerProbe = z.object({
  /** Normalised base URL (scheme, host, port, path prefix; no trailing slash). */
  serverUrl: z.string(),
  insecureHttp: z.boolean(),
  /** Set when the certificate is not trusted by the system: show it, let the user trust it. */
  untrustedCertificate: z
    .object({ fingerprintSha256: z.string(), subject: z.string(), issuer: z.string(), validTo: z.string() })
    .nullable(),
  serverVersion: z.string().nullable(),
  siteTitle: z.string().nullable(),
  /** The typed http:// address redirected to the same host over https: `serverUrl` is that https address. */
  redirectedToHttps: z.boolean().optional(),
});
export type ServerProbe = z.infer<typeof ServerProbe>;

export const SignInRequest = z
  .object({
    serverUrl: z.string().min(1).max(2048),
    username: z.string().min(1).max(255),
    /** The account password or an app password (docs/photoprism-api.md §1.6). */
    password: z.string().min(1).max(1024),
    /** The 6-digit code when the server answered that 2FA is needed. */
    code: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
    /** SHA-256 fingerprint the user chose to trust for a self-signed certificate. */
    trustedFingerprint: z.string().max(200).optional(),
  })
  .strict();
export type SignInRequest = z.infer<typeof SignInRequest>;

/** Pushed when cached library data changed; the renderer re-queries what it shows. */
export const LibraryChanged = z.object({
  /** Photos whose rows changed (empty with `full`). */
  uids: z.array(PhotoUid),
  /** Albums (titles, counts, membership) changed. */
  albums: z.boolean(),
  /** Too much changed to list: re-query everything. */
  full: z.boolean(),
});
export type LibraryChanged = z.infer<typeof LibraryChanged>;
