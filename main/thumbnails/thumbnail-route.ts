import type { WebShellRoute } from '../webshell/server';
import { ThumbnailService } from './thumbnail-service';

/**
 * The web shell's `/thumbs/` route (behind the web shell's secret, like the app itself), on the
 * page's origin and the image origins.
 * Electron's protocol handler calls `ThumbnailService.serve(pathname)` directly instead.
 */
export function thumbnailRoute(service: Pick<ThumbnailService, 'serve'>): WebShellRoute {
  return {
    prefix: '/thumbs/',
    // The grid's tiles come from the image origins too: see [Note: Grid thumbnails over more connections].
    onImageOrigins: true,
    handle: async (req, res, url) => {
      // The browser dropped the request (a tile left the screen): so does main's fetch behind it
      // (see [Note: Thumbnails nobody waits for]).
      const gone = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) gone.abort();
      });
      const response = await service.serve(url.pathname, gone.signal);
      if (gone.signal.aborted) return;
      res.writeHead(response.status, ThumbnailService.headers(response));
      res.end(req.method === 'HEAD' ? undefined : response.body);
    },
  };
}
