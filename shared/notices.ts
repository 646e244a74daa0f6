import { z } from 'zod';

/**
 * Something that happened while Photoflare started that the person must hear about once: a
 * damaged database was replaced, a bad settings file was repaired. Shown by the window as a
 * banner until dismissed (main/notices/startup-notices.ts keeps them for the run).
 */
export const StartupNotice = z.object({
  id: z.string().max(100),
  severity: z.enum(['info', 'warning']),
  title: z.string().max(200),
  message: z.string().max(2000),
  /**
   * iCloud Sync's setting could not be read: the banner asks "Turn iCloud Sync On / Keep It Off"
   * (answered through `sync.setEnabled` / `settings.update`) instead of a plain Dismiss.
   */
  asksSyncChoice: z.boolean(),
});
export type StartupNotice = z.infer<typeof StartupNotice>;
