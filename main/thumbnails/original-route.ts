import type { WebShellRoute } from '../webshell/server';
import type { OriginalService } from './original-service';

/**
 * The web shell's `/originals/` route (behind the web shell's secret, like the app itself).
 * Electron's app:// handler calls `OriginalService.serve` directly instead.
 */
export function originalRoute(service: Pick<OriginalService, 'serve'>): WebShellRoute {
  return {
    prefix: '/originals/',
    handle: async (req, res, url) => {
      const response = await service.serve(url.pathname);
      res.writeHead(response.status, response.headers);
      res.end(req.method === 'HEAD' ? undefined : response.body);
    },
  };
}
