import type { CloudKitConfigInput } from '../cloudkit/config';

/**
 * CloudKit settings for the web shell and the demo, from the environment.
 *
 * A real build ships its container id and API token; here they come from
 * PHOTOFLARE_CLOUDKIT_{URL,CONTAINER,API_TOKEN,ENVIRONMENT} (the demo points them at the
 * CloudKit emulator). Without a container and token, iCloud Sync simply cannot be turned on.
 */
export function cloudKitConfigFromEnv(env: NodeJS.ProcessEnv): CloudKitConfigInput | undefined {
  const containerId = env['PHOTOFLARE_CLOUDKIT_CONTAINER'];
  const apiToken = env['PHOTOFLARE_CLOUDKIT_API_TOKEN'];
  if (!containerId || !apiToken) return undefined;
  const environment = env['PHOTOFLARE_CLOUDKIT_ENVIRONMENT'] === 'production' ? 'production' : 'development';
  return {
    containerId,
    apiToken,
    environment,
    ...(env['PHOTOFLARE_CLOUDKIT_URL'] ? { baseUrl: env['PHOTOFLARE_CLOUDKIT_URL'] } : {}),
  };
}
