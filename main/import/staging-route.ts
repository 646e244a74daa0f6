import type { WebShellRoute } from '../webshell/server';
import type { ImportService } from './import-service';

/** The largest file the page may hand over: far above any photo or video a person imports. */
export const MAX_STAGED_FILE_BYTES = 64 * 1024 * 1024 * 1024;

/**
 * The web shell's `/import-staging/` route: the page has no file paths (a browser never gives
 * them), so it POSTs each dropped or picked file here (`?name=` its name, the body its bytes),
 * streamed to disk in the profile, and then starts the import with the ids (`import.startStaged`).
 * Behind the web shell's secret and Origin check like every POST route. The Mac app sends paths.
 */
export function importStagingRoute(service: Pick<ImportService, 'stage'>): WebShellRoute {
  return {
    prefix: '/import-staging/',
    methods: ['POST'],
    handle: async (req, res, url) => {
      const name = url.searchParams.get('name') ?? '';
      const declared = Number(req.headers['content-length']);
      if (req.method !== 'POST' || name === '' || name.length > 1024) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('Send a file as the body, its name as ?name=.');
        return;
      }
      if (!Number.isFinite(declared) || declared > MAX_STAGED_FILE_BYTES) {
        res.writeHead(413, { 'content-type': 'text/plain' }).end('That file is too large.');
        return;
      }
      try {
        const id = await service.stage(name, req);
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ id }));
      } catch {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('The file could not be kept for the import.');
      }
    },
  };
}
