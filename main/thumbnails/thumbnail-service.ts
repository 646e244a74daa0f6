import { AppError, isAppError } from '../../shared/errors';
import { PhotoUid } from '../../shared/ids';
import { ThumbSize } from '../../shared/library/schemas';
import type { Logger } from '../log/logger';
import type { ForegroundWork } from '../platform/foreground-work';
import type { CachedBlob, DiskLru } from './disk-lru';
import { withPreviewToken, type PreviewTokenSource } from './preview-token';

/** What a shell sends back for a thumbnail path: Electron's protocol handler and the web shell alike. */
export interface ThumbnailResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

/** The parts of the connection thumbnails need (the preview token never leaves main). */
export type ThumbnailSource = PreviewTokenSource;

export interface ThumbnailServiceOptions {
  readonly cache: DiskLru;
  /** The hash of a photo's thumbnail file, from the library cache. */
  readonly lookupHash: (uid: string) => string | undefined;
  readonly source: ThumbnailSource;
  readonly log: Logger;
  /** Thumbnail fetches count as requests for the screen: see [Note: Background work yields to what is on screen]. */
  readonly foreground?: ForegroundWork;
}

/** Served thumbnails may be revalidated hourly: a photo's primary file can change. */
const CACHE_CONTROL = 'private, max-age=3600';
const PATH = /^\/thumbs\/([^/]+)\/([^/]+)$/;
const HASH = /^[0-9a-f]{40}$/;

/**
 * Thumbnails for the renderer: from the disk cache, else fetched from the server and kept.
 *
 * The renderer asks by `/thumbs/<uid>/<size>` (shared/library/schemas.ts `thumbnailPath`);
 * only main knows the file hash and the preview token that make the server URL
 * (`/api/v1/t/<hash>/<token>/<size>`, docs/photoprism-api.md §6.1), so the token never reaches the renderer.
 * Cached entries are keyed by hash, so an edited photo (new primary file) gets a new one.
 */
export class ThumbnailService {
  readonly #o: ThumbnailServiceOptions;
  readonly #inFlight = new Map<string, Promise<CachedBlob>>();

  constructor(options: ThumbnailServiceOptions) {
    this.#o = options;
  }

  /** Thumbnail bytes for a photo, or a kinded AppError (not-found, network, …). */
  async get(uid: string, size: ThumbSize): Promise<CachedBlob> {
    const hash = this.#o.lookupHash(uid);
    if (!hash || !HASH.test(hash)) throw new AppError('not-found', 'No such photo in the library.');
    const key = `${hash}_${size}`;
    const cached = await this.#o.cache.get(key);
    if (cached) return cached;
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = this.#fetch(hash, size).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    const blob = await pending;
    return blob;
  }

  /**
   * Answer a request path. 404 for paths and photos we do not know; 503 when the server is
   * unreachable and the thumbnail is not cached (offline browsing shows what is on disk).
   * A bound function, so a shell can pass `core.thumbnails.serve` around as it is.
   */
  readonly serve = (pathname: string): Promise<ThumbnailResponse> => this.#serve(pathname);

  async #serve(pathname: string): Promise<ThumbnailResponse> {
    const match = PATH.exec(pathname);
    const uid = PhotoUid.safeParse(match?.[1]);
    const size = ThumbSize.safeParse(match?.[2]);
    if (!uid.success || !size.success) return text(404, 'Not found');
    try {
      const blob = await this.get(uid.data, size.data);
      return { status: 200, contentType: blob.contentType, body: blob.body };
    } catch (error) {
      if (isAppError(error) && error.kind === 'not-found') return text(404, 'Not found');
      if (isAppError(error) && (error.kind === 'network' || error.kind === 'auth')) return text(503, 'Thumbnail not available offline');
      this.#o.log.warn('thumbnail failed', { error });
      return text(502, 'Thumbnail not available');
    }
  }

  /** HTTP headers to send with a response from `serve()`. */
  static headers(response: ThumbnailResponse): Record<string, string> {
    return {
      'content-type': response.contentType,
      'content-length': String(response.body.length),
      'cache-control': response.status === 200 ? CACHE_CONTROL : 'no-store',
      'x-content-type-options': 'nosniff',
      // A server-sent SVG must never run script in our origin, even if opened directly.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    };
  }

  async #fetch(hash: string, size: ThumbSize): Promise<CachedBlob> {
    const fetch = () => withPreviewToken(this.#o.source, (client, token) => client.thumbnail(hash, token, size));
    const result = await (this.#o.foreground ? this.#o.foreground.run(fetch) : fetch());
    const contentType = result.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!contentType.startsWith('image/')) throw new AppError('server', 'The server sent something that is not an image.');
    const blob = { contentType, body: result.body };
    // A 200 SVG is PhotoPrism's placeholder for an unknown hash or a broken file (docs/photoprism-api.md §6.3): show it, keep nothing.
    if (contentType !== 'image/svg+xml') this.#o.cache.put(`${hash}_${size}`, blob);
    return blob;
  }
}

function text(status: number, message: string): ThumbnailResponse {
  return { status, contentType: 'text/plain; charset=utf-8', body: Buffer.from(message) };
}
