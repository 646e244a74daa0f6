import { z } from 'zod';

/**
 * `npm run demo` on a Mac with Electron: the launcher starts the emulators, then the Electron
 * app with this variable naming the demo PhotoPrism server and its demo account, so the app
 * signs in by itself (and then asks iCloud — the CloudKit emulator's sign-in page — once).
 *
 * Only the demo sets it; the credentials are the emulator's public demo account, never a real
 * one. Malformed content is ignored rather than trusted.
 */
export const DEMO_PHOTOPRISM_ENV = 'PHOTOFLARE_DEMO_PHOTOPRISM';

const DemoPhotoPrism = z
  .object({
    url: z.url({ protocol: /^http$/, hostname: /^127\.0\.0\.1$/ }),
    username: z.string().min(1),
    password: z.string().min(1),
  })
  .strict();
export type DemoPhotoPrism = z.infer<typeof DemoPhotoPrism>;

/** The demo server to sign in to, if this process was started by the demo. */
export function demoPhotoPrismFromEnv(env: NodeJS.ProcessEnv): DemoPhotoPrism | undefined {
  const raw = env[DEMO_PHOTOPRISM_ENV];
  if (!raw) return undefined;
  try {
    return DemoPhotoPrism.parse(JSON.parse(raw));
  } catch {
    return undefined;
  }
}
