import { extname } from 'node:path';
import type { UploadAnswer } from '../photoprism/client';
import { isImportable } from './media-files';

type Refusal = Extract<UploadAnswer, { ok: false }>;

/**
 * What the server's refusal of an upload means for the person, and what they can do
 * (PhotoPrism internal/api/users_upload.go, UploadUserFiles; docs/photoprism-api.md §6.5). The
 * server's English `error` text tells apart refusals that share a status.
 */
export function describeUploadRefusal(refusal: Refusal): string {
  const text = refusal.serverError.toLowerCase();
  switch (refusal.status) {
    case 401:
      return 'Your PhotoPrism session has ended. Sign in again, then retry.';
    case 403:
      // i18n.ErrReadOnly: read-only mode, or the Upload feature off in PhotoPrism's settings.
      if (text.includes('read-only'))
        return 'This PhotoPrism server does not take uploads (it is read-only, or uploading is turned off in its settings).';
      // i18n.ErrOffensiveUpload: PHOTOPRISM_UPLOAD_NSFW=false and the detector flagged the file.
      if (text.includes('offensive'))
        return 'The server refused this file: its content filter (PHOTOPRISM_UPLOAD_NSFW) flagged it as possibly offensive.';
      return 'Your PhotoPrism account may not upload files. An admin can change your role.';
    case 400:
      // i18n.ErrUploadFailed: a broken multipart body, or the server could not save the file.
      return 'The server could not save the file (it may be out of disk space, or its storage folder is not writable). Retry later or ask its admin.';
    case 413:
      // Not PhotoPrism (it has no upload size limit in the Dec 2024 code): a proxy in front of it, e.g. nginx's client_max_body_size.
      return 'The file is larger than the server accepts (a proxy in front of PhotoPrism limits upload size). Ask its admin to raise the limit.';
    case 507:
      return 'The server is out of storage space. Free some space on it, then retry.';
    default:
      return refusal.status >= 500
        ? `The server failed while taking the file (error ${refusal.status}). Retry it.`
        : `The server refused the file (error ${refusal.status}${refusal.serverError ? `: ${refusal.serverError}` : ''}).`;
  }
}

/** The server's refusal of the import step (`PUT …/upload/:token`, ProcessUserUpload). */
export function describeImportRefusal(refusal: Refusal): string {
  // AbortFeatureDisabled: read-only mode, or the Import feature off in PhotoPrism's settings.
  if (refusal.status === 403 && /disabled/i.test(refusal.serverError)) {
    return 'The files were uploaded, but importing is turned off on this server, so they wait in its upload folder. Ask its admin to turn on Import.';
  }
  return `The files were uploaded, but the server did not import them: ${describeUploadRefusal(refusal)}`;
}

/** Why an uploaded file did not become a photo (the importer skips without saying: docs/photoprism-api.md §6.5). */
export function skippedReason(name: string): string {
  if (!isImportable(name)) return `PhotoPrism does not import ${extname(name) || 'extension-less'} files.`;
  return 'PhotoPrism did not import it: it may be larger than the server’s originals limit (PHOTOPRISM_ORIGINALS_LIMIT) or unreadable.';
}
