import { z } from 'zod';
import { AlbumUid, EntityUid, FileUid, PhotoUid } from '../ids';
import { ERROR_KINDS } from '../errors';
import {
  AlbumSummary,
  BrowseKey,
  BrowseList,
  BrowseOpened,
  BrowseSection,
  BrowseSummary,
  ConnectionStatus,
  LibraryChanged,
  LibraryCounts,
  LibraryPage,
  LibraryQuery,
  SearchInfo,
  SearchRequest,
  SearchSuggestions,
  LibraryView,
  MonthBucket,
  PhotoDetails,
  PhotoMetadata,
  ServerProbe,
  SignInRequest,
  ThumbSize,
} from '../library/schemas';
import { ActivityEntry, SyncEvent } from '../events/schema';
import { EditChoices, MetadataEdit, PhotoMetadata as EditablePhotoMetadata } from '../library/metadata';
import { Settings, SettingsPatch } from '../settings';
import { StartupNotice } from '../notices';
import { SyncStatus } from '../sync/state';
import { COMMAND_IDS } from '../keymap';
import { NativeMenuRequest, NativeMenuResponse } from './native-menu';
import { ChosenPath, ImportFileId, ImportStatus, StagedId } from '../import/schemas';
import { MAX_CHOSEN_PATHS, MAX_EDIT_UIDS, MAX_PAGE_SIZE } from '../limits';
import {
  DownloadLink,
  DownloadLinkRequest,
  DragOutRequest,
  DragOutResult,
  ExportAlbumRequest,
  ExportPhotosRequest,
  ExportStatus,
} from '../export';
import { MAX_ACTION_UIDS, type ChannelName, type EventNameOf } from './names';

// Zod-free, for the renderer's bridge: see [Note: Names without schemas].
export { CHANNELS, EVENT_NAMES, isChannel, isEventName, MAX_ACTION_UIDS } from './names';

/**
 * [Note: The IPC contract]
 *
 * The one source of truth for every request the renderer can make and every event main can
 * push. Everything else is derived from these two maps:
 * - main/ipc/handle.ts: validates sender + request, calls the handler, returns a Result;
 * - preload/index.ts and renderer/lib/web-bridge.ts: expose `buildBridge()` (shared/ipc/bridge.ts)
 *   over Electron IPC or the web shell's WebSocket;
 * - renderer/lib/api.ts: the typed client, the only renderer module that touches the bridge.
 *
 * Adding a channel = one entry here + one handler in main (the handler map is typed against
 * this object, so a missing handler is a compile error). Requests are `.strict()`: an extra key
 * is a bad request, not something silently ignored.
 */

/** A request that takes no arguments. */
const NoArgs = z.object({}).strict();

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** The profile this instance runs as (`--profile NAME`); two profiles = two "devices". */
  profile: z.string(),
  /** Which shell hosts the core: Electron, or the web shell in a local browser. */
  shell: z.enum(['electron', 'web']),
  platform: z.string(),
  /** Where sign-ins are kept, in words, and whether that is weak (Electron's Linux fallback key). */
  secretStorage: z.object({ description: z.string(), weak: z.boolean() }).optional(),
});
export type AppInfo = z.infer<typeof AppInfo>;

// --- Curation actions (main/actions/) ------------------------------------------------------

const ActionPhotoUids = z.array(PhotoUid).min(1).max(MAX_ACTION_UIDS);
/** An album title as a person types it; PhotoPrism shortens very long ones itself (docs/photoprism-api.md §4.3). */
const AlbumTitle = z.string().trim().min(1).max(255);

/** Some items an action could not change, and why (a sentence for a person). */
export const ActionFailure = z.object({
  uids: z.array(EntityUid),
  kind: z.enum(ERROR_KINDS),
  message: z.string(),
});
export type ActionFailure = z.infer<typeof ActionFailure>;

/**
 * What an action did. `applied`: the UIDs the server accepted (the renderer keeps its optimistic
 * state for them); `failed`: the rest, grouped by reason (the renderer rolls those back and
 * shows the message). Empty `failed` = full success. See [Note: Partial failure] in main/actions.
 */
export const ActionResult = z.object({
  applied: z.array(EntityUid),
  failed: z.array(ActionFailure),
  /** The album an album action created, renamed or changed. */
  album: AlbumSummary.optional(),
  /** The server could not be reached: the change is in the cache and waits in the queue. See [Note: The offline queue]. */
  queued: z.boolean().optional(),
});
export type ActionResult = z.infer<typeof ActionResult>;

/** An action waiting for the server, or one the server refused when it was sent (kept with the reason). */
export const PendingChange = z.object({
  id: z.number().int(),
  state: z.enum(['waiting', 'conflict']),
  /** What the person did, e.g. "Favourite 3 photos", "Add 1 photo to “Trip”". */
  summary: z.string(),
  /** A conflict: what was not changed, why, and what the person can do. */
  reason: z.string().nullable(),
  at: z.number(),
});
export type PendingChange = z.infer<typeof PendingChange>;

/** The offline queue as the status, the menu bar and Activity show it. */
export const PendingChanges = z.object({
  /** Actions waiting for the server ("3 changes waiting"). */
  waiting: z.number().int().min(0),
  /** The waiting ones (oldest first), then the conflicts (newest first). */
  items: z.array(PendingChange),
});
export type PendingChanges = z.infer<typeof PendingChanges>;

/** The Edit menu's Undo/Redo items: enabled or not, and their labels ("Undo Favourite"). */
export const ActionHistory = z.object({
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  undoLabel: z.string(),
  redoLabel: z.string(),
});
export type ActionHistory = z.infer<typeof ActionHistory>;

/**
 * [Note: Boot in one call]
 * What the first screen needs, in one round trip sent before the app's code is evaluated
 * (renderer/main.ts): who we are, the settings, the connection, and the Library view's months
 * and first page from the cache. One by one these were five round trips, each sent only once
 * the screen before it had rendered, on a 100k library most of the time to a first tile. Every
 * part is also its own channel, which the renderer falls back to when this call fails or an
 * event made a part stale before the screen used it (renderer/lib/boot.ts).
 */
/**
 * What the grid's first screen will show, as the renderer estimates it before it has a photo: its
 * thumbnail size and how many photos from the top of the Library (renderer/lib/boot.ts, firstScreenTiles).
 */
export const FirstScreen = z.object({ size: ThumbSize, tiles: z.number().int().min(1).max(MAX_PAGE_SIZE) }).strict();
export type FirstScreen = z.infer<typeof FirstScreen>;

export const BootState = z.object({
  info: AppInfo,
  settings: Settings,
  connection: ConnectionStatus,
  /** The Library view (all photos, no search) as `library.months` and `library.query` answer it; null without a server. */
  library: z.object({ months: z.array(MonthBucket), firstPage: LibraryPage }).nullable(),
});
export type BootState = z.infer<typeof BootState>;

export const contract = {
  /** Who am I talking to: name, version, profile, shell. */
  'app.info': { request: NoArgs, response: AppInfo },
  /** The first screen's data in one answer: see [Note: Boot in one call]. */
  'app.boot': {
    request: z.object({ firstPageLimit: z.number().int().min(1).max(MAX_PAGE_SIZE), firstScreen: FirstScreen.optional() }).strict(),
    response: BootState,
  },
  /**
   * The page is visible or hidden, focused or not, and the browser thinks it is online or not:
   * the sync engine polls less while hidden, and syncs at once when the window comes back to
   * the front or the network returns. Sent on every change, and once at start.
   */
  'app.windowState': {
    request: z.object({ visible: z.boolean(), focused: z.boolean(), online: z.boolean() }).strict(),
    response: z.object({}).strict(),
  },
  /** What happened at start that the person must hear about (a repaired database or settings file). */
  'app.notices': { request: NoArgs, response: z.array(StartupNotice) },
  /** The person read a notice: it is not shown again (answers with the rest). */
  'app.dismissNotice': { request: z.object({ id: z.string().max(100) }).strict(), response: z.array(StartupNotice) },
  /**
   * A diagnostics report to save (the web shell's "Download Diagnostics"; the Mac app's Help →
   * Export Diagnostics… writes the same text): version, states, counters, recent log lines,
   * with no token, server address, user name, title or file name in it.
   */
  'app.diagnostics': { request: NoArgs, response: z.object({ fileName: z.string(), text: z.string() }) },
  /**
   * Mac app: show a right-click menu natively (Menu.popup) and answer the chosen item's id, or
   * null when dismissed. The web shell draws its menus in the page and refuses this channel.
   * See [Note: One context-menu table].
   */
  'app.contextMenu': { request: NativeMenuRequest, response: NativeMenuResponse },
  /** Current settings. */
  'settings.get': { request: NoArgs, response: Settings },
  /** Change some settings; answers with all of them. */
  'settings.update': { request: SettingsPatch, response: Settings },

  // --- PhotoPrism connection (main/photoprism/) -----------------------------------------
  /** The connection as the UI shows it (signed out, online, offline, needs sign-in). */
  'connection.status': { request: NoArgs, response: ConnectionStatus },
  /** Check a server URL before sending credentials: reachable? PhotoPrism? TLS trusted? */
  'connection.probe': { request: z.object({ serverUrl: z.string().min(1).max(2048) }).strict(), response: ServerProbe },
  /** Sign in with a password or app password (and a 2FA code when asked). */
  'connection.signIn': { request: SignInRequest, response: ConnectionStatus },
  /** Sign out: forget the session token (the cache stays for offline browsing). */
  'connection.signOut': { request: NoArgs, response: ConnectionStatus },

  // --- Library cache (main/library/) ----------------------------------------------------
  'library.counts': { request: NoArgs, response: LibraryCounts },
  'library.albums': { request: NoArgs, response: z.array(AlbumSummary) },
  /** A page of a view, from the cache (online or not). */
  'library.query': { request: LibraryQuery, response: LibraryPage },
  /** Month buckets of a view, for date headers and the scrubber. */
  'library.months': {
    request: z.object({ view: LibraryView, q: z.string().max(500).default('') }).strict(),
    response: z.array(MonthBucket),
  },
  /** Refresh the cache from the server now. */
  'library.refresh': { request: NoArgs, response: ConnectionStatus },
  /** Run a search before paging it with `library.query` (server when online, cache otherwise). */
  'library.search': { request: SearchRequest, response: SearchInfo },
  /** Values to suggest in the search field (years, cameras, cities, albums). */
  'library.searchSuggestions': { request: NoArgs, response: SearchSuggestions },
  /**
   * What the grid's first screen will show, estimated before it has a photo: its thumbnail size
   * and how many photos from the top. Sent while the sign-in form shows, so a first run fetches
   * those thumbnails the moment the server names the photos (see [Note: The first screen's thumbnails go first]).
   */
  'library.firstScreen': {
    request: FirstScreen,
    response: z.object({}).strict(),
  },
  /**
   * A jump landed: the photos now on screen, whose thumbnails (of `size`) the grid asks for next,
   * six at a time. Main fetches them all at once (see [Note: A jump's screen is fetched at once]).
   */
  'library.screenThumbnails': {
    request: z.object({ size: ThumbSize, uids: z.array(PhotoUid).min(1).max(MAX_PAGE_SIZE) }).strict(),
    response: z.object({}).strict(),
  },
  // --- Browse pages (main/library/browse-service.ts) ------------------------------------
  /** The sidebar's Browse counts (items per page, videos), from the cache. */
  'browse.summary': { request: NoArgs, response: BrowseSummary },
  /** A browse page (People, Places, …) as cached; a stale one is listed again in the background (`browse.changed`). */
  'browse.list': { request: z.object({ section: BrowseSection }).strict(), response: BrowseList },
  /** Open an item: list its photos from the server when online; then show the `browse` view. */
  'browse.open': { request: z.object({ section: BrowseSection, key: BrowseKey }).strict(), response: BrowseOpened },
  /** Everything the viewer's info panel shows. */
  'photo.details': { request: z.object({ uid: PhotoUid }).strict(), response: PhotoDetails },
  /** Files, keywords and labels, asked from the server (needs it: fails with `network` offline). */
  'photo.metadata': { request: z.object({ uid: PhotoUid }).strict(), response: PhotoMetadata },

  // --- iCloud Sync (main/sync/) ----------------------------------------------------------
  'sync.status': { request: NoArgs, response: SyncStatus },
  /** Turn iCloud Sync on or off (off ⇒ zero requests to iCloud). */
  'sync.setEnabled': { request: z.object({ enabled: z.boolean() }).strict(), response: SyncStatus },
  /** Open iCloud's sign-in page (a window in the Mac app, a tab in the web shell) and wait for it. */
  'sync.signIn': { request: NoArgs, response: SyncStatus },
  /** Forget the iCloud token; local data stays. */
  'sync.signOut': { request: NoArgs, response: SyncStatus },
  'sync.now': { request: NoArgs, response: SyncStatus },
  'sync.pause': { request: NoArgs, response: SyncStatus },
  'sync.resume': { request: NoArgs, response: SyncStatus },
  /** Sync found a different iCloud account than this device synced with: the person says yes, use it. */
  'sync.confirmAccountSwitch': { request: NoArgs, response: SyncStatus },
  /** After the user deleted our data in iCloud settings: upload recent events again. */
  'sync.uploadAgain': { request: NoArgs, response: SyncStatus },
  /** "View iCloud data": the events in our zone, fetched from iCloud now. */
  'sync.cloudData': {
    request: NoArgs,
    response: z.array(z.object({ recordName: z.string(), event: SyncEvent.nullable() })),
  },
  /** "Delete iCloud data": delete our zone; sync is turned off. */
  'sync.deleteCloudData': { request: NoArgs, response: SyncStatus },

  // --- Activity (main/eventlog/) ---------------------------------------------------------
  /** Recent events, newest first, as a person reads them, with the raw synced JSON. */
  'activity.recent': {
    request: z.object({ limit: z.number().int().min(1).max(500) }).strict(),
    response: z.array(ActivityEntry),
  },

  // --- Curation actions (main/actions/): each calls PhotoPrism, then updates the cache and
  // appends its event in one transaction; every one is an undo step. -----------------------
  'actions.setFavorite': {
    request: z.object({ uids: ActionPhotoUids, favorite: z.boolean() }).strict(),
    response: ActionResult,
  },
  'actions.setPrivate': {
    request: z.object({ uids: ActionPhotoUids, private: z.boolean() }).strict(),
    response: ActionResult,
  },
  /** Approve photos waiting in Review (PhotoPrism's Approve); not an undo step. */
  'actions.approve': {
    request: z.object({ uids: ActionPhotoUids }).strict(),
    response: ActionResult,
  },
  'actions.setArchived': {
    request: z.object({ uids: ActionPhotoUids, archived: z.boolean() }).strict(),
    response: ActionResult,
  },
  /** Rename one photo (its title). */
  'actions.setTitle': {
    request: z.object({ uid: PhotoUid, title: z.string().trim().max(1000) }).strict(),
    response: ActionResult,
  },
  'actions.addToAlbum': {
    request: z.object({ albumUid: AlbumUid, uids: ActionPhotoUids }).strict(),
    response: ActionResult,
  },
  'actions.removeFromAlbum': {
    request: z.object({ albumUid: AlbumUid, uids: ActionPhotoUids }).strict(),
    response: ActionResult,
  },
  /** Create an album (PhotoPrism returns an existing one with the same title); with `uids`, add them too: one undo step. */
  'actions.createAlbum': {
    request: z.object({ title: AlbumTitle, uids: ActionPhotoUids.optional() }).strict(),
    response: ActionResult,
  },
  'actions.renameAlbum': {
    request: z.object({ albumUid: AlbumUid, title: AlbumTitle }).strict(),
    response: ActionResult,
  },
  'actions.deleteAlbum': { request: z.object({ albumUid: AlbumUid }).strict(), response: ActionResult },
  /** The inspector: the editable fields of photos, read from the server now (main/actions/executors/edit-metadata.ts). */
  'photo.editableMetadata': {
    request: z.object({ uids: z.array(PhotoUid).min(1).max(MAX_EDIT_UIDS) }).strict(),
    response: z.array(EditablePhotoMetadata),
  },
  /** The inspector's camera, lens and type menus: the server's lists, this Mac's copy offline (main/actions/action-service.ts, editChoices). */
  'photo.editChoices': { request: NoArgs, response: EditChoices },
  /** Set the same fields on every photo named (one `PUT` each): one undo step, `photos.updated` with UIDs only. */
  'actions.editMetadata': {
    request: z.object({ uids: z.array(PhotoUid).min(1).max(MAX_EDIT_UIDS), edit: MetadataEdit }).strict(),
    response: ActionResult,
  },
  /** Make one version of a stack its primary one (PhotoPrism's "Primary"): an undo step, `photos.updated` with UIDs only. */
  'actions.choosePrimary': { request: z.object({ uid: PhotoUid, fileUid: FileUid }).strict(), response: ActionResult },
  /** Move one version out of its stack into a photo of its own (PhotoPrism's "Unstack"): not an undo step (PhotoPrism cannot re-stack). */
  'actions.unstack': { request: z.object({ uid: PhotoUid, fileUid: FileUid }).strict(), response: ActionResult },
  /** Undo / redo the last curation action (⌘Z / ⇧⌘Z outside text fields). */
  'actions.undo': { request: NoArgs, response: ActionResult },
  'actions.redo': { request: NoArgs, response: ActionResult },
  'actions.history': { request: NoArgs, response: ActionHistory },
  /** Changes waiting for the server, and the ones it refused. */
  'actions.pending': { request: NoArgs, response: PendingChanges },
  /** The person read a conflict: forget it (answers with the rest). */
  'actions.dismissConflict': { request: z.object({ id: z.number().int() }).strict(), response: PendingChanges },

  // --- Import (main/import/): upload to PhotoPrism, then its import into an album -----------
  /** Import files and folders the person dropped (Mac app: their paths; folders are walked in main). */
  'import.start': {
    request: z.object({ paths: z.array(ChosenPath).min(1).max(MAX_CHOSEN_PATHS), albumUid: AlbumUid.nullable() }).strict(),
    response: ImportStatus,
  },
  /** File → Import…: the Mac app's open panel, then as `import.start` (the web shell refuses: its page has a file input). */
  'import.choose': { request: z.object({ albumUid: AlbumUid.nullable() }).strict(), response: ImportStatus },
  /** Import files the web shell's page handed over (POST /import-staging/, main/import/staging-route.ts). */
  'import.startStaged': {
    request: z.object({ ids: z.array(StagedId).min(1).max(20_000), albumUid: AlbumUid.nullable() }).strict(),
    response: ImportStatus,
  },
  'import.status': { request: NoArgs, response: ImportStatus },
  /** Cancel one file, or (no id) every file not yet sent; files already sent are still imported. */
  'import.cancel': { request: z.object({ fileId: ImportFileId.optional() }).strict(), response: ImportStatus },
  /** Send a failed file again. */
  'import.retry': { request: z.object({ fileId: ImportFileId }).strict(), response: ImportStatus },
  /** Forget finished files. */
  'import.clear': { request: NoArgs, response: ImportStatus },
  // --- Export (main/export/): originals or an album zip into a folder main asks for. --------
  /** Export photos' originals (and sidecars when asked); null when the person closed the folder chooser. */
  'export.photos': { request: ExportPhotosRequest, response: ExportStatus.nullable() },
  /** Export an album as one zip; null when the person closed the folder chooser. */
  'export.album': { request: ExportAlbumRequest, response: ExportStatus.nullable() },
  'export.cancel': { request: z.object({ id: z.number().int() }).strict(), response: ExportStatus },
  /** Run a failed or cancelled export again: finished files stay, `.part` files continue. */
  'export.resume': { request: z.object({ id: z.number().int() }).strict(), response: ExportStatus },
  /** Forget an export (its unfinished `.part` files are removed). */
  'export.dismiss': { request: z.object({ id: z.number().int() }).strict(), response: z.object({}).strict() },
  'export.list': { request: NoArgs, response: z.array(ExportStatus) },
  /** Show the export's folder in Finder (the Mac app; the web shell's page cannot open Finder, so it does not offer it). */
  'export.reveal': { request: z.object({ id: z.number().int() }).strict(), response: z.object({}).strict() },
  /** Drag photos' originals to Finder (the Mac app; main stages them and starts the native drag). */
  'export.dragOut': { request: DragOutRequest, response: DragOutResult },
  /** Where the web shell serves one photo's original as a download, for a browser drag out of the page (DownloadURL). */
  'export.downloadLink': { request: DownloadLinkRequest, response: DownloadLink },
} as const satisfies Record<ChannelName, ChannelSpec>;

/** Events pushed from main to the renderer (no reply). */
export const events = {
  /** Settings changed (from this window, the menu, or another window). */
  'settings.changed': Settings,
  /** The PhotoPrism connection changed (online/offline/needs sign-in/indexing progress). */
  'connection.changed': ConnectionStatus,
  /** Cached library rows changed: re-query what is on screen. */
  'library.changed': LibraryChanged,
  /** A browse page was listed again (or its items' photos): re-read it and the sidebar counts. */
  'browse.changed': z.object({ section: BrowseSection }).strict(),
  /** The sync engine's state, outbox size and PhotoPrism link changed. */
  'sync.status': SyncStatus,
  /** The web shell asks the page to open iCloud's sign-in page in a new tab. */
  'sync.openSignIn': z.object({ url: z.url({ protocol: /^https?$/ }) }).strict(),
  /** The event log changed: the Activity view re-reads. */
  'activity.changed': z.object({}).strict(),
  /** A menu or tray command for the page to run (⇧⌘N, ⌘Z outside text fields, …). See [Note: One keymap]. */
  'menu.command': z.object({ command: z.enum(COMMAND_IDS) }).strict(),
  /** The undo/redo history changed: the Edit menu relabels Undo/Redo. */
  'actions.history': ActionHistory,
  /** The offline queue changed (an action queued, sent, cancelled or refused). */
  'actions.pending': PendingChanges,
  /** An import's progress (at most a few times a second while bytes flow). */
  'import.progress': ImportStatus,
  /** An export's progress (every MiB and every file), and its end. */
  'export.progress': ExportStatus,
} as const satisfies Record<EventNameOf, z.ZodType>;

/** One request channel: what the renderer sends, what main answers. */
export interface ChannelSpec {
  readonly request: z.ZodType;
  readonly response: z.ZodType;
}

export type Contract = typeof contract;
export type Channel = keyof Contract;
/** What a caller passes (before defaults are applied). */
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
/** What a handler receives (after parsing). */
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
/** What the renderer gets back. */
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
