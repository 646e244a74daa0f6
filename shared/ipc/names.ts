/**
 * The IPC contract's channel and event names, without their schemas.
 *
 * [Note: Names without schemas]
 * The renderer's bridge only needs to know which names exist (shared/ipc/bridge.ts). Building
 * the contract's zod schemas (shared/ipc/contract.ts) took 90–330 ms of the page's first
 * script, before its boot call could go out ([Note: Boot in one call]); the page never parses
 * with them (main does, main/ipc/handle.ts). The contract is checked against these lists by its
 * `satisfies` clauses, so a channel added there and not here (or the other way) does not compile.
 */

export const CHANNELS = [
  'app.info',
  'app.boot',
  'app.windowState',
  'app.notices',
  'app.dismissNotice',
  'app.diagnostics',
  'app.contextMenu',
  'settings.get',
  'settings.update',
  'connection.status',
  'connection.probe',
  'connection.signIn',
  'connection.signOut',
  'library.counts',
  'library.albums',
  'library.query',
  'library.months',
  'library.refresh',
  'library.search',
  'library.searchSuggestions',
  'library.firstScreen',
  'library.screenThumbnails',
  'browse.summary',
  'browse.list',
  'browse.open',
  'photo.details',
  'photo.metadata',
  'sync.status',
  'sync.setEnabled',
  'sync.signIn',
  'sync.signOut',
  'sync.now',
  'sync.pause',
  'sync.resume',
  'sync.confirmAccountSwitch',
  'sync.uploadAgain',
  'sync.cloudData',
  'sync.deleteCloudData',
  'activity.recent',
  'actions.setFavorite',
  'actions.setPrivate',
  'actions.approve',
  'actions.setArchived',
  'actions.setTitle',
  'actions.addToAlbum',
  'actions.removeFromAlbum',
  'actions.createAlbum',
  'actions.renameAlbum',
  'actions.deleteAlbum',
  'photo.editableMetadata',
  'photo.editChoices',
  'actions.editMetadata',
  'actions.choosePrimary',
  'actions.unstack',
  'actions.undo',
  'actions.redo',
  'actions.history',
  'actions.pending',
  'actions.dismissConflict',
  'import.start',
  'import.choose',
  'import.startStaged',
  'import.status',
  'import.cancel',
  'import.retry',
  'import.clear',
  'export.photos',
  'export.album',
  'export.cancel',
  'export.resume',
  'export.dismiss',
  'export.list',
  'export.reveal',
  'export.dragOut',
  'export.downloadLink',
] as const;

export const EVENT_NAMES = [
  'settings.changed',
  'connection.changed',
  'library.changed',
  'browse.changed',
  'sync.status',
  'sync.openSignIn',
  'activity.changed',
  'menu.command',
  'actions.history',
  'actions.pending',
  'import.progress',
  'export.progress',
] as const;

export type ChannelName = (typeof CHANNELS)[number];
export type EventNameOf = (typeof EVENT_NAMES)[number];

const channelSet: ReadonlySet<string> = new Set(CHANNELS);
const eventSet: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isChannel(value: unknown): value is ChannelName {
  return typeof value === 'string' && channelSet.has(value);
}

export function isEventName(value: unknown): value is EventNameOf {
  return typeof value === 'string' && eventSet.has(value);
}

/** Most photos one action may name: a whole-library selection, bounded so a bad caller cannot flood main. */
export const MAX_ACTION_UIDS = 100_000;
