import { isAppError } from '../../shared/errors';
import { PhotoUid } from '../../shared/ids';
import type { Logger } from '../log/logger';
import { PhotoPrismHttpError } from '../photoprism/client';
import { withPreviewToken, type PreviewTokenSource } from './preview-token';

/** What a shell sends back for a video path (web shell route, Electron's app:// handler). */
export interface VideoResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface VideoServiceOptions {
  /** The hash of one of the photo's files (any: PhotoPrism finds the photo's video itself). */
  readonly lookupHash: (uid: string) => string | undefined;
  readonly source: PreviewTokenSource;
  readonly log: Logger;
  /** Largest response; VIDEO_CHUNK_BYTES unless a test wants several chunks of a small clip. */
  readonly chunkBytes?: number;
}

/**
 * At most this much per response: the <video> element asks again for the rest, so memory stays
 * bounded however long the video (and the transport's response cap is never reached).
 */
export const VIDEO_CHUNK_BYTES = 2 * 1024 * 1024;

/** Browsers play H.264 everywhere; PhotoPrism transcodes other codecs to it (internal/api/video.go). */
const VIDEO_FORMAT = 'avc';
const PATH = /^\/videos\/([^/]+)$/;
const HASH = /^[0-9a-f]{40}$/;
const RANGE = /^bytes=(\d+)-(\d*)$/;
const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/**
 * Videos and Live photos for the renderer: `/videos/<uid>` streamed from PhotoPrism's video
 * endpoint in byte ranges, with the preview token added here (it never reaches the renderer).
 * Not cached on disk: videos are large, and the browser keeps what it plays.
 */
export class VideoService {
  readonly #o: VideoServiceOptions;

  constructor(options: VideoServiceOptions) {
    this.#o = options;
  }

  /** Answer `GET /videos/<uid>` with the browser's Range header (if any). A bound function. */
  readonly serve = (pathname: string, rangeHeader: string | undefined): Promise<VideoResponse> => this.#serve(pathname, rangeHeader);

  async #serve(pathname: string, rangeHeader: string | undefined): Promise<VideoResponse> {
    const uid = PhotoUid.safeParse(PATH.exec(pathname)?.[1]);
    if (!uid.success) return text(404, 'Not found');
    const hash = this.#o.lookupHash(uid.data);
    if (!hash || !HASH.test(hash)) return text(404, 'Not found');
    const wanted = RANGE.exec(rangeHeader?.trim() ?? '');
    // No Range (or one we do not serve, like a suffix range): start at the beginning.
    const start = wanted ? Number(wanted[1]) : 0;
    const end = Math.min(wanted?.[2] ? Number(wanted[2]) : Number.POSITIVE_INFINITY, start + (this.#o.chunkBytes ?? VIDEO_CHUNK_BYTES) - 1);
    try {
      const part = await this.#fetch(hash, { start, end });
      if (part.contentType.startsWith('image/')) return text(404, 'This item has no playable video.');
      const range = CONTENT_RANGE.exec(part.contentRange);
      // A server that ignores Range sends everything (200): hand on the chunk that was asked for.
      const body = part.status === 206 ? part.body : part.body.subarray(start, end + 1);
      const total = range?.[3] && range[3] !== '*' ? range[3] : part.status === 206 ? '*' : String(part.body.length);
      const first = range ? Number(range[1]) : start;
      return {
        status: 206,
        headers: {
          ...HEADERS,
          'content-type': part.contentType,
          'content-length': String(body.length),
          'content-range': `bytes ${first}-${first + body.length - 1}/${total}`,
        },
        body,
      };
    } catch (error) {
      if (error instanceof PhotoPrismHttpError && error.status === 416) {
        return {
          status: 416,
          headers: { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' },
          body: Buffer.from('Range not satisfiable'),
        };
      }
      if (isAppError(error) && (error.kind === 'network' || error.kind === 'auth')) return text(503, 'Video not available offline');
      this.#o.log.warn('video failed', { error });
      return text(502, 'Video not available');
    }
  }

  #fetch(hash: string, range: { start: number; end: number }) {
    return withPreviewToken(this.#o.source, (client, token) => client.videoRange(hash, token, VIDEO_FORMAT, range));
  }
}

const HEADERS = {
  'accept-ranges': 'bytes',
  'cache-control': 'private, max-age=3600',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
} as const;

function text(status: number, message: string): VideoResponse {
  return {
    status,
    headers: { ...HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body: Buffer.from(message),
  };
}
