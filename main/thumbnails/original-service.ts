import { isAppError } from '../../shared/errors';
import { PhotoUid } from '../../shared/ids';
import type { Logger } from '../log/logger';
import { PhotoPrismHttpError } from '../photoprism/client';
import { withDownloadToken, type DownloadTokenSource } from './preview-token';

/** What a shell sends back for an original's path (web shell route, Electron's app:// handler). */
export interface OriginalResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface OriginalServiceOptions {
  /** The hash of the photo's primary file (the one its previews are made from). */
  readonly lookupHash: (uid: string) => string | undefined;
  readonly source: DownloadTokenSource;
  readonly log: Logger;
}

const PATH = /^\/originals\/([^/]+)$/;
const HASH = /^[0-9a-f]{40}$/;
/**
 * Image types every Chromium decodes in an <img>: an original of another type (HEIC, RAW, TIFF)
 * cannot be shown, and the viewer keeps the largest preview instead.
 */
const DISPLAYABLE = /^image\/(jpeg|png|gif|webp|avif|bmp)\b/;

/**
 * Originals for the viewer, when it zooms past what the largest preview holds: `/originals/<uid>`
 * answered from PhotoPrism's download endpoint with the DOWNLOAD token added here (it never
 * reaches the renderer; the same pattern as thumbnails and videos, see withDownloadToken).
 *
 * Not kept on disk: originals are large and asked for only while zooming into one photo; the
 * browser's memory cache keeps what it shows (`private, max-age`).
 */
export class OriginalService {
  readonly #o: OriginalServiceOptions;

  constructor(options: OriginalServiceOptions) {
    this.#o = options;
  }

  /** Answer `GET /originals/<uid>`. A bound function. */
  readonly serve = (pathname: string): Promise<OriginalResponse> => this.#serve(pathname);

  async #serve(pathname: string): Promise<OriginalResponse> {
    const uid = PhotoUid.safeParse(PATH.exec(pathname)?.[1]);
    if (!uid.success) return text(404, 'Not found');
    const hash = this.#o.lookupHash(uid.data);
    if (!hash || !HASH.test(hash)) return text(404, 'Not found');
    try {
      const original = await withDownloadToken(this.#o.source, (client, token) => client.original(hash, token));
      // PhotoPrism answers some failures with 200 + an SVG icon; and HEIC or RAW cannot be shown.
      if (!DISPLAYABLE.test(original.contentType)) return text(415, 'This original cannot be shown here; the viewer keeps the preview.');
      return {
        status: 200,
        headers: { ...HEADERS, 'content-type': original.contentType, 'content-length': String(original.body.length) },
        body: original.body,
      };
    } catch (error) {
      if (error instanceof PhotoPrismHttpError && error.status === 404) return text(404, 'The original is not on the server.');
      if (isAppError(error) && (error.kind === 'network' || error.kind === 'auth')) return text(503, 'Original not available offline');
      this.#o.log.warn('original failed', { error });
      return text(502, 'Original not available');
    }
  }
}

const HEADERS = {
  'cache-control': 'private, max-age=3600',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
} as const;

function text(status: number, message: string): OriginalResponse {
  return {
    status,
    headers: { ...HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body: Buffer.from(message),
  };
}
