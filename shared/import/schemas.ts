import { z } from 'zod';
import { AlbumUid } from '../ids';

/**
 * Where one file of an import stands:
 * queued → uploading → uploaded → importing → imported | in-review | duplicate | skipped;
 * or failed (retry puts it back in the queue), or cancelled. `in-review`: imported, but its quality
 * score is below 3, so PhotoPrism shows it in Review, not in the library, until it is approved.
 */
export const ImportFileState = z.enum([
  'queued',
  'uploading',
  'uploaded',
  'importing',
  'imported',
  'in-review',
  'duplicate',
  'skipped',
  'failed',
  'cancelled',
]);
export type ImportFileState = z.infer<typeof ImportFileState>;

/** One file as the progress panel shows it: a name relative to what the person chose, never a full path. */
export const ImportFile = z.object({
  id: z.string(),
  name: z.string(),
  sizeBytes: z.number().int().min(0),
  sentBytes: z.number().int().min(0),
  state: ImportFileState,
  /** Why it failed or was skipped, and what to do (a sentence for a person); null otherwise. */
  message: z.string().nullable(),
});
export type ImportFile = z.infer<typeof ImportFile>;

/** The whole import as the panel shows it. */
export const ImportStatus = z.object({
  files: z.array(ImportFile),
  totalBytes: z.number().int().min(0),
  sentBytes: z.number().int().min(0),
  /** Upload speed over the last few seconds (0 when nothing is sending). */
  bytesPerSecond: z.number().min(0),
  /** Files are queued, sending or being imported. */
  active: z.boolean(),
  /** The album the files go into (null: the library only). */
  albumUid: AlbumUid.nullable(),
  /** The last import's outcome in words ("19 photos imported into “Trip”"); null while running or before any. */
  summary: z.string().nullable(),
});
export type ImportStatus = z.infer<typeof ImportStatus>;

/** A file path the person chose (dragged or picked): macOS paths are at most 1,024 bytes (PATH_MAX). */
export const ChosenPath = z.string().min(1).max(1024);
/** A file the web shell's page handed over (main/import/staging-route.ts): an opaque id. */
export const StagedId = z
  .string()
  .max(36)
  .regex(/^[0-9a-f-]{36}$/);
/** An import's file id (a UUID). */
export const ImportFileId = z.string().max(36);
