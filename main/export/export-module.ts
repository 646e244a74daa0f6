import { homedir } from 'node:os';
import { AppError } from '../../shared/errors';
import { join } from 'node:path';
import type { Handlers } from '../ipc/handle';
import type { EventHub } from '../ipc/event-hub';
import type { LibraryService } from '../library/library-service';
import type { DisposableStore } from '../lifecycle/disposables';
import type { Logger } from '../log/logger';
import type { ConnectionService } from '../photoprism/connection-service';
import { DragOutService, type DragButton, type StartFileDrag } from './drag-out';
import type { Clock } from '../platform/clock';
import { ExportService } from './export-service';
import { OriginalDownloadService } from './original-download';

export type ExportHandlers = Pick<
  Handlers,
  | 'export.photos'
  | 'export.album'
  | 'export.cancel'
  | 'export.resume'
  | 'export.dismiss'
  | 'export.list'
  | 'export.reveal'
  | 'export.dragOut'
  | 'export.downloadLink'
>;

/**
 * Where an export goes: the Mac app asks with a native folder chooser (null: the person
 * closed it). The web shell has no native dialog and a browser cannot name a folder on disk,
 * so it exports into `~/Downloads/Photoflare Export` of the Mac it runs on (it serves only
 * 127.0.0.1) and the progress panel names that folder.
 */
export type ChooseExportFolder = (title: string) => Promise<string | null>;

export const WEB_SHELL_EXPORT_FOLDER = join(homedir(), 'Downloads', 'Photoflare Export');

/** Build the export service and bind the `export.*` channels; progress goes out as `export.progress`. */
export function createExportModule(options: {
  readonly connection: ConnectionService;
  readonly library: LibraryService;
  readonly events: EventHub;
  readonly log: Logger;
  readonly disposables: DisposableStore;
  readonly chooseFolder?: ChooseExportFolder | undefined;
  readonly revealInFinder?: ((path: string) => void) | undefined;
  /** The Mac app's native file drag (absent in the web shell): see [Note: Dragging originals out to Finder]. */
  readonly startFileDrag?: StartFileDrag | undefined;
  /** The button a late native drag waits on (absent: never down, so no drag starts late). */
  readonly dragButton?: DragButton | undefined;
  /** The app's clock (tests: a fake one), for how long a held button waits. */
  readonly clock?: Clock | undefined;
  /** Where originals wait to be dragged out (in the profile; emptied at start and quit). */
  readonly dragStagingFolder: string;
}): { readonly service: ExportService; readonly downloads: OriginalDownloadService; readonly handlers: ExportHandlers } {
  const service = new ExportService({
    source: options.connection,
    albumTitle: (uid) => options.library.albums().find((album) => album.uid === uid)?.title,
    onStatus: (status) => options.events.emit('export.progress', status),
    log: options.log.child('export'),
  });
  const dragOut = new DragOutService({
    exports: service,
    stagingFolder: options.dragStagingFolder,
    lookup: (uid) => {
      try {
        return { sizeBytes: options.library.details(uid).fileSizeBytes };
      } catch {
        return undefined;
      }
    },
    startFileDrag: options.startFileDrag,
    button: options.dragButton,
    clock: options.clock,
    log: options.log.child('drag-out'),
  });
  const downloads = new OriginalDownloadService({
    lookup: (uid) => {
      const hash = options.library.primaryFileHash(uid);
      if (hash === undefined) return undefined;
      const details = options.library.details(uid);
      return { hash, fileName: details.fileName, sizeBytes: details.fileSizeBytes };
    },
    source: options.connection,
    log: options.log.child('downloads'),
  });
  // Originals staged by an earlier run were never dragged or were copied by Finder: either way, gone.
  void dragOut.clear();
  // Quitting stops exports; their `.part` files stay for the next Resume of the same name.
  options.disposables.add(async () => {
    for (const status of service.list()) if (status.state === 'running' || status.state === 'preparing') service.cancel(status.id);
    await service.idle();
    await dragOut.clear();
  });
  const choose = options.chooseFolder ?? (() => Promise.resolve(WEB_SHELL_EXPORT_FOLDER));
  return {
    service,
    downloads,
    handlers: {
      'export.photos': async ({ uids, sidecars }) => {
        const folder = await choose(uids.length === 1 ? 'Export 1 Photo' : `Export ${uids.length} Photos`);
        return folder === null ? null : service.exportPhotos(uids, sidecars, folder);
      },
      'export.album': async ({ albumUid }) => {
        const folder = await choose('Export Album');
        return folder === null ? null : service.exportAlbum(albumUid, folder);
      },
      'export.cancel': ({ id }) => service.cancel(id),
      'export.resume': ({ id }) => service.resume(id),
      'export.dismiss': async ({ id }) => {
        await service.dismiss(id);
        return {};
      },
      'export.list': () => service.list(),
      'export.reveal': ({ id }) => {
        const folder = service.list().find((status) => status.id === id)?.folder;
        if (folder === undefined) throw new AppError('not-found', 'That export is no longer in the list.');
        if (!options.revealInFinder) throw new AppError('bad-request', 'Only the Mac app can show a folder in Finder.');
        options.revealInFinder(folder);
        return {};
      },
      'export.dragOut': ({ uids, mode }) => dragOut.start(uids, mode),
      'export.downloadLink': ({ uid }) => downloads.link(uid),
    },
  };
}
