import type { CloudKitConfigInput } from '../cloudkit/config';
import { demoPhotoPrismFromEnv, type DemoPhotoPrism } from '../launcher/demo-env';
import { cloudKitConfigFromEnv } from '../webshell/cloudkit-env';
import { RELEASE_CONFIG, type ReleaseConfig } from './release-config';

/**
 * [Note: Release and development builds]
 * .build/build-electron.mjs replaces `__PHOTOFLARE_BUILD_MODE__` with "production" (the default,
 * used by `npm run dist:mac`) or "development" (`npm start`, `npm run demo`). Code that is not
 * bundled at all (vitest, tsx) is development. A release build, or any app Electron reports as
 * packaged, ignores the PHOTOFLARE_* environment entirely: it talks to the production container
 * of release-config.ts, keeps its data in Application Support and never signs in by itself. Two
 * gates, so that neither a development bundle that got packaged by mistake nor a release bundle
 * run from a folder can be steered by the environment. The web shell is a development tool and
 * reads the environment itself (main/webshell/cli.ts).
 */
declare const __PHOTOFLARE_BUILD_MODE__: string | undefined;

export type BuildMode = 'development' | 'production';

/** The mode this code was built in (see [Note: Release and development builds]). */
export const BUILD_MODE: BuildMode =
  typeof __PHOTOFLARE_BUILD_MODE__ === 'undefined' || __PHOTOFLARE_BUILD_MODE__ === 'development' ? 'development' : 'production';

/** What the Electron app runs with. */
export interface AppConfig {
  /** Whether PHOTOFLARE_* environment overrides are honoured (development builds only). */
  readonly development: boolean;
  /** The environment the rest of the app may read: the process's in development, empty otherwise. */
  readonly env: NodeJS.ProcessEnv;
  /** How to reach iCloud; undefined: iCloud Sync is not available in this build. */
  readonly cloudkit: CloudKitConfigInput | undefined;
  /** The API token's Sign in Callback, watched for by the sign-in window. */
  readonly icloudCallbackUrl: string;
  /** `npm run demo`: the demo PhotoPrism server to sign in to by itself. */
  readonly demo: DemoPhotoPrism | undefined;
}

export function resolveAppConfig(options: {
  readonly mode: BuildMode;
  readonly isPackaged: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly release?: ReleaseConfig;
}): AppConfig {
  const release = options.release ?? RELEASE_CONFIG;
  if (options.mode !== 'development' || options.isPackaged) {
    return { development: false, env: {}, cloudkit: release.cloudkit, icloudCallbackUrl: release.icloudCallbackUrl, demo: undefined };
  }
  const env = options.env;
  return {
    development: true,
    env,
    // Development talks to whatever the environment names (the demo: the CloudKit emulator), and
    // without it has no iCloud at all rather than writing into the production container.
    cloudkit: cloudKitConfigFromEnv(env),
    icloudCallbackUrl: env['PHOTOFLARE_CLOUDKIT_CALLBACK_URL'] || release.icloudCallbackUrl,
    demo: demoPhotoPrismFromEnv(env),
  };
}
