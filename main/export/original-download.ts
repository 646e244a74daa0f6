import type { ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { AppError, isAppError } from '../../shared/errors';
import type { DownloadLink } from '../../shared/export';
import { PhotoUid } from '../../shared/ids';
import type { Logger } from '../log/logger';
import type { WebShellRoute } from '../webshell/server';
import { PhotoPrismHttpError } from '../photoprism/client';
import { withDownloadToken, type DownloadTokenSource } from '../thumbnails/preview-token';
import { deadlineFor, SIZE_SLACK_BYTES } from './export-service';
import { safeFileName } from './unique-name';

/** What the cache knows of a photo's primary file (undefined: a UID it never saw). */
export type PrimaryFileLookup = (
  uid: string,
) => { readonly hash: string; readonly fileName: string; readonly sizeBytes: number } | undefined;

const PATH = /^\/downloads\/([^/]+)$/;
const HASH = /^[0-9a-f]{40}$/;

/** Types by extension, for the drag data's `<mime>` (Chromium needs one; the body's own type is sent too). */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.dng': 'image/x-adobe-dng',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
};

/**
 * [Note: Dragging an original out of the browser]
 * Chromium drags a file out of a page to the desktop or a folder when the drag carries
 * `DownloadURL` data, `<mime>:<file name>:<absolute URL>`, one file: on the drop the browser
 * downloads that URL under that name. So the web shell serves `/downloads/<uid>` (behind its
 * session cookie, like every route): main looks the photo up in the cache (an unknown UID is
 * 404), streams its primary original from PhotoPrism's download endpoint with the DOWNLOAD token
 * added here (it never reaches the page; see withDownloadToken), and sends it as an attachment
 * under the name main chose, the same name the drag data carries (`link`). A transfer that fails
 * halfway is cut off, so the browser marks the download failed instead of keeping a short file.
 */
export class OriginalDownloadService {
  readonly #lookup: PrimaryFileLookup;
  readonly #source: DownloadTokenSource;
  readonly #log: Logger;

  constructor(options: { readonly lookup: PrimaryFileLookup; readonly source: DownloadTokenSource; readonly log: Logger }) {
    this.#lookup = options.lookup;
    this.#source = options.source;
    this.#log = options.log;
  }

  /** The drag data's parts for one photo (the `export.downloadLink` channel). */
  link(uid: string): DownloadLink {
    const file = this.#lookup(uid);
    if (!file || !HASH.test(file.hash)) throw new AppError('not-found', 'This photo has no original in the library.');
    const fileName = nameOf(file.fileName, file.hash);
    return {
      fileName,
      mime: MIME_BY_EXTENSION[extname(fileName).toLowerCase()] ?? 'application/octet-stream',
      path: `/downloads/${encodeURIComponent(uid)}`,
    };
  }

  /** Answer `GET /downloads/<uid>`, streaming the original into `res`. A bound function. */
  readonly serve = (pathname: string, res: ServerResponse): Promise<void> => this.#serve(pathname, res);

  async #serve(pathname: string, res: ServerResponse): Promise<void> {
    const uid = PhotoUid.safeParse(PATH.exec(pathname)?.[1]);
    const file = uid.success ? this.#lookup(uid.data) : undefined;
    if (!file || !HASH.test(file.hash)) return text(res, 404, 'Not found');
    const name = nameOf(file.fileName, file.hash);
    try {
      await withDownloadToken(this.#source, (client, token) =>
        client.download({ kind: 'file', hash: file.hash }, token, {
          // Headers go out only once PhotoPrism answered 2xx; the body streams with backpressure.
          sink: (head) => {
            res.writeHead(200, {
              ...HEADERS,
              'content-type': head.headers['content-type'] ?? 'application/octet-stream',
              ...(head.headers['content-length'] ? { 'content-length': head.headers['content-length'] } : {}),
              'content-disposition': attachment(name),
            });
            return res;
          },
          maxBytes: file.sizeBytes + SIZE_SLACK_BYTES,
          deadlineMs: deadlineFor(file.sizeBytes),
        }),
      );
    } catch (error) {
      // Halfway through: cut the connection, so no short file passes for the original.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof PhotoPrismHttpError && error.status === 404) return text(res, 404, 'The original is not on the server.');
      if (isAppError(error) && (error.kind === 'network' || error.kind === 'auth'))
        return text(res, 503, 'The server is not reachable now.');
      this.#log.warn('original download failed', { error });
      text(res, 502, 'The original could not be fetched.');
    }
  }
}

function nameOf(serverName: string, hash: string): string {
  return safeFileName(serverName, `${hash}${extname(serverName) || '.bin'}`);
}

/** RFC 6266 attachment with an ASCII fallback and the UTF-8 name. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const HEADERS = {
  'cache-control': 'private, no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
} as const;

function text(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end(message);
}

/** The web shell's `/downloads/` route (behind the web shell's secret, like the app itself). */
export function originalDownloadRoute(service: Pick<OriginalDownloadService, 'serve'>): WebShellRoute {
  return { prefix: '/downloads/', handle: (_req, res, url) => service.serve(url.pathname, res) };
}
