import { z } from 'zod';
import { AlbumUid, PhotoUid } from './ids';
import { MAX_DRAG_OUT_UIDS } from './limits';

/** Most photos one export takes (their file lists are asked for one by one). */
export const MAX_EXPORT_UIDS = 10_000;

/** Export the originals of photos (optionally with their sidecars) to a folder the person chooses. */
export const ExportPhotosRequest = z
  .object({ uids: z.array(PhotoUid).min(1).max(MAX_EXPORT_UIDS), sidecars: z.boolean().default(false) })
  .strict();

/** Export an album as one zip, as PhotoPrism makes it. */
export const ExportAlbumRequest = z.object({ albumUid: AlbumUid }).strict();

/**
 * One export as the progress panel shows it. Sizes in bytes; `bytesTotal` is 0 while unknown
 * (an album zip is made as it is sent, so its size is known only at the end).
 */
export const ExportStatus = z.object({
  id: z.number().int(),
  kind: z.enum(['photos', 'album']),
  state: z.enum(['preparing', 'running', 'done', 'failed', 'cancelled']),
  /** Where the files go, as the person chose it (a path on this Mac). */
  folder: z.string(),
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  /** Files that were already there, whole and identical: not fetched again. */
  filesSkipped: z.number().int().nonnegative(),
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
  /** The file being written now. */
  current: z.string().nullable(),
  /** Files that could not be exported, with why in words. */
  failures: z.array(z.object({ name: z.string(), message: z.string() })),
  /** What went wrong for the whole export (not signed in, folder not writable), or null. */
  message: z.string().nullable(),
  /**
   * Originals staged for a drag to Finder (main/export/drag-out.ts), not an export the person asked
   * for: the export panel shows it only once a drag had to wait for it ("Drag again once the export
   * panel says done"), never for the silent staging a press on the selection starts.
   */
  forDrag: z.boolean(),
});
export type ExportStatus = z.infer<typeof ExportStatus>;

/** Drag photos' originals out of the window (to Finder): which photos, never a path (main chooses those). */
export const DragOutRequest = z
  .object({
    uids: z.array(PhotoUid).min(1).max(MAX_DRAG_OUT_UIDS),
    /**
     * `drag`: the page drag gave way (dragstart): start the native drag now, or as soon as the
     * originals are staged while the button is still held; `prefetch`: the button went down on
     * the selection, stage it if one drag can carry it; `prepare`: a page drag of more than one
     * drag can carry left the window, stage it all.
     */
    mode: z.enum(['drag', 'prefetch', 'prepare']).default('drag'),
  })
  .strict();

/**
 * What a drag-out did: `dragging` (the native drag started with that many files), `ready`
 * (asked to prefetch or prepare, and they are already staged), `preparing` (they are being
 * downloaded as export `exportId`, shown in the export panel; `why` says why no drag started:
 * `asked` (prefetch or prepare), `too-big` (more than one drag can wait for), `slow` (not
 * ready within the wait), `released` (the button went up first)) or `too-big` (a prefetch of
 * more than one drag can carry: nothing staged).
 */
export const DragOutResult = z.discriminatedUnion('state', [
  z.object({ state: z.literal('dragging'), files: z.number().int().positive() }).strict(),
  z.object({ state: z.literal('ready'), files: z.number().int().positive() }).strict(),
  z
    .object({
      state: z.literal('preparing'),
      exportId: z.number().int(),
      photos: z.number().int().positive(),
      why: z.enum(['asked', 'too-big', 'slow', 'released']),
    })
    .strict(),
  z.object({ state: z.literal('too-big'), photos: z.number().int().positive() }).strict(),
]);
export type DragOutResult = z.infer<typeof DragOutResult>;

/** A browser drag of one photo out of the web shell: which photo. */
export const DownloadLinkRequest = z.object({ uid: PhotoUid }).strict();

/**
 * What a browser needs to drag one original out of the page (Chromium's `DownloadURL` drag data,
 * `<mime>:<file name>:<absolute URL>`): the name main chose, its type, and the web shell path
 * that serves it (the download token stays in main; see main/export/original-download.ts).
 */
export const DownloadLink = z
  .object({ fileName: z.string().min(1).max(255), mime: z.string().min(1).max(100), path: z.string().startsWith('/downloads/') })
  .strict();
export type DownloadLink = z.infer<typeof DownloadLink>;
