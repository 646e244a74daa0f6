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

/** A fetch from the server and how many askers that can go away still wait for it. */
interface Fetching {
  readonly blob: Promise<CachedBlob>;
  readonly controller: AbortController;
  /** Askers that passed a signal and have not gone away; one without a signal keeps the fetch for good. */
  waiters: number;
  kept: boolean;
}

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
  readonly #inFlight = new Map<string, Fetching>();

  constructor(options: ThumbnailServiceOptions) {
    this.#o = options;
  }

  /**
   * Thumbnail bytes for a photo, or a kinded AppError (not-found, network, …). `signal`: the
   * asker went away (see [Note: Thumbnails nobody waits for]).
   */
  async get(uid: string, size: ThumbSize, signal?: AbortSignal): Promise<CachedBlob> {
    const hash = this.#o.lookupHash(uid);
    if (!hash || !HASH.test(hash)) throw new AppError('not-found', 'No such photo in the library.');
    const key = `${hash}_${size}`;
    const cached = await this.#o.cache.get(key);
    if (cached) return cached;
    if (signal?.aborted) throw cancelled();
    let fetching = this.#inFlight.get(key);
    if (!fetching) {
      const controller = new AbortController();
      const created: Fetching = {
        controller,
        waiters: 0,
        kept: false,
        blob: this.#fetch(hash, size, controller.signal).finally(() => {
          if (this.#inFlight.get(key) === created) this.#inFlight.delete(key);
        }),
      };
      fetching = created;
      this.#inFlight.set(key, fetching);
    }
    return this.#await(key, fetching, signal);
  }

  /**
   * [Note: Thumbnails nobody waits for]
   * A tile that leaves the screen before its image arrived drops its request (the renderer's
   * cancelImageOnRemove; the web shell's route passes that on as `signal`). Main's fetch from
   * the server used to go on regardless, so after a jump the new screen's thumbnails queued at
   * the server behind the old screen's. Now a fetch that every asker left is aborted (its socket
   * closed) and forgotten, so the next ask fetches anew; an asker without a signal (Electron's
   * protocol handler, the viewer) keeps it to the end. A cancelled fetch is not a server failure.
   */
  #await(key: string, fetching: Fetching, signal: AbortSignal | undefined): Promise<CachedBlob> {
    if (!signal) {
      fetching.kept = true;
      return fetching.blob;
    }
    fetching.waiters++;
    return new Promise<CachedBlob>((resolve, reject) => {
      const onAbort = () => {
        fetching.waiters--;
        if (fetching.waiters === 0 && !fetching.kept) {
          if (this.#inFlight.get(key) === fetching) this.#inFlight.delete(key);
          fetching.controller.abort();
        }
        reject(cancelled());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      fetching.blob.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /**
   * Answer a request path. 404 for paths and photos we do not know; 503 when the server is
   * unreachable and the thumbnail is not cached (offline browsing shows what is on disk).
   * A bound function, so a shell can pass `core.thumbnails.serve` around as it is.
   */
  readonly serve = (pathname: string, signal?: AbortSignal): Promise<ThumbnailResponse> => this.#serve(pathname, signal);

  async #serve(pathname: string, signal: AbortSignal | undefined): Promise<ThumbnailResponse> {
    const match = PATH.exec(pathname);
    const uid = PhotoUid.safeParse(match?.[1]);
    const size = ThumbSize.safeParse(match?.[2]);
    if (!uid.success || !size.success) return text(404, 'Not found');
    try {
      const blob = await this.get(uid.data, size.data, signal);
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

  async #fetch(hash: string, size: ThumbSize, signal: AbortSignal): Promise<CachedBlob> {
    const fetch = () => withPreviewToken(this.#o.source, (client, token) => client.thumbnail(hash, token, size, signal), signal);
    const result = await (this.#o.foreground ? this.#o.foreground.run(fetch) : fetch());
    const contentType = result.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!contentType.startsWith('image/')) throw new AppError('server', 'The server sent something that is not an image.');
    const blob = { contentType, body: result.body };
    // A 200 SVG is PhotoPrism's placeholder for an unknown hash or a broken file (docs/photoprism-api.md §6.3): show it, keep nothing.
    if (contentType !== 'image/svg+xml') this.#o.cache.put(`${hash}_${size}`, blob);
    return blob;
  }
}

/** What an asker that went away gets (nobody reads it; a 503 like any thumbnail not to be had now). */
function cancelled(): AppError {
  return new AppError('network', 'The thumbnail was no longer wanted.');
}

function text(status: number, message: string): ThumbnailResponse {
  return { status, contentType: 'text/plain; charset=utf-8', body: Buffer.from(message) };
}
