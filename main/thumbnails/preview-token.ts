import { AppError } from '../../shared/errors';
import type { PhotoPrismClient } from '../photoprism/client';
import { PhotoPrismHttpError } from '../photoprism/client';
import type { ConnectionService } from '../photoprism/connection-service';

/** The parts of the connection media requests need (the preview token never leaves main). */
export type PreviewTokenSource = Pick<ConnectionService, 'active' | 'previewToken' | 'refreshSession' | 'reportFailure'>;

/** The same for originals, which need the download token (it never leaves main either). */
export type DownloadTokenSource = Pick<ConnectionService, 'active' | 'downloadToken' | 'refreshSession' | 'reportFailure'>;

/**
 * One media request (a thumbnail, a video range) made with the session's preview token: the one
 * way thumbnails and videos get a token and recover from a stale one.
 *
 * [Note: Preview tokens after a server restart]
 * PhotoPrism keeps valid preview tokens in an in-memory map that only an authenticated request
 * refills (PhotoPrism internal/entity/auth_session_cache.go, CacheSession; auth_tokens.go,
 * InvalidPreviewToken). After a restart every `/t/…` (and `/videos/…`) answers 403 until then,
 * and afterwards the SAME token works again (photoprism issue 5265). So: one session check
 * (shared by every request that got a 403 meanwhile), then exactly one retry with whatever token
 * we now hold, new or not. A second 403 is final for this request.
 */
export function withPreviewToken<T>(
  source: PreviewTokenSource,
  request: (client: PhotoPrismClient, token: string) => Promise<T>,
  /** The request's own cancel signal: a failure after it fired is the cancel, not the server's (see [Note: Thumbnails nobody waits for]). */
  signal?: AbortSignal,
): Promise<T> {
  return withMediaToken(source, () => source.previewToken(), 'preview', request, signal);
}

/**
 * One original download made with the session's DOWNLOAD token (PhotoPrism
 * internal/api/download_file.go, GetDownload; a preview token is refused there). The download
 * token lives in the same in-memory maps as the preview token, so it recovers from a restart the
 * same way: see [Note: Preview tokens after a server restart].
 */
export function withDownloadToken<T>(
  source: DownloadTokenSource,
  request: (client: PhotoPrismClient, token: string) => Promise<T>,
): Promise<T> {
  return withMediaToken(source, () => source.downloadToken(), 'download', request);
}

async function withMediaToken<T>(
  source: Pick<ConnectionService, 'active' | 'refreshSession' | 'reportFailure'>,
  currentToken: () => string | null,
  kind: 'preview' | 'download',
  request: (client: PhotoPrismClient, token: string) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const active = source.active();
  if (!active) throw new AppError('network', 'Not connected to the PhotoPrism server.');
  let token = currentToken();
  if (!token) {
    await source.refreshSession();
    token = currentToken();
  }
  if (!token) throw new AppError('auth', `The server did not provide a ${kind} token.`);
  try {
    return await request(active.client, token);
  } catch (error) {
    if (signal?.aborted) throw error;
    if (!(error instanceof PhotoPrismHttpError && error.status === 403)) {
      source.reportFailure(error);
      throw error;
    }
    await source.refreshSession();
    const retryToken = currentToken();
    if (!retryToken) throw error;
    return request(active.client, retryToken);
  }
}
