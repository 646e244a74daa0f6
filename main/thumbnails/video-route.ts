import type { WebShellRoute } from '../webshell/server';
import type { VideoService } from './video-service';

/**
 * The web shell's `/videos/` route (behind the web shell's secret, like the app itself).
 * Electron's app:// handler calls `VideoService.serve` directly instead.
 */
export function videoRoute(service: Pick<VideoService, 'serve'>): WebShellRoute {
  return {
    prefix: '/videos/',
    handle: async (req, res, url) => {
      const response = await service.serve(url.pathname, req.headers.range);
      res.writeHead(response.status, response.headers);
      res.end(req.method === 'HEAD' ? undefined : response.body);
    },
  };
}
