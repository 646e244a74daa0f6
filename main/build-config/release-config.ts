import { z } from 'zod';

/**
 * What a release build of the Mac app talks to, checked in and baked into the main bundle
 * (.build/build-electron.mjs bundles this file; see [Note: Release and development builds]).
 *
 * To ship: put the production API token of the container into `apiToken` below (CloudKit
 * Console → the container → Tokens & Keys → API Tokens, environment Production; its "Sign in
 * Callback" must be `icloudCallbackUrl`). The token is not a secret: CloudKit web API tokens are
 * made to be embedded in clients, as every CloudKit JS web page does (Apple: CloudKit JS
 * Reference, "CloudKit.configure"; docs/cloudkit.md §2.1). `npm run dist:mac` refuses to package
 * while the placeholder is still here.
 */
export const RELEASE_API_TOKEN_PLACEHOLDER = 'PLACEHOLDER-put-the-production-CloudKit-API-token-here';

export const ReleaseConfig = z
  .object({
    cloudkit: z
      .object({
        baseUrl: z.url({ protocol: /^https$/ }),
        containerId: z.string().regex(/^iCloud\.[A-Za-z0-9._-]+$/, 'a CloudKit container ID starts with "iCloud."'),
        // A shipped app writes to the production data store; development is for the developer's
        // own devices (docs/cloudkit.md §9.6).
        environment: z.literal('production'),
        apiToken: z.string().min(1),
      })
      .strict(),
    /**
     * Where Apple's sign-in page sends the browser when done: the API token's "Sign in Callback"
     * (URL Redirect) in CloudKit Console. The page itself never loads: the sign-in window takes
     * the token from the redirect (main/window/icloud-sign-in.ts).
     */
    icloudCallbackUrl: z.url({ protocol: /^https$/ }),
  })
  .strict();
export type ReleaseConfig = z.infer<typeof ReleaseConfig>;

export const RELEASE_CONFIG: ReleaseConfig = ReleaseConfig.parse({
  cloudkit: {
    baseUrl: 'https://api.apple-cloudkit.com',
    containerId: 'iCloud.app.photoflare.desktop',
    environment: 'production',
    apiToken: RELEASE_API_TOKEN_PLACEHOLDER,
  },
  icloudCallbackUrl: 'https://photoflare.app/icloud/callback',
});

/** Whether this configuration still carries the placeholder instead of a real API token. */
export function hasPlaceholderToken(config: ReleaseConfig): boolean {
  return config.cloudkit.apiToken === RELEASE_API_TOKEN_PLACEHOLDER;
}
