import { z } from 'zod';

/**
 * Where and how the CloudKit client talks to iCloud: everything that differs between Apple's
 * service, the emulator, and another Photoflare client sharing the same container.
 *
 * The container, zone name and record type are configuration (not constants) so this app can
 * write into a container that other Photoflare clients already use, and so tests can point the
 * client at the emulator's base URL. See the docs/cloudkit.md §1.1 for the URL scheme.
 */
export const CloudKitConfig = z.object({
  /** Scheme + host (+ optional path prefix) of the Web Services endpoint. No query string. */
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://api.apple-cloudkit.com')
    .transform((url) => url.replace(/\/+$/, '')),
  /** The iCloud container identifier, e.g. `iCloud.app.photoflare`. */
  containerId: z.string().regex(/^iCloud\.[A-Za-z0-9._-]+$/, 'a CloudKit container ID starts with "iCloud."'),
  /** `development` and `production` are separate data stores with separate schemas (docs/cloudkit.md §9.6). */
  environment: z.enum(['development', 'production']),
  /** The container's API token for this environment (created in CloudKit Console). */
  apiToken: z.string().min(1),
  /** Photoflare syncs through the user's private database; the others exist for completeness. */
  database: z.enum(['private', 'shared', 'public']).default('private'),
  /** The custom zone holding the event records (changes/* only work in custom zones). */
  zoneName: z.string().min(1).max(255).default('PhotoflareEvents'),
  /** The record type of one sync event. */
  recordType: z.string().min(1).max(255).default('PhotoflareEvent'),
  /** Which APNs environment `tokens/create` asks for; defaults to the container environment. */
  apnsEnvironment: z.enum(['development', 'production']).optional(),
  /** Upper bound for one request/response round trip (not the courier long-poll). */
  requestTimeoutMs: z.int().positive().default(30_000),
});

/** Parsed configuration (defaults applied). */
export type CloudKitConfig = z.infer<typeof CloudKitConfig>;

/** What a caller writes: defaults may be omitted. */
export type CloudKitConfigInput = z.input<typeof CloudKitConfig>;

/**
 * The endpoint a web auth token was issued for: Apple mints it for one container in one
 * environment (docs/cloudkit.md §2.5), and the API base URL says which service minted it (Apple's, or an
 * emulator in development). See [Note: Tokens are bound to their endpoint].
 */
export interface TokenEndpoint {
  readonly baseUrl: string;
  readonly containerId: string;
  readonly environment: 'development' | 'production';
}

export function tokenEndpoint(config: Pick<CloudKitConfig, 'baseUrl' | 'containerId' | 'environment'>): TokenEndpoint {
  return { baseUrl: config.baseUrl, containerId: config.containerId, environment: config.environment };
}
