/**
 * Runs the CloudKit emulator standalone: `npm run emulator:cloudkit -- [--port 8787]
 * [--persist ./ck-state.json] [--token-mode strict] [--callback http://127.0.0.1:5555/cb] [--empty-schema]`.
 *
 * Prints what a developer needs to point the app at it: base URL, container, API tokens, and two
 * ways to get a web auth token (the sign-in page, or the admin sign-in endpoint).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startCloudKitEmulator } from './index';
import { photoflareSchema } from './photoflare-schema';
import type { CloudKitEmulatorOptions } from './types';

const ArgsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).optional(),
  persist: z.string().min(1).optional(),
  'token-mode': z.enum(['lenient', 'strict']).optional(),
  callback: z.url().optional(),
  'index-lag-ms': z.coerce.number().int().min(0).optional(),
  'empty-schema': z.boolean().optional(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      persist: { type: 'string' },
      'token-mode': { type: 'string' },
      callback: { type: 'string' },
      'index-lag-ms': { type: 'string' },
      'empty-schema': { type: 'boolean' },
    },
  });
  const args = ArgsSchema.parse(values);
  // A developer's emulator plays a container already set up from docs/cloudkit-schema.ckdb;
  // --empty-schema plays a new one (every push is refused until the schema is installed).
  const options: CloudKitEmulatorOptions = args['empty-schema'] === true ? {} : { recordTypes: photoflareSchema() };
  if (args.port !== undefined) options.port = args.port;
  if (args.persist !== undefined) options.persistPath = args.persist;
  if (args['token-mode'] !== undefined) options.tokenMode = args['token-mode'];
  if (args.callback !== undefined) options.signInCallbackUrl = args.callback;
  if (args['index-lag-ms'] !== undefined) options.indexLagMs = args['index-lag-ms'];

  const emulator = await startCloudKitEmulator(options);
  const lines = [
    'CloudKit Web Services emulator',
    `  URL            ${emulator.url}`,
    `  Container      ${emulator.containerId}`,
    `  API token      ${emulator.apiToken}   (development)`,
    `  API token      ${emulator.productionApiToken}   (production)`,
    `  Schema         ${args['empty-schema'] === true ? 'empty (install one: POST /_admin/schema {"ckdb": …})' : 'docs/cloudkit-schema.ckdb'}`,
    `  Token mode     ${options.tokenMode ?? 'lenient'}${options.persistPath === undefined ? '' : `; state in ${options.persistPath}`}`,
    '',
    'Get a web auth token for a test user:',
    `  browser:  ${emulator.signInPageUrl()}`,
    `  curl:     curl -s -X POST ${emulator.url}/_admin/sign-in -d '{"userName":"alice"}'`,
    '',
    `API example: curl "${emulator.url}/database/1/${emulator.containerId}/development/private/zones/list?ckAPIToken=${emulator.apiToken}&ckWebAuthToken=<percent-encoded token>"`,
    'Admin endpoints: see test/emulators/cloudkit/README.md. Ctrl-C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`The CloudKit emulator could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
