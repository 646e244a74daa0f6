import type { EventLog } from '../eventlog/event-log';
import type { Handlers } from '../ipc/handle';
import type { EventHub } from '../ipc/event-hub';
import type { WritableDb } from '../db/database';
import { LibraryRepo } from '../library/library-repo';
import type { LibraryService } from '../library/library-service';
import type { DisposableStore } from '../lifecycle/disposables';
import type { Logger } from '../log/logger';
import type { ConnectionService } from '../photoprism/connection-service';
import type { SettingsStore } from '../settings/settings-store';
import { ActionIntents } from './action-intents';
import { ActionService, type ActionServiceOptions } from './action-service';

/** The channels this module answers. */
export type ActionHandlers = Pick<
  Handlers,
  | 'actions.setFavorite'
  | 'actions.setPrivate'
  | 'actions.setArchived'
  | 'actions.approve'
  | 'actions.setTitle'
  | 'actions.addToAlbum'
  | 'actions.removeFromAlbum'
  | 'actions.createAlbum'
  | 'actions.renameAlbum'
  | 'actions.deleteAlbum'
  | 'actions.undo'
  | 'actions.redo'
  | 'actions.history'
  | 'actions.pending'
  | 'actions.dismissConflict'
  | 'actions.editMetadata'
  | 'actions.choosePrimary'
  | 'actions.unstack'
  | 'photo.editableMetadata'
  | 'photo.editChoices'
>;

export interface ActionsModule {
  readonly service: ActionService;
  readonly handlers: ActionHandlers;
}

/**
 * Build the curation actions over the library database, the PhotoPrism connection and the event
 * log, and bind the `actions.*` channels.
 *
 * It keeps its own LibraryRepo on the SAME connection as the library (prepared statements are
 * per repo; the rows and transactions are shared), so an action's cache update and its event
 * commit together. The undo history is cleared when the user signs out or signs in elsewhere.
 */
export function createActionsModule(options: {
  readonly db: WritableDb;
  readonly connection: ConnectionService;
  /** The library cache: refreshes what a lost answer may have changed, and guards fresh actions from slow refreshes. */
  readonly library: LibraryService;
  readonly eventLog: EventLog;
  readonly settings: SettingsStore;
  readonly events: EventHub;
  readonly log: Logger;
  readonly disposables: DisposableStore;
  readonly tuning?: Pick<ActionServiceOptions, 'concurrency' | 'batchSize' | 'historyLimit'>;
  /** The library's clock (tests pass a fake one); absent: the system clock. */
  readonly clock?: ActionServiceOptions['clock'];
}): ActionsModule {
  const log = options.log.child('actions');
  const service = new ActionService({
    repo: new LibraryRepo(options.db, log),
    connection: options.connection,
    eventLog: options.eventLog,
    intents: new ActionIntents({ db: options.db, log }),
    library: options.library,
    // Not `get().syncEnabled`: while a damaged settings file left the sync choice unknown, changes
    // wait as pending instead of becoming local-only for good. See [Note: A bad settings file].
    syncEnabled: () => options.settings.keepEventsPending(),
    events: options.events,
    log,
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.tuning,
  });
  options.disposables.add(() => service.dispose());
  // Queued actions hold their photos and albums: no refresh may put the server's old state back.
  options.library.holdWhilePending(service.isPending);
  options.disposables.add(
    options.connection.onChange((status, previous) => {
      const elsewhere = status.serverUrl !== previous.serverUrl || status.userName !== previous.userName;
      if (status.state === 'signed-out' || (status.state === 'online' && elsewhere)) service.clearHistory();
      // Unchecked changes name the old library; the new one's cache starts fresh (never resolve them there).
      if (status.state === 'online' && elsewhere && previous.serverUrl !== null) service.forgetUnchecked();
      // Changes whose answer was lost (or that a crash cut short) are checked, and the offline
      // queue is sent, whenever we are back online — including the first time after a start.
      // See [Note: Action intents] and [Note: The offline queue].
      if (status.state === 'online' && previous.state !== 'online') void service.catchUp();
    }),
  );
  void service.catchUp();
  const handlers: ActionHandlers = {
    'actions.setFavorite': ({ uids, favorite }) => service.setFavorite(uids, favorite),
    'actions.setPrivate': (request) => service.setPrivate(request.uids, request.private),
    'actions.setArchived': ({ uids, archived }) => service.setArchived(uids, archived),
    'actions.approve': ({ uids }) => service.approve(uids),
    'actions.setTitle': ({ uid, title }) => service.setTitle(uid, title),
    'actions.addToAlbum': ({ albumUid, uids }) => service.addToAlbum(albumUid, uids),
    'actions.removeFromAlbum': ({ albumUid, uids }) => service.removeFromAlbum(albumUid, uids),
    'actions.createAlbum': ({ title, uids }) => service.createAlbum(title, uids ?? []),
    'actions.renameAlbum': ({ albumUid, title }) => service.renameAlbum(albumUid, title),
    'actions.deleteAlbum': ({ albumUid }) => service.deleteAlbum(albumUid),
    'actions.undo': () => service.undo(),
    'actions.redo': () => service.redo(),
    'actions.history': () => service.history(),
    'actions.pending': () => service.pending(),
    'actions.dismissConflict': ({ id }) => service.dismissConflict(id),
    'actions.editMetadata': ({ uids, edit }) => service.editMetadata(uids, edit),
    'actions.choosePrimary': ({ uid, fileUid }) => service.choosePrimary(uid, fileUid),
    'actions.unstack': ({ uid, fileUid }) => service.unstack(uid, fileUid),
    'photo.editableMetadata': ({ uids }) => service.readMetadata(uids),
    'photo.editChoices': () => service.editChoices(),
  };
  return { service, handlers };
}
